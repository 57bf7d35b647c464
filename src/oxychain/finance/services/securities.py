"""The securities register: bid securities per bid (refund paid back, forfeiture with its
reason) and performance securities per award (verified with the bank, checked, listed
before expiry, released). Rules in domain/securities.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from oxychain.core import clock
from oxychain.core.access import Scope, can, require
from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain.ticket import TicketStatus
from oxychain.finance.domain import securities as rules
from oxychain.finance.domain.bill import check_reference
from oxychain.finance.domain.securities import (
    BidSecurityForm,
    DepositState,
    GuaranteeCheck,
    Verified,
)
from oxychain.finance.services.orders import load_order
from oxychain.finance.tables import DepositRecord, Guarantee
from oxychain.masterdata.tables import Supplier
from oxychain.tendering.domain.contract import is_standing
from oxychain.tendering.domain.securities import performance_security_required_until
from oxychain.tendering.tables import Award, Bid, PurchaseOrder, Tender

# --- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepositRow:
    tender: Tender
    bid: Bid
    supplier: Supplier
    form: BidSecurityForm
    state: DepositState
    record: DepositRecord | None
    actions: frozenset[str]  # refund, forfeit


@dataclass(frozen=True)
class GuaranteeRow:
    order: PurchaseOrder  # the newest version
    award: Award
    supplier: Supplier
    required_until: date
    verified: Guarantee | None
    check: GuaranteeCheck
    actions: frozenset[str]  # verify, release


@dataclass(frozen=True)
class Register:
    deposits: list[DepositRow]
    guarantees: list[GuaranteeRow]
    as_of: date

    @property
    def alerts(self) -> list[GuaranteeRow]:
        return [g for g in self.guarantees if g.check.state in rules.ALERTS]


def register(uow: UnitOfWork, as_of: date | None = None) -> Register:
    """Every bid security and performance security the principal may see (a supplier: its
    own), as of a day."""
    granted = require(uow.principal, "security.read")
    own = uow.principal.supplier_id if granted is Scope.OWN_SUPPLIER else None
    today = as_of or clock.today()
    writes = rules_for_writer(uow)
    with uow:
        deposits = []
        for tender in uow.tenders.tenders():
            bids = [b for b in uow.tenders.bids(tender.id) if own is None or b.supplier_id == own]
            records = uow.finance.deposit_records([b.id for b in bids])
            suppliers = uow.tenders.suppliers(list({b.supplier_id for b in bids}))
            for bid in bids:
                deposits.append(_deposit(tender, bid, suppliers[bid.supplier_id], records, writes))
        orders = [o for o in uow.contracts.purchase_orders(supplier_id=own) if o.status == "issued"]
        guarantees = [_guarantee(uow, o, today, writes) for o in orders]
        return Register(deposits, guarantees, today)


def rules_for_writer(uow: UnitOfWork) -> bool:
    return can(uow.principal, "security.write")


def _deposit(tender, bid, supplier, records, writes: bool) -> DepositRow:  # noqa: ANN001
    form = rules.form_of(bid.emd_paise, bid.emd_status)
    record = records.get(bid.id)
    refunded = record is not None and record.kind == "refund"
    state = rules.deposit_state(form, bid.emd_status, refunded)
    actions = set()
    if writes and state is DepositState.REFUND_DUE:
        actions.add("refund")
    if writes and state in (DepositState.HELD, DepositState.DECLARED) and bid.emd_status == "held":
        actions.add("forfeit")
    return DepositRow(tender, bid, supplier, form, state, record, frozenset(actions))


def required_until(uow: UnitOfWork, po: PurchaseOrder, tender: Tender) -> date:
    """The validity tendering's one rule requires (GFR 2017 rule 171): the latest acceptance
    plus the warranty plus 60 days once every unit is accepted; until then the latest of the
    due dates, deliveries and acceptances so far, so late delivery or acceptance moves it."""
    tranches = uow.contracts.tranches(po.id)
    due = [t.due_date for t in tranches] or [clock.in_india(po.issued_at)]
    deliveries = uow.contracts.deliveries([t.id for t in tranches])
    delivered = [d.delivered_on for rows in deliveries.values() for d in rows]
    certificates = uow.finance.certificates_of_orders(_versions(uow, po))
    accepted = [c.issued_on for c in certificates]
    units = sum(len(uow.finance.certificate_devices(c.id)) for c in certificates)
    everything = units >= sum(t.quantity for t in tranches) > 0
    return performance_security_required_until(
        due, delivered, accepted, tender.warranty_months, all_accepted=everything
    )


def _versions(uow: UnitOfWork, po: PurchaseOrder) -> list[int]:
    return [v.id for v in uow.contracts.versions(po)]


def _guarantee(uow: UnitOfWork, po: PurchaseOrder, today: date, writes: bool) -> GuaranteeRow:
    award = uow.contracts.award(po.award_id)
    tender = uow.tenders.tender_by_id(po.tender_id)
    until = required_until(uow, po, tender)
    found = uow.finance.guarantees([award.id]).get((award.id, award.ps_reference or ""))
    verified = Verified(found.bank, found.amount_paise, found.valid_until) if found else None
    check = rules.check_guarantee(
        award.performance_security_paise,
        until,
        award.ps_received_on,
        award.ps_valid_until,
        verified,
        award.ps_released_on,
        today,
    )
    actions = set()
    if writes and award.ps_reference and not award.ps_released_on and is_standing(award.status):
        actions.add("verify")
        if today > rules.obligations_end(until):
            actions.add("release")
    supplier = uow.tenders.supplier(po.supplier_id)
    return GuaranteeRow(po, award, supplier, until, found, check, frozenset(actions))


# --- bid securities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordRefund:
    paid_on: date
    reference: str  # UTR of the refund


def record_refund(
    uow: UnitOfWork, bid_id: int, cmd: RecordRefund, now: datetime | None = None
) -> DepositRecord:
    """An EMD released by the award, paid back to the bidder."""
    require(uow.principal, "security.write")
    reference = check_reference(cmd.reference)
    now = now or clock.now()
    with uow:
        bid = uow.tenders.bid(bid_id)
        form = rules.form_of(bid.emd_paise, bid.emd_status)
        record = uow.finance.deposit_records([bid.id]).get(bid.id)
        rules.check_refund(form, bid.emd_status, record is not None and record.kind == "refund")
        if record is not None:
            raise Conflict("This bid security is already settled.")
        if cmd.paid_on > clock.in_india(now):
            raise InvalidInput("A refund cannot be dated in the future.")
        row = DepositRecord(
            bid_id=bid.id,
            kind="refund",
            on=cmd.paid_on,
            amount_paise=bid.emd_paise,
            reference=reference,
            recorded_by=uow.principal.username[:64],
            recorded_at=now,
        )
        uow.finance.add(row)
        after = {"refunded_paise": bid.emd_paise, "utr": reference, "on": cmd.paid_on.isoformat()}
        uow.record("emd.refund", "bid", bid.id, {"emd_status": bid.emd_status}, after)
        uow.commit()
        return row


def forfeit_deposit(
    uow: UnitOfWork, bid_id: int, reason: str, now: datetime | None = None
) -> DepositRecord:
    """A held bid security forfeited (EMD) or invoked (declaration), with its reason; the
    bid's status moves through tendering's own lifecycle."""
    require(uow.principal, "security.write")
    now = now or clock.now()
    with uow:
        bid = uow.tenders.bid(bid_id)
        before = bid.emd_status
        status, why = rules.forfeit(bid.emd_status, reason)
        bid.emd_status = status.value
        uow.tenders.add(bid)
        row = DepositRecord(
            bid_id=bid.id,
            kind="forfeit",
            on=clock.in_india(now),
            amount_paise=bid.emd_paise,
            reason=why,
            recorded_by=uow.principal.username[:64],
            recorded_at=now,
        )
        uow.finance.add(row)
        uow.record("emd.forfeit", "bid", bid.id, {"emd_status": before}, {"reason": why})
        uow.commit()
        return row


# --- performance securities ----------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyGuarantee:
    bank: str
    amount_paise: int
    valid_until: date


def verify_guarantee(
    uow: UnitOfWork, po_id: int, cmd: VerifyGuarantee, now: datetime | None = None
) -> Guarantee:
    """The bank confirmed the order's guarantee: its bank, amount and validity."""
    require(uow.principal, "security.write")
    now = now or clock.now()
    with uow:
        po = uow.contracts.purchase_order(po_id)
        award = uow.contracts.award(po.award_id)
        if not award.ps_reference or award.ps_received_on is None:
            raise Conflict("No performance security is recorded on this order.")
        if award.ps_released_on is not None:
            raise Conflict("This security is already released.")
        checked = rules.check_verification(
            cmd.bank, cmd.amount_paise, cmd.valid_until, award.ps_received_on
        )
        row = uow.finance.guarantees([award.id]).get((award.id, award.ps_reference))
        before = {"bank": row.bank, "amount_paise": row.amount_paise} if row else None
        row = row or Guarantee(award_id=award.id, number=award.ps_reference)
        row.bank, row.amount_paise, row.valid_until = (
            checked.bank,
            checked.amount_paise,
            checked.valid_until,
        )
        row.verified_by, row.verified_at = uow.principal.username[:64], now
        uow.finance.add(row)
        after = {
            "number": row.number,
            "bank": row.bank,
            "amount_paise": row.amount_paise,
            "valid_until": row.valid_until.isoformat(),
        }
        uow.record("guarantee.verify", "award", award.letter_number, before, after)
        uow.commit()
        return row


