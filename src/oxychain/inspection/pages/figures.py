"""The inspection dashboard, the supplier scorecard and the device registry lookup."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from oxychain.core.errors import NotFound
from oxychain.core.web.deps import guarded, reader
from oxychain.core.web.templating import language_of, render, translate
from oxychain.inspection.pages.charts import bar_chart
from oxychain.inspection.services import figures, views

router = APIRouter()


@router.get("/inspection")
def dashboard_page(request: Request, principal: guarded("inspection.dashboard")) -> Response:
    board = figures.dashboard(reader(request, principal))
    hindi = language_of(request) == "hi"
    suppliers = bar_chart([(r.label, r.count, r.total) for r in board.supplier_pass])
    parameters = bar_chart(
        [((r.label_hi if hindi else r.label), r.count, r.total) for r in board.parameter_pass],
        good_above=98.0,
    )
    return render(
        request,
        "inspection/dashboard.html",
        board=board,
        supplier_chart=suppliers,
        parameter_chart=parameters,
    )


@router.get("/inspection/scorecard")
def scorecard_page(
    request: Request,
    principal: guarded("supplier.scorecard"),
    supplier: Annotated[str, Query(max_length=24)] = "",
) -> Response:
    card = figures.scorecard(reader(request, principal), supplier or None)
    return render(request, "inspection/scorecard.html", card=card)


@router.get("/registry")
def devices_page(
    request: Request,
    principal: guarded("registry.read"),
    serial: Annotated[str, Query(max_length=60)] = "",
) -> Response:
    found, error = None, None
    if serial.strip():
        try:
            found = views.find_device(reader(request, principal), serial)
        except NotFound as exc:
            error = translate(request, exc.template, exc.params)
    status = 404 if error else 200
    return render(
        request,
        "inspection/devices.html",
        status_code=status,
        found=found,
        serial=serial,
        error=error,
    )
