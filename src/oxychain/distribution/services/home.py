"""Distribution's items on a person's home page: trucks to receive, stock to send on and
loans due back (warehouse keeper); the district's stock, overdue loans, devices down and
uptime against BMMP (district officer); devices and fault tickets (facility in-charge);
faults to repair (supplier)."""

from __future__ import annotations

from datetime import datetime, timedelta

from oxychain.core import clock
from oxychain.core.i18n import N_
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.core.work import WorkItem
from oxychain.distribution.domain.challan import ChallanStatus
from oxychain.distribution.domain.lifecycle import DOWN, DeviceState
from oxychain.distribution.domain.loan import LoanStatus
from oxychain.distribution.domain.maintenance import UPTIME_TARGETS
from oxychain.distribution.domain.stock import IN_STORE
from oxychain.distribution.repositories.dispatch import ChallanFilter
from oxychain.distribution.repositories.events import utc
from oxychain.distribution.services.stock import uptime_report

DUE_SOON_DAYS = 3  # a loan due back within three days: the keeper calls the family
UPTIME_DAYS = 30  # uptime over the last month, as the district's monthly review reads it
READY = (DeviceState.RECEIVED, DeviceState.AVAILABLE)  # in store and fit to send on
REFURBISH = (DeviceState.RETURNED, DeviceState.SANITISED, DeviceState.RETESTED)


def _count(rows, states) -> int:  # noqa: ANN001
    wanted = {s.value for s in states}
    return sum(r.total for r in rows if r.state in wanted)


def home_queue(uow: UnitOfWork, settings: object, now: datetime) -> list[WorkItem]:
    role, me = uow.principal.role, uow.principal
    if role is Role.WAREHOUSE_KEEPER and me.warehouse_id:
        with uow:
            return _keeper(uow, now)
    if role is Role.DISTRICT_OFFICER and me.district_id:
        with uow:
            code = uow.masterdata.district_by_id(me.district_id).code
            items = _district(uow, now, code)
        return [*items, _uptime(uow, now, code)]
    if role is Role.FACILITY_INCHARGE and me.facility_id:
        with uow:
            return _facility(uow, now)
    if role is Role.SUPPLIER and me.supplier_id:
        with uow:
            ready = _ready_to_dispatch(uow, me.supplier_id)
            open_ = uow.service.tickets(supplier_id=me.supplier_id, open_only=True, limit=1000)
        return [
            WorkItem(N_("accepted units ready to dispatch to the consignee"), ready, "/challans"),
            WorkItem(N_("fault tickets on your devices to repair"), len(open_), "/tickets"),
        ]
    return []


def _ready_to_dispatch(uow: UnitOfWork, supplier_id: int) -> int:
    """Units of the supplier's accepted lots that a truck may carry, up to what each open
    tranche still awaits (what the dispatch page offers per tranche)."""
    ready = 0
    for po, tranche in uow.inspection.open_tranches(supplier_id):
        awaited = tranche.quantity - tranche.delivered_quantity
        if awaited > 0:
            versions = [v.id for v in uow.contracts.versions(po)]
            ready += len(uow.dispatch.dispatchable_serials(versions, awaited))
    return ready


def _keeper(uow: UnitOfWork, now: datetime) -> list[WorkItem]:
    me = uow.principal
    store = uow.masterdata.warehouse_by_id(me.warehouse_id)
    coming = [
        c
        for c in uow.dispatch.challans(
            ChallanFilter(warehouse_id=store.id, status=ChallanStatus.IN_TRANSIT), limit=1000
        )
        if c.to_warehouse_id == store.id
    ]
    rows = uow.service.stock(now=now, warehouse_id=store.id)
    today = clock.in_india(now)
    open_ = uow.dispatch.loans(warehouse_id=store.id, status=LoanStatus.OPEN, limit=10_000)
    overdue = [loan for loan in open_ if loan.due_on < today]
    soon = [loan for loan in open_ if today <= loan.due_on <= today + timedelta(DUE_SOON_DAYS)]
    place = f"/stock/warehouses/{store.code}"
    return [
        WorkItem(
            N_("challans on the road to your warehouse, to receive"),
            len(coming),
            f"/challans/{coming[0].number}" if len(coming) == 1 else "/challans?status=in_transit",
        ),
        WorkItem(N_("devices in stock, ready to issue or dispatch"), _count(rows, READY), place),
        WorkItem(
            N_("returned devices to sanitise, re-test and release"),
            _count(rows, REFURBISH),
            place,
        ),
        WorkItem(N_("home loans overdue"), len(overdue), "/loans?overdue=1", urgent=True),
        WorkItem(N_("home loans due back within 3 days"), len(soon), "/loans"),
    ]


def _district(uow: UnitOfWork, now: datetime, code: str) -> list[WorkItem]:
    me = uow.principal
    rows = uow.service.stock(now=now, district_id=me.district_id)
    today = clock.in_india(now)
    overdue = uow.dispatch.loans(district_id=me.district_id, overdue_on=today, limit=10_000)
    return [
        WorkItem(
            N_("devices in the district's stores"),
            _count([r for r in rows if r.place_kind == "warehouse"], IN_STORE),
            f"/stock/districts/{code}",
        ),
        WorkItem(N_("home loans overdue"), len(overdue), "/loans?overdue=1", urgent=True),
        WorkItem(
            N_("devices down (faulty or under repair)"),
            _count(rows, DOWN),
            "/tickets",
            urgent=True,
        ),
    ]


def _uptime(uow: UnitOfWork, now: datetime, code: str) -> WorkItem:
    report = uptime_report(uow, "district", code, UPTIME_DAYS, now)
    percent = report.total.percent
    below = [line for line in report.by_kind if line.meets is False]
    targets = " / ".join(f"{v:g}" for v in UPTIME_TARGETS.values())
    return WorkItem(
        N_("uptime of installed devices, last 30 days"),
        None,
        f"/uptime/districts/{code}",
        figure="—" if percent is None else f"{percent:.1f} %",
        note=N_("BMMP target {targets} % (district hospital / CHC / PHC)"),
        note_params=(("targets", targets),),
        urgent=bool(below),
    )


def _facility(uow: UnitOfWork, now: datetime) -> list[WorkItem]:
    me = uow.principal
    facility = uow.masterdata.facility_by_id(me.facility_id)
    rows = uow.service.stock(now=now, facility_id=facility.id)
    tickets = uow.service.tickets(facility_id=facility.id, open_only=True, limit=1000)
    late = [t for t in tickets if utc(t.due_at) < now]
    place = f"/stock/facilities/{facility.code}"
    return [
        WorkItem(N_("devices installed here"), _count(rows, (DeviceState.INSTALLED,)), place),
        WorkItem(
            N_("devices issued to you, to receive and install"),
            _count(rows, (DeviceState.ISSUED, DeviceState.DISPATCHED)),
            place,
        ),
        WorkItem(N_("open fault tickets"), len(tickets), "/tickets"),
        WorkItem(
            N_("fault tickets past their repair deadline"), len(late), "/tickets", urgent=True
        ),
    ]
