"""Sealed bids: submission on the server's clock, receipts, closing, opening, evaluation.

Sources (../shared/DOMAIN.md, "Public procurement in India"):

* Manual for Procurement of Goods 5.2.7: the portal's clock is the reference; late bids are
  refused; bids are encrypted and opened only by authorised persons at or after the opening
  time; each bidder gets a system-generated receipt.
* Bids may be withdrawn, substituted or modified only before the deadline; withdrawn bids
  are never opened.
* GFR 2017 rule 163: technical covers first; financial covers only of responsive bids.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.tendering.domain import local_content
from oxychain.tendering.domain.securities import share_of
from oxychain.tendering.domain.tender import STEPS, TenderStatus, effective_status


class BidStatus(StrEnum):
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    SUBSTITUTED = "substituted"


#: A submitted bid is never edited: it is withdrawn, or substituted by a new one.
BID = Lifecycle(
    "bid",
    BidStatus,
    {
        "withdraw": ([BidStatus.SUBMITTED], BidStatus.WITHDRAWN),
        "substitute": ([BidStatus.SUBMITTED], BidStatus.SUBSTITUTED),
    },
    message=N_("This bid is {status}; only a submitted bid can change."),
)


class CoverStatus(StrEnum):
    SEALED = "sealed"
    OPENED = "opened"
    FAILED = "failed"


#: A sealed cover opens with k shares, or fails (tampered, unreadable) with its reason.
COVER = Lifecycle(
    "cover",
    CoverStatus,
    {
        "open": ([CoverStatus.SEALED], CoverStatus.OPENED),
        "fail": ([CoverStatus.SEALED], CoverStatus.FAILED),
    },
)

TECHNICAL, FINANCIAL = "technical", "financial"


def is_live(bid_status: str) -> bool:
    """A submitted bid, neither withdrawn nor substituted: the only kind ever opened."""
    return BidStatus(bid_status) is BidStatus.SUBMITTED


def is_sealed(cover_status: str) -> bool:
    return COVER.can(cover_status, "open")


def settled(cover_statuses: Iterable[str]) -> bool:
    """No cover left sealed: each one opened or failed."""
    return not any(is_sealed(status) for status in cover_statuses)


def check_submission(tender_status: str, deadline: datetime, now: datetime) -> None:
    """A bid is accepted only while the tender is published and before its deadline."""
    status = TenderStatus(tender_status)
    if status is TenderStatus.PUBLISHED and now < deadline:
        return
    if status in (TenderStatus.DRAFT, TenderStatus.CANCELLED):
        raise Conflict("This tender does not take bids.", code="tender_not_open")
    raise Conflict(
        "The deadline ({deadline}) has passed: the bid is refused.",
        code="bid_late",
        deadline=deadline.strftime("%d-%m-%Y %H:%M:%S UTC"),
    )


def withdraw(bid_status: str, tender_status: str, deadline: datetime, now: datetime) -> BidStatus:
    """Withdraw only a live bid, only before the deadline."""
    target = BID.move(bid_status, "withdraw")
    check_submission(tender_status, deadline, now)
    return target


def bid_steps(
    bid_status: str, tender_status: str, deadline: datetime, now: datetime
) -> frozenset[str]:
    """What the bidder may do with its bid now: withdraw it while the tender takes bids."""
    open_ = effective_status(tender_status, deadline, now) is TenderStatus.PUBLISHED
    return BID.allowed_actions(bid_status) & {"withdraw"} if open_ else frozenset()


def predates_corrigendum(bid_status: str, corrigenda_seen: int, corrigenda: int) -> bool:
    """A live bid sealed before the latest corrigendum: the bidder may want to substitute it."""
    return BID.can(bid_status, "substitute") and corrigenda_seen < corrigenda


def _digest(parts: list[Any]) -> str:
    text = json.dumps(parts, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def receipt_hash(
    tender: str, bidder: str, technical_sha: str, financial_sha: str, received_at: datetime
) -> str:
    """The bidder's receipt: both covers' envelope hashes, bound to tender, bidder and time."""
    return _digest(
        ["oxychain/bid-receipt/v1", tender, bidder, technical_sha, financial_sha, _iso(received_at)]
    )


def closing_hash(tender: str, receipts: Iterable[str]) -> str:
    """One hash over every live bid's receipt, published at close (sorted: no order leaks)."""
    return _digest(["oxychain/bids-closed/v1", tender, sorted(receipts)])


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


