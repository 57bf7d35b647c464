"""Every route × every role, in scope and out of scope, against the one declarative policy.

A route without a Guard or PUBLIC fails here, so a new route cannot skip the policy.
"""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount

from oxychain.core.access import can
from oxychain.core.people import ObjectScope, Role
from oxychain.core.web.guards import Guard, Public
from oxychain.masterdata.repository import FacilityFilter
from tests.distribution import policy_cases as distribution_policy
from tests.planning import policy_cases as planning_policy
from tests.webclient import login_as, make_app


def _guards(dependant) -> list:  # noqa: ANN001
    found = [d.call for d in dependant.dependencies if isinstance(d.call, Guard | Public)]
    for sub in dependant.dependencies:
        found += _guards(sub)
    return found


def _flat(app):  # noqa: ANN001, ANN202
    """Every route; FastAPI >= 0.16x keeps included routers nested (``_IncludedRouter``)."""
    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()
        else:
            yield route


def _routes(app) -> list[tuple[str, str, APIRoute]]:  # noqa: ANN001
    out = []
    for route in _flat(app):
        if isinstance(route, Mount):
            assert route.path == "/static", f"unexpected mount {route.path}"
            continue
        if not isinstance(route, APIRoute) and not hasattr(route, "dependant"):
            continue  # the OpenAPI document route is FastAPI's own, public by design
        for method in sorted(route.methods - {"HEAD"}):
            out.append((method, route.path, route))
    return out


def test_every_route_declares_exactly_one_guard_or_public(demo) -> None:  # noqa: ANN001
    url, _ = demo
    app, oxy = make_app(url)
    try:
        missing = [f"{m} {p}" for m, p, r in _routes(app) if len(_guards(r.dependant)) != 1]
        assert missing == [], "routes without exactly one Guard/PUBLIC: " + ", ".join(missing)
    finally:
        oxy.close()


def _objects(oxy) -> dict:  # noqa: ANN001
    """One facility and district per role that is in its scope, and one that is out of it."""
    from oxychain.core.people import SYSTEM

    with oxy.uow(SYSTEM) as uow:
        districts = uow.masterdata.districts()
        lucknow = next(d for d in districts if d.name == "Lucknow")
        agra = next(d for d in districts if d.name == "Agra")
        lko = uow.masterdata.facilities(FacilityFilter(district_id=lucknow.id), limit=500)[0]
        agra_fac = uow.masterdata.facilities(FacilityFilter(district_id=agra.id), limit=1)[0][0]
        return {
            "lucknow": lucknow,
            "agra": agra,
            "lko_facilities": lko,
            "agra_facility": agra_fac,
            **_tendering_objects(uow),
            **_inspection_objects(uow),
            **distribution_policy.objects(uow),
            **planning_policy.objects(oxy),
        }


def _tendering_objects(uow) -> dict:  # noqa: ANN001
    """The demo's open tender (demo.bid-opener sits on its committee) and its first tender
    (they do not); SUP-01's bid and order (the demo supplier's) and another supplier's."""
    from oxychain.tendering.demo import REFS

    open_, first = (uow.tenders.tender(ref) for ref in (REFS[2], REFS[0]))
    sup01 = uow.masterdata.supplier_by_code("SUP-01").id
    bids = uow.tenders.bids(open_.id)
    orders = uow.contracts.purchase_orders()
    return {
        "tender_in": (open_.reference, {m.user_id for m in uow.tenders.committee(open_.id)}),
        "tender_out": (first.reference, {m.user_id for m in uow.tenders.committee(first.id)}),
        "bid_own": next(b for b in bids if b.supplier_id == sup01),
        "bid_other": next(b for b in bids if b.supplier_id != sup01),
        "po_own": next(o for o in orders if o.supplier_id == sup01),
        "po_other": next(o for o in orders if o.supplier_id != sup01),
    }


def _tendering_path(path: str, principal, objs: dict, in_scope: bool):  # noqa: ANN001, ANN202
    """{ref}: a committee seat is the opener's own (SELF); {bid_id}, {po_id}: the supplier's."""
    side = "own" if in_scope else "other"
    if "{ref}" in path:
        ref, members = objs["tender_in" if in_scope else "tender_out"]
        seat = principal.user_id if principal.user_id in members else None
        scope = ObjectScope(user_id=seat, supplier_id=principal.supplier_id)
        return path.replace("{ref}", ref), scope
    if "{bid_id}" in path:
        bid = objs[f"bid_{side}"]
        return path.replace("{bid_id}", str(bid.id)), ObjectScope(supplier_id=bid.supplier_id)
    po = objs[f"po_{side}"]
    return path.replace("{po_id}", str(po.id)), ObjectScope(supplier_id=po.supplier_id)


