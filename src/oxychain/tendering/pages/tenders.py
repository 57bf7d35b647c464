"""Tender pages: the list, the officer's form and actions, a tender's page, the opener's key,
and the public tender notice (no login)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from oxychain.core.errors import DomainError
from oxychain.core.services.auditing import record_history
from oxychain.core.web.deps import Anyone, app_of, guarded, reader, writer
from oxychain.core.web.errors import refusal
from oxychain.core.web.templating import render, translate
from oxychain.masterdata import services as masterdata
from oxychain.masterdata.domain import catalogue
from oxychain.tendering.domain.bid import rupees_to_paise
from oxychain.tendering.pages.format import helpers, parse_ist
from oxychain.tendering.services import committee
from oxychain.tendering.services import tenders as tendering
from oxychain.tendering.services import views as tender_views
from oxychain.tendering.services.tender_input import TenderIn, create_command

router = APIRouter()
Ref = Annotated[str, Path(max_length=40)]
CONSIGNEE_ROWS = 6


def _page(request: Request, template: str, status: int = 200, **context) -> Response:  # noqa: ANN003
    return render(request, template, status_code=status, **helpers(request), **context)


def _attempt(
    request: Request, action: Callable[[], str], again: Callable[[str, int], Response]
) -> Response:
    """Run a form's action and go where it says; on a refusal show the form's page again
    with the reason (an unknown tender or a forbidden act goes to the error page)."""
    try:
        target = action()
    except ValidationError as exc:
        fields = ", ".join(sorted({str(e["loc"][0]) for e in exc.errors() if e.get("loc")}))
        return again(translate(request, "Some of the input is not valid.") + f" ({fields})", 422)
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        return again(*refusal(request, exc))
    return RedirectResponse(target, status_code=303)


@router.get("/tenders")
def tenders_page(request: Request, principal: guarded("tender.read")) -> Response:
    rows = tender_views.list_tenders(reader(request, principal))
    return _page(request, "tendering/tenders.html", rows=rows)


def _form_page(request: Request, principal, form: dict, error: str = "", status: int = 200):  # noqa: ANN001, ANN202
    warehouses = [w for w, _ in masterdata.list_warehouses(reader(request, principal))]
    return _page(
        request,
        "tendering/tender_form.html",
        status,
        form=form,
        error=error,
        items=catalogue.CATALOGUE,
        warehouses=warehouses,
        rows=CONSIGNEE_ROWS,
        settings=app_of(request).settings,
    )


@router.get("/tenders/new")
def new_tender_page(request: Request, principal: guarded("tender.write")) -> Response:
    return _form_page(request, principal, {"emd_pct": "2", "ps_pct": "3", "k": "2"})


def _tender_input(form: dict) -> TenderIn:
    rows = []
    for i in range(CONSIGNEE_ROWS):
        if form.get(f"qty_{i}", "").strip():
            rows.append(
                {
                    "tranche": form.get(f"tranche_{i}") or 1,
                    "warehouse": form.get(f"warehouse_{i}", ""),
                    "quantity": form.get(f"qty_{i}"),
                    "due_days": form.get(f"due_{i}") or 0,
                }
            )
    return TenderIn(
        reference=form.get("reference", ""),
        title=form.get("title", ""),
        title_hi=form.get("title_hi", ""),
        item=form.get("item", ""),
        quantity=form.get("quantity") or 0,
        estimated_value_paise=_paise(form.get("estimated_value", "")),
        emd_bp=_bp(form["emd_pct"]) if form.get("emd_pct", "").strip() else 0,
        performance_security_bp=_bp(form.get("ps_pct", "")),
        deadline=parse_ist(form.get("deadline", ""), "deadline"),
        opening_at=parse_ist(form.get("opening_at", ""), "opening time"),
        consignees=rows,
        openers_required=form.get("k") or 0,
        bid_validity_days=form.get("validity") or 90,
        warranty_months=form.get("warranty") or None,
        mii_preference=form.get("mii") == "on",
        mse_preference=form.get("mse") == "on",
        global_tender=form.get("global_tender") == "on",
        bid_security_mode=form.get("bid_security_mode") or None,
        declaration_suspension_months=form.get("suspension_months") or None,
    )


def _paise(text: str) -> int:
    return rupees_to_paise(text) if text.strip() else 0


def _bp(text: str) -> int:
    try:
        return int(Decimal(text.strip()) * 100)
    except (InvalidOperation, ValueError):
        return -1


@router.post("/tenders")
async def create_tender(request: Request, principal: guarded("tender.write")) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}

    def run() -> str:
        cmd = create_command(_tender_input(form), app_of(request).settings)
        tender = tendering.create_tender(writer(request, principal), cmd)
        return f"/tenders/{tender.reference}"

    return _attempt(
        request, run, lambda error, status: _form_page(request, principal, form, error, status)
    )


def _tender_page(request: Request, principal, ref: str, error: str = "", status: int = 200):  # noqa: ANN001, ANN202
    view = tender_views.tender_view(reader(request, principal), ref)
    candidates = []
    if "seat_opener" in view.actions:
        candidates = tender_views.opener_candidates(reader(request, principal), view.tender.id)
    history = record_history(reader(request, principal), ("tender", view.tender.reference))
    return _page(
        request,
        "tendering/tender.html",
        status,
        view=view,
        history=history,
        actions=view.actions,
        error=error,
        candidates=candidates,
    )


@router.get("/tenders/{ref}")
def tender_page(request: Request, ref: Ref, principal: guarded("tender.read")) -> Response:
    return _tender_page(request, principal, ref)


def _act(request: Request, principal, ref: str, action) -> Response:  # noqa: ANN001
    """Run an officer's action on a tender; on a refusal show its page with the reason."""

    def run() -> str:
        action()
        return f"/tenders/{ref}"

    return _attempt(
        request, run, lambda error, status: _tender_page(request, principal, ref, error, status)
    )


