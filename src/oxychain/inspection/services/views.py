"""What the inspection pages, the API and the documents read: lots, forms, figures.

Reads only; every function checks the policy, in scope, before returning an object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oxychain.core.access import Scope, require
from oxychain.core.errors import DomainError, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.tables import User
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.domain import lot as inspection
from oxychain.inspection.domain import reading as readings
from oxychain.inspection.domain import sample as samples
from oxychain.inspection.domain.device import QaStatus, is_dispatchable, normal_serial
from oxychain.inspection.domain.lot import LotStatus, TrancheClock
from oxychain.inspection.repository import LotFilter, RegistryFilter, SampleRow
from oxychain.inspection.services.lots import tranche_clock
from oxychain.inspection.services.scope import load_lot, sample_at
from oxychain.inspection.services.units import item_of
from oxychain.inspection.tables import Device, Lot, SwitchingRecord, Verdict
from oxychain.inspection.tables import Reading as ReadingRow
from oxychain.masterdata.domain.catalogue import Item
from oxychain.masterdata.domain.sampling import SamplingPlan
from oxychain.masterdata.tables import InspectionAgency, Supplier, Warehouse
from oxychain.masterdata.tables import Item as ItemRow
from oxychain.tendering.tables import PoTranche, PurchaseOrder


@dataclass(frozen=True)
class LotSummary:
    lot: Lot
    supplier: Supplier
    item: ItemRow
    po_number: str
    agency: InspectionAgency | None


@dataclass
class LotView:
    lot: Lot
    supplier: Supplier
    item: Item
    po: PurchaseOrder
    tranche: PoTranche
    consignee: Warehouse
    agency: InspectionAgency | None
    inspector: User | None
    samples: list[SampleRow]
    verdict: Verdict | None
    plan: SamplingPlan | None  # the plan drawn, or the one that would apply now
    plan_error: str | None
    switching: list[SwitchingRecord]
    previous: Lot | None
    next_version: Lot | None
    qa_counts: dict[str, int]
    clock: TrancheClock
    tested: int = 0
    failed: int = 0
    replacements: dict[int, SampleRow] = field(default_factory=dict)
    actions: frozenset[str] = frozenset()  # what may be done to the lot next (domain.lot.LOT)
    unit_actions: dict[int, frozenset[str]] = field(default_factory=dict)  # by sample id

    @property
    def decided(self) -> bool:
        return inspection.is_decided(self.lot.status)


def _scope_filter(uow: UnitOfWork) -> LotFilter:
    scope = require(uow.principal, "lot.read")
    if scope is Scope.OWN_SUPPLIER:
        return LotFilter(supplier_id=uow.principal.supplier_id or -1)
    if scope is Scope.OWN_AGENCY:
        return LotFilter(agency_id=uow.principal.agency_id or -1)
    return LotFilter()


def list_lots(
    uow: UnitOfWork, status: str | None = None, purchase_order_id: int | None = None
) -> list[LotSummary]:
    with uow:
        flt = _scope_filter(uow)
        flt = LotFilter(
            flt.supplier_id,
            flt.agency_id,
            status if status in {s.value for s in LotStatus} else None,
            purchase_order_id,
        )
        out = []
        for lot in uow.inspection.lots(flt):
            po = uow.inspection.purchase_order(lot.purchase_order_id)
            agency = uow.inspection.agency(lot.agency_id) if lot.agency_id else None
            supplier = uow.inspection.supplier(lot.supplier_id)
            out.append(
                LotSummary(lot, supplier, uow.inspection.item(lot.item_id), po.number, agency)
            )
        return out


def unit_actions(lot: Lot, row: SampleRow) -> frozenset[str]:
    """What may be done to a sampled unit next (``domain.sample``)."""
    return samples.unit_actions(
        lot.status,
        samples.unit_status(row.test),
        row.device.qa_status,
        replacement=row.sample.replacement_of_id is not None,
    )


def lot_view(uow: UnitOfWork, lot_id: int) -> LotView:
    with uow:
        lot = load_lot(uow, lot_id)
        tranche = uow.inspection.tranche(lot.tranche_id)
        plan, plan_error = _plan(uow, lot)
        rows = uow.inspection.samples(lot.id)
        originals = [s for s in rows if s.sample.replacement_of_id is None]
        counts = inspection.tally(
            lot.sample_size or 0,
            [s.test.passed if s.test and s.test.signed_at else None for s in originals],
        )
        next_version = uow.inspection.next_version_of(lot)
        return LotView(
            lot=lot,
            supplier=uow.inspection.supplier(lot.supplier_id),
            item=item_of(uow, lot),
            po=uow.inspection.purchase_order(lot.purchase_order_id),
            tranche=tranche,
            consignee=uow.inspection.warehouse(tranche.consignee_warehouse_id),
            agency=uow.inspection.agency(lot.agency_id) if lot.agency_id else None,
            inspector=uow.inspection.user(lot.inspector_id) if lot.inspector_id else None,
            samples=originals,
            verdict=uow.inspection.verdict(lot.id),
            plan=plan,
            plan_error=plan_error,
            switching=list(uow.inspection.switching_history(lot.supplier_id, lot.item_id)),
            previous=uow.inspection.lot(lot.previous_id) if lot.previous_id else None,
            next_version=next_version,
            qa_counts=uow.inspection.qa_counts(lot.id),
            clock=tranche_clock(uow, tranche),
            tested=counts.tested,
            failed=counts.failures,
            replacements={
                s.sample.replacement_of_id: s for s in rows if s.sample.replacement_of_id
            },
            actions=inspection.lot_actions(lot.status, reoffered=next_version is not None),
            unit_actions={s.sample.id: unit_actions(lot, s) for s in originals},
        )


def _plan(uow: UnitOfWork, lot: Lot) -> tuple[SamplingPlan | None, str | None]:
    if lot.sample_size is not None:
        plan = SamplingPlan(
            lot.code_letter or "",
            lot.plan_letter or "",
            lot.sample_size,
            lot.accept_number or 0,
            lot.reject_number or 1,
            lot.sample_size >= lot.quantity,
        )
        return plan, None
    state = uow.inspection.switching_state(lot.supplier_id, lot.item_id)
    try:
        return inspection.plan_for(
            lot.quantity, lot.aql, lot.inspection_level, state, lot.version > 1
        )[1], None
    except DomainError as exc:
        return None, exc.template


def tranche_inspection(uow: UnitOfWork, tranche_id: int) -> TrancheClock:
    """Where a tranche stands for the delivery clock (LD): offered, accepted, delivered."""
    require(uow.principal, "lot.read")
    with uow:
        tranche = uow.inspection.tranche(tranche_id)
        if tranche is None:
            raise NotFound("No tranche {tranche}.", tranche=tranche_id)
        po = uow.inspection.purchase_order(tranche.purchase_order_id)
        require(uow.principal, "lot.read", ObjectScope(supplier_id=po.supplier_id))
        return tranche_clock(uow, tranche)


@dataclass(frozen=True)
class UnitForm:
    lot: Lot
    item: Item
    row: SampleRow
    points: tuple[readings.TestPoint, ...]
    values: dict[str, object]  # the current readings (a correction starts from them)
    warm_up: str
    versions: int
    last_position: int | None  # the unit whose readings "copy last" would take
    actions: frozenset[str] = frozenset()  # "record"/"correct" (readings may be entered), "sign"


def unit_form(uow: UnitOfWork, lot_id: int, position: int) -> UnitForm:
    with uow:
        lot = load_lot(uow, lot_id)
        row = sample_at(uow, lot, position)
        item = item_of(uow, lot)
        values: dict[str, object] = {}
        warm_up = ""
        if row.test is not None:
            values = readings.values_of(uow.inspection.readings(row.test.id))
            warm_up = f"{row.test.warm_up_min:g}"
        last = uow.inspection.last_test_of_lot(lot.id)
        last_position = None
        if last is not None:
            last_position = next(
                (
                    s.sample.position
                    for s in uow.inspection.samples(lot.id)
                    if s.sample.id == last.sample_id
                ),
                None,
            )
        versions = len(uow.inspection.test_versions(row.sample.id))
        points = readings.acceptance_test(item)
        actions = unit_actions(lot, row) & {"record", "correct", "sign"}
        return UnitForm(lot, item, row, points, values, warm_up, versions, last_position, actions)


Judged = tuple[readings.Reading | None, tuple[str, dict] | None]


def judge_entered(form: UnitForm, warm_up: str, values: dict[str, object]) -> dict[str, Judged]:
    """Each value already in the form judged: (reading, None) or (None, (template, params))."""
    out: dict[str, Judged] = {}
    entered = {readings.WARM_UP: warm_up, **values}
    for key, value in entered.items():
        if str(value).strip() == "":
            continue
        try:
            out[key] = (readings.judge_field(form.item, key, value), None)
        except DomainError as exc:
            out[key] = (None, (exc.template, exc.params))
    return out


def judge_value(uow: UnitOfWork, lot_id: int, point: str, value: str) -> readings.Reading:
    """One value judged against its limit as it is typed; nothing is stored."""
    with uow:
        lot = load_lot(uow, lot_id, "lot.inspect")
        item = item_of(uow, lot)
    return readings.judge_field(item, point, value)


def unit_readings(
    uow: UnitOfWork, lot_id: int, position: int
) -> list[tuple[int, list[ReadingRow]]]:
    """Every version of a unit's test with its readings, oldest first (for the record)."""
    with uow:
        row = sample_at(uow, load_lot(uow, lot_id), position)
        return [
            (t.version, list(uow.inspection.readings(t.id)))
            for t in uow.inspection.test_versions(row.sample.id)
        ]


