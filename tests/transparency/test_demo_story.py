"""The demo is one story, consistent to the day, on SQLite and PostgreSQL: walked record by
record, no event comes before its cause (tender deadline → award → purchase order → lot
offered → lot judged → truck → receipt → installation, loan or ticket → bill → payment),
every delivery on an order is serials that arrived on a challan, every received unit has
its serial, lot, challan and place, and the second tender's bids wait sealed for their
opening committee."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from oxychain.app import Settings, bootstrap
from oxychain.core import clock


def _utc(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@pytest.fixture
def rows(demo):  # noqa: ANN001, ANN201
    url, _logins = demo
    oxy = bootstrap(Settings(database_url=url, environment="test"))

    def query(sql: str) -> list:
        with oxy.engine.connect() as conn:
            return list(conn.execute(text(sql)))

    yield query
    oxy.close()


def test_no_event_comes_before_its_cause(rows) -> None:  # noqa: ANN001
    now = clock.now()
    wrong: list[str] = []

    def after(what: str, late, early) -> None:  # noqa: ANN001
        late, early = _utc(late), _utc(early)
        if late is not None and early is not None and late < early:
            wrong.append(f"{what}: {late.isoformat()} before {early.isoformat()}")
        if late is not None and late > now:
            wrong.append(f"{what}: {late.isoformat()} is in the future")

    deadline = {t: d for t, d in rows("select id, deadline from tenders")}
    awarded = {}
    for award, tender, at in rows("select id, tender_id, awarded_at from awards"):
        after(f"award {award}", at, deadline[tender])
        awarded[tender] = max(awarded.get(tender, _utc(at)), _utc(at))
    issued = {}
    for po, tender, at in rows("select id, tender_id, issued_at from purchase_orders"):
        after(f"purchase order {po}", at, awarded.get(tender))
        issued[po] = at
    judged = {}
    for lot, po, offered, decided in rows(
        "select l.id, l.purchase_order_id, l.offered_at, v.decided_at from lots l "
        "left join verdicts v on v.lot_id = l.id"
    ):
        after(f"lot {lot} offered", offered, issued[po])
        after(f"lot {lot} judged", decided, offered)
        judged[lot] = decided
    first_event = {}
    for device, lot, serial, at in rows(
        "select d.id, d.lot_id, d.serial, min(e.at) from devices d "
        "join device_events e on e.device_id = d.id group by d.id, d.lot_id, d.serial"
    ):
        after(f"device {serial}'s first move", at, judged.get(lot))
        assert judged.get(lot) is not None, f"{serial} moved from a lot never judged"
        first_event[device] = at
    for challan, dispatched, received in rows(
        "select id, dispatched_at, received_at from challans"
    ):
        after(f"challan {challan} received", received, dispatched)
    for serial, at, before in rows(
        "select d.serial, e.at, d.registered_at from device_events e "
        "join devices d on d.id = e.device_id"
    ):
        after(f"an event of {serial}", at, before)
    for tranche, on, po in rows(
        "select d.tranche_id, d.recorded_at, t.purchase_order_id from po_deliveries d "
        "join po_tranches t on t.id = d.tranche_id"
    ):
        after(f"delivery on tranche {tranche}", on, issued[po])
    for bill, created, submitted in rows(
        "select number, created_at, submitted_at from finance_bills"
    ):
        after(f"bill {bill} submitted", submitted, created)
    for bill, device, created in rows(
        "select b.number, bd.device_id, b.created_at from finance_bills b "
        "join finance_bill_devices bd on bd.bill_id = b.id"
    ):
        after(f"bill {bill} for device {device}", created, first_event.get(device))
    for reference, recorded, created in rows(
        "select p.reference, p.recorded_at, b.created_at from finance_payments p "
        "join finance_bills b on b.id = p.bill_id"
    ):
        after(f"payment {reference}", recorded, created)
    assert wrong == []


def test_every_delivery_is_serials_that_arrived(rows) -> None:  # noqa: ANN001
    delivered = defaultdict(int)
    for tranche, quantity, reference in rows(
        "select tranche_id, quantity, reference from po_deliveries"
    ):
        arrived = rows(
            "select count(*) from challan_lines l join challans c on c.id = l.challan_id "
            f"where c.number = '{reference}' and l.received_at is not null"
        )[0][0]
        assert quantity == arrived, f"{reference}: {quantity} delivered, {arrived} arrived"
        delivered[tranche] += quantity
    for tranche, quantity in rows(
        "select id, delivered_quantity from po_tranches where delivered_quantity > 0"
    ):
        assert delivered[tranche] == quantity, f"tranche {tranche}"
    assert sum(delivered.values()) > 0  # trucks arrived in the story


def test_every_received_unit_has_serial_lot_challan_and_place(rows) -> None:  # noqa: ANN001
    received = rows(
        "select d.serial, d.lot_id, l.challan_id, s.place_kind, s.warehouse_id, s.facility_id, "
        "s.district_id from challan_lines l join devices d on d.id = l.device_id "
        "join device_state s on s.device_id = d.id where l.received_at is not null"
    )
    assert received
    for serial, lot, challan, kind, warehouse, facility, district in received:
        assert serial and lot and challan, serial
        assert kind in ("warehouse", "facility", "home"), (serial, kind)
        assert district is not None and (warehouse or facility or kind == "home"), serial


def test_the_second_tender_waits_sealed_for_its_opening_committee(rows) -> None:  # noqa: ANN001
    ((tender_id, deadline, opening_at, status),) = rows(
        "select id, deadline, opening_at, status from tenders where reference = 'OXY-DEMO-OC-03'"
    )
    assert _utc(opening_at) < clock.now() and _utc(deadline) < _utc(opening_at)
    assert status == "published"  # nobody has started the opening
    covers = rows(
        "select c.status, count(r.id) from bid_covers c join bids b on b.id = c.bid_id "
        "left join share_releases r on r.bid_cover_id = c.id "
        f"where b.tender_id = {tender_id} group by c.id, c.status"
    )
    assert len(covers) == 6 and all(s == "sealed" and n == 0 for s, n in covers)
    (value,) = rows(
        "select sum(estimated_value_paise) from tenders where reference like 'OXY-DEMO-%'"
    )[0]
    assert value == 7_00_00_000 * 100  # two tenders, ₹7 crore in all
