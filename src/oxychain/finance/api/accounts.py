"""The ledger, the finance officer's summary, the securities register and the exports
(Excel, Tally XML) over the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.params import Day
from oxychain.finance.domain.ledger import Account
from oxychain.finance.services import exports, ledger, securities

router = APIRouter(tags=["ledger and securities"])
PoId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BidId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class AccountOut(BaseModel):
    delivered_paise: int = Field(description="Value of the milestones reached, with GST.")
    billed_paise: int
    unbilled_paise: int
    deducted_paise: int
    paid_paise: int
    outstanding_paise: int = Field(description="delivered − deducted − paid")
    awaiting_check_paise: int
    payable_paise: int
    ageing_paise: dict[str, int] = Field(description="Unpaid balance by days since submission.")


class OrderAccountOut(BaseModel):
    purchase_order_id: int
    purchase_order: str
    current_version: str
    supplier: str
    tender: str
    account: AccountOut
    bills: dict[str, int]
    overdue_bills: int


class SupplierAccountOut(BaseModel):
    supplier: str
    name: str
    account: AccountOut


class LedgerOut(BaseModel):
    as_of: Day
    orders: list[OrderAccountOut]
    suppliers: list[SupplierAccountOut]
    total: AccountOut
    bills: dict[str, int]
    overdue_bills: int


def account_out(a: Account) -> AccountOut:
    return AccountOut(
        delivered_paise=a.delivered,
        billed_paise=a.billed,
        unbilled_paise=a.unbilled,
        deducted_paise=a.deducted,
        paid_paise=a.paid,
        outstanding_paise=a.outstanding,
        awaiting_check_paise=a.awaiting_check,
        payable_paise=a.payable,
        ageing_paise=dict(a.ageing),
    )


def ledger_out(book: ledger.Ledger) -> LedgerOut:
    return LedgerOut(
        as_of=book.as_of,
        orders=[
            OrderAccountOut(
                purchase_order_id=o.order.id,
                purchase_order=o.order.number,
                current_version=o.current.number,
                supplier=o.supplier.code,
                tender=o.tender_reference,
                account=account_out(o.account),
                bills=dict(o.bills),
                overdue_bills=o.overdue,
            )
            for o in book.orders
        ],
        suppliers=[
            SupplierAccountOut(supplier=s.code, name=s.name, account=account_out(a))
            for s, a in book.by_supplier()
        ],
        total=account_out(book.total),
        bills=dict(book.bills),
        overdue_bills=book.overdue,
    )


@router.get("/ledger", response_model=LedgerOut)
def get_ledger(
    request: Request,
    principal: guarded("ledger.read"),
    po_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> LedgerOut:
    settings = app_of(request).settings
    return ledger_out(ledger.ledger(reader(request, principal), settings, po_id))


@router.get("/finance/summary", response_model=LedgerOut)
def summary(request: Request, principal: guarded("finance.summary")) -> LedgerOut:
    """The state's ledger for the finance officer (every order, every supplier)."""
    return ledger_out(ledger.ledger(reader(request, principal), app_of(request).settings))


class DepositOut(BaseModel):
    bid_id: int
    tender: str
    supplier: str
    form: str
    amount_paise: int
    state: str
    refund_reference: str | None
    refunded_on: Day | None
    forfeit_reason: str | None
    actions: list[str]


class GuaranteeOut(BaseModel):
    purchase_order_id: int
    purchase_order: str
    supplier: str
    number: str | None
    bank: str | None
    required_paise: int
    amount_paise: int | None
    required_until: Day
    valid_until: Day | None
    state: str
    amount_short_paise: int
    days_short: int
    actions: list[str]


class RegisterOut(BaseModel):
    as_of: Day
    deposits: list[DepositOut]
    guarantees: list[GuaranteeOut]
    alerts: list[GuaranteeOut]


def _deposit(d: securities.DepositRow) -> DepositOut:
    r = d.record
    return DepositOut(
        bid_id=d.bid.id,
        tender=d.tender.reference,
        supplier=d.supplier.code,
        form=d.form.value,
        amount_paise=d.bid.emd_paise,
        state=d.state.value,
        refund_reference=r.reference if r else None,
        refunded_on=r.on if r and r.kind == "refund" else None,
        forfeit_reason=r.reason if r else None,
        actions=sorted(d.actions),
    )


