"""Distribution's reminders through the worker: preventive maintenance falling due, a home
loan overdue, and a fault ticket past its SLA escalated level by level (the place and the
repairer, then the district officer, then headquarters), each once, in the person's
language, in the app, by email and by SMS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oxychain.core.people import Role
from oxychain.distribution.services import loans, tickets
from tests.channels import is_hindi, notices, reachable, tick
from tests.distribution.support import make_world, person
from tests.distribution.test_flow import PEPPER, TERMS, _to_facility, dispatch, scan, scans


def test_maintenance_loans_and_tickets_are_told_once_and_escalated(
    told_app,  # noqa: ANN001
    outside,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
) -> None:
    world = make_world(told_app, count=4)
    start = datetime.now(UTC)
    _to_facility(told_app, world, world.serials[:2])  # installed at the district hospital
    challan = dispatch(told_app, world, world.serials[2:])
    keeper, officer = world.people["warehouse_keeper"], world.people["district_officer"]
    scans(told_app, keeper, [scan(s, "receive", challan=challan.number) for s in world.serials[2:]])
    due = start.date() + timedelta(days=14)
    loan = loans.issue_loan(
        told_app.uow(officer, write=True),
        loans.IssueLoan(world.serials[2], "RX/21/0042", "HP-0042", "9876543210", due, 0),
        PEPPER,
        start,
    )
    incharge, supplier = world.people["facility_incharge"], world.people["supplier"]
    ticket = tickets.report_fault(
        told_app.uow(incharge, write=True), world.serials[0], "No flow", TERMS, start
    )
    hq = person(told_app, Role.PROCUREMENT_OFFICER, None)
    contact = {
        "incharge": reachable(told_app, incharge.user_id, "hi"),
        "supplier": reachable(told_app, supplier.user_id, "en"),
        "officer": reachable(told_app, officer.user_id, "hi"),
        "keeper": reachable(told_app, keeper.user_id, "en"),
        "hq": reachable(told_app, hq.user_id, "en"),
    }

    # One hour past the ticket's 24 h SLA: level 1, the place and the repairer.
    tick(told_app, monkeypatch, start + timedelta(hours=25))
    late = notices(told_app, "distribution.ticket_late")
    assert sorted(u for u, *_ in late) == sorted([incharge.user_id, supplier.user_id])
    assert notices(told_app, "distribution.loan_overdue") == []
    [mail] = outside.mails_to(contact["incharge"][0])
    assert is_hindi(mail["Subject"]) and ticket.number in mail["Subject"]
    [mail] = outside.mails_to(contact["supplier"][0])
    assert not is_hindi(mail["Subject"]) and "level 1" in mail["Subject"]
    # A day later the district officer hears (level 2), three days later headquarters.
    tick(told_app, monkeypatch, start + timedelta(hours=24 + 25))
    tick(told_app, monkeypatch, start + timedelta(hours=24 + 73))
    late = notices(told_app, "distribution.ticket_late")
    assert len(late) == 4 and {u for u, *_ in late[2:]} == {officer.user_id, hq.user_id}
    assert len(outside.mails_to(contact["officer"][0])) == 1
    assert len(outside.texts_to(contact["hq"][1])) == 1

    # The loan is overdue the day after it was due: the district officer and the store.
    tick(told_app, monkeypatch, start + timedelta(days=15))
    overdue = notices(told_app, "distribution.loan_overdue")
    assert sorted(u for u, *_ in overdue) == sorted([officer.user_id, keeper.user_id])
    assert any(loan.number in m["Subject"] for m in outside.mails_to(contact["keeper"][0]))

    # Preventive maintenance a week before it falls due (180 days after installation).
    tick(told_app, monkeypatch, start + timedelta(days=174))
    [(user, lang, subject)] = notices(told_app, "distribution.pm_due")
    assert (user, lang) == (incharge.user_id, "hi") and is_hindi(subject)
    pm_mail = outside.mails_to(contact["incharge"][0])[-1]
    assert world.serials[0] in pm_mail.get_content() and world.serials[1] in pm_mail.get_content()

    before = (len(outside.smtp.mails), len(outside.sms.texts))
    tick(told_app, monkeypatch, start + timedelta(days=175))
    assert (len(outside.smtp.mails), len(outside.sms.texts)) == before  # each fired once
