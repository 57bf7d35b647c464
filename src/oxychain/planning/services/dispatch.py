"""Approved plans' truck loads, turned into dispatch challans by the people who dispatch.

The planner approves; a procurement officer (any warehouse) or a warehouse keeper (their
own) loads each truck: vehicle and driver in, one challan out, through distribution's
``challans.dispatch_from_allocation`` with the load's fixed idempotency key, so loading
the same truck twice never makes a second challan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from oxychain.core import clock
from oxychain.core.access import Scope, require
from oxychain.core.errors import NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.services import challans
from oxychain.distribution.tables import Challan
from oxychain.planning.domain import plan as rules
from oxychain.planning.domain.loads import LOAD, LoadStatus, check_departure, load_status
from oxychain.planning.domain.plan import PlanStatus
from oxychain.planning.tables import Plan, PlanLoad


@dataclass(frozen=True)
class PendingLoad:
    plan: Plan
    load: PlanLoad
    leaves_on: date  # the plan's day of this truck, as a date


def pending_loads(uow: UnitOfWork) -> list[PendingLoad]:
    """Trucks of approved plans not yet dispatched, from the warehouses the person may
    dispatch from (all of them at headquarters, their own for a warehouse keeper)."""
    scope = require(uow.principal, "challan.write")
    with uow:
        own = None
        if scope is Scope.OWN_WAREHOUSE:
            row = uow.masterdata.warehouse_by_id(uow.principal.warehouse_id or -1)
            own = row.code if row else ""
        elif scope is not Scope.ALL:
            return []
        out = []
        for plan in uow.planning.plans_with_status(PlanStatus.APPROVED.value):
            start = _start(uow, plan)
            for load in uow.planning.loads(plan.id):
                waiting = load_status(load.challan_number) is LoadStatus.WAITING
                if waiting and own in (None, load.from_warehouse):
                    out.append(PendingLoad(plan, load, date.fromordinal(start + load.day)))
        return out


def dispatch_load(
    uow: UnitOfWork, load_id: int, vehicle: str, driver: str, now: datetime
) -> Challan:
    """Load one truck of an approved plan (module doc); the challan it made, if any."""
    require(uow.principal, "challan.write")
    with uow:
        plan, load = _to_load(uow, load_id, now)
        cmd = challans.AllocationChallan(
            plan.reference,
            load.from_warehouse,
            load.to_kind,
            load.to_code,
            challans.Load(count=load.quantity, vehicle=vehicle, driver=driver, key=load.key),
        )
    challan = challans.dispatch_from_allocation(uow, cmd, now)
    with uow:
        load = uow.planning.load(load_id, lock=True)
        if LOAD.can(load_status(load.challan_number), "dispatch"):  # else: loaded meanwhile
            load.challan_number, load.dispatched_at = challan.number, now
            load.dispatched_by = uow.principal.username
            after = {"plan": plan.reference, "challan": challan.number, "devices": load.quantity}
            uow.record("plan.load.dispatch", "plan_load", load.id, None, after)
            uow.commit()
    return challan


def authorize_load(uow: UnitOfWork, load_id: int) -> None:
    """NotFound without such a load, Forbidden when its warehouse is outside the scope: what
    the API checks before it reads the request's body."""
    require(uow.principal, "challan.write")
    with uow:
        _scoped_load(uow, load_id)


def _scoped_load(uow: UnitOfWork, load_id: int) -> PlanLoad:
    load = uow.planning.load(load_id)
    if load is None:
        raise NotFound("No truck load {ref}.", ref=load_id)
    origin = uow.dispatch.warehouse_by_code(load.from_warehouse)
    if origin is not None:  # a keeper loads trucks at their own warehouse only
        scope = ObjectScope(district_id=origin.district_id, warehouse_id=origin.id)
        require(uow.principal, "challan.write", scope)
    return load


def _to_load(uow: UnitOfWork, load_id: int, now: datetime) -> tuple[Plan, PlanLoad]:
    """The plan and its truck load, if this person may load it now (inside ``uow``)."""
    load = _scoped_load(uow, load_id)
    plan = uow.planning.plan_by_id(load.plan_id)
    rules.check_dispatch(plan.status, plan.reference)
    check_departure(clock.in_india(now).toordinal() - _start(uow, plan), load.day)
    return plan, load


def _start(uow: UnitOfWork, plan: Plan) -> int:
    """Day 0 of the plan, as an ordinal (an uploaded scenario's: the day it was solved)."""
    start = uow.planning.scenario_choice(plan.scenario_id).get("start")
    if start:
        return date.fromisoformat(start).toordinal()
    return clock.in_india(plan.created_at).toordinal()