@dataclass(frozen=True)
class OpenTranche:
    po: PurchaseOrder
    tranche: PoTranche
    consignee: Warehouse
    open_quantity: int


def open_tranches(uow: UnitOfWork) -> list[OpenTranche]:
    """The tranches the supplier can still offer lots against (its own issued POs)."""
    scope = require(uow.principal, "lot.offer")
    own = scope is Scope.OWN_SUPPLIER
    with uow:
        out = []
        for po, tranche in uow.inspection.open_tranches(
            (uow.principal.supplier_id or -1) if own else None
        ):
            left = tranche_clock(uow, tranche).open_quantity
            if left > 0:
                out.append(
                    OpenTranche(
                        po, tranche, uow.inspection.warehouse(tranche.consignee_warehouse_id), left
                    )
                )
        return out


def assignment_choices(uow: UnitOfWork) -> tuple[list[InspectionAgency], list[User]]:
    require(uow.principal, "lot.assign")
    with uow:
        return list(uow.inspection.agencies()), list(uow.inspection.inspectors())


@dataclass(frozen=True)
class DeviceView:
    device: Device
    lot: Lot
    supplier: Supplier
    item: ItemRow
    dispatchable: bool


def find_device(uow: UnitOfWork, serial: str) -> DeviceView:
    require(uow.principal, "registry.read")
    with uow:
        device = uow.inspection.device(normal_serial(serial))
        if device is None:
            raise NotFound("No device with serial {serial}.", serial=serial.strip()[:40])
        lot = uow.inspection.lot(device.lot_id)
        require(
            uow.principal,
            "registry.read",
            ObjectScope(supplier_id=device.supplier_id, agency_id=lot.agency_id),
        )
        return DeviceView(
            device,
            lot,
            uow.inspection.supplier(device.supplier_id),
            uow.inspection.item(device.item_id),
            is_dispatchable(device.qa_status),
        )


