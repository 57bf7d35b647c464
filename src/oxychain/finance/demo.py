"""The demo's bills, payments and securities, derived from whatever the other areas' demos
left (the story is theirs): the devices that reached a payment milestone are billed through
the same services a person uses, so that bills stand in every state.

Bills are made in this order: paid, partly paid, passed, submitted, rejected (with a
reason), draft; each takes a third (at least one) of the largest group of devices not yet
billed (one order, one milestone) of the supplier with the fewest bills so far (the
suppliers take turns). The first bill on a tranche line that was delivered late
carries its liquidated damages. The supplier enters and submits each bill (the demo
supplier's login for its own, a loader identity for the others); the demo finance officer
checks and pays. In the securities register, every EMD refund due but one is recorded as
paid back, and every performance security but one is verified with the bank (the one left
shows as an alert). Loading twice changes nothing: the first bill marks the load.

On the demo's calendar, bills are entered from 16-01-2022 (after every device they bill
reached its milestone), checked a few hours later and paid the next day; the register is
brought up to date on 19-01-2022, the eve of the demo's today.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Principal, Role
from oxychain.finance.domain.bill import BillStatus
from oxychain.finance.domain.money import RUPEE, to_rupee
from oxychain.finance.domain.securities import DepositState
from oxychain.finance.services import bills, securities, views
from oxychain.finance.services.terms import terms_view
from oxychain.masterdata.demo import on

BILLED = date(2022, 1, 16)  # the first bill is entered (every milestone billed is behind it)
REGISTER = date(2022, 1, 19)  # refunds and bank verifications recorded

STATES = (
    BillStatus.PAID,
    BillStatus.PARTLY_PAID,
    BillStatus.PASSED,
    BillStatus.SUBMITTED,
    BillStatus.REJECTED,
    BillStatus.DRAFT,
)
REJECTION = "बीजक पर हस्ताक्षर नहीं हैं / The invoice copy is not signed (synthetic)"
BANK = "State Bank of India, Lucknow main branch (synthetic)"


def _login(app: Oxychain, username: str) -> Principal | None:
    with app.uow(SYSTEM) as uow:
        user = uow.people.user_by_username(username)
    if user is None:
        return None
    return Principal(
        user.id, user.username, Role(user.role), user.language, supplier_id=user.supplier_id
    )


def _supplier(app: Oxychain, supplier_id: int) -> Principal:
    """The demo supplier's login for its own bills; a loader identity for the others."""
    own = _login(app, "demo.supplier")
    if own is not None and own.supplier_id == supplier_id:
        return own
    return Principal(
        0, f"demo-loader:supplier-{supplier_id}", Role.SUPPLIER, "en", supplier_id=supplier_id
    )


def load(app: Oxychain) -> None:
    with app.uow(SYSTEM) as uow:
        if uow.finance.bills(limit=1):
            return
    officer = _login(app, "demo.finance-officer")
    if officer is None:
        return
    with clock.at(on(BILLED, 9)):
        groups = _groups(app)
    billed: dict[int, int] = {}  # bills per supplier: each supplier in turn
    for n, state in enumerate(STATES, start=1):
        if not any(serials for *_, serials in groups):
            break
        po_id, supplier_id, milestone, serials = min(
            (g for g in groups if g[3]), key=lambda g: (billed.get(g[1], 0), -len(g[3]))
        )
        billed[supplier_id] = billed.get(supplier_id, 0) + 1
        take = serials[: max(1, math.ceil(len(serials) / 3))]
        entered = on(BILLED + timedelta(days=(n - 1) // 3), 10 + n)
        _bill(app, officer, _supplier(app, supplier_id), po_id, milestone, take, state, n, entered)
        if state is not BillStatus.REJECTED:  # a rejected bill lets its devices go
            del serials[: len(take)]
    with clock.at(on(REGISTER, 11)):
        _securities(app, officer)


def _groups(app: Oxychain) -> list[tuple[int, int, str, list[str]]]:
    """(order id, supplier id, milestone, serials not yet billed) for every order."""
    out = []
    with app.uow(SYSTEM) as uow:
        orders = [o for o in uow.contracts.purchase_orders() if o.previous_id is None]
        tenders = {o.id: uow.tenders.tender_by_id(o.tender_id).reference for o in orders}
    for po in sorted(orders, key=lambda o: o.number):
        view = terms_view(app.uow(SYSTEM), tenders[po.id], app.settings)
        for milestone in view.terms.milestones:
            found = views.billable(app.uow(SYSTEM), app.settings, po.id, milestone.event.value)
            serials = [d.serial for d in found.devices]
            if serials:
                out.append((po.id, po.supplier_id, milestone.event.value, serials))
    return out


def _bill(
    app: Oxychain,
    officer: Principal,
    supplier: Principal,
    po_id: int,
    milestone: str,
    serials: list[str],
    state: BillStatus,
    n: int,
    entered: datetime,
) -> None:  # noqa: PLR0913
    cmd = bills.DraftBill(
        po_id, milestone, serials, f"INV/DEMO/{n:03d}", state is not BillStatus.DRAFT
    )
    with clock.at(entered):
        bill = bills.create_bill(app.uow(supplier, write=True), app.settings, cmd)
    if state in (BillStatus.DRAFT, BillStatus.SUBMITTED):
        return
    with clock.at(entered + timedelta(hours=4)):  # the finance officer checks it
        if state is BillStatus.REJECTED:
            bills.reject_bill(app.uow(officer, write=True), bill.number, REJECTION)
            return
        bill = bills.pass_bill(app.uow(officer, write=True), bill.number)
    if state is BillStatus.PASSED:
        return
    amount = bill.net_paise if state is BillStatus.PAID else to_rupee(bill.net_paise // 2)
    if amount <= 0 or amount >= bill.net_paise and state is BillStatus.PARTLY_PAID:
        amount = max(RUPEE, bill.net_paise - RUPEE)
    with clock.at(entered + timedelta(days=1)):  # paid the next day
        cmd = bills.RecordPayment(clock.today(), f"DEMOUTR{bill.id:09d}", amount)
        bills.record_payment(app.uow(officer, write=True), bill.number, cmd)


def _securities(app: Oxychain, officer: Principal) -> None:
    found = securities.register(app.uow(officer))
    due = [d for d in found.deposits if d.state is DepositState.REFUND_DUE]
    for d in due[:-1]:
        cmd = securities.RecordRefund(clock.today(), f"EMDUTR{d.bid.id:09d}")
        securities.record_refund(app.uow(officer, write=True), d.bid.id, cmd)
    pending = [g for g in found.guarantees if "verify" in g.actions]
    for g in pending[:-1]:
        cmd = securities.VerifyGuarantee(
            BANK, g.award.performance_security_paise, g.award.ps_valid_until
        )
        securities.verify_guarantee(app.uow(officer, write=True), g.order.id, cmd)