# --- opening ----------------------------------------------------------------------------------


def opening_due(tender_status: str, opening_at: datetime, now: datetime) -> bool:
    """Shares are taken from the opening time on, unless the tender was cancelled."""
    return now >= opening_at and TenderStatus(tender_status) is not TenderStatus.CANCELLED


def check_opening_time(now: datetime, opening_at: datetime) -> None:
    if now < opening_at:
        raise Conflict(
            "Bids open at {at}; no share is taken before then.",
            code="opening_not_due",
            at=opening_at.strftime("%d-%m-%Y %H:%M UTC"),
        )


def openable(
    tender_status: str, cover: str, bid_status: str, responsive: bool | None
) -> str | None:
    """Why this cover takes no share now (a reason), or None when it does."""
    if not is_live(bid_status):
        return "withdrawn and substituted bids are never opened"
    status = TenderStatus(tender_status)
    if cover == TECHNICAL:
        if status in (TenderStatus.CLOSED, TenderStatus.TECHNICAL_OPENING):
            return None
        return "technical covers are opened only at the technical opening"
    if status is not TenderStatus.FINANCIAL_OPENING:
        return "financial covers are opened only after the technical evaluation"
    if responsive is not True:
        return "financial covers of non-responsive bids are never opened"
    return None


# --- covers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Declaration:
    complies: bool
    offered: str = ""
    remark: str = ""


#: How a bid offers the goods (MSE Order 2012: traders take no MSE preference).
MANUFACTURER, TRADER = "manufacturer", "trader"
OFFERED_AS = (MANUFACTURER, TRADER)


@dataclass(frozen=True)
class TechnicalCover:
    make: str
    model: str
    declarations: dict[str, Declaration]
    documents: list[dict[str, str]] = field(default_factory=list)
    offered_as: str = ""  # manufacturer | trader | "" (not declared: no MSE preference)
    # Make in India: local content (%) self-certified for the model offered; None: undeclared
    local_content_pct: Decimal | None = None

    @property
    def offered_by_manufacturer(self) -> bool:
        return self.offered_as == MANUFACTURER

    def local_class(self, thresholds: local_content.Thresholds) -> local_content.LocalClass:
        return local_content.classify(self.local_content_pct, thresholds)


@dataclass(frozen=True)
class FinancialCover:
    unit_price_paise: int
    gst_bp: int
    delivery_days: int
    remark: str = ""


