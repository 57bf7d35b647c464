"""The district dashboard: requirement, gap, stock, devices by state, loans and uptime per
district and facility, for headquarters (every district) and a district's CMO (their own).
The requirement and the gap are the planner's own (views.built_gap): the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from oxychain.core import clock
from oxychain.core.access import Scope, require
from oxychain.core.errors import NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import stock as stocks
from oxychain.distribution.domain.loan import LoanStatus
from oxychain.distribution.services.stock import UptimeReport, uptime_report
from oxychain.planning.services.views import built_gap
from oxychain.planning.settings import PlanningSettings as Settings

if TYPE_CHECKING:  # the forecast engines load when a gap is first built, not at start-up
    from oxychain.planning.domain.needs import Built, DistrictNeed

UPTIME_DAYS = 30  # the district's monthly review reads the last 30 days


def district_gap(uow: UnitOfWork, settings: Settings, code: str | None) -> DistrictNeed:
    """One district's need and gap (the principal's own district when no code is given)."""
    return district_need(uow, settings, code)[1]


def district_need(
    uow: UnitOfWork,
    settings: Settings,
    code: str | None,
    as_of: date | None = None,
    horizon: int | None = None,
) -> tuple[Built, DistrictNeed]:
    """The planner's gap and one district's part of it, for whoever may read that district."""
    require(uow.principal, "dashboard.read")
    with uow:
        if code is None:
            row = uow.masterdata.district_by_id(uow.principal.district_id or -1)
        else:
            row = next((d for d in uow.masterdata.districts() if d.code == code), None)
        if row is None:
            raise NotFound("No district with code {value}.", value=(code or "")[:16])
    require(uow.principal, "dashboard.read", ObjectScope(district_id=row.id))
    built = built_gap(uow, settings, as_of, horizon)
    return built, next(d for d in built.districts if d.row.code == row.code)


@dataclass(frozen=True)
class DistrictLine:
    need: DistrictNeed
    states: dict[str, int]  # the state-wide table's columns (distribution.domain.stock.summary)
    loans_open: int
    loans_overdue: int

    @property
    def peak_gap(self) -> int:
        return int(self.need.gap.max())


@dataclass(frozen=True)
class StateDashboard:
    built: Built
    lines: list[DistrictLine]  # the largest gap at the peak first

    @property
    def totals(self) -> dict[str, int]:
        out = {"requirement": 0, "gap": 0, "installed": 0, "pipeline": 0}
        for line in self.lines:
            out["requirement"] += int(line.need.requirement.max())
            out["gap"] += int(line.need.gap.max())
            out["installed"] += line.need.installed
            out["pipeline"] += line.need.pipeline
        for key in ("in_stores", "on_loan", "down", "dispatched"):
            out[key] = sum(line.states.get(key, 0) for line in self.lines)
        out["loans_overdue"] = sum(line.loans_overdue for line in self.lines)
        return out


def state_dashboard(uow: UnitOfWork, settings: Settings) -> StateDashboard:
    """Every district's requirement, gap, devices by state and loans (headquarters)."""
    if require(uow.principal, "dashboard.read") is not Scope.ALL:
        raise NotFound("The state-wide dashboard is for headquarters.")
    built = built_gap(uow, settings, None, None)
    today = clock.today()
    with uow:
        counts: dict[int | None, dict[str, int]] = {}
        for district_id, state, n in uow.service.stock_by_district():
            counts.setdefault(district_id, {})[state] = n
        loans = uow.dispatch.loans(limit=100_000)
    open_, late = {}, {}
    for loan in loans:
        if loan.status == LoanStatus.OPEN:
            open_[loan.district_id] = open_.get(loan.district_id, 0) + 1
            if loan.due_on < today:
                late[loan.district_id] = late.get(loan.district_id, 0) + 1
    lines = [
        DistrictLine(
            d,
            stocks.summary(counts.get(d.row.id, {})),
            open_.get(d.row.id, 0),
            late.get(d.row.id, 0),
        )
        for d in built.districts
    ]
    return StateDashboard(built, sorted(lines, key=lambda line: -line.peak_gap))


@dataclass(frozen=True)
class DistrictDashboard:
    need: DistrictNeed
    forecast_as_of: date  # the planner's forecast day
    as_of: date  # the day the devices are counted
    states: dict[str, int]
    by_place: dict[str, int]  # devices by state at the district's stores
    loans_open: int
    loans_overdue: int
    uptime: UptimeReport


def district_dashboard(
    uow: UnitOfWork, settings: Settings, code: str, now: datetime
) -> DistrictDashboard:
    """One district's need, gap, devices by state, loans and uptime per facility."""
    built, need = district_need(uow, settings, code)
    today = clock.in_india(now)
    with uow:
        raw: dict[str, int] = {}
        for row in uow.service.stock(now=now, district_id=need.row.id):
            raw[row.state] = raw.get(row.state, 0) + row.total
        loans = uow.dispatch.loans(district_id=need.row.id, limit=100_000)
    uptime = uptime_report(uow, "district", code, UPTIME_DAYS, now)
    open_loans = [loan for loan in loans if loan.status == LoanStatus.OPEN]
    return DistrictDashboard(
        need,
        built.choice.forecast_as_of,
        today,
        stocks.summary(raw),
        raw,
        len(open_loans),
        sum(1 for loan in open_loans if loan.due_on < today),
        uptime,
    )
