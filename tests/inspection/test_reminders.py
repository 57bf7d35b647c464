"""Lots waiting too long are told to whoever takes the next step, once per step: an
offered lot to the officer, an assigned one to its inspector (in their languages)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from oxychain.core.people import SYSTEM
from oxychain.inspection.tables import Lot
from tests.channels import is_hindi, notices, reachable, tick
from tests.inspection.support import make_world

T0 = datetime(2026, 6, 1, 4, 30, tzinfo=UTC)


def _lot(app, world, status: str, **fields) -> int:  # noqa: ANN001, ANN003
    with app.uow(SYSTEM, write=True) as uow:
        po = uow.contracts.purchase_order(world.po_id)
        lot = Lot(
            number=f"LOT-{status}-{world.po_id}",
            purchase_order_id=world.po_id,
            tranche_id=world.tranche_id,
            supplier_id=world.supplier_id,
            item_id=po.item_id,
            quantity=50,
            place="Works, Noida (synthetic)",
            ready_on=date(2026, 5, 20),
            offered_at=T0 - timedelta(days=5),
            status=status,
            aql="2.5",
            inspection_level="II",
            **fields,
        )
        uow.session.add(lot)
        uow.commit()
        return lot.id


def test_lots_waiting_are_reminded_to_the_next_person_once(told_app, outside, monkeypatch) -> None:  # noqa: ANN001
    world = make_world(told_app, quantity=200)
    officer = reachable(told_app, world.officer.user_id, "hi")
    inspector = reachable(told_app, world.inspector.user_id, "en")
    _lot(told_app, world, "offered")
    _lot(
        told_app,
        world,
        "assigned",
        agency_id=world.agency_id,
        inspector_id=world.inspector.user_id,
        assigned_at=T0 - timedelta(days=1),  # not waiting long enough yet
    )
    tick(told_app, monkeypatch, T0)
    waiting = notices(told_app, "inspection.lot_waiting")
    assert [(u, lang) for u, lang, _ in waiting] == [(world.officer.user_id, "hi")]
    [mail] = outside.mails_to(officer[0])
    assert is_hindi(mail["Subject"]) and "LOT-offered" in mail["Subject"]
    assert len(outside.texts_to(officer[1])) == 1
    tick(told_app, monkeypatch, T0 + timedelta(days=3))  # the assigned lot now waits 4 days
    waiting = notices(told_app, "inspection.lot_waiting")
    assert len(waiting) == 2 and waiting[1][:2] == (world.inspector.user_id, "en")
    [mail] = outside.mails_to(inspector[0])
    assert not is_hindi(mail["Subject"]) and "waits for its sample" in mail["Subject"]
    tick(told_app, monkeypatch, T0 + timedelta(days=4))
    assert len(notices(told_app, "inspection.lot_waiting")) == 2
    assert len(outside.smtp.mails) == 2 and len(outside.sms.texts) == 2