def _object(text: str | bytes, kind: str, tender: str, bidder: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("The {kind} cover is not JSON.", kind=kind) from None
    if not isinstance(data, dict) or data.get("v") != 1 or data.get("kind") != kind:
        raise InvalidInput("The {kind} cover is not a version 1 {kind} cover.", kind=kind)
    if data.get("tender") != tender or data.get("bidder") != bidder:
        raise InvalidInput("The {kind} cover names another tender or bidder.", kind=kind)
    return data


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def parse_technical(text: str | bytes, tender: str, bidder: str) -> TechnicalCover:
    data = _object(text, TECHNICAL, tender, bidder)
    raw = data.get("declarations")
    if not isinstance(raw, dict):
        raise InvalidInput("The technical cover has no declarations.")
    declarations = {}
    for key, value in raw.items():
        if not isinstance(value, dict) or not isinstance(value.get("complies"), bool):
            raise InvalidInput("Declaration {key} must say complies true or false.", key=key)
        declarations[str(key)] = Declaration(
            value["complies"], _text(value.get("offered"), 80), _text(value.get("remark"), 500)
        )
    documents = [
        {"name": _text(d.get("name"), 120), "type": _text(d.get("type"), 80), "data": d["data"]}
        for d in data.get("documents") or []
        if isinstance(d, dict) and isinstance(d.get("data"), str)
    ]
    offered_as = data.get("offered_as")
    return TechnicalCover(
        _text(data.get("make"), 80),
        _text(data.get("model"), 80),
        declarations,
        documents,
        offered_as=offered_as if offered_as in OFFERED_AS else "",
        local_content_pct=local_content.parse_pct(data.get("local_content_pct")),
    )


def parse_financial(text: str | bytes, tender: str, bidder: str) -> FinancialCover:
    data = _object(text, FINANCIAL, tender, bidder)
    price, gst, days = (data.get(k) for k in ("unit_price_paise", "gst_bp", "delivery_days"))
    if not all(type(v) is int for v in (price, gst, days)):
        raise InvalidInput("The financial cover's price, GST and delivery must be whole numbers.")
    if price <= 0 or not 0 <= gst <= 2800 or days <= 0:
        raise InvalidInput("The financial cover's price, GST (0-28 %) or delivery is out of range.")
    return FinancialCover(price, gst, days, _text(data.get("remark"), 500))


def rupees_to_paise(text: str) -> int:
    """'41,999.50' → 4199950; refuses anything but a positive amount with at most 2 decimals."""
    cleaned = text.replace(",", "").replace("₹", "").strip()
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        raise InvalidInput("{value} is not an amount in rupees.", value=text) from None
    if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2:
        raise InvalidInput("{value} is not an amount in rupees.", value=text)
    return int(value * 100)


# --- evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    complies: bool
    reason: str


def check_finding(reason: str) -> str:
    """Every finding of the committee carries its reason (GFR 163: recorded evaluation)."""
    text = reason.strip()
    if not text:
        raise InvalidInput("Each finding needs its reason.")
    if len(text) > 500:
        raise InvalidInput("A reason has at most 500 characters.")
    return text


def checked_findings(findings: Mapping[int, tuple[bool, str]]) -> dict[int, tuple[bool, str]]:
    """criterion id -> (complies, reason), each reason checked."""
    if not findings:
        raise InvalidInput("No finding was given.")
    return {c: (bool(ok), check_finding(why)) for c, (ok, why) in findings.items()}


def check_evaluation_open(tender_status: str) -> None:
    if TenderStatus(tender_status) not in STEPS["record_findings"]:
        raise Conflict("Findings are recorded only during the technical evaluation.")


def check_evaluable(
    bid_id: int,
    of_tender: bool,
    bid_status: str,
    cover_status: str,
    criteria: Iterable[int],
    known: Iterable[int],
) -> None:
    """Findings are recorded on a live bid of the tender whose technical cover opened, and on
    the tender's own criteria."""
    if not of_tender or not is_live(bid_status):
        raise InvalidInput("Bid {bid} is not a live bid of this tender.", bid=bid_id)
    if CoverStatus(cover_status) is not CoverStatus.OPENED:
        raise Conflict("This bid's technical cover did not open; it cannot be evaluated.")
    if set(criteria) - set(known):
        raise InvalidInput("Unknown criterion for this tender.")


def conclude_technical(
    criteria: list[int],
    covers: Mapping[int, str],
    findings: Mapping[tuple[int, int], Finding],
) -> dict[int, bool]:
    """bid id → responsive. Every opened bid needs a finding on every criterion; a bid whose
    technical cover failed to open is not responsive."""
    result: dict[int, bool] = {}
    for bid_id, cover_status in covers.items():
        if CoverStatus(cover_status) is CoverStatus.FAILED:
            result[bid_id] = False
            continue
        if CoverStatus(cover_status) is not CoverStatus.OPENED:
            raise Conflict("Every technical cover must be opened before the evaluation ends.")
        missing = [c for c in criteria if (bid_id, c) not in findings]
        if missing:
            raise Conflict(
                "Bid {bid} has {count} criteria without a finding.", bid=bid_id, count=len(missing)
            )
        result[bid_id] = all(findings[(bid_id, c)].complies for c in criteria)
    return result


def evaluated_unit(unit_price_paise: int, gst_bp: int) -> int:
    """The price compared across bids: the unit price with its GST (landed, per unit)."""
    return unit_price_paise + share_of(unit_price_paise, gst_bp)
