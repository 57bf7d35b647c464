"""Every route × every role, in scope and out of scope, against the one declarative policy.

A route without a Guard or PUBLIC fails here, so a new route cannot skip the policy.
"""

from __future__ import annotations

import importlib

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount

from oxychain.core import areas
from oxychain.core.access import can
from oxychain.core.people import ObjectScope, Role
from oxychain.core.web.guards import Guard, Public
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


def _cases() -> list:
    """Each installed area's path cases (``tests/<area>/policy_cases.py``: ``handles``,
    ``objects`` and ``path``), so that an area with path parameters brings its own."""
    found = []
    for area in areas.installed():
        try:
            found.append(importlib.import_module(f"tests.{area.name}.policy_cases"))
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{area.name}.policy_cases":
                raise
    return found


def _objects(oxy) -> dict:  # noqa: ANN001
    """Per area, one object in each role's scope and one out of it."""
    objs: dict = {}
    for cases in _cases():
        objs.update(cases.objects(oxy))
    return objs


def _path(path: str, principal, objs: dict, in_scope: bool) -> tuple[str, ObjectScope | None]:  # noqa: ANN001
    """The route's path with its parameters filled, and the scope of the object it names."""
    for cases in _cases():
        if cases.handles(path):
            return cases.path(path, principal, objs, in_scope)
    assert "{" not in path, f"no tests/<area>/policy_cases.py handles {path}"
    return path, None


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
