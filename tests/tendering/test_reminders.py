"""Tendering's reminders through the worker, with no one logged in: a tender closes at its
deadline and tells the officers; one that got no bid is flagged for cancellation; suppliers
who have not bid hear that bids are due; a late tranche and an expiring performance
security are told to the supplier and the officers. Each once, in the person's language,
in the app, by email (read back from a real SMTP server) and by SMS (a local stand-in)."""

from __future__ import annotations

from datetime import date, timedelta

from oxychain.core.people import SYSTEM
from oxychain.tendering.tables import Award, PoTranche
from tests.channels import is_hindi, notices, reachable, tick
from tests.inspection.support import make_po
from tests.tendering.world import T0, build_world, create_tender, submit


def _officer_and_suppliers(app, world) -> dict:  # noqa: ANN001
    """Who hears what: the officer reads Hindi, the first supplier Hindi, the others English."""
    codes = sorted(world.suppliers)
    contact = {"officer": reachable(app, world.officer.principal.user_id, "hi")}
    for i, code in enumerate(codes):
        contact[code] = reachable(app, world.suppliers[code].principal.user_id, "en" if i else "hi")
    return contact


def test_a_tender_closes_at_its_deadline_and_bids_due_are_reminded_once(
    told_app,
    outside,
    monkeypatch,  # noqa: ANN001
) -> None:
    world = build_world(told_app)
    contact = _officer_and_suppliers(told_app, world)
    ref = create_tender(world, now=T0, days=21)
    empty = create_tender(world, now=T0, days=21)
    bidder = sorted(world.suppliers)[1]
    submit(world, ref, bidder, 45_000_00, T0 + timedelta(hours=1))
    deadline = T0 + timedelta(days=21)

    tick(told_app, monkeypatch, deadline - timedelta(hours=30))  # not yet within 24 h
    assert notices(told_app, "tendering.bids_due") == []
    tick(told_app, monkeypatch, deadline - timedelta(hours=12))
    due = notices(told_app, "tendering.bids_due")
    # Both tenders, to the two suppliers without a bid in each (the bidder hears of one).
    assert len(due) == 2 + 3
    for code in sorted(world.suppliers):
        email, mobile = contact[code]
        mails, texts = outside.mails_to(email), outside.texts_to(mobile)
        expected = 1 if code == bidder else 2
        assert len(mails) == len(texts) == expected, code
        hindi = code == sorted(world.suppliers)[0]
        for mail in mails:
            assert is_hindi(mail["Subject"]) == hindi and "T-" in mail["Subject"]
            assert "/tenders/" in mail.get_content()
        assert all(is_hindi(t["text"]) == hindi for t in texts)
    tick(told_app, monkeypatch, deadline - timedelta(hours=6))
    assert len(notices(told_app, "tendering.bids_due")) == 5  # fired once

    tick(told_app, monkeypatch, deadline + timedelta(seconds=1))
    with told_app.uow(SYSTEM) as uow:
        closed, flagged = uow.tenders.tender(ref), uow.tenders.tender(empty)
        assert (closed.status, closed.bid_count) == ("closed", 1)
        assert closed.flagged_at is None
        assert (flagged.status, flagged.bid_count) == ("closed", 0)
        assert flagged.flag_reason == "No bid was received by the deadline."
    officer_email, officer_mobile = contact["officer"]
    subjects = [m["Subject"] for m in outside.mails_to(officer_email)]
    assert len(subjects) == 3 and all(is_hindi(s) for s in subjects)  # 2 closed, 1 flagged
    assert len(outside.texts_to(officer_mobile)) == 3
    assert len(notices(told_app, "tendering.flagged")) == 1
    tick(told_app, monkeypatch, deadline + timedelta(hours=1))
    assert len(outside.mails_to(officer_email)) == 3  # nothing fires twice


def test_a_late_tranche_and_an_expiring_security_are_told_once(
    told_app,
    outside,
    monkeypatch,  # noqa: ANN001
) -> None:
    world = build_world(told_app)
    contact = _officer_and_suppliers(told_app, world)
    code = sorted(world.suppliers)[0]  # reads Hindi
    supplier_id = world.suppliers[code].principal.supplier_id
    today = date(2026, 6, 1)
    po_id, tranche_id = make_po(told_app, supplier_id, 50, due=today - timedelta(days=3))
    with told_app.uow(SYSTEM, write=True) as uow:
        tranche = uow.session.get(PoTranche, tranche_id)
        tranche.delivered_quantity = 20
        po = uow.contracts.purchase_order(po_id)
        award = uow.session.get(Award, po.award_id)
        award.ps_reference, award.ps_valid_until = "BG/2026/77", today + timedelta(days=20)
        uow.commit()
    at = T0.replace(year=2026, month=6, day=1, hour=4)
    tick(told_app, monkeypatch, at)
    late = notices(told_app, "tendering.tranche_late")
    expiring = notices(told_app, "tendering.security_expiring")
    assert len(late) == len(expiring) == 2  # the supplier and the officer
    email, mobile = contact[code]
    mails = outside.mails_to(email)
    assert len(mails) == 2 and all(is_hindi(m["Subject"]) for m in mails)
    body = " ".join(m.get_content() for m in mails)
    assert "30" in body and "BG/2026/77" in body  # 30 devices short; the guarantee named
    assert len(outside.texts_to(mobile)) == 2
    other_email, _ = contact[sorted(world.suppliers)[1]]
    assert outside.mails_to(other_email) == []  # not their order
    tick(told_app, monkeypatch, at + timedelta(hours=3))
    assert len(notices(told_app, "tendering.tranche_late")) == 2
    assert len(outside.mails_to(email)) == 2


def test_what_makes_a_tender_unanswered() -> None:
    from oxychain.tendering.domain.tender import NO_BID, NO_RESPONSIVE_BID, unanswered

    assert unanswered("closed", 0, 0) == NO_BID
    assert unanswered("closed", 3, 0) is None  # the covers are not opened yet
    assert unanswered("technical_evaluation", 3, 0) is None  # still being evaluated
    assert unanswered("financial_opening", 3, 0) == NO_RESPONSIVE_BID
    assert unanswered("financial_opening", 3, 1) is None
    assert unanswered("cancelled", 0, 0) is None