def _inspection_objects(uow) -> dict:  # noqa: ANN001
    """The demo's lots: SUP-01's first lot (accepted, inspected by IA-01, the demo
    inspector's agency) and SUP-03's lot (offered, no agency yet)."""
    from oxychain.inspection.repository import LotFilter

    sup01 = uow.masterdata.supplier_by_code("SUP-01").id
    sup03 = uow.masterdata.supplier_by_code("SUP-03").id
    return {
        "lot_in": uow.inspection.lots(LotFilter(supplier_id=sup01, status="accepted"))[-1],
        "lot_out": uow.inspection.lots(LotFilter(supplier_id=sup03))[-1],
    }


def _inspection_path(path: str, objs: dict, in_scope: bool):  # noqa: ANN202
    """{lot_id}, {position}: the lot's supplier and agency; {tranche_id}: the PO's supplier."""
    lot = objs["lot_in" if in_scope else "lot_out"]
    if "{tranche_id}" in path:
        return path.replace("{tranche_id}", str(lot.tranche_id)), ObjectScope(
            supplier_id=lot.supplier_id
        )
    concrete = path.replace("{lot_id}", str(lot.id)).replace("{position}", "1")
    return concrete, ObjectScope(supplier_id=lot.supplier_id, agency_id=lot.agency_id)


def _path(path: str, principal, objs: dict, in_scope: bool) -> tuple[str, ObjectScope | None]:  # noqa: ANN001
    if distribution_policy.handles(path):
        return distribution_policy.path(path, principal, objs, in_scope)
    if planning_policy.handles(path):
        return planning_policy.path(path, objs, in_scope)
    if any(p in path for p in ("{ref}", "{bid_id}", "{po_id}")):
        return _tendering_path(path, principal, objs, in_scope)
    if any(p in path for p in ("{lot_id}", "{tranche_id}")):
        return _inspection_path(path, objs, in_scope)
    if "{supplier_code}" in path:  # a supplier's item (inspection switching): SUP-01's or SUP-03's
        lot = objs["lot_in" if in_scope else "lot_out"]
        code = "SUP-01" if in_scope else "SUP-03"
        concrete = path.replace("{supplier_code}", code).replace("{item_code}", "OC-10")
        return concrete, ObjectScope(supplier_id=lot.supplier_id)
    if "{code}" not in path:
        return path, None
    if path.startswith(("/districts", "/api/v1/districts")):
        d = objs["lucknow"] if in_scope else objs["agra"]
        return path.replace("{code}", d.code), None
    if principal.facility_id:
        mine = next(f for f in objs["lko_facilities"] if f.id == principal.facility_id)
    else:
        mine = objs["lko_facilities"][-1]
    f = mine if in_scope else objs["agra_facility"]
    return path.replace("{code}", f.code), ObjectScope(district_id=f.district_id, facility_id=f.id)


def _call(rc, method: str, path: str):  # noqa: ANN001, ANN202
    if method == "GET":
        return rc.client.get(path)
    if method == "PUT":
        return rc.client.put(path, json={}, headers={"X-CSRF-Token": rc.csrf})
    return rc.post(path, data={})


@pytest.mark.parametrize("in_scope", [True, False], ids=["in-scope", "out-of-scope"])
def test_every_route_with_every_role(demo, in_scope: bool) -> None:  # noqa: ANN001
    url, logins = demo
    app, oxy = make_app(url)
    try:
        objs = _objects(oxy)
        wrong = []
        for role in Role:
            username, password = logins[role.value]
            rc = login_as(app, oxy, role.value, username, password)
            # Log out last: it ends the session the other calls use.
            routes = sorted(_routes(app), key=lambda r: r[1] == "/logout")
            for method, path, route in routes:
                guard = _guards(route.dependant)[0]
                if isinstance(guard, Public):
                    continue  # anyone may call it; its own checks (login CSRF) are tested elsewhere
                concrete, obj = _path(path, rc.principal, objs, in_scope)
                response = _call(rc, method, concrete)
                allowed = can(rc.principal, guard.permission, obj)
                refused = response.status_code in (401, 403)
                if allowed == refused:
                    wrong.append(
                        f"{role.value:20} {method:4} {concrete}: {response.status_code}, "
                        f"policy says {'allow' if allowed else 'refuse'}"
                    )
        assert wrong == [], "\n".join(wrong)
    finally:
        oxy.close()


def test_anonymous_callers_are_sent_to_login_or_refused(demo) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    url, _ = demo
    app, oxy = make_app(url)
    try:
        client = TestClient(app, follow_redirects=False)
        objs = _objects(oxy)
        for method, path, route in _routes(app):
            if isinstance(_guards(route.dependant)[0], Public):
                continue
            concrete = path.replace("{code}", objs["lucknow"].code)
            response = client.request(method, concrete)
            expected = 401 if path.startswith("/api/") else 303
            assert response.status_code == expected, f"{method} {concrete}: {response.status_code}"
            if expected == 303:
                assert response.headers["location"].startswith("/login")
    finally:
        oxy.close()
