"""Delivery challans: dispatch from a purchase-order tranche or an allocation plan, and
receipt (domain/challans.py for the rules, services/receipts.py for proof of delivery)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from oxychain.core.access import Scope, can, require, scope_of
from oxychain.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import challan as challans
from oxychain.distribution.domain.challan import ChallanSource, ChallanStatus
from oxychain.distribution.domain.lifecycle import EventKind, Place, PlaceKind
from oxychain.distribution.repositories.dispatch import ChallanFilter
from oxychain.distribution.services import receipts, scanning
from oxychain.distribution.services.moves import Links, Moves
from oxychain.distribution.services.places import Places
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
        if len(serials) > awaited:
            raise InvalidInput(
                "The tranche awaits {n} more devices; this challan carries {m}.",
                n=awaited,
                m=len(serials),
            )
        to = Places.warehouse(uow.inspection.warehouse(tranche.consignee_warehouse_id))
        challan = _challan(uow, truck, cmd.load.key, to, now, source=ChallanSource.TRANCHE)
        challan.tranche_id, challan.supplier_id = tranche.id, po.supplier_id
        _load(uow, challan, serials, to, now, PlaceKind.SUPPLIER, po_ids)
        uow.commit()
        return challan


def dispatch_from_allocation(uow: UnitOfWork, cmd: AllocationChallan, now: datetime) -> Challan:
    """A warehouse's truck, from an approved allocation plan, to a warehouse or facility."""
    require(uow.principal, "challan.write")
    truck = challans.check_truck(cmd.load.vehicle, cmd.load.driver)
    plan_ref = " ".join(cmd.plan_ref.split())
    if not 2 <= len(plan_ref) <= 60:
        raise InvalidInput("Name the allocation plan this challan carries out.", field="plan_ref")
    with uow:
        if cmd.load.key and (done := uow.dispatch.challan_by_key(cmd.load.key)):
            return done
        places = Places(uow)
        origin = places.by_code(PlaceKind.WAREHOUSE, cmd.from_warehouse)
        require(uow.principal, "challan.write", origin.scope())
        to = places.by_code(cmd.to_kind, cmd.to_code)
        if to == origin:
            raise InvalidInput("A challan goes from one place to another.")
        serials = _serials(
            cmd.load, lambda n: uow.dispatch.stock_serials(origin.id, ("received", "available"), n)
        )
        challan = _challan(uow, truck, cmd.load.key, to, now, source=ChallanSource.ALLOCATION)
        challan.plan_ref = plan_ref
        challan.from_warehouse_id, challan.from_district_id = origin.id, origin.district_id
        _load(uow, challan, serials, to, now, PlaceKind.WAREHOUSE, None, origin)
        uow.commit()
        return challan


def _serials(load: Load, pick, limit: int | None = None) -> list[str]:  # noqa: ANN001
    serials = challans.clean_serials(load.serials)
    if not serials:
        if not 1 <= load.count <= challans.MAX_SERIALS_PER_CHALLAN:
            raise InvalidInput("Give the serials, or how many devices to load.", field="count")
        serials = pick(load.count if limit is None else min(load.count, max(limit, 0)))
        if len(serials) < load.count:
            raise InvalidInput(
                "Only {n} devices are ready to load; {m} were asked for.",
                n=len(serials),
                m=load.count,
            )
    challans.check_load(serials)
    return serials


def _challan(uow: UnitOfWork, truck, key, to: Place, now: datetime, source) -> Challan:  # noqa: ANN001
    challan = Challan(
        number=f"DC-TMP-{uuid.uuid4().hex[:12]}",
        idempotency_key=key,
        source=source.value,
        to_warehouse_id=to.id if to.kind is PlaceKind.WAREHOUSE else None,
        to_facility_id=to.id if to.kind is PlaceKind.FACILITY else None,
        to_district_id=to.district_id,
        vehicle=truck.vehicle,
        driver=truck.driver,
        status=ChallanStatus.IN_TRANSIT.value,
        dispatched_at=now,
        dispatched_by=uow.principal.username,
    )
    uow.dispatch.add(challan)
    uow.dispatch.flush()
    challan.number = challans.challan_number(now.year, challan.id)
    return challan


