"""The demo's money, on SQLite and PostgreSQL: bills in every state with liquidated damages
where deliveries were late, every bill replayed from its records to the paisa, and every
order's ledger balancing (delivered − deducted − paid = outstanding) from the stored rows."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import update

from oxychain.core.people import SYSTEM
from oxychain.finance.domain.bill import CLAIMING, Line
from oxychain.finance.services import ledger, replay
from oxychain.finance.services.orders import device_records, load_order
from oxychain.finance.services.terms import terms_of
from oxychain.finance.tables import Deduction
from tests.finance.support import bills_by_status, open_app, person


def test_the_demo_has_bills_in_every_state_with_late_deliveries_deducted(demo) -> None:  # noqa: ANN001
    url, logins = demo
    app = open_app(url)
    try:
        found = bills_by_status(app)
        for status in ("draft", "submitted", "passed", "paid", "partly_paid", "rejected"):
            assert found.get(status), f"no {status} bill in the demo"
        assert all(b.reject_reason for b in found["rejected"])
        paid = found["partly_paid"][0]
        assert 0 < paid.paid_paise < paid.net_paise
        assert all(b.paid_paise == b.net_paise for b in found["paid"])
        with app.uow(SYSTEM) as uow:
            kinds = Counter(
                d.kind for d in uow.finance.deductions([b.id for b in uow.finance.bills()])
            )
        assert kinds["liquidated_damages"] >= 1 and kinds["tds_gst"] >= 1
    finally:
        app.close()


def test_every_demo_bill_replays_from_its_records_to_the_paisa(demo) -> None:  # noqa: ANN001
    url, logins = demo
    app = open_app(url)
    try:
        auditor = person(app, logins["auditor"][0])
        runs = replay.replay_bills(app.uow(auditor), app.settings)
        assert len(runs) == sum(len(v) for v in bills_by_status(app).values()) >= 6
        assert [r.number for r in runs if not r.matches] == []
        # a stored amount changed behind the system's back no longer replays
        with app.uow(SYSTEM, write=True) as uow:
            uow.session.execute(
                update(Deduction)
                .where(Deduction.id == uow.finance.deductions([1])[0].id)
                .values(amount_paise=Deduction.amount_paise + 100)
            )
            uow.commit()
        again = {r.number: r for r in replay.replay_bills(app.uow(auditor), app.settings)}
        first = again.pop(runs[0].number)
        assert not first.matches and first.stored != first.replayed
        # the bills that read the changed one as an earlier bill say so
        assert all(r.problems for r in again.values() if not r.matches)
    finally:
        app.close()


def test_every_order_balances_to_the_paisa(demo) -> None:  # noqa: ANN001
    url, logins = demo
    app = open_app(url)
    try:
        officer = person(app, logins["finance_officer"][0])
        book = ledger.ledger(app.uow(officer), app.settings)
        claiming = {s.value for s in CLAIMING}
        with app.uow(SYSTEM) as uow:
            for o in book.orders:
                bills = [
                    b
                    for b in uow.finance.bills(purchase_order_id=o.order.id)
                    if b.status in claiming
                ]
                ids = [b.id for b in bills]
                gross = sum(
                    x.taxable_paise + x.gst_paise for b in bills for x in uow.finance.lines(b.id)
                )
                deducted = sum(d.amount_paise for d in uow.finance.deductions(ids))
                paid = sum(p.amount_paise for p in uow.finance.payments(ids))
                a = o.account
                assert (a.billed, a.deducted, a.paid) == (gross, deducted, paid), o.order.number
                assert a.delivered - a.deducted - a.paid == a.outstanding
                owed = sum(b.net_paise - b.paid_paise for b in bills)
                assert a.outstanding == owed + _unbilled(uow, o.order.id, app.settings)
                assert a.payable + a.awaiting_check == owed == sum(a.ageing.values())
        total = book.total
        assert total.paid > 0 and total.deducted > 0 and total.outstanding > 0
        assert total.outstanding == sum(o.account.outstanding for o in book.orders)
    finally:
        app.close()


def _unbilled(uow, po_id: int, settings) -> int:  # noqa: ANN001
    """Milestones reached that no claiming bill holds, valued as a bill would value them."""
    order = load_order(uow, po_id)
    terms, _ = terms_of(uow, order.tender, settings)
    held = {
        (d, m) for d, m, s in uow.finance.claims(order.root.id) if s in {c.value for c in CLAIMING}
    }
    value = 0
    for milestone in terms.milestones:
        per_line = Counter(
            r.tranche_id
            for r in device_records(uow, order).values()
            if r.reached(milestone.event) and (r.device_id, milestone.event.value) not in held
        )
        for tranche_id, n in per_line.items():
            t = order.tranches[tranche_id]
            line = Line(
                t.id,
                t.number,
                t.consignee_warehouse_id,
                n,
                order.unit_before_gst_paise,
                milestone.share_bp,
                order.gst_bp,
            )
            value += line.gross_paise
    return value
