"""The inspection dashboard, the supplier scorecard (where a discontinued supplier × item
is resumed) and the device registry lookup."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from oxychain.core.errors import DomainError, InvalidInput, NotFound
from oxychain.core.web.deps import guarded, reader, writer
from oxychain.core.web.errors import refusal
from oxychain.core.web.templating import language_of, render
from oxychain.inspection.domain.device import QaStatus
from oxychain.inspection.pages.charts import bar_chart
from oxychain.inspection.services import figures, switching, views

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
    return _scorecard_page(request, principal, supplier)


def _scorecard_page(
    request: Request, principal, supplier: str, status: int = 200, **extra
) -> Response:  # noqa: ANN001
    card = figures.scorecard(reader(request, principal), supplier or None)
    return render(request, "inspection/scorecard.html", status_code=status, card=card, **extra)


Code = Annotated[str, Path(max_length=24)]


@router.post("/inspection/switching/{supplier_code}/{item_code}/resume")
def resume_inspection(
    request: Request,
    supplier_code: Code,
    item_code: Code,
    principal: guarded("switching.resume"),
    corrective_action: Annotated[str, Form(max_length=300)] = "",
    confirm: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """ISO 2859-1, 9.4: the supplier's corrective action accepted, inspection resumes on
    tightened inspection; back to the scorecard, or the refusal beside the form."""
    try:
        if confirm != "yes":
            raise InvalidInput("Tick the box to confirm that inspection resumes.")
        cmd = switching.ResumeInspection(supplier_code, item_code, corrective_action)
        switching.resume_inspection(writer(request, principal), cmd)
    except DomainError as exc:
        error, status = refusal(request, exc)
        typed = {"corrective_action": corrective_action, "item": item_code}
        return _scorecard_page(request, principal, supplier_code, status, error=error, typed=typed)
    target = f"/inspection/scorecard?supplier={quote(supplier_code)}#item-{quote(item_code)}"
    return RedirectResponse(target, status_code=303)


@router.get("/registry")
def devices_page(
    request: Request,
    principal: guarded("registry.read"),
    serial: Annotated[str, Query(max_length=60)] = "",
    q: Annotated[str, Query(max_length=60)] = "",
    qa: Annotated[str, Query(max_length=16)] = "",
    po: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    sort: Annotated[str, Query(max_length=12)] = "serial",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """One device by its exact serial, and the registry as a list (filters, sort, pages)."""
    found, error, status = None, None, 200
    if serial.strip():
        try:
            found = views.find_device(reader(request, principal), serial)
        except NotFound as exc:
            error, status = refusal(request, exc)
    listing = views.list_registry(
        reader(request, principal),
        qa_status=qa,
        purchase_order_id=po,
        serial_prefix=q,
        sort=sort,
        page=page,
    )
    return render(
        request,
        "inspection/devices.html",
        status_code=status,
        found=found,
        serial=serial,
        error=error,
        listing=listing,
        filters={"q": q, "qa": qa, "po": po or "", "sort": sort},
        qa_statuses=list(QaStatus),
        sorts=views.REGISTRY_SORTS,
    )
