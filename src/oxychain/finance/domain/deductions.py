"""What a bill holds back, each with its reason: liquidated damages, TDS under GST and under
income tax, and recoveries for defective devices not repaired or replaced in time.

* Liquidated damages are tendering's rule (``tendering.domain.purchase_order.
  liquidated_damages``: DOMAIN.md's common clause, rate and cap frozen in the tender),
  applied to the tranche line's deliveries recorded by the bill's date. A tranche line's
  damages are deducted once: a bill takes what its line has accrued less what earlier
  claiming bills already took.
* TDS (tax deducted at source) at dated rates and thresholds, settings marked unverified:
  under GST (CGST Act 2017 s. 51) on the taxable value when the contract's value exceeds the
  threshold; under income tax (Income-tax Act 1961 s. 194Q) on the part of the financial
  year's purchases from the supplier above the threshold.
* A recovery, at the tender's rate per day, for each day a device's warranty fault stayed
  unresolved past its service SLA (distribution's fault tickets), less what earlier bills
  recovered for the same ticket.

Every amount is rounded to the rupee (``domain.money``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from oxychain.core.i18n import N_
from oxychain.finance.domain.bill import Deduction
from oxychain.finance.domain.money import day, inr, part, pct, to_rupee
from oxychain.tendering.domain.purchase_order import Delivery, liquidated_damages


class DeductionKind(StrEnum):
    LIQUIDATED_DAMAGES = "liquidated_damages"
    TDS_GST = "tds_gst"
    TDS_INCOME_TAX = "tds_income_tax"
    RECOVERY = "recovery"


KIND_LABELS = {
    DeductionKind.LIQUIDATED_DAMAGES: N_("Liquidated damages"),
    DeductionKind.TDS_GST: N_("TDS under GST"),
    DeductionKind.TDS_INCOME_TAX: N_("TDS under income tax"),
    DeductionKind.RECOVERY: N_("Recovery"),
}

LD_REASON = N_(
    "Tranche {tranche} at {consignee}: {late} units delivered up to {weeks} weeks after the "
    "due date {due}; {rate} % of their value for each week or part of a week, at most {cap} %."
)
LD_REASON_LESS = N_(
    "Tranche {tranche} at {consignee}: {late} units delivered up to {weeks} weeks after the "
    "due date {due}; {rate} % of their value for each week or part of a week, at most {cap} %; "
    "{earlier} of it was deducted on earlier bills."
)
TDS_GST_REASON = N_(
    "{rate} % of the taxable value {taxable}: the contract's value {contract} is above "
    "{threshold} ({source})."
)
TDS_IT_REASON = N_(
    "{rate} % of {above}, the part of this financial year's purchases from the supplier above "
    "{threshold} ({source})."
)
RECOVERY_REASON = N_(
    "Device {serial} (fault ticket {ticket}) was not repaired or replaced within its warranty "
    "service time: {days} days late at {rate} a day."
)
RECOVERY_REASON_LESS = N_(
    "Device {serial} (fault ticket {ticket}) was not repaired or replaced within its warranty "
    "service time: {days} days late at {rate} a day; {earlier} of it was recovered on earlier "
    "bills."
)


# --- liquidated damages ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrancheDeliveries:
    """A tranche line as its liquidated damages need it, at the tender's frozen rate."""

    key: str  # the line across order versions: "<original order id>:<tranche>:<warehouse>"
    tranche: int
    consignee: str
    due: date
    unit_price_paise: int  # the order's price per unit with GST, as tendering charges LD on
    deliveries: tuple[tuple[int, date], ...]  # (quantity, delivered on), recorded by the bill
    rate_bp_per_week: int
    cap_bp: int


def liquidated(line: TrancheDeliveries, earlier_paise: int, earlier_bills: Sequence[str]):  # noqa: ANN201
    """The line's damages still to deduct (None when nothing is late or all is deducted)."""
    damages = liquidated_damages(
        quantity=sum(q for q, _ in line.deliveries),  # what is delivered: nothing pending
        unit_price_paise=line.unit_price_paise,
        due=line.due,
        deliveries=[Delivery(q, on) for q, on in line.deliveries],
        as_of=line.due,
        rate_bp_per_week=line.rate_bp_per_week,
        cap_bp=line.cap_bp,
    )
    total = to_rupee(damages.total_paise)
    amount = total - earlier_paise
    if amount <= 0:
        return None
    params = {
        "tranche": str(line.tranche),
        "consignee": line.consignee,
        "late": str(sum(d.quantity for d in damages.lines)),
        "weeks": str(max(d.weeks_late for d in damages.lines)),
        "due": day(line.due),
        "rate": pct(line.rate_bp_per_week),
        "cap": pct(line.cap_bp),
    }
    if earlier_paise:
        params["earlier"] = inr(earlier_paise)
    basis = {
        "key": line.key,
        "deliveries": [[q, on.isoformat()] for q, on in line.deliveries],
        "total_paise": total,
        "earlier_paise": earlier_paise,
        "earlier_bills": list(earlier_bills),
    }
    reason = LD_REASON_LESS if earlier_paise else LD_REASON
    return Deduction(DeductionKind.LIQUIDATED_DAMAGES, amount, reason, params, basis)


