"""The tablet form of one sampled unit: each reading judged as it is typed (htmx), the
whole test recorded at once as a draft (corrected freely) or signed (it then counts),
"same readings as the last unit" for a quick entry that still stores and judges every
reading."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from oxychain.core.errors import DomainError
from oxychain.core.web.deps import app_of, reader, writer
from oxychain.core.web.errors import refusal
from oxychain.core.web.params import Id, Position
from oxychain.core.web.templating import render, translate
from oxychain.inspection.domain import reading as readings
from oxychain.inspection.domain.lot import LOT
from oxychain.inspection.guards import lot_guarded
from oxychain.inspection.services import units as svc
from oxychain.inspection.services import views

router = APIRouter()
MAX_FIELDS = 40


def _unit_page(
    request: Request, principal, lot_id: Id, position: Position, status: int = 200, **extra
) -> Response:  # noqa: ANN001
    form = views.unit_form(reader(request, principal), lot_id, position)
    values = extra.pop("values", None)
    values = form.values if values is None else values
    warm_up = extra.pop("warm_up", form.warm_up)
    judged = {
        key: (reading, translate(request, *error) if error else None)
        for key, (reading, error) in views.judge_entered(form, warm_up, values).items()
    }
    return render(
        request,
        "inspection/unit.html",
        status_code=status,
        form=form,
        actions=form.actions,
        values=values,
        warm_up=warm_up,
        judged=judged,
        describe=readings.describe,
        **extra,
    )


def _unit_refused(
    request: Request,
    principal,  # noqa: ANN001
    lot_id: Id,
    position: Position,
    exc: DomainError,
    **typed: object,
) -> Response:
    """The unit's form again, with what was typed and the refusal."""
    error, status = refusal(request, exc)
    return _unit_page(request, principal, lot_id, position, status, error=error, **typed)


@router.get("/lots/{lot_id}/units/{position}")
def unit_page(
    request: Request, lot_id: Id, position: Position, principal: lot_guarded("lot.read")
) -> Response:
    return _unit_page(request, principal, lot_id, position)


def _next(outcome: svc.RecordOutcome, lot_id: Id, position: Position | None = None) -> str:
    """The verdict once the lot is decided; otherwise the next unit to test (or, after a
    copy, the unit copied to)."""
    if not LOT.can(outcome.lot_status, "record"):
        return f"/lots/{lot_id}#verdict"
    return f"/lots/{lot_id}#unit-{position}" if position else f"/lots/{lot_id}/next-unit"


@router.post("/lots/{lot_id}/units/{position}")
async def record_unit(
    request: Request, lot_id: Id, position: Position, principal: lot_guarded("lot.inspect")
) -> Response:
    form = await request.form(max_fields=MAX_FIELDS)
    values = {
        k: str(v)[:40]
        for k, v in form.items()
        if k not in ("csrf_token", "warm_up_min", "note", "sign")
    }
    warm_up, note = str(form.get("warm_up_min", ""))[:12], str(form.get("note", ""))[:300]
    cmd = svc.RecordUnit(
        lot_id,
        position,
        warm_up,
        values,
        note,
        app_of(request).settings.inspection_reduced_approved,
        sign=form.get("sign") == "yes",  # a draft unless the inspector signs with them
    )
    try:
        outcome = svc.record_unit(writer(request, principal), cmd)
    except DomainError as exc:
        typed = {"values": values, "warm_up": warm_up, "note": note}
        return _unit_refused(request, principal, lot_id, position, exc, **typed)
    if not outcome.signed:  # the draft again, to check and sign
        return RedirectResponse(f"/lots/{lot_id}/units/{position}#sign", status_code=303)
    return RedirectResponse(_next(outcome, lot_id), status_code=303)


@router.post("/lots/{lot_id}/units/{position}/sign")
def sign_unit(
    request: Request, lot_id: int, position: int, principal: lot_guarded("lot.inspect")
) -> Response:
    reduced = app_of(request).settings.inspection_reduced_approved
    try:
        outcome = svc.sign_unit(writer(request, principal), lot_id, position, reduced)
    except DomainError as exc:
        return _unit_refused(request, principal, lot_id, position, exc)
    return RedirectResponse(_next(outcome, lot_id), status_code=303)


@router.post("/lots/{lot_id}/units/{position}/copy-last")
def copy_last(
    request: Request, lot_id: Id, position: Position, principal: lot_guarded("lot.inspect")
) -> Response:
    reduced = app_of(request).settings.inspection_reduced_approved
    try:
        # the inspector attests the same readings for this unit: recorded and signed
        outcome = svc.copy_last_unit(
            writer(request, principal), lot_id, position, reduced, sign=True
        )
    except DomainError as exc:
        return _unit_refused(request, principal, lot_id, position, exc)
    return RedirectResponse(_next(outcome, lot_id, position), status_code=303)


@router.get("/lots/{lot_id}/next-unit")
def next_unit(request: Request, lot_id: Id, principal: lot_guarded("lot.read")) -> Response:
    """The first sampled unit still without readings (the lot page when there is none)."""
    view = views.lot_view(reader(request, principal), lot_id)
    untested = next((s for s in view.samples if s.test is None), None)
    if untested is None or "record" not in view.actions:
        return RedirectResponse(f"/lots/{lot_id}", status_code=303)
    return RedirectResponse(f"/lots/{lot_id}/units/{untested.sample.position}", status_code=303)


@router.get("/lots/{lot_id}/judge")
def judge(request: Request, lot_id: Id, principal: lot_guarded("lot.inspect")) -> Response:
    """One typed value judged against its limit (an htmx fragment); nothing is stored."""
    pairs = [(k, v) for k, v in request.query_params.items() if k != "csrf_token"][:1]
    point, value = pairs[0] if pairs else ("", "")
    reading, error = None, None
    try:
        reading = views.judge_value(reader(request, principal), lot_id, point, value[:40])
    except DomainError as exc:
        error = refusal(request, exc)[0]
    return render(request, "inspection/judged.html", reading=reading, error=error, point=point)
