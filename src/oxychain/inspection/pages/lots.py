"""Pages of lots: the list, offering and re-offering, the lot, assignment, sampling,
replacement of failed units, the certificate and the QR labels."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from oxychain.core import clock
from oxychain.core.errors import DomainError, FileRejected, InvalidInput
from oxychain.core.services.auditing import record_history
from oxychain.core.web.deps import guarded, reader, writer
from oxychain.core.web.errors import refusal
from oxychain.core.web.params import Id, Position
from oxychain.core.web.templating import render, translate
from oxychain.core.web.uploads import import_bounds, read_upload, while_connected
from oxychain.inspection.domain.lot import LotStatus
from oxychain.inspection.guards import lot_guarded
from oxychain.inspection.services import documents, units, views
from oxychain.inspection.services import lots as svc
from oxychain.inspection.services.serials import SerialFile
from oxychain.inspection.tables import Lot

router = APIRouter()


def _row_errors(request: Request, exc: FileRejected) -> list[tuple]:
    rows = getattr(exc, "row_errors", None)
    if rows is None:
        return [(r, c, translate(request, m)) for r, c, m in exc.rows]
    return [(e.row, e.column, translate(request, e.template, e.params)) for e in rows]


@router.get("/lots")
def lots_page(
    request: Request,
    principal: guarded("lot.read"),
    status: Annotated[str, Query(max_length=16)] = "",
    po: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    rows = views.list_lots(reader(request, principal), status or None, po)
    return render(
        request,
        "inspection/lots.html",
        rows=rows,
        status=status,
        statuses=list(LotStatus),
        po=po,
    )


def _offer_page(request: Request, principal, lot=None, status: int = 200, **extra) -> Response:  # noqa: ANN001
    tranches = [] if lot else views.open_tranches(reader(request, principal))
    return render(
        request,
        "inspection/offer.html",
        status_code=status,
        tranches=tranches,
        lot=lot,
        today=clock.today().isoformat(),
        **extra,
    )


def _offer_refused(
    request: Request,
    principal,  # noqa: ANN001
    exc: DomainError,
    form: dict[str, str],
    lot: Lot | None = None,
) -> Response:
    """The offer form again, as typed, with the refusal (and each row of a rejected file)."""
    error, status = refusal(request, exc)
    rows = _row_errors(request, exc) if isinstance(exc, FileRejected) else None
    return _offer_page(request, principal, lot, status, form=form, error=error, rows=rows)


@router.get("/lots/offer")
def offer_page(request: Request, principal: guarded("lot.offer")) -> Response:
    return _offer_page(request, principal)


async def _upload(request: Request, file: UploadFile | None) -> SerialFile:
    if file is None or not file.filename:
        return SerialFile("", b"")
    bounds = import_bounds(request)
    data = await read_upload(file, bounds["max_bytes"])
    return SerialFile(file.filename, data, **bounds)


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


@router.post("/lots/offer")
async def offer_lot(
    request: Request,
    principal: guarded("lot.offer"),
    tranche_id: Annotated[str, Form(max_length=12)] = "",
    place: Annotated[str, Form(max_length=200)] = "",
    ready_on: Annotated[str, Form(max_length=10)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    form = {"tranche_id": tranche_id, "place": place, "ready_on": ready_on}
    try:
        upload = await _upload(request, file)
        ready = _parse_date(ready_on)
        if not tranche_id.isdigit() or ready is None or not upload.data:
            raise InvalidInput("Choose a tranche, the date ready and the serial file.")
        uow = writer(request, principal)
        lot_id = await while_connected(
            request,
            lambda cancelled: svc.offer_lot(
                uow, svc.OfferLot(int(tranche_id), place, ready, upload.until(cancelled))
            ),
        )
    except DomainError as exc:
        return _offer_refused(request, principal, exc, form)
    return RedirectResponse(f"/lots/{lot_id}", status_code=303)


def _lot_page(request: Request, principal, lot_id: Id, status: int = 200, **extra) -> Response:  # noqa: ANN001
    view = views.lot_view(reader(request, principal), lot_id)
    choices = ([], [])
    if "assign" in view.actions:
        try:
            choices = views.assignment_choices(reader(request, principal))
        except DomainError:
            choices = ([], [])
    history = record_history(reader(request, principal), ("lot", view.lot.id))
    return render(
        request,
        "inspection/lot.html",
        status_code=status,
        view=view,
        history=history,
        actions=view.actions,
        agencies=choices[0],
        inspectors=choices[1],
        **extra,
    )


@router.get("/lots/{lot_id}")
def lot_page(request: Request, lot_id: Id, principal: lot_guarded("lot.read")) -> Response:
    return _lot_page(request, principal, lot_id)


def _act(request: Request, principal, lot_id: Id, action) -> Response:  # noqa: ANN001
    """Run a lot action; back to the lot page, with the refusal shown when there is one."""
    try:
        anchor = action() or ""
    except DomainError as exc:
        error, status = refusal(request, exc)
        return _lot_page(request, principal, lot_id, status, error=error)
    return RedirectResponse(f"/lots/{lot_id}{anchor}", status_code=303)


@router.post("/lots/{lot_id}/assign")
def assign_lot(
    request: Request,
    lot_id: Id,
    principal: lot_guarded("lot.assign"),
    agency_id: Annotated[str, Form(max_length=12)] = "",
    inspector_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    def action() -> None:
        if not (agency_id.isdigit() and inspector_id.isdigit()):
            raise InvalidInput("Choose an inspection agency and an inspector.")
        cmd = svc.AssignLot(lot_id, int(agency_id), int(inspector_id))
        svc.assign_lot(writer(request, principal), cmd)

    return _act(request, principal, lot_id, action)


@router.post("/lots/{lot_id}/sample")
def draw_sample(request: Request, lot_id: Id, principal: lot_guarded("lot.inspect")) -> Response:
    def action() -> str:
        svc.draw_sample(writer(request, principal), lot_id)
        return "#sample"

    return _act(request, principal, lot_id, action)


@router.get("/lots/{lot_id}/reoffer")
def reoffer_page(request: Request, lot_id: Id, principal: lot_guarded("lot.offer")) -> Response:
    view = views.lot_view(reader(request, principal), lot_id)
    return _offer_page(request, principal, lot=view.lot)


@router.post("/lots/{lot_id}/reoffer")
async def reoffer_lot(
    request: Request,
    lot_id: Id,
    principal: lot_guarded("lot.offer"),
    place: Annotated[str, Form(max_length=200)] = "",
    ready_on: Annotated[str, Form(max_length=10)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    form = {"place": place, "ready_on": ready_on}
    lot = views.lot_view(reader(request, principal), lot_id).lot
    try:
        upload = await _upload(request, file)
        ready = _parse_date(ready_on)
        if ready is None or not upload.data:
            raise InvalidInput("Choose the date ready and the serial file.")
        uow = writer(request, principal)
        new_id = await while_connected(
            request,
            lambda cancelled: svc.reoffer_lot(
                uow, svc.ReofferLot(lot_id, place, ready, upload.until(cancelled))
            ),
        )
    except DomainError as exc:
        return _offer_refused(request, principal, exc, form, lot)
    return RedirectResponse(f"/lots/{new_id}", status_code=303)


@router.post("/lots/{lot_id}/units/{position}/replace")
def replace_unit(
    request: Request,
    lot_id: Id,
    position: Position,
    principal: lot_guarded("lot.offer"),
    serial: Annotated[str, Form(max_length=60)] = "",
    make: Annotated[str, Form(max_length=100)] = "",
    model: Annotated[str, Form(max_length=100)] = "",
    manufactured_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    def action() -> str:
        made = _parse_date(manufactured_on)
        if made is None:
            raise InvalidInput("Give the replacement's manufacture date.")
        cmd = units.ReplaceUnit(lot_id, position, serial, make, model, made)
        new_position = units.replace_unit(writer(request, principal), cmd)
        return f"#unit-{new_position}"

    return _act(request, principal, lot_id, action)


def _pdf(name: str, data: bytes) -> Response:
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return Response(data, media_type="application/pdf", headers=headers)


@router.get("/lots/{lot_id}/certificate.pdf")
def certificate(request: Request, lot_id: Id, principal: lot_guarded("lot.read")) -> Response:
    return _pdf(*documents.certificate_pdf(reader(request, principal), lot_id))


@router.get("/lots/{lot_id}/labels.pdf")
def labels(request: Request, lot_id: Id, principal: lot_guarded("lot.read")) -> Response:
    return _pdf(*documents.labels_pdf(reader(request, principal), lot_id))


@router.get("/lots/{lot_id}/devices")
def lot_devices(request: Request, lot_id: Id, principal: lot_guarded("lot.read")) -> Response:
    lot, devices = views.lot_devices(reader(request, principal), lot_id)
    return render(request, "inspection/lot_devices.html", lot=lot, devices=devices)
