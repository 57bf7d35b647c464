"""Bills through the services on the demo (SQLite and PostgreSQL): what a bill may claim,
maker-checker, partial payments and their idempotency, the audit chain, payment terms frozen
at publication, and an acceptance certificate's payment milestone paid."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from oxychain.core import clock
from oxychain.core.errors import Conflict, Forbidden, InvalidInput
from oxychain.core.people import SYSTEM
from oxychain.core.states import IllegalTransition
from oxychain.core.tables import AuditEvent
from oxychain.distribution.tables import AcceptanceCertificate, CertifiedDevice
from oxychain.finance.services import bills, terms, views
from oxychain.inspection.tables import Device
from oxychain.tendering.domain.tender import CreateTender
from oxychain.tendering.services import tenders as tendering
from tests.finance.support import (
    bills_by_status,
    device_order,
    in_transit_serials,
    missing_serial,
    new_officer,
    open_app,
    person,
    serials,
    supplier_of,
)


@pytest.fixture
def world(demo):  # noqa: ANN001, ANN201
    url, logins = demo
    app = open_app(url)
    yield app, logins
    app.close()


def _draft(po_id: int, serial_list: list[str], milestone: str = "receipt", submit: bool = False):  # noqa: ANN202
    return bills.DraftBill(po_id, milestone, serial_list, f"INV/{uuid.uuid4().hex[:6]}", submit)


def _claim_refused(
    app, supplier_id: int, po_id: int, serial: str, milestone: str = "receipt"
) -> str:  # noqa: ANN001
    with pytest.raises((Conflict, InvalidInput)) as refused:
        bills.create_bill(
            app.uow(supplier_of(supplier_id), write=True),
            app.settings,
            _draft(po_id, [serial], milestone),
        )
    return refused.value.template


def test_a_bill_never_claims_a_device_twice_rejected_missing_or_not_accepted(world) -> None:  # noqa: ANN001
    app, _ = world
    held = bills_by_status(app)["paid"][0]
    with app.uow(SYSTEM) as uow:
        claimed = uow.finance.claimed(held.id)[0][0]
    po_id, supplier_id = device_order(app, claimed)
    assert "already claimed" in _claim_refused(app, supplier_id, po_id, claimed)
    rejected = serials(app, qa_status="rejected")[0]
    assert "not accepted in inspection" in _claim_refused(
        app, *reversed(device_order(app, rejected)), rejected
    )
    offered = serials(app, qa_status="offered")[0]
    assert "not accepted" in _claim_refused(app, *reversed(device_order(app, offered)), offered)
    missing = missing_serial(app)
    assert "missing" in _claim_refused(app, *reversed(device_order(app, missing)), missing)
    moving = in_transit_serials(app)[0]
    assert "not yet received" in _claim_refused(app, *reversed(device_order(app, moving)), moving)
    with app.uow(SYSTEM) as uow:
        certified = set(uow.session.scalars(select(CertifiedDevice.device_id)))
        ids = dict(uow.session.execute(select(Device.serial, Device.id)).all())
        uncertified = next(s for s, _ in uow.finance.claimed(held.id) if ids[s] not in certified)
    refused = _claim_refused(app, supplier_id, po_id, uncertified, "installation")
    assert "acceptance certificate" in refused
    # another supplier's order is out of the supplier's reach
    with pytest.raises(Forbidden):
        bills.create_bill(
            app.uow(supplier_of(supplier_id + 1000), write=True),
            app.settings,
            _draft(po_id, [claimed]),
        )


def _free(app, logins) -> tuple[int, int, list[str]]:  # noqa: ANN001
    """An order with devices received and on no bill: (order id, supplier id, serials)."""
    officer = person(app, logins["finance_officer"][0])
    with app.uow(SYSTEM) as uow:
        orders = [o for o in uow.contracts.purchase_orders() if o.previous_id is None]
    for po in orders:
        found = views.billable(app.uow(officer), app.settings, po.id, "receipt")
        if len(found.devices) >= 2:
            return po.id, po.supplier_id, [d.serial for d in found.devices]
    pytest.fail("the demo left no device to bill")


def test_maker_checker_partial_payments_and_the_audit_chain(world) -> None:  # noqa: ANN001
    app, logins = world
    officer = person(app, logins["finance_officer"][0])
    checker = new_officer(app)
    po_id, _supplier, free = _free(app, logins)
    # a bill received on paper, entered and submitted by the officer
    bill = bills.create_bill(
        app.uow(officer, write=True), app.settings, _draft(po_id, free[:2], submit=True)
    )
    assert bill.status == "submitted" and bill.net_paise > 0
    with pytest.raises(Conflict):
        bills.pass_bill(app.uow(officer, write=True), bill.number)
    with pytest.raises(Conflict):
        bills.reject_bill(app.uow(officer, write=True), bill.number, "checking my own bill")
    bill = bills.pass_bill(app.uow(checker, write=True), bill.number)
    with pytest.raises(IllegalTransition):
        bills.pass_bill(app.uow(checker, write=True), bill.number)
    today = clock.today()
    half = bill.net_paise // 2
    first = bills.record_payment(
        app.uow(officer, write=True), bill.number, bills.RecordPayment(today, "UTRTEST0001", half)
    )
    again = bills.record_payment(
        app.uow(officer, write=True), bill.number, bills.RecordPayment(today, "utrtest0001", half)
    )
    assert again.id == first.id  # the same payment sent twice is one
    with pytest.raises(Conflict):  # more than is left
        bills.record_payment(
            app.uow(officer, write=True),
            bill.number,
            bills.RecordPayment(today, "UTRTEST0002", bill.net_paise),
        )
    with pytest.raises(InvalidInput):
        bills.record_payment(
            app.uow(officer, write=True),
            bill.number,
            bills.RecordPayment(today + timedelta(days=1), "UTRTEST0003", 100),
        )
    rest = bill.net_paise - half
    bills.record_payment(
        app.uow(officer, write=True), bill.number, bills.RecordPayment(today, "UTRTEST0004", rest)
    )
    view = views.bill_view(app.uow(officer), app.settings, bill.number)
    assert view.bill.status == "paid" and view.balance_paise == 0 and len(view.payments) == 2
    with app.uow(SYSTEM) as uow:
        rows = uow.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "bill", AuditEvent.entity_id == bill.number)
            .order_by(AuditEvent.seq)
        )
        actions = [e.action for e in rows]
        assert actions == ["bill.enter", "bill.submit", "bill.pass", "bill.payment", "bill.payment"]
        assert uow.audit_log.verify() is None


def test_a_rejected_bill_lets_its_devices_go_and_says_why(world) -> None:  # noqa: ANN001
    app, logins = world
    officer = person(app, logins["finance_officer"][0])
    po_id, supplier_id, free = _free(app, logins)
    supplier = supplier_of(supplier_id)
    bill = bills.create_bill(
        app.uow(supplier, write=True), app.settings, _draft(po_id, free[:1], submit=True)
    )
    with pytest.raises(InvalidInput):
        bills.reject_bill(app.uow(officer, write=True), bill.number, "  ")
    bills.reject_bill(app.uow(officer, write=True), bill.number, "GSTIN on the invoice is wrong")
    seen = views.bill_view(app.uow(supplier), app.settings, bill.number)
    assert seen.bill.reject_reason == "GSTIN on the invoice is wrong"
    again = bills.create_bill(app.uow(supplier, write=True), app.settings, _draft(po_id, free[:1]))
    assert again.status == "draft"
    bills.discard_bill(app.uow(supplier, write=True), again.number)
    with pytest.raises(Forbidden):
        views.bill_view(app.uow(supplier_of(supplier_id + 1000)), app.settings, bill.number)


def test_payment_terms_are_set_on_a_draft_and_frozen_at_publication(world) -> None:  # noqa: ANN001
    app, logins = world
    officer = person(app, logins["procurement_officer"][0])
    cmd = terms.SetTerms([("receipt", 7000), ("installation", 3000)], 45, 1000_00)
    with pytest.raises(Conflict):
        terms.set_terms(app.uow(officer, write=True), "OXY-DEMO-OC-03", cmd)
    with app.uow(SYSTEM) as uow:
        code = next(w.code for w in uow.masterdata.warehouses() if w.kind == "district")
    ref = f"OXY-T-{uuid.uuid4().hex[:6].upper()}"
    now = clock.now()
    tendering.create_tender(
        app.uow(officer, write=True),
        CreateTender(
            ref,
            "Terms test (synthetic)",
            "शर्त परीक्षण",
            "OC-10",
            10,
            50_00_000_00,
            200,
            300,
            now + timedelta(days=21),
            now + timedelta(days=21, hours=1),
            ((1, code, 10, 30),),
        ),
        now=now,
    )
    assert terms.terms_view(app.uow(officer), ref, app.settings).source == "settings"
    terms.set_terms(app.uow(officer, write=True), ref, cmd)
    view = terms.terms_view(app.uow(officer), ref, app.settings)
    assert (view.source, view.terms.share("installation"), view.editable) == ("tender", 3000, True)
    with pytest.raises(Forbidden):
        terms.set_terms(app.uow(person(app, logins["finance_officer"][0]), write=True), ref, cmd)
    with pytest.raises(InvalidInput):
        terms.set_terms(
            app.uow(officer, write=True), ref, terms.SetTerms([("receipt", 9000)], 30, 0)
        )


def test_paying_installation_in_full_marks_the_acceptance_certificate_paid(world) -> None:  # noqa: ANN001
    app, logins = world
    officer = person(app, logins["finance_officer"][0])
    with app.uow(SYSTEM) as uow:
        certificate = uow.session.scalars(select(AcceptanceCertificate)).first()
        ids = list(
            uow.session.scalars(
                select(CertifiedDevice.device_id).where(
                    CertifiedDevice.certificate_id == certificate.id
                )
            )
        )
        on_it = list(uow.session.scalars(select(Device.serial).where(Device.id.in_(ids))))
    assert certificate.payment_milestone == "due"
    po_id, supplier_id = device_order(app, on_it[0])
    bill = bills.create_bill(
        app.uow(supplier_of(supplier_id), write=True),
        app.settings,
        _draft(po_id, on_it, "installation", True),
    )
    assert bill.share_bp == 2000
    bills.pass_bill(app.uow(officer, write=True), bill.number)
    bills.record_payment(
        app.uow(officer, write=True),
        bill.number,
        bills.RecordPayment(clock.today(), "UTRCRAC00001", bill.net_paise),
    )
    with app.uow(SYSTEM) as uow:
        assert uow.session.get(AcceptanceCertificate, certificate.id).payment_milestone == "paid"
