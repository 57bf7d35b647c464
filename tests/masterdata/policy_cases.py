"""The route-policy test's objects for master data's {code} paths: a district (Lucknow in
scope, Agra out), a supplier (SUP-01) and a facility (the person's own, or one in Lucknow;
Agra's out of scope)."""

from __future__ import annotations

from oxychain.core.people import SYSTEM, ObjectScope
from oxychain.masterdata.repository import FacilityFilter


def handles(path: str) -> bool:
    return "{code}" in path


def objects(oxy) -> dict:  # noqa: ANN001
    with oxy.uow(SYSTEM) as uow:
        districts = uow.masterdata.districts()
        lucknow = next(d for d in districts if d.name == "Lucknow")
        agra = next(d for d in districts if d.name == "Agra")
        lko = uow.masterdata.facilities(FacilityFilter(district_id=lucknow.id), limit=500)[0]
        agra_fac = uow.masterdata.facilities(FacilityFilter(district_id=agra.id), limit=1)[0][0]
    return {"lucknow": lucknow, "agra": agra, "lko_facilities": lko, "agra_facility": agra_fac}


def path(path: str, principal, objs: dict, in_scope: bool) -> tuple[str, ObjectScope | None]:  # noqa: ANN001
    if path.startswith(("/suppliers", "/api/v1/suppliers")):
        # HQ reads every supplier; no scope to be out of.
        return path.replace("{code}", "SUP-01"), None
    if path.startswith(("/districts", "/api/v1/districts")):
        d = objs["lucknow"] if in_scope else objs["agra"]
        return path.replace("{code}", d.code), None
    if principal.facility_id:
        mine = next(f for f in objs["lko_facilities"] if f.id == principal.facility_id)
    else:
        mine = objs["lko_facilities"][-1]
    f = mine if in_scope else objs["agra_facility"]
    return path.replace("{code}", f.code), ObjectScope(district_id=f.district_id, facility_id=f.id)
