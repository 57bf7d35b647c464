"""Stock views (per warehouse, facility and district, by state, with ageing), uptime
against the BMMP targets, and the preventive maintenance schedule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from oxychain.core.access import Scope, require
from oxychain.core.errors import InvalidInput
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import maintenance
from oxychain.distribution.domain import stock as stocks
from oxychain.distribution.domain.maintenance import Interval, Uptime
from oxychain.distribution.repositories.events import utc
from oxychain.distribution.repositories.service import DeviceLine, StockRow
from oxychain.distribution.services.places import find

PAGE = 100


@dataclass
class StockView:
    """Counts by state (and place kind) with ageing, and the devices longest in their state."""

    kind: str  # facility | warehouse | district
    place: object | None
    district: object | None
    rows: list[StockRow]
    devices: list[DeviceLine] = field(default_factory=list)
    installed_by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    def by_state(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            out[row.state] = out.get(row.state, 0) + row.total
        return out


def place_stock(uow: UnitOfWork, kind: str, code: str, now: datetime, state: str = "") -> StockView:
    """A facility's, a warehouse's or a district's devices by state with ageing; a district's
    by place too, with its installed devices by kind of facility; the others' devices
    longest in their state (of one state when asked)."""
    require(uow.principal, "stock.read")
    wanted = stocks.check_state(state)
    with uow:
        place = find(uow, kind, code)
        require(uow.principal, "stock.read", place.scope)
        rows = uow.service.stock(now=now, **place.where)
        rows.sort(key=lambda r: (stocks.in_lifecycle_order(r.state), r.place_kind))
        district = uow.masterdata.district_by_id(place.scope.district_id)
        if kind == "district":
            installed = uow.service.installed_by_facility_kind(place.row.id)
            return StockView(kind, place.row, district, rows, [], installed)
        devices = uow.service.devices(limit=PAGE, state=wanted, **place.where)
        return StockView(kind, place.row, district, rows, devices)


def state_overview(uow: UnitOfWork) -> list[tuple[object, dict[str, int]]]:
    """Every district's devices by state, summed as the state-wide table shows them (HQ)."""
    scope = require(uow.principal, "stock.read")
    if scope is not Scope.ALL:
        raise InvalidInput("The state-wide view is for headquarters.")
    with uow:
        counts: dict[int | None, dict[str, int]] = {}
        for district_id, state, n in uow.service.stock_by_district():
            counts.setdefault(district_id, {})[state] = n
        return [(d, stocks.summary(counts.get(d.id, {}))) for d in uow.masterdata.districts()]


def home_place(uow: UnitOfWork) -> str | None:
    """The stock page a person lands on: their facility, warehouse or district."""
    p = uow.principal
    scope = require(uow.principal, "stock.read")
    with uow:
        if scope is Scope.OWN_FACILITY and p.facility_id:
            return "/stock/facilities/" + uow.masterdata.facility_by_id(p.facility_id).code
        if scope is Scope.OWN_WAREHOUSE and p.warehouse_id:
            return "/stock/warehouses/" + uow.masterdata.warehouse_by_id(p.warehouse_id).code
        if scope is Scope.OWN_DISTRICT and p.district_id:
            return "/stock/districts/" + uow.masterdata.district_by_id(p.district_id).code
    return None


# --- uptime ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UptimeLine:
    label: str  # a serial, a facility code or a facility kind
    kind: str  # the facility kind (BMMP target) or ""
    uptime: Uptime
    target: float | None
    meets: bool | None
    devices: int = 1


@dataclass(frozen=True)
class UptimeReport:
    place: object
    start: datetime
    end: datetime
    total: Uptime
    lines: list[UptimeLine]
    by_kind: list[UptimeLine]


def uptime_report(uow: UnitOfWork, level: str, code: str, days: int, now: datetime) -> UptimeReport:
    """Uptime over the last ``days`` per device (of a facility) or per facility (of a
    district), against the BMMP targets 95 / 90 / 85 % (DOMAIN.md)."""
    require(uow.principal, "uptime.read")
    if not 1 <= days <= 366:
        raise InvalidInput("The period is 1 to 366 days.", field="days")
    start = now - timedelta(days=days)
    with uow:
        place = find(uow, level, code)
        require(uow.principal, "uptime.read", place.scope)
        devices = uow.service.in_service(**place.where)
        downs = uow.service.downtimes([d.device_id for d in devices], start)
        kinds = _facility_kinds(uow, {d.facility_id for d in devices if d.facility_id})
        per_device = [
            (d, _device_uptime(d, downs.get(d.device_id, []), start, now)) for d in devices
        ]
    return _report(place.row, level, start, now, per_device, kinds)


def _facility_kinds(uow: UnitOfWork, ids: set[int]) -> dict[int, tuple[str, str]]:
    out = {}
    for facility_id in ids:
        facility = uow.masterdata.facility_by_id(facility_id)
        out[facility_id] = (facility.code, facility.kind)
    return out


def _device_uptime(row, downs: list[tuple], start: datetime, end: datetime) -> Uptime:  # noqa: ANN001
    service = Interval(utc(row.installed_at), None)
    intervals = [Interval(utc(a), utc(b)) for a, b in downs]
    return maintenance.device_uptime(service, intervals, start, end)


def _report(place, level, start, end, per_device, kinds) -> UptimeReport:  # noqa: ANN001
    total, by_label, by_kind = maintenance.NO_TIME, {}, {}
    for row, up in per_device:
        code, kind = kinds.get(row.facility_id, ("", ""))
        total = total + up
        label = row.serial if level == "facility" else code
        prev = by_label.get(label, (kind, maintenance.NO_TIME, 0))
        by_label[label] = (kind, prev[1] + up, prev[2] + 1)
        k = by_kind.get(kind, (maintenance.NO_TIME, 0))
        by_kind[kind] = (k[0] + up, k[1] + 1)

    def line(label: str, kind: str, up: Uptime, n: int) -> UptimeLine:
        target = maintenance.UPTIME_TARGETS.get(kind)
        return UptimeLine(label, kind, up, target, maintenance.meets_target(kind, up), n)

    lines = [line(lb, k, up, n) for lb, (k, up, n) in sorted(by_label.items())]
    kinds_lines = [line(k, k, up, n) for k, (up, n) in sorted(by_kind.items())]
    return UptimeReport(place, start, end, total, lines, kinds_lines)


# --- preventive maintenance ----------------------------------------------------------------


@dataclass(frozen=True)
class MaintenanceLine:
    serial: str
    facility_id: int | None
    installed_on: date
    last_done: date | None
    due: maintenance.MaintenanceDue


def maintenance_schedule(
    uow: UnitOfWork, level: str, code: str, interval_days: int, today: date
) -> list[MaintenanceLine]:
    """Devices in service and when their preventive maintenance falls due, overdue first."""
    require(uow.principal, "uptime.read")
    with uow:
        place = find(uow, level, code)
        require(uow.principal, "uptime.read", place.scope)
        rows = uow.service.in_service(**place.where)
    out = []
    for row in rows:
        installed = utc(row.installed_at).date()
        last = utc(row.maintained_at).date() if row.maintained_at else None
        due = maintenance.next_maintenance(installed, last, interval_days, today)
        out.append(MaintenanceLine(row.serial, row.facility_id, installed, last, due))
    return sorted(out, key=lambda m: (m.due.due_on, m.serial))
