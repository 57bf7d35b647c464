"""Bid pages: the supplier's sealing form and receipts, the opener's release page, the
committee's technical evaluation, the comparative statement and the award."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from oxychain.core.errors import DomainError, InvalidInput
from oxychain.core.web.deps import guarded, reader, writer
from oxychain.core.web.errors import refusal
from oxychain.core.web.templating import render, translate
from oxychain.tendering.pages.format import helpers
from oxychain.tendering.services import award as results
from oxychain.tendering.services import bids as bidding
from oxychain.tendering.services import evaluation, opening

router = APIRouter()
Ref = Annotated[str, Path(max_length=40)]
BidId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(request: Request, template: str, status: int = 200, **context) -> Response:  # noqa: ANN003
    return render(request, template, status_code=status, **helpers(request), **context)


def _attempt(
    request: Request, action: Callable[[], str], again: Callable[[str, int], Response]
) -> Response:
    """Run a form's action and go where it says; on a refusal show the form's page again
    with the reason (a missing or forbidden record goes to the error page)."""
    try:
        target = action()
    except ValueError:  # a form field that is not a number
        return again(translate(request, "Not found."), 422)
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        return again(*refusal(request, exc))
    return RedirectResponse(target, status_code=303)


def _again(page, request: Request, principal, key: str | int) -> Callable[[str, int], Response]:  # noqa: ANN001
    """The page of one tender (or bid), to show again with a refusal."""
    return lambda error, status: page(request, principal, key, error, status)


@router.get("/tenders/{ref}/bid")
def bid_page(request: Request, ref: Ref, principal: guarded("bid.submit")) -> Response:
    ctx = bidding.sealing_context(reader(request, principal), ref)
    return _page(request, "tendering/bid.html", ctx=ctx)


@router.get("/bids/{bid_id}")
def receipt_page(request: Request, bid_id: BidId, principal: guarded("bid.read")) -> Response:
    return _receipt_page(request, principal, bid_id)


def _receipt_page(request: Request, principal, bid_id: int, error: str = "", status: int = 200):  # noqa: ANN001, ANN202
    view = bidding.get_bid(reader(request, principal), bid_id)
    return _page(
        request, "tendering/bid_receipt.html", status, view=view, actions=view.actions, error=error
    )


@router.get("/bids/{bid_id}/receipt.json")
def receipt_file(request: Request, bid_id: BidId, principal: guarded("bid.read")) -> Response:
    view = bidding.get_bid(reader(request, principal), bid_id)
    name = f"receipt-{view.tender.reference}-{view.bid.id}.json"
    return Response(
        json.dumps(view.receipt, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/bids/{bid_id}/withdraw")
def withdraw(
    request: Request,
    bid_id: BidId,
    principal: guarded("bid.submit"),
    confirm: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    bidding.check_bid_scope(reader(request, principal), bid_id, "bid.submit")

    def run() -> str:
        if confirm != "yes":
            raise InvalidInput("Tick the box to confirm the withdrawal.")
        bidding.withdraw_bid(writer(request, principal), bid_id)
        return f"/bids/{bid_id}"

    return _attempt(request, run, _again(_receipt_page, request, principal, bid_id))


@router.get("/tenders/{ref}/opening")
def opening_page(request: Request, ref: Ref, principal: guarded("share.release")) -> Response:
    state = opening.opening_state(reader(request, principal), ref)
    return _page(request, "tendering/opening.html", state=state)


def _evaluation_page(request: Request, principal, ref: str, error: str = "", status: int = 200):  # noqa: ANN001, ANN202
    state = evaluation.evaluation_state(reader(request, principal), ref)
    return _page(
        request,
        "tendering/evaluation.html",
        status,
        state=state,
        actions=state.actions,
        error=error,
    )


@router.get("/tenders/{ref}/evaluation")
def evaluation_page(request: Request, ref: Ref, principal: guarded("tender.evaluate")) -> Response:
    return _evaluation_page(request, principal, ref)


@router.post("/tenders/{ref}/evaluation")
async def record_findings(
    request: Request, ref: Ref, principal: guarded("tender.evaluate")
) -> Response:
    form = await request.form()

    def run() -> str:
        bid_id = int(str(form.get("bid", "0")))
        findings = {}
        for key, value in form.items():
            if key.startswith("complies_"):
                if value not in ("yes", "no"):  # nothing is chosen for the evaluator
                    raise InvalidInput("Choose a finding for every criterion.")
                criterion = int(key.removeprefix("complies_"))
                findings[criterion] = (value == "yes", str(form.get(f"reason_{criterion}", "")))
        evaluation.record_findings(writer(request, principal), ref, bid_id, findings)
        return f"/tenders/{ref}/evaluation#bid-{bid_id}"

    return _attempt(request, run, _again(_evaluation_page, request, principal, ref))


@router.post("/tenders/{ref}/evaluation/conclude")
def conclude(request: Request, ref: Ref, principal: guarded("tender.evaluate")) -> Response:
    def run() -> str:
        evaluation.conclude_technical(writer(request, principal), ref)
        return f"/tenders/{ref}"

    return _attempt(request, run, _again(_evaluation_page, request, principal, ref))


@router.get("/tenders/{ref}/technical")
def technical_page(request: Request, ref: Ref, principal: guarded("tender.read")) -> Response:
    state = evaluation.technical_record(reader(request, principal), ref)
    return _page(request, "tendering/technical.html", state=state)


def _comparative(request: Request, principal, ref: str, error: str = "", status: int = 200):  # noqa: ANN001, ANN202
    statement = results.comparative_statement(reader(request, principal), ref)
    return _page(
        request,
        "tendering/comparative.html",
        status,
        statement=statement,
        actions=statement.actions,
        error=error,
    )


@router.get("/tenders/{ref}/comparative")
def comparative_page(request: Request, ref: Ref, principal: guarded("tender.read")) -> Response:
    return _comparative(request, principal, ref)


def _bounded_int(text: str) -> int:
    """A whole number from a form field, 0-10,000,000; InvalidInput otherwise."""
    value = text.strip()
    if not value.isdigit() or len(value) > 8 or int(value) > 10_000_000:
        raise InvalidInput("Enter a whole number of units.")
    return int(value)


@router.post("/tenders/{ref}/award")
async def award(request: Request, ref: Ref, principal: guarded("tender.award")) -> Response:
    form = await request.form()

    def run() -> str:
        matched = {int(str(v)) for v in form.getlist("matched")}
        taken = {}
        for key, value in form.items():
            if key.startswith("taken_") and str(value).strip():
                taken[_bounded_int(key[6:])] = _bounded_int(str(value))
        results.award_tender(writer(request, principal), ref, matched, taken=taken)
        return f"/tenders/{ref}"

    return _attempt(request, run, _again(_comparative, request, principal, ref))
