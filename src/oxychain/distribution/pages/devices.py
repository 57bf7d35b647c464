"""Pages for moving devices: the scan page (works offline), a device's page, challans."""

from __future__ import annotations

import json
import uuid
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from oxychain.core import clock
from oxychain.core.errors import InvalidInput
from oxychain.core.services.auditing import record_history
from oxychain.core.web.deps import Anyone, guarded, reader, writer
from oxychain.core.web.templating import render
from oxychain.distribution.domain.challan import ChallanSource, ChallanStatus, split_serials
from oxychain.distribution.domain.lifecycle import EventKind, PlaceKind
from oxychain.distribution.domain.scan import Answer
from oxychain.distribution.pages.forms import attempt, terms
from oxychain.distribution.services import challans, scanning, tracking
from oxychain.distribution.text import FORM_ERRORS, explain, labels, refused

router = APIRouter()
_JS = resources.files("oxychain.distribution") / "static" / "js"


def _scan_page(request: Request, principal, status: int = 200, **extra) -> Response:  # noqa: ANN001
    choices = tracking.scan_choices(reader(request, principal))
    words = labels(request)
    return render(
        request,
        "distribution/scan.html",
        status_code=status,
        choices=choices,
        words=words,
        words_json=json.dumps(words, ensure_ascii=False),
        # a scan is dated on the tablet: its real clock plus the server's shift (non-zero
        # when the server runs on the demo's calendar, OXYCHAIN_TODAY)
        clock_shift_ms=int(clock.shift().total_seconds() * 1000),
        **extra,
    )


@router.get("/scan")
def scan_page(request: Request, principal: guarded("device.scan")) -> Response:
    return _scan_page(request, principal)


@router.post("/scan")
def scan_without_script(
    request: Request,
    principal: guarded("device.scan"),
    serial: Annotated[str, Form(max_length=64)] = "",
    event: Annotated[str, Form(max_length=20)] = "",
    to_facility: Annotated[str, Form(max_length=40)] = "",
    to_warehouse: Annotated[str, Form(max_length=40)] = "",
    challan: Annotated[str, Form(max_length=24)] = "",
) -> Response:
    """The same scan without JavaScript: recorded at once, with a fresh idempotency key."""
    to_kind, to_code = _destination(event, to_facility, to_warehouse)
    now = clock.now()
    scan = scanning.ScanIn(
        uuid.uuid4(), serial, event, now, to_kind or None, to_code or None, challan or None
    )
    try:
        result = scanning.record_scans(writer(request, principal), [scan], now)[0]
    except FORM_ERRORS as exc:
        error, status = refused(request, exc)
        return _scan_page(request, principal, status, error=error)
    message = explain(request, result.message, result.params) if result.message else ""
    return _scan_page(request, principal, 200, result=result, message=message)


def _destination(event: str, facility: str, warehouse: str) -> tuple[str, str]:
    """A move's destination from the form: an issue goes to a facility, a return to a
    warehouse (issuing to a home patient is a loan, on its own page)."""
    if event == EventKind.ISSUE:
        return PlaceKind.FACILITY, facility
    if event == EventKind.RETURN:
        return PlaceKind.WAREHOUSE, warehouse
    return "", ""


@router.get("/scan/token")
def scan_token(request: Request, principal: guarded("device.scan")) -> JSONResponse:
    """The session's CSRF token and who it is, asked just before the outbox is sent: a
    page kept from offline sends only its own person's scans, under their own session."""
    return JSONResponse(
        {"csrf": getattr(request.state, "csrf_token", "") or "", "user": str(principal.user_id)},
        headers={"Cache-Control": "no-store"},
    )