@router.post("/tenders/{ref}/committee")
def add_member(
    request: Request,
    ref: Ref,
    principal: guarded("tender.write"),
    username: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    return _act(
        request,
        principal,
        ref,
        lambda: committee.add_committee_member(writer(request, principal), ref, username),
    )


@router.post("/tenders/{ref}/publish")
def publish(request: Request, ref: Ref, principal: guarded("tender.write")) -> Response:
    return _act(
        request, principal, ref, lambda: tendering.publish_tender(writer(request, principal), ref)
    )


@router.post("/tenders/{ref}/corrigenda")
def corrigendum(
    request: Request,
    ref: Ref,
    principal: guarded("tender.write"),
    text: Annotated[str, Form(max_length=2000)] = "",
    deadline: Annotated[str, Form(max_length=20)] = "",
    opening_at: Annotated[str, Form(max_length=20)] = "",
    validity: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    def run() -> None:
        changes = {
            "deadline": parse_ist(deadline, "deadline") if deadline else None,
            "opening_at": parse_ist(opening_at, "opening time") if opening_at else None,
            "bid_validity_days": int(validity) if validity.strip().isdigit() else None,
        }
        tendering.publish_corrigendum(writer(request, principal), ref, changes, text)

    return _act(request, principal, ref, run)


@router.post("/tenders/{ref}/close")
def close(request: Request, ref: Ref, principal: guarded("tender.write")) -> Response:
    return _act(
        request, principal, ref, lambda: tendering.close_tender(writer(request, principal), ref)
    )


@router.post("/tenders/{ref}/cancel")
def cancel(
    request: Request,
    ref: Ref,
    principal: guarded("tender.write"),
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    return _act(
        request,
        principal,
        ref,
        lambda: tendering.cancel_tender(writer(request, principal), ref, reason),
    )


@router.get("/openers/key")
def opener_key_page(request: Request, principal: guarded("opener.key")) -> Response:
    key = committee.my_opener_key(reader(request, principal))
    return _page(request, "tendering/opener_key.html", key=key)


@router.get("/public/tenders")
def public_tenders(request: Request, _anyone: Anyone) -> Response:
    rows = tender_views.public_tenders(app_of(request).uow())
    return _page(request, "tendering/public_tenders.html", rows=rows)


@router.get("/public/tenders/{ref}")
def public_tender(request: Request, ref: Ref, _anyone: Anyone) -> Response:
    view = tender_views.public_notice(app_of(request).uow(), ref)
    return _page(request, "tendering/public_tender.html", view=view)