# --- statutory deductions -------------------------------------------------------------------


@dataclass(frozen=True)
class DatedRate:
    """A statutory rate and threshold in force from ``start`` until the next one starts."""

    start: date
    rate_bp: int
    threshold_paise: int
    source: str


def in_force(rates: Sequence[DatedRate], on: date) -> DatedRate | None:
    started = [r for r in rates if r.start <= on]
    return max(started, key=lambda r: r.start) if started else None


def financial_year(on: date) -> tuple[date, date]:
    """India's financial year (April to March) that holds the day."""
    start = date(on.year if on.month >= 4 else on.year - 1, 4, 1)
    return start, date(start.year + 1, 3, 31)


def tds_gst(taxable_paise: int, contract_paise: int, rate: DatedRate | None) -> Deduction | None:
    """TDS under GST: on the taxable value, when the contract's value is above the threshold."""
    if rate is None or not rate.rate_bp or contract_paise <= rate.threshold_paise:
        return None
    params = {
        "rate": pct(rate.rate_bp),
        "taxable": inr(taxable_paise),
        "contract": inr(contract_paise),
        "threshold": inr(rate.threshold_paise),
        "source": rate.source,
    }
    basis = {
        "start": rate.start.isoformat(),
        "rate_bp": rate.rate_bp,
        "threshold_paise": rate.threshold_paise,
        "taxable_paise": taxable_paise,
        "contract_paise": contract_paise,
    }
    amount = to_rupee(part(taxable_paise, rate.rate_bp))
    return Deduction(DeductionKind.TDS_GST, amount, TDS_GST_REASON, params, basis)


def tds_income_tax(
    taxable_paise: int, year_before_paise: int, rate: DatedRate | None, earlier_bills: list[str]
) -> Deduction | None:
    """TDS under income tax: on what takes the year's purchases from the supplier (the
    taxable value of earlier claiming bills, ``year_before_paise``) above the threshold."""
    if rate is None or not rate.rate_bp:
        return None
    above = year_before_paise + taxable_paise - max(rate.threshold_paise, year_before_paise)
    if above <= 0:
        return None
    params = {
        "rate": pct(rate.rate_bp),
        "above": inr(above),
        "threshold": inr(rate.threshold_paise),
        "source": rate.source,
    }
    basis = {
        "start": rate.start.isoformat(),
        "rate_bp": rate.rate_bp,
        "threshold_paise": rate.threshold_paise,
        "taxable_paise": taxable_paise,
        "year_before_paise": year_before_paise,
        "earlier_bills": earlier_bills,
    }
    amount = to_rupee(part(above, rate.rate_bp))
    return Deduction(DeductionKind.TDS_INCOME_TAX, amount, TDS_IT_REASON, params, basis)


# --- recoveries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    """A warranty fault ticket of one of the order's devices."""

    ticket: str
    serial: str
    due_at: datetime  # its SLA
    resolved_at: datetime | None


def days_late(due_at: datetime, end: datetime) -> int:
    """Days past the SLA, a part of a day counting as a whole one; 0 when in time."""
    late = end - due_at
    return math.ceil(late / timedelta(days=1)) if late > timedelta(0) else 0


def recovery(
    breakdown: Breakdown,
    as_of: datetime,
    rate_paise_per_day: int,
    earlier_paise: int,
    earlier_bills: Sequence[str],
) -> Deduction | None:
    """What the ticket's delay past its SLA costs the supplier by ``as_of``, less what earlier
    bills recovered for it."""
    end = (
        breakdown.resolved_at if breakdown.resolved_at and breakdown.resolved_at < as_of else as_of
    )
    days = days_late(breakdown.due_at, end)
    amount = days * rate_paise_per_day - earlier_paise
    if amount <= 0:
        return None
    params = {
        "serial": breakdown.serial,
        "ticket": breakdown.ticket,
        "days": str(days),
        "rate": inr(rate_paise_per_day),
    }
    if earlier_paise:
        params["earlier"] = inr(earlier_paise)
    basis = {
        "ticket": breakdown.ticket,
        "due_at": breakdown.due_at.isoformat(),
        "end": end.isoformat(),
        "days": days,
        "rate_paise_per_day": rate_paise_per_day,
        "earlier_paise": earlier_paise,
        "earlier_bills": list(earlier_bills),
    }
    reason = RECOVERY_REASON_LESS if earlier_paise else RECOVERY_REASON
    return Deduction(DeductionKind.RECOVERY, amount, reason, params, basis)