@router.get("/sw.js")
def service_worker(_request: Request, _anyone: Anyone) -> Response:
    """The scan page's service worker, served from the root so that it may control /scan."""
    body = (_JS / "scan-sw.js").read_text(encoding="utf-8")
    return Response(body, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


def _device_page(request: Request, principal, serial: str, status: int = 200, **extra) -> Response:  # noqa: ANN001
    card = tracking.device_card(reader(request, principal), serial, terms(request), clock.now())
    words = labels(request)
    return render(request, "distribution/device.html", status, card=card, words=words, **extra)


@router.get("/devices/{serial}")
def device_page(request: Request, serial: str, principal: guarded("device.read")) -> Response:
    return _device_page(request, principal, serial)


@router.post("/devices/{serial}/events")
def device_event(
    request: Request,
    serial: str,
    principal: guarded("device.scan"),
    event: Annotated[str, Form(max_length=20)] = "",
    to_facility: Annotated[str, Form(max_length=40)] = "",
    to_warehouse: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    to_kind, to_code = _destination(event, to_facility, to_warehouse)
    result = tracking.act_on_device(
        writer(request, principal), serial, event, clock.now(), to_kind, to_code
    )
    if result.status is Answer.REFUSED:
        error = explain(request, result.message, result.params)
        return _device_page(request, principal, serial, 409, error=error)
    return RedirectResponse(f"/devices/{result.serial}", status_code=303)


# --- challans -------------------------------------------------------------------------------


def _challans_page(request: Request, principal, status: int = 200, **extra) -> Response:  # noqa: ANN001
    wanted = request.query_params.get("status", "")
    wanted = wanted if wanted in {s.value for s in ChallanStatus} else ""
    po = request.query_params.get("po", "")
    po_id = int(po) if po.isdigit() and len(po) < 10 else None
    found = challans.list_challans(reader(request, principal), wanted or None, po_id)
    forms = challans.dispatch_forms(reader(request, principal))
    return render(
        request,
        "distribution/challans.html",
        status_code=status,
        rows=found.rows,
        orders=found.orders,
        wanted=wanted,
        po=po_id,
        statuses=list(ChallanStatus),
        forms=forms,
        words=labels(request),
        **extra,
    )


@router.get("/challans")
def challans_page(request: Request, principal: guarded("challan.read")) -> Response:
    return _challans_page(request, principal)


@router.post("/challans")
def create_challan(
    request: Request,
    principal: guarded("challan.write"),
    source: Annotated[str, Form(max_length=12)] = "",
    tranche_id: Annotated[str, Form(max_length=12)] = "",
    plan_ref: Annotated[str, Form(max_length=60)] = "",
    from_warehouse: Annotated[str, Form(max_length=40)] = "",
    to_kind: Annotated[str, Form(max_length=12)] = "",
    to_code: Annotated[str, Form(max_length=40)] = "",
    serials: Annotated[str, Form(max_length=200_000)] = "",
    count: Annotated[str, Form(max_length=6)] = "",
    vehicle: Annotated[str, Form(max_length=20)] = "",
    driver: Annotated[str, Form(max_length=80)] = "",
    key: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    form = dict(request.query_params) | {
        "source": source,
        "tranche_id": tranche_id,
        "plan_ref": plan_ref,
        "from_warehouse": from_warehouse,
        "to_kind": to_kind,
        "to_code": to_code,
        "serials": serials,
        "count": count,
        "vehicle": vehicle,
        "driver": driver,
    }
    return attempt(
        request,
        lambda: challans.dispatch(writer(request, principal), _command(form, key), clock.now()),
        lambda made: f"/challans/{made.number}",
        lambda error, status: _challans_page(request, principal, status, error=error, form=form),
    )


def _command(
    form: dict[str, str], key: str
) -> challans.TrancheChallan | challans.AllocationChallan:
    """The dispatch page's form as a challan to make (against a tranche or a plan)."""
    try:
        count = int(form.get("count") or 0)
        idem = uuid.UUID(key) if key else None
    except ValueError:
        raise InvalidInput("Count must be a whole number.", field="count") from None
    serials = tuple(split_serials(form.get("serials", "")))
    load = challans.Load(serials, count, form.get("vehicle", ""), form.get("driver", ""), idem)
    if form.get("source") == ChallanSource.TRANCHE:
        if not (form.get("tranche_id") or "").isdigit():
            raise InvalidInput("Choose the tranche this truck delivers.", field="tranche_id")
        return challans.TrancheChallan(int(form["tranche_id"]), load)
    return challans.AllocationChallan(
        form.get("plan_ref", ""),
        form.get("from_warehouse", ""),
        form.get("to_kind", ""),
        form.get("to_code", ""),
        load,
    )


def _challan_page(request: Request, principal, number: str, status: int = 200, **extra) -> Response:  # noqa: ANN001
    view = challans.get_challan(reader(request, principal), number)
    history = record_history(reader(request, principal), ("challan", view.challan.number))
    return render(
        request,
        "distribution/challan.html",
        status,
        view=view,
        history=history,
        actions=view.actions,
        words=labels(request),
        **extra,
    )


@router.get("/challans/{number}")
def challan_page(request: Request, number: str, principal: guarded("challan.read")) -> Response:
    return _challan_page(request, principal, number)


@router.post("/challans/{number}/receive")
def receive_serials(
    request: Request,
    number: str,
    principal: guarded("challan.receive"),
    serials: Annotated[str, Form(max_length=200_000)] = "",
) -> Response:
    """Serials typed or scanned into the receipt form, recorded against this challan."""
    results = challans.receive_typed(writer(request, principal), number, serials, clock.now())
    shown = [(r, explain(request, r.message, r.params) if r.message else "") for r in results]
    return _challan_page(request, principal, number, results=shown)


@router.post("/challans/{number}/close")
def close_receipt(
    request: Request,
    number: str,
    principal: guarded("challan.receive"),
    confirm_missing: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    confirmed = confirm_missing == "yes"
    return attempt(
        request,
        lambda: challans.close_receipt(writer(request, principal), number, clock.now(), confirmed),
        lambda _result: f"/challans/{number}",
        lambda error, status: _challan_page(request, principal, number, status, error=error),
    )