def release_guarantee(uow: UnitOfWork, po_id: int, now: datetime | None = None) -> Award:
    """Released once the warranty obligations have ended and no warranty fault is open."""
    require(uow.principal, "security.write")
    now = now or clock.now()
    today = clock.in_india(now)
    with uow:
        po = uow.contracts.purchase_order(po_id)
        row = _guarantee(uow, po, today, True)
        order = load_order(uow, po.id)
        devices = [d.id for d, _ in uow.finance.devices(order.version_ids)]
        open_faults = sum(
            1
            for t, _ in uow.finance.warranty_faults(devices)
            if t.status in (TicketStatus.OPEN, TicketStatus.UNDER_REPAIR)
        )
        rules.check_release(
            row.check, rules.obligations_end(row.required_until), open_faults, today
        )
        award = row.award
        award.ps_released_on = today
        uow.contracts.add(award)
        if row.verified is not None:
            row.verified.released_on, row.verified.released_by = today, uow.principal.username[:64]
            uow.finance.add(row.verified)
        after = {"released_on": today.isoformat(), "reference": award.ps_reference}
        uow.record("guarantee.release", "award", award.letter_number, None, after)
        uow.commit()
        return award


def order_scope(uow: UnitOfWork, po_id: int) -> ObjectScope:
    with uow:
        return ObjectScope(supplier_id=uow.contracts.purchase_order(po_id).supplier_id)
