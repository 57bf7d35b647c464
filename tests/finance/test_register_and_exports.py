"""The securities register on the demo (refunds, forfeiture, bank verification, alerts,
release) and what leaves finance: Tally's XML checked against Tally's documented envelope,
the Excel workbook, and OCDS implementation transactions checked against OCDS 1.1."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import jsonschema
import openpyxl
import pytest
import xmlschema
from defusedxml import ElementTree

from oxychain.core import clock
from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.people import SYSTEM
from oxychain.finance.domain import tally
from oxychain.finance.domain.securities import DepositState, GuaranteeState
from oxychain.finance.services import exports, securities
from oxychain.tendering.services import award, evaluation
from tests.finance.support import open_app, person
from tests.tendering.world import build_world, create_tender, release, submit

HERE = Path(__file__).parent
XSD = xmlschema.XMLSchema(HERE / "data" / "tally-import.xsd")
OCDS = Path(__file__).parents[1] / "data" / "ocds-1.1.5" / "release-schema.json"


@pytest.fixture
def world(demo):  # noqa: ANN001, ANN201
    url, logins = demo
    app = open_app(url)
    yield app, person(app, logins["finance_officer"][0])
    app.close()


@pytest.fixture
def emd_tender(world):  # noqa: ANN001, ANN201
    """The demo's tenders (issued in December 2021) take bid security declarations, as the
    OM of 12-11-2020 requires; EMD returns with tenders issued from 2022: one is issued on
    the demo's today, opened and awarded to L1 three weeks on, and, as the demo does for
    its own, every refund due but one is recorded as paid back."""
    app, officer = world
    firms = {code: {"mse": False, "local": "class-i"} for code in ("L1CO", "NEXTCO", "BIGCO")}
    tenders = build_world(app, firms)  # no MSE: an MSE is exempt from EMD
    buyer = tenders.officer.principal
    start = clock.now()
    ref = create_tender(tenders, now=start)
    l1, other, big = tenders.suppliers
    for n, (code, price) in enumerate(((l1, 40_000_00), (other, 52_000_00), (big, 53_000_00))):
        submit(tenders, ref, code, price, start + timedelta(days=1, hours=n))
    opened = start + timedelta(days=21, minutes=31)
    release(tenders, ref, tenders.openers[:2], opened)
    state = evaluation.evaluation_state(app.uow(buyer), ref)
    for row in state.bids:
        findings = {c.id: (True, "as declared in the technical cover") for c in state.criteria}
        evaluation.record_findings(
            app.uow(buyer, write=True), ref, row.bid.id, findings, now=opened
        )
    evaluation.conclude_technical(app.uow(buyer, write=True), ref, now=opened)
    release(tenders, ref, tenders.openers[1:], opened)
    award.award_tender(app.uow(buyer, write=True), ref, set(), now=opened)
    due = [
        d
        for d in securities.register(app.uow(officer)).deposits
        if d.state is DepositState.REFUND_DUE
    ]
    for d in due[:-1]:
        cmd = securities.RecordRefund(clock.today(), f"EMDUTR{d.bid.id:09d}")
        securities.record_refund(app.uow(officer, write=True), d.bid.id, cmd)
    return world


def test_emd_refunds_and_forfeiture_with_a_reason(emd_tender) -> None:  # noqa: ANN001
    app, officer = emd_tender
    found = securities.register(app.uow(officer))
    due = [d for d in found.deposits if d.state is DepositState.REFUND_DUE]
    assert len(due) == 1  # every other one was paid back
    assert sum(d.state is DepositState.REFUNDED for d in found.deposits) >= 1
    row = due[0]
    with pytest.raises(InvalidInput):
        securities.record_refund(
            app.uow(officer, write=True), row.bid.id, securities.RecordRefund(clock.today(), "x")
        )
    securities.record_refund(
        app.uow(officer, write=True),
        row.bid.id,
        securities.RecordRefund(clock.today(), "EMDUTR0001"),
    )
    with pytest.raises(Conflict):
        securities.record_refund(
            app.uow(officer, write=True),
            row.bid.id,
            securities.RecordRefund(clock.today(), "EMDUTR0002"),
        )
    held = next(d for d in securities.register(app.uow(officer)).deposits if "forfeit" in d.actions)
    with pytest.raises(InvalidInput):
        securities.forfeit_deposit(app.uow(officer, write=True), held.bid.id, " ")
    securities.forfeit_deposit(
        app.uow(officer, write=True), held.bid.id, "Withdrew during bid validity"
    )
    with app.uow(SYSTEM) as uow:
        assert uow.tenders.bid(held.bid.id).emd_status == "forfeited"  # tendering's own status
    after = {d.bid.id: d for d in securities.register(app.uow(officer)).deposits}
    assert after[held.bid.id].record.reason == "Withdrew during bid validity"
    assert after[row.bid.id].state is DepositState.REFUNDED


def test_performance_securities_are_checked_listed_and_released(world, monkeypatch) -> None:  # noqa: ANN001
    app, officer = world
    found = securities.register(app.uow(officer))
    unverified = [g for g in found.alerts if g.check.state is GuaranteeState.UNVERIFIED]
    assert len(unverified) == 1  # the demo verified all but one
    g = unverified[0]
    short = securities.VerifyGuarantee("Bank of Baroda (synthetic)", 100_00, g.award.ps_valid_until)
    securities.verify_guarantee(app.uow(officer, write=True), g.order.id, short)
    again = {x.order.id: x for x in securities.register(app.uow(officer)).guarantees}[g.order.id]
    assert again.check.state is GuaranteeState.SHORT_AMOUNT
    assert again.check.amount_short_paise == g.award.performance_security_paise - 100_00
    early = securities.VerifyGuarantee(
        "Bank of Baroda (synthetic)", 10**12, again.required_until - timedelta(days=1)
    )
    securities.verify_guarantee(app.uow(officer, write=True), g.order.id, early)
    again = {x.order.id: x for x in securities.register(app.uow(officer)).guarantees}[g.order.id]
    assert (again.check.state, again.check.days_short) == (GuaranteeState.SHORT, 1)
    # nothing is released before the warranty obligations end
    with pytest.raises(Conflict):
        securities.release_guarantee(app.uow(officer, write=True), g.order.id)
    # three years on, an order without open warranty faults is released
    later = clock.now() + timedelta(days=3 * 365)
    monkeypatch.setattr(clock, "now", lambda: later)
    register = securities.register(app.uow(officer))
    expired = [x for x in register.guarantees if x.check.state is GuaranteeState.EXPIRED]
    assert expired, "every guarantee has expired three years on"
    released = None
    for row in register.guarantees:
        if "release" in row.actions:
            try:
                released = securities.release_guarantee(app.uow(officer, write=True), row.order.id)
                break
            except Conflict as exc:
                assert "still open" in exc.template
    assert released is not None and released.ps_released_on == later.date()


def _check_vouchers(xml: bytes) -> list:
    XSD.validate(xml.decode())
    root = ElementTree.fromstring(xml)
    vouchers = root.findall(".//VOUCHER")
    for v in vouchers:
        amounts = [Decimal(e.findtext("AMOUNT")) for e in v.findall("ALLLEDGERENTRIES.LIST")]
        assert sum(amounts) == 0, "a voucher must balance"
        for e in v.findall("ALLLEDGERENTRIES.LIST"):
            debit = Decimal(e.findtext("AMOUNT")) < 0
            assert e.findtext("ISDEEMEDPOSITIVE") == ("Yes" if debit else "No")
    return vouchers


def test_the_tally_file_of_the_demo_is_valid_under_tally_s_documented_envelope(world) -> None:  # noqa: ANN001
    app, officer = world
    xml = exports.tally_vouchers(app.uow(officer), app.settings)
    vouchers = _check_vouchers(xml)
    kinds = [v.get("VCHTYPE") for v in vouchers]
    assert kinds.count("Journal") >= 3 and kinds.count("Payment") >= 2  # passed bills, payments
    with app.uow(SYSTEM) as uow:
        paid = sum(
            p.amount_paise for p in uow.finance.payments([b.id for b in uow.finance.bills()])
        )
    payments = [v for v in vouchers if v.get("VCHTYPE") == "Payment"]
    banked = sum(
        Decimal(v.findall("ALLLEDGERENTRIES.LIST")[1].findtext("AMOUNT")) for v in payments
    )
    assert banked * 100 == paid  # every rupee paid, credited to the bank
    masters = exports.tally_masters(app.uow(officer), app.settings)
    XSD.validate(masters.decode())
    names = {e.get("NAME") for e in ElementTree.fromstring(masters).iter("LEDGER")}
    used = {
        e.findtext("LEDGERNAME") for e in ElementTree.fromstring(xml).iter("ALLLEDGERENTRIES.LIST")
    }
    assert used <= names  # every ledger a voucher names is in the masters file


def test_the_schema_refuses_what_tally_would_not_import() -> None:
    ledgers = {
        "purchases": "P",
        "bank": "B",
        "tds_gst": "T",
        "tds_income_tax": "I",
        "liquidated_damages": "L",
        "recovery": "R",
    }
    good = tally.vouchers_xml(
        [tally.payment("UTR0000001", "BILL-1", date(2026, 1, 2), "S", 100_00, ledgers, "n")], ""
    )
    XSD.validate(good.decode())
    for broken in (
        good.replace(b"Import Data", b"Export Data"),
        good.replace(b"<DATE>20260102</DATE>", b"<DATE>02-01-2026</DATE>"),
        good.replace(b"<AMOUNT>-100.00</AMOUNT>", b"<AMOUNT>-100</AMOUNT>", 1),
        good.replace(b"<ISDEEMEDPOSITIVE>Yes", b"<ISDEEMEDPOSITIVE>True"),
        good.replace(b"<REPORTNAME>Vouchers", b"<REPORTNAME>Vouchrs"),
    ):
        assert broken != good
        assert not XSD.is_valid(broken.decode())
    with pytest.raises(ValueError):
        tally.vouchers_xml(
            [tally.Voucher("Payment", "1", date(2026, 1, 2), "S", "", (tally.Entry("S", 100),))], ""
        )


def test_the_excel_workbook_holds_the_ledger_and_the_bills(world) -> None:  # noqa: ANN001
    app, officer = world
    book = openpyxl.load_workbook(
        io.BytesIO(exports.ledger_workbook(app.uow(officer), app.settings))
    )
    assert book.sheetnames == ["Ledger", "Bills"]
    with app.uow(SYSTEM) as uow:
        bills = uow.finance.bills()
    rows = list(book["Bills"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == sorted(b.number for b in bills)
    net = {r[0]: Decimal(str(r[8])) for r in rows}
    assert all(net[b.number] * 100 == b.net_paise for b in bills)


def test_payments_and_deductions_are_ocds_implementation_transactions(world) -> None:  # noqa: ANN001
    app, officer = world
    schema = json.loads(OCDS.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator({**schema, "$ref": "#/definitions/Transaction"})
    moves = exports.contract_movements(app.uow(SYSTEM))
    buyer = {"id": "IN-BUYER", "name": "Buyer"}
    refs = {number: {"id": f"IN-{number}", "name": "Supplier"} for number in moves}
    found = exports.ocds_transactions(
        app.uow(SYSTEM), buyer, refs, "https://example.invalid/ledger"
    )
    assert found
    with app.uow(SYSTEM) as uow:
        bills = [b for b in uow.finance.bills() if b.checked_at and b.status != "rejected"]
        expected = sum(b.paid_paise + b.deducted_paise for b in bills)
    total = 0
    for transactions in found.values():
        assert len({t["id"] for t in transactions}) == len(transactions)
        for t in transactions:
            validator.validate(t)
            total += round(Decimal(str(t["value"]["amount"])) * 100)
    assert total == expected  # what was paid and what was held back, to the paisa