def lot_devices(uow: UnitOfWork, lot_id: int) -> tuple[Lot, list[Device]]:
    with uow:
        lot = load_lot(uow, lot_id)
        return lot, list(uow.inspection.devices_of_lot(lot.id))


def authorize_lot(uow: UnitOfWork, lot_id: int, permission: str) -> None:
    """NotFound when there is no such lot, Forbidden when it is outside the scope."""
    with uow:
        load_lot(uow, lot_id, permission)


REGISTRY_SORTS = ("serial", "newest", "status")
REGISTRY_PAGE = 50


@dataclass(frozen=True)
class RegistryPage:
    devices: list[Device]
    total: int
    page: int
    per_page: int
    lots: dict[int, Lot]


def list_registry(
    uow: UnitOfWork,
    *,
    qa_status: str = "",
    purchase_order_id: int | None = None,
    serial_prefix: str = "",
    sort: str = "serial",
    page: int = 1,
) -> RegistryPage:
    """The registry as a list: the person's own devices (a supplier's, an inspector's
    agency's; everyone's for headquarters and keepers), filtered, sorted, a page at a time."""
    scope = require(uow.principal, "registry.read")
    mine = uow.principal
    flt = RegistryFilter(
        supplier_id=(mine.supplier_id or -1) if scope is Scope.OWN_SUPPLIER else None,
        agency_id=(mine.agency_id or -1) if scope is Scope.OWN_AGENCY else None,
        qa_status=qa_status if qa_status in {s.value for s in QaStatus} else None,
        purchase_order_id=purchase_order_id,
        serial_prefix=normal_serial(serial_prefix) if serial_prefix.strip() else "",
    )
    sort = sort if sort in REGISTRY_SORTS else "serial"
    page = max(1, page)
    with uow:
        rows, total = uow.inspection.list_devices(
            flt, sort, (page - 1) * REGISTRY_PAGE, REGISTRY_PAGE
        )
        lots = {i: uow.inspection.lot(i) for i in {d.lot_id for d in rows}}
    return RegistryPage(list(rows), total, page, REGISTRY_PAGE, lots)