def _guarantee(g: securities.GuaranteeRow) -> GuaranteeOut:
    return GuaranteeOut(
        purchase_order_id=g.order.id,
        purchase_order=g.order.number,
        supplier=g.supplier.code,
        number=g.award.ps_reference,
        bank=g.verified.bank if g.verified else None,
        required_paise=g.award.performance_security_paise,
        amount_paise=g.verified.amount_paise if g.verified else None,
        required_until=g.required_until,
        valid_until=g.verified.valid_until if g.verified else g.award.ps_valid_until,
        state=g.check.state.value,
        amount_short_paise=g.check.amount_short_paise,
        days_short=g.check.days_short,
        actions=sorted(g.actions),
    )


@router.get("/securities", response_model=RegisterOut)
def register(request: Request, principal: guarded("security.read")) -> RegisterOut:
    found = securities.register(reader(request, principal))
    return RegisterOut(
        as_of=found.as_of,
        deposits=[_deposit(d) for d in found.deposits],
        guarantees=[_guarantee(g) for g in found.guarantees],
        alerts=[_guarantee(g) for g in found.alerts],
    )


class RefundIn(BaseModel):
    paid_on: Day
    reference: str = Field(min_length=6, max_length=40, description="UTR of the refund.")


class ForfeitIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class DepositRecordOut(BaseModel):
    bid_id: int
    kind: str
    on: Day
    amount_paise: int
    reference: str | None
    reason: str | None


def _record(row) -> DepositRecordOut:  # noqa: ANN001
    return DepositRecordOut(
        bid_id=row.bid_id,
        kind=row.kind,
        on=row.on,
        amount_paise=row.amount_paise,
        reference=row.reference,
        reason=row.reason,
    )


@router.post("/bids/{bid_id}/emd-refund", status_code=201, response_model=DepositRecordOut)
def refund(
    request: Request, bid_id: BidId, body: RefundIn, principal: guarded("security.write")
) -> DepositRecordOut:
    cmd = securities.RecordRefund(body.paid_on, body.reference)
    return _record(securities.record_refund(writer(request, principal), bid_id, cmd))


@router.post("/bids/{bid_id}/emd-forfeit", status_code=201, response_model=DepositRecordOut)
def forfeit(
    request: Request, bid_id: BidId, body: ForfeitIn, principal: guarded("security.write")
) -> DepositRecordOut:
    return _record(securities.forfeit_deposit(writer(request, principal), bid_id, body.reason))


class VerifyIn(BaseModel):
    bank: str = Field(min_length=2, max_length=120, description="Issuing bank and branch.")
    amount_paise: int = Field(ge=100, le=10**15)
    valid_until: Day


class VerifiedOut(BaseModel):
    number: str
    bank: str
    amount_paise: int
    valid_until: Day
    released_on: Day | None


@router.post("/purchase-orders/{po_id}/guarantee", response_model=VerifiedOut)
def verify(
    request: Request, po_id: PoId, body: VerifyIn, principal: guarded("security.write")
) -> VerifiedOut:
    cmd = securities.VerifyGuarantee(body.bank, body.amount_paise, body.valid_until)
    row = securities.verify_guarantee(writer(request, principal), po_id, cmd)
    return VerifiedOut(
        number=row.number,
        bank=row.bank,
        amount_paise=row.amount_paise,
        valid_until=row.valid_until,
        released_on=row.released_on,
    )


class ReleasedOut(BaseModel):
    letter_of_award: str
    reference: str | None
    released_on: Day


@router.post("/purchase-orders/{po_id}/guarantee/release", response_model=ReleasedOut)
def release(request: Request, po_id: PoId, principal: guarded("security.write")) -> ReleasedOut:
    award = securities.release_guarantee(writer(request, principal), po_id)
    return ReleasedOut(
        letter_of_award=award.letter_number,
        reference=award.ps_reference,
        released_on=award.ps_released_on,
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(body: bytes, media: str, name: str) -> Response:
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get(
    "/finance/ledger.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "Ledger and bills (Excel)."}},
)
def ledger_xlsx(request: Request, principal: guarded("finance.export")) -> Response:
    body = exports.ledger_workbook(reader(request, principal), app_of(request).settings)
    return _file(body, XLSX, "oxychain-ledger.xlsx")


@router.get(
    "/finance/tally.xml",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}, "description": "Tally vouchers."}},
)
def tally_xml(
    request: Request,
    principal: guarded("finance.export"),
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
) -> Response:
    body = exports.tally_vouchers(reader(request, principal), app_of(request).settings, start, end)
    return _file(body, "application/xml", "oxychain-tally-vouchers.xml")


@router.get(
    "/finance/tally-masters.xml",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}, "description": "Tally ledgers."}},
)
def tally_masters(request: Request, principal: guarded("finance.export")) -> Response:
    body = exports.tally_masters(reader(request, principal), app_of(request).settings)
    return _file(body, "application/xml", "oxychain-tally-ledgers.xml")
