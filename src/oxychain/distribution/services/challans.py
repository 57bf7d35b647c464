"""Delivery challans: dispatch from a purchase-order tranche or an allocation plan, and
receipt (domain/challans.py for the rules, services/receipts.py for proof of delivery)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from oxychain.core.access import Scope, can, require, scope_of
from oxychain.core.errors import Forbidden, InvalidInput, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import challan as challans
from oxychain.distribution.domain.device import Links
from oxychain.distribution.domain.lifecycle import EventKind, PlaceKind
from oxychain.distribution.repositories.dispatch import ChallanFilter
from oxychain.distribution.services import receipts, scanning
from oxychain.distribution.services.moves import Moves
from oxychain.distribution.services.places import Places, narrowing
from oxychain.distribution.tables import Challan


@dataclass(frozen=True)
class Load:
    """What goes on the truck: these serials, or the first ``count`` available."""

    serials: tuple[str, ...] = ()
    count: int = 0
    vehicle: str = ""
    driver: str = ""
    key: uuid.UUID | None = None  # the client's idempotency key


@dataclass(frozen=True)
class TrancheChallan:
    tranche_id: int
    load: Load


@dataclass(frozen=True)
class AllocationChallan:
    plan_ref: str
    from_warehouse: str  # warehouse code
    to_kind: str  # warehouse | facility
    to_code: str
    load: Load


class AllocationPlans(Protocol):
    """The port a challan from an allocation plan goes through: planning, above
    distribution, fills it (``uow.allocation_plans``, planning's ``AREA.repositories``)."""

    def check_dispatchable(self, reference: str) -> None:
        """InvalidInput for no such plan, Conflict for a plan not approved."""


def _check_plan(uow: UnitOfWork, reference: str) -> None:
    """A challan carries out an approved allocation plan, never a made-up reference."""
    plans: AllocationPlans | None = getattr(uow, "allocation_plans", None)
    if plans is None:  # no planning installed: no plan is approved
        raise InvalidInput("No allocation plan {ref}.", ref=reference, field="plan_ref")
    plans.check_dispatchable(reference)


def origin_scope(challan: Challan) -> ObjectScope:
    return ObjectScope(
        district_id=challan.from_district_id,
        warehouse_id=challan.from_warehouse_id,
        supplier_id=challan.supplier_id,
    )


def can_read(principal, challan: Challan) -> bool:  # noqa: ANN001
    return can(principal, "challan.read", origin_scope(challan)) or can(
        principal, "challan.read", receipts.destination_scope(challan)
    )


def dispatch_from_tranche(uow: UnitOfWork, cmd: TrancheChallan, now: datetime) -> Challan:
    """A supplier's truck to the tranche's consignee warehouse, with accepted devices only."""
    require(uow.principal, "challan.write")
    truck = challans.check_truck(cmd.load.vehicle, cmd.load.driver)
    with uow:
        if cmd.load.key and (done := uow.dispatch.challan_by_key(cmd.load.key)):
            return done
        tranche = uow.contracts.current_tranche(cmd.tranche_id)
        po = uow.contracts.purchase_order(tranche.purchase_order_id)
        require(uow.principal, "challan.write", ObjectScope(supplier_id=po.supplier_id))
        po_ids = [v.id for v in uow.contracts.versions(po)]
        awaited = tranche.quantity - tranche.delivered_quantity
        serials = _serials(
            cmd.load, lambda n: uow.dispatch.dispatchable_serials(po_ids, n), awaited
        )
        challans.check_tranche_load(awaited, serials)
        to = Places.warehouse(uow.masterdata.warehouse_by_id(tranche.consignee_warehouse_id))
        new = challans.from_tranche(
            truck, to, tranche.id, po.supplier_id, now, uow.principal.username, cmd.load.key
        )
        challan = _load(uow, new, serials, now, po_ids)
        uow.commit()
        return challan


def dispatch_from_allocation(uow: UnitOfWork, cmd: AllocationChallan, now: datetime) -> Challan:
    """A warehouse's truck, from an approved allocation plan, to a warehouse or facility."""
    require(uow.principal, "challan.write")
    truck = challans.check_truck(cmd.load.vehicle, cmd.load.driver)
    plan_ref = challans.plan_reference(cmd.plan_ref)
    with uow:
        if cmd.load.key and (done := uow.dispatch.challan_by_key(cmd.load.key)):
            return done
        _check_plan(uow, plan_ref)
        places = Places(uow)
        origin = places.by_code(PlaceKind.WAREHOUSE, cmd.from_warehouse)
        require(uow.principal, "challan.write", origin.scope())
        to = places.by_code(cmd.to_kind, cmd.to_code)
        new = challans.from_allocation(
            truck, plan_ref, origin, to, now, uow.principal.username, cmd.load.key
        )
        serials = _serials(cmd.load, lambda n: uow.dispatch.stock_serials(origin.id, n))
        challan = _load(uow, new, serials, now)
        uow.commit()
        return challan


def _serials(load: Load, pick, limit: int | None = None) -> list[str]:  # noqa: ANN001
    """The serials typed, or the first ``count`` ready to load (``pick``)."""
    serials = challans.clean_serials(load.serials)
    if not serials:
        serials = pick(challans.count_to_pick(load.count, limit))
        challans.check_picked(serials, load.count)
    challans.check_load(serials)
    return serials


def _load(
    uow: UnitOfWork,
    new: challans.NewChallan,
    serials: list[str],
    now: datetime,
    po_ids: list[int] | None = None,
) -> Challan:
    """The challan, with each serial dispatched onto it from where the truck loads."""
    challan = uow.dispatch.add_challan(new)
    located = uow.ledger.locate(serials, lock=False)
    unknown = [s for s in serials if s not in located]
    if unknown:
        raise NotFound("No device with serial {serial}.", serial=unknown[0])
    uow.ledger.ensure_states([located[s].device_id for s in serials], now)
    located = uow.ledger.locate(serials)
    moves = Moves(uow, now)
    for serial in serials:
        device = located[serial]
        new.check_loading(serial, device.position.place)
        if po_ids is not None and device.purchase_order_id not in po_ids:
            raise InvalidInput("Device {serial} is not on this purchase order.", serial=serial)
        moves.apply(device, EventKind.DISPATCH, now, new.to, links=Links(challan_id=challan.id))
    uow.dispatch.add_lines(challan.id, [located[s].device_id for s in serials])
    moves.flush()
    uow.record(
        "challan.dispatch",
        "challan",
        challan.number,
        None,
        {
            "source": challan.source,
            "tranche_id": challan.tranche_id,
            "plan_ref": challan.plan_ref,
            "vehicle": challan.vehicle,
            "serials": len(serials),
            "first": serials[:20],
        },
    )
    return challan


def close_receipt(
    uow: UnitOfWork, number: str, now: datetime, missing_confirmed: bool = False
) -> challans.Reconciliation:
    """The consignee confirms the receipt: unscanned serials are recorded missing, once the
    consignee has confirmed them (Conflict otherwise)."""
    require(uow.principal, "challan.receive")
    with uow:
        challan = uow.dispatch.challan(number, lock=True)
        if challan is None:
            raise NotFound("No challan {number}.", number=number[:40])
        require(uow.principal, "challan.receive", receipts.destination_scope(challan))
        result = receipts.close(uow, challan, now, missing_confirmed)
        uow.commit()
        return result


@dataclass(frozen=True)
class ChallanView:
    challan: Challan
    lines: list[tuple[str, datetime | None]]
    discrepancies: list
    order: tuple[int, str, int] | None = None  # (purchase order id, number, tranche number)
    destination: tuple[str, str] = ("", "")  # (name, page)

    @property
    def received(self) -> int:
        return sum(1 for _serial, at in self.lines if at is not None)

    @property
    def actions(self) -> frozenset[str]:
        """What may be done next with the challan (domain/challan.py CHALLAN)."""
        return challans.CHALLAN.allowed_actions(self.challan.status)


def get_challan(uow: UnitOfWork, number: str) -> ChallanView:
    require(uow.principal, "challan.read")
    with uow:
        challan = uow.dispatch.challan(number)
        if challan is None:
            raise NotFound("No challan {number}.", number=number[:40])
        if not can_read(uow.principal, challan):
            raise Forbidden("You are not allowed to do this.", permission="challan.read")
        orders = uow.dispatch.tranche_orders([challan.tranche_id] if challan.tranche_id else [])
        return ChallanView(
            challan,
            uow.dispatch.lines(challan.id),
            list(uow.dispatch.discrepancies(challan.id)),
            orders.get(challan.tranche_id),
            _destination(uow, challan),
        )


def _destination(uow: UnitOfWork, challan: Challan) -> tuple[str, str]:
    if challan.to_facility_id:
        row = uow.masterdata.facility_by_id(challan.to_facility_id)
        return row.name, f"/facilities/{row.code}"
    row = uow.masterdata.warehouse_by_id(challan.to_warehouse_id)
    return row.name, f"/stock/warehouses/{row.code}"


def challan_filter(principal, status: str | None = None) -> ChallanFilter:  # noqa: ANN001
    """The challans a person's scope reaches."""
    return ChallanFilter(status=status or None, **narrowing(principal, "challan.read"))


@dataclass(frozen=True)
class ChallanList:
    rows: list[Challan]
    orders: dict[int, tuple[int, str, int]]  # tranche id → (order id, number, tranche number)


def list_challans(
    uow: UnitOfWork, status: str | None = None, purchase_order_id: int | None = None
) -> ChallanList:
    """The challans in the person's scope, newest first, of one status or order when asked."""
    require(uow.principal, "challan.read")
    flt = replace(challan_filter(uow.principal, status), purchase_order_id=purchase_order_id)
    with uow:
        rows = list(uow.dispatch.challans(flt))
        orders = uow.dispatch.tranche_orders([c.tranche_id for c in rows if c.tranche_id])
    return ChallanList(rows, orders)


def dispatch(uow: UnitOfWork, cmd: TrancheChallan | AllocationChallan, now: datetime) -> Challan:
    """A truck on its way, against a purchase-order tranche or an allocation plan."""
    if isinstance(cmd, TrancheChallan):
        return dispatch_from_tranche(uow, cmd, now)
    return dispatch_from_allocation(uow, cmd, now)


@dataclass(frozen=True)
class DispatchForms:
    """What the dispatch page offers: open tranches, and warehouses to load from and go to."""

    tranches: list  # (purchase order, tranche, consignee warehouse, awaited, ready)
    origins: list
    warehouses: list


def dispatch_forms(uow: UnitOfWork) -> DispatchForms:
    p = uow.principal
    scope = scope_of(p, "challan.write")
    if scope is None:
        return DispatchForms([], [], [])
    with uow:
        tranches = []
        if scope in (Scope.ALL, Scope.OWN_SUPPLIER):
            supplier = p.supplier_id if scope is Scope.OWN_SUPPLIER else None
            for po, tranche in uow.inspection.open_tranches(supplier):
                awaited = tranche.quantity - tranche.delivered_quantity
                if awaited > 0:
                    versions = [v.id for v in uow.contracts.versions(po)]
                    ready = len(uow.dispatch.dispatchable_serials(versions, awaited))
                    store = uow.masterdata.warehouse_by_id(tranche.consignee_warehouse_id)
                    tranches.append((po, tranche, store, awaited, ready))
        warehouses = list(uow.masterdata.warehouses())
        origins = [
            w
            for w in warehouses
            if scope is Scope.ALL or (scope is Scope.OWN_WAREHOUSE and w.id == p.warehouse_id)
        ]
        return DispatchForms(tranches, origins, warehouses)


def receive_typed(uow: UnitOfWork, number: str, text: str, now: datetime) -> list:
    """Serials typed or scanned into a challan's receipt form, received against it."""
    require(uow.principal, "challan.receive")
    with uow:
        challan = uow.dispatch.challan(number.strip())
        if challan is None:
            raise NotFound("No challan {number}.", number=number[:40])
        require(uow.principal, "challan.receive", receipts.destination_scope(challan))
    serials = challans.split_serials(text)
    if not 1 <= len(serials) <= scanning.MAX_BATCH:
        raise InvalidInput("Type or scan between 1 and {n} serials.", n=scanning.MAX_BATCH)
    receive = EventKind.RECEIVE.value
    batch = [
        scanning.ScanIn(uuid.uuid4(), s, receive, now, challan=challan.number) for s in serials
    ]
    return scanning.record_scans(uow, batch, now)
