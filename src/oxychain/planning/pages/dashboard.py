"""The district dashboard: the state's (headquarters) and one district's (its CMO too)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from oxychain.core import clock
from oxychain.core.access import Scope, scope_of
from oxychain.core.web.deps import app_of, guarded, reader
from oxychain.core.web.templating import render
from oxychain.planning.pages.maps import fill_map
from oxychain.planning.services import dashboard

router = APIRouter()
# The devices-by-state bars, in a device's order of life (distribution.domain.stock.summary).
STATES = ("dispatched", "in_stores", "installed", "on_loan", "down")


@router.get("/dashboard")
def state_dashboard_page(request: Request, principal: guarded("dashboard.read")) -> Response:
    if scope_of(principal, "dashboard.read") is not Scope.ALL:
        with app_of(request).uow(principal) as uow:
            code = uow.masterdata.district_by_id(principal.district_id or -1).code
        return RedirectResponse(f"/dashboard/districts/{code}", status_code=303)
    board = dashboard.state_dashboard(reader(request, principal), app_of(request).settings)
    met = {line.need.row.name: line.need.met for line in board.lines}
    return render(
        request,
        "planning/dashboard.html",
        board=board,
        totals=board.totals,
        states=STATES,
        map=fill_map(request, principal, met),
    )


@router.get("/dashboard/districts/{district_code}")
def district_dashboard_page(
    request: Request, district_code: str, principal: guarded("dashboard.read")
) -> Response:
    board = dashboard.district_dashboard(
        reader(request, principal), app_of(request).settings, district_code[:16], clock.now()
    )
    sites = sorted(board.need.sites, key=lambda s: -int(s.gap.max()))
    return render(
        request,
        "planning/dashboard_district.html",
        board=board,
        need=board.need,
        sites=sites,
        states=STATES,
        peak=max(1, max(board.states.get(s, 0) for s in STATES)),
    )
