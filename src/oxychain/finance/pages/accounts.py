"""The ledger (per order and per supplier, with the state's summary for finance), the
securities register with its alerts and actions, and the downloads (Excel, Tally XML)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from oxychain.core.access import can
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.finance.domain.bill import STATUS_LABELS
from oxychain.finance.domain.ledger import AGEING
from oxychain.finance.domain.securities import DEPOSIT_LABELS, GUARANTEE_LABELS
from oxychain.finance.pages.common import attempt, day, page, paise
from oxychain.finance.services import exports, ledger, securities

router = APIRouter()
PoId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BidId = Annotated[int, Path(ge=1, le=2**31 - 1)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/ledger")
def ledger_page(request: Request, principal: guarded("ledger.read")) -> Response:
    settings = app_of(request).settings
    book = ledger.ledger(reader(request, principal), settings)
    queue = (
        ledger.summary_bills(reader(request, principal))
        if can(principal, "finance.summary")
        else []
    )
    return page(
        request,
        "finance/ledger.html",
        book=book,
        queue=queue,
        ageing=[label for *_, label in AGEING],
        statuses=STATUS_LABELS,
    )


def _register_page(request: Request, principal, error: str = "", status: int = 200):  # noqa: ANN001, ANN202
    found = securities.register(reader(request, principal))
    return page(
        request,
        "finance/securities.html",
        status,
        register=found,
        error=error,
        deposit_labels=DEPOSIT_LABELS,
        guarantee_labels=GUARANTEE_LABELS,
    )


@router.get("/securities")
def securities_page(request: Request, principal: guarded("security.read")) -> Response:
    return _register_page(request, principal)


def _act(request: Request, principal, action) -> Response:  # noqa: ANN001
    def run() -> str:
        action()
        return "/securities"

    return attempt(request, run, lambda e, s: _register_page(request, principal, e, s))


@router.post("/bids/{bid_id}/emd-refund")
def refund(
    request: Request,
    bid_id: BidId,
    principal: guarded("security.write"),
    paid_on: Annotated[str, Form(max_length=10)] = "",
    reference: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    def run() -> None:
        cmd = securities.RecordRefund(day(paid_on), reference)
        securities.record_refund(writer(request, principal), bid_id, cmd)

    return _act(request, principal, run)


@router.post("/bids/{bid_id}/emd-forfeit")
def forfeit(
    request: Request,
    bid_id: BidId,
    principal: guarded("security.write"),
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    return _act(
        request,
        principal,
        lambda: securities.forfeit_deposit(writer(request, principal), bid_id, reason),
    )


@router.post("/purchase-orders/{po_id}/guarantee")
def verify(
    request: Request,
    po_id: PoId,
    principal: guarded("security.write"),
    bank: Annotated[str, Form(max_length=120)] = "",
    amount: Annotated[str, Form(max_length=24)] = "",
    valid_until: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    def run() -> None:
        cmd = securities.VerifyGuarantee(bank, paise(amount), day(valid_until))
        securities.verify_guarantee(writer(request, principal), po_id, cmd)

    return _act(request, principal, run)


@router.post("/purchase-orders/{po_id}/guarantee/release")
def release(request: Request, po_id: PoId, principal: guarded("security.write")) -> Response:
    return _act(
        request, principal, lambda: securities.release_guarantee(writer(request, principal), po_id)
    )


def _file(body: bytes, media: str, name: str) -> Response:
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/finance/ledger.xlsx")
def ledger_xlsx(request: Request, principal: guarded("finance.export")) -> Response:
    body = exports.ledger_workbook(reader(request, principal), app_of(request).settings)
    return _file(body, XLSX, "oxychain-ledger.xlsx")


@router.get("/finance/tally.xml")
def tally_xml(request: Request, principal: guarded("finance.export")) -> Response:
    body = exports.tally_vouchers(reader(request, principal), app_of(request).settings)
    return _file(body, "application/xml", "oxychain-tally-vouchers.xml")


@router.get("/finance/tally-masters.xml")
def tally_masters(request: Request, principal: guarded("finance.export")) -> Response:
    body = exports.tally_masters(reader(request, principal), app_of(request).settings)
    return _file(body, "application/xml", "oxychain-tally-ledgers.xml")
