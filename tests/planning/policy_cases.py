"""The route-policy test's objects for the planning paths ({plan_ref}, {site},
{district_code}, {load_id}). Planning is headquarters' work (no object scope), except a
district's gap and dashboard, which its district officer reads too, and a plan's truck
load, which only its warehouse's keeper (or headquarters) may dispatch: the demo plan is
approved here so that its day-0 loads leave from Lucknow's warehouse (the demo keeper's,
in scope) and from Agra's (out of scope)."""

from __future__ import annotations

from oxychain.core.people import SYSTEM, ObjectScope
from oxychain.core.services import auth
from oxychain.planning.services import plans as planning

PARAMS = ("{plan_ref}", "{site}", "{district_code}", "{load_id}")
PLAN = "PLAN-000001"


def handles(path: str) -> bool:
    return any(p in path for p in PARAMS)


def objects(oxy) -> dict:  # noqa: ANN001
    with oxy.uow(SYSTEM) as uow:
        user = uow.people.user_by_username("demo.planner")
        keeper = uow.people.user_by_username("demo.warehouse-keeper")
        own = uow.masterdata.warehouse_by_id(keeper.warehouse_id)
    plan = planning.approve(oxy.uow(auth.principal_of(user), write=True), PLAN, 50)
    kept = planning.get_plan(oxy.uow(auth.principal_of(user)), PLAN)
    scenario, loads = kept.docs, kept.loads
    with oxy.uow(SYSTEM) as uow:
        scopes = {}
        for load in loads:
            w = uow.dispatch.warehouse_by_code(load.from_warehouse)
            scopes[load.id] = (w.code, ObjectScope(district_id=w.district_id, warehouse_id=w.id))
    # a facility the plan leaves no day short (stock lies in every district): explaining it
    # needs no extra solve
    short = {row["facility"] for row in kept.result.get("shortfall", [])}
    site = next(f["id"] for f in scenario.document["facilities"] if f["id"] not in short)
    mine = next(i for i, (code, _s) in scopes.items() if code == own.code)
    other = next(i for i, (code, _s) in scopes.items() if code != own.code)
    return {
        "plan": plan.reference,
        "site": site,
        "load_in": (mine, scopes[mine][1]),
        "load_out": (other, scopes[other][1]),
    }


def path(path: str, _principal, objs: dict, in_scope: bool) -> tuple[str, ObjectScope | None]:  # noqa: ANN001
    district = objs["lucknow"] if in_scope else objs["agra"]
    concrete = (
        path.replace("{plan_ref}", objs["plan"])
        .replace("{site}", objs["site"])
        .replace("{district_code}", district.code)
    )
    if "{load_id}" in path:
        load, scope = objs["load_in" if in_scope else "load_out"]
        return concrete.replace("{load_id}", str(load)), scope
    if "{district_code}" in path:  # a CMO reads their own district's gap and dashboard
        return concrete, ObjectScope(district_id=district.id)
    return concrete, None
