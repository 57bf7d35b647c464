"""Stock pages (per facility, warehouse and district, and the state-wide table) and uptime
with the preventive maintenance schedule."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from oxychain.core import clock
from oxychain.core.web.deps import app_of, guarded, reader
from oxychain.core.web.templating import render
from oxychain.distribution.domain import maintenance
from oxychain.distribution.services import stock
from oxychain.distribution.text import labels

router = APIRouter()


@router.get("/stock")
def stock_home(request: Request, principal: guarded("stock.read")) -> Response:
    """HQ sees every district; everyone else lands on their own facility, store or district."""
    place = stock.home_place(reader(request, principal))
    if place:
        return RedirectResponse(place, status_code=303)
    rows = stock.state_overview(reader(request, principal))
    return render(request, "distribution/stock_overview.html", rows=rows, words=labels(request))


def _stock_page(request: Request, view: stock.StockView, state: str) -> Response:
    return render(request, "distribution/stock.html", view=view, state=state, words=labels(request))


@router.get("/stock/facilities/{facility}")
def facility_stock(
    request: Request,
    facility: str,
    principal: guarded("stock.read"),
    state: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    view = stock.place_stock(reader(request, principal), "facility", facility, clock.now(), state)
    return _stock_page(request, view, state)


@router.get("/stock/warehouses/{warehouse}")
def warehouse_stock(
    request: Request,
    warehouse: str,
    principal: guarded("stock.read"),
    state: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    view = stock.place_stock(reader(request, principal), "warehouse", warehouse, clock.now(), state)
    return _stock_page(request, view, state)


@router.get("/stock/districts/{district}")
def district_stock(request: Request, district: str, principal: guarded("stock.read")) -> Response:
    view = stock.place_stock(reader(request, principal), "district", district, clock.now())
    return _stock_page(request, view, "")


def _uptime_page(request: Request, principal, level: str, code: str, days: int) -> Response:  # noqa: ANN001
    report = stock.uptime_report(reader(request, principal), level, code, days, clock.now())
    interval = app_of(request).settings.pm_interval_days
    schedule = stock.maintenance_schedule(
        reader(request, principal), level, code, interval, clock.today()
    )
    return render(
        request,
        "distribution/uptime.html",
        report=report,
        level=level,
        days=days,
        schedule=schedule,
        interval=interval,
        targets=maintenance.UPTIME_TARGETS,
    )


@router.get("/uptime/facilities/{facility}")
def facility_uptime(
    request: Request,
    facility: str,
    principal: guarded("uptime.read"),
    days: Annotated[int, Query(ge=1, le=366)] = 90,
) -> Response:
    return _uptime_page(request, principal, "facility", facility, days)


@router.get("/uptime/districts/{district}")
def district_uptime(
    request: Request,
    district: str,
    principal: guarded("uptime.read"),
    days: Annotated[int, Query(ge=1, le=366)] = 90,
) -> Response:
    return _uptime_page(request, principal, "district", district, days)