def _load(uow, challan, serials, to, now, from_kind, po_ids, origin=None) -> None:  # noqa: ANN001
    """Dispatch each serial onto the challan: every device must be where the truck loads."""
    located = uow.ledger.locate(serials, lock=False)
    unknown = [s for s in serials if s not in located]
    if unknown:
        raise NotFound("No device with serial {serial}.", serial=unknown[0])
    uow.ledger.ensure_states([located[s].device_id for s in serials], now)
    located = uow.ledger.locate(serials)
    moves = Moves(uow, now)
    for serial in serials:
        device = located[serial]
        here = device.position.place
        if here.kind is not from_kind or (origin is not None and here != origin):
            raise Conflict("Device {serial} is not at the place this truck loads.", serial=serial)
        if po_ids is not None and device.purchase_order_id not in po_ids:
            raise InvalidInput("Device {serial} is not on this purchase order.", serial=serial)
        moves.apply(device, EventKind.DISPATCH, now, to, links=Links(challan_id=challan.id))
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


def close_receipt(uow: UnitOfWork, number: str, now: datetime) -> challans.Reconciliation:
    """The consignee confirms the receipt: unscanned serials are recorded missing."""
    require(uow.principal, "challan.receive")
    with uow:
        challan = uow.dispatch.challan(number, lock=True)
        if challan is None:
            raise NotFound("No challan {number}.", number=number[:40])
        require(uow.principal, "challan.receive", receipts.destination_scope(challan))
        result = receipts.close(uow, challan, now)
        uow.commit()
        return result


@dataclass(frozen=True)
class ChallanView:
    challan: Challan
    lines: list[tuple[str, datetime | None]]
    discrepancies: list

    @property
    def received(self) -> int:
        return sum(1 for _serial, at in self.lines if at is not None)


def get_challan(uow: UnitOfWork, number: str) -> ChallanView:
    require(uow.principal, "challan.read")
    with uow:
        challan = uow.dispatch.challan(number)
        if challan is None:
            raise NotFound("No challan {number}.", number=number[:40])
        if not can_read(uow.principal, challan):
            raise Forbidden("You are not allowed to do this.", permission="challan.read")
        return ChallanView(
            challan, uow.dispatch.lines(challan.id), list(uow.dispatch.discrepancies(challan.id))
        )


def challan_filter(principal, status: str | None = None) -> ChallanFilter:  # noqa: ANN001
    """The challans a person's scope reaches."""
    scope = scope_of(principal, "challan.read")
    narrow = {
        Scope.OWN_DISTRICT: {"district_id": principal.district_id or -1},
        Scope.OWN_WAREHOUSE: {"warehouse_id": principal.warehouse_id or -1},
        Scope.OWN_FACILITY: {"facility_id": principal.facility_id or -1},
        Scope.OWN_SUPPLIER: {"supplier_id": principal.supplier_id or -1},
    }.get(scope, {})
    return ChallanFilter(status=status or None, **narrow)


def list_challans(uow: UnitOfWork, status: str | None = None) -> list[Challan]:
    require(uow.principal, "challan.read")
    with uow:
        return list(uow.dispatch.challans(challan_filter(uow.principal, status)))


def split_serials(text: str) -> list[str]:
    """Serials as a person pastes them: one per line, or separated by commas or spaces."""
    return [s for s in re.split(r"[\s,;]+", text or "") if s]


def dispatch_from_form(uow: UnitOfWork, form: dict[str, str], key: str, now: datetime) -> Challan:
    """A challan from the dispatch page's form (tranche or allocation)."""
    try:
        count = int(form.get("count") or 0)
        idem = uuid.UUID(key) if key else None
    except ValueError:
        raise InvalidInput("Count must be a whole number.", field="count") from None
    load = Load(
        tuple(split_serials(form.get("serials", ""))),
        count,
        form.get("vehicle", ""),
        form.get("driver", ""),
        idem,
    )
    if form.get("source") == ChallanSource.TRANCHE:
        if not (form.get("tranche_id") or "").isdigit():
            raise InvalidInput("Choose the tranche this truck delivers.", field="tranche_id")
        return dispatch_from_tranche(uow, TrancheChallan(int(form["tranche_id"]), load), now)
    cmd = AllocationChallan(
        form.get("plan_ref", ""),
        form.get("from_warehouse", ""),
        form.get("to_kind", ""),
        form.get("to_code", ""),
        load,
    )
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
                    store = uow.inspection.warehouse(tranche.consignee_warehouse_id)
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
    serials = split_serials(text)
    if not 1 <= len(serials) <= scanning.MAX_BATCH:
        raise InvalidInput("Type or scan between 1 and {n} serials.", n=scanning.MAX_BATCH)
    batch = [
        scanning.ScanIn(uuid.uuid4(), s, "receive", now, challan=challan.number) for s in serials
    ]
    return scanning.record_scans(uow, batch, now)
