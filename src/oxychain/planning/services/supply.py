"""Stock and supplies on the way, as a scenario counts them (planning/pipeline.py rules).

Reads distribution's device state and challans, inspection's lots and tendering's
tranches; writes nothing. Trucks bound for a facility are counted as its pipeline (in
service when they arrive); trucks bound for a warehouse, accepted devices at a
supplier's works, lots under inspection or to be re-offered and the rest of each open
tranche become the warehouse's arrivals.
"""

from __future__ import annotations

from datetime import timedelta

from oxychain.core import clock
from oxychain.core.uow import UnitOfWork
from oxychain.planning.domain import network
from oxychain.planning.domain.network import Places
from oxychain.planning.domain.pipeline import (
    Holdings,
    Incoming,
    Supply,
    lot_supply,
    tranche_supplies,
)
from oxychain.planning.repository import TrancheLine, Truck


def holdings(
    uow: UnitOfWork, places: Places, transport: network.Transport, supplier_days: int
) -> Holdings:
    """Read inside an open unit of work."""
    code = {w.id: w.code for w in places.warehouses.values()}
    facility = {f.id: f.code for f in places.facilities.values()}
    district = {d.id: d.name for d in places.districts.values()}
    found = Holdings(
        stock={code[w]: n for w, n in uow.planning.warehouse_stock().items() if w in code},
        installed={
            facility[f]: n for f, n in uow.planning.installed_by_facility().items() if f in facility
        },
        on_loan={
            district[d]: n for d, n in uow.planning.on_loan_by_district().items() if d in district
        },
        transit_to_facility={},
    )
    trucks = uow.planning.trucks()
    for truck in trucks:
        if truck.to_facility_id is not None:
            key = facility.get(truck.to_facility_id)
            if key:
                found.transit_to_facility[key] = (
                    found.transit_to_facility.get(key, 0) + truck.devices
                )
        elif truck.to_warehouse_id in code:
            found.incoming.append(_on_the_road(truck, places, transport, supplier_days))
    for line in uow.planning.open_tranches():
        if line.consignee_warehouse_id in code:
            found.incoming += _tranche(uow, line, code[line.consignee_warehouse_id], trucks)
    return found


def _on_the_road(
    truck: Truck, places: Places, transport: network.Transport, supplier_days: int
) -> Incoming:
    days = supplier_days
    if truck.from_warehouse_id in places.warehouses:
        a = places.warehouse_point(truck.from_warehouse_id)
        b = places.warehouse_point(truck.to_warehouse_id)
        days = network.lead_days(network.haversine_km(*a, *b) * transport.road_factor, transport)
    expected = clock.in_india(truck.dispatched_at) + timedelta(days=days)
    to = places.warehouses[truck.to_warehouse_id].code
    return Incoming(to, Supply.TRANSIT, truck.devices, expected, truck.number)


def _tranche(
    uow: UnitOfWork, line: TrancheLine, warehouse: str, trucks: list[Truck]
) -> list[Incoming]:
    """A tranche's devices not yet delivered (domain/pipeline.py, `tranche_supplies`)."""
    on_the_road = sum(t.devices for t in trucks if t.tranche_id in line.line_ids)
    lots = []
    for lot, decided, replaced in uow.planning.lots(line.line_ids):
        kind = None if replaced else lot_supply(lot.status)
        if kind is Supply.OFFERED:
            lots.append((kind, lot.quantity, lot.ready_on, lot.number))
        elif kind is Supply.REJECTED:
            since = clock.in_india(decided) if decided else lot.ready_on
            lots.append((kind, lot.quantity, since, lot.number))
    ready = uow.planning.ready_at_supplier(line.line_ids)
    left = line.quantity - line.delivered - on_the_road
    return tranche_supplies(warehouse, line.label, left, line.due_date, ready, lots)
