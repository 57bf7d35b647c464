"""The distribution use cases whose rule matters, on in-memory repositories: a loan comes
back once, a fault ticket closes once, a challan's receipt is confirmed once; and a refused
command changes and records nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.states import IllegalTransition
from oxychain.distribution.domain.lifecycle import DeviceState, PlaceKind
from oxychain.distribution.services import challans, loans, tickets
from tests.distribution.fakes import (
    DISTRICT,
    FACILITY,
    KEEPER,
    NOW,
    OFFICER,
    SUPPLIER_STAFF,
    WAREHOUSE,
    Repositories,
    challan,
    device,
    loan,
    ticket,
)
from tests.fakes import FakeUnitOfWork

S = DeviceState


def test_a_loan_out_comes_back_to_the_district_store() -> None:
    lent = device(S.ON_LOAN, PlaceKind.HOME, DISTRICT)
    repos = Repositories(lent)
    out = repos.dispatch.loans["L"] = loan(lent)
    lent.loan_id = out.id
    uow = FakeUnitOfWork(OFFICER, **repos.all())
    back = loans.return_loan(uow, "L", NOW)
    assert (back.status, back.returned_on) == ("returned", NOW.date())
    assert lent.position.state is S.RETURNED and lent.position.place.id == WAREHOUSE
    assert lent.loan_id is None
    assert [e["kind"] for e in repos.ledger.events] == ["return"]
    assert uow.commits == 1 and uow.actions == ["loan.return"]
    assert uow.events[0]["before"] == {"status": "open"}


def test_returning_a_loan_that_is_not_out_is_refused_and_records_nothing() -> None:
    home = device(S.AVAILABLE, PlaceKind.WAREHOUSE, WAREHOUSE)
    repos = Repositories(home)
    repos.dispatch.loans["L"] = loan(home, status="returned")
    uow = FakeUnitOfWork(OFFICER, **repos.all())
    with pytest.raises(IllegalTransition, match="already returned") as refused:
        loans.return_loan(uow, "L", NOW)
    assert isinstance(refused.value, Conflict) and refused.value.code == "illegal_transition"
    assert repos.dispatch.loans["L"].status == "returned"
    assert home.position.state is S.AVAILABLE and repos.ledger.events == []
    assert uow.commits == 0 and uow.events == []


def _broken() -> tuple[Repositories, str]:
    broken = device(S.FAULTY, PlaceKind.FACILITY, FACILITY)
    repos = Repositories(broken)
    opened = ticket(broken)
    broken.ticket_id = opened.id
    repos.service.tickets[opened.number] = opened
    return repos, opened.number


def test_a_ticket_is_repaired_once_and_then_closed() -> None:
    repos, number = _broken()
    uow = FakeUnitOfWork(SUPPLIER_STAFF, **repos.all())
    tickets.start_repair(uow, number, NOW)
    done = tickets.resolve(uow, number, "Sieve bed replaced", NOW + timedelta(hours=2))
    assert (done.status, done.resolution, done.resolved_by) == (
        "resolved",
        "Sieve bed replaced",
        "supplier",
    )
    assert done.repair_started_at == NOW and done.resolved_at == NOW + timedelta(hours=2)
    assert [e["kind"] for e in repos.ledger.events] == ["start_repair", "repair"]
    assert uow.actions == ["ticket.under_repair", "ticket.resolved"]
    for again in (
        lambda: tickets.resolve(uow, number, "Replaced again", NOW),
        lambda: tickets.start_repair(uow, number, NOW),
    ):
        with pytest.raises(IllegalTransition, match="is resolved"):
            again()
    assert len(repos.ledger.events) == 2 and uow.commits == 2 and len(uow.events) == 2


def test_closing_a_ticket_needs_what_was_done_and_starting_twice_is_refused() -> None:
    repos, number = _broken()
    uow = FakeUnitOfWork(SUPPLIER_STAFF, **repos.all())
    with pytest.raises(InvalidInput, match="Say what was done"):
        tickets.resolve(uow, number, " ", NOW)
    tickets.start_repair(uow, number, NOW)
    with pytest.raises(IllegalTransition, match="is under_repair") as refused:
        tickets.start_repair(uow, number, NOW)
    assert refused.value.params["event"] == "start_repair"
    assert repos.service.tickets[number].status == "under_repair"
    assert uow.commits == 1 and uow.actions == ["ticket.under_repair"]


def test_a_receipt_is_confirmed_once_with_the_missing_serials() -> None:
    repos = Repositories()
    truck = challan()
    repos.dispatch.challans[truck.number] = truck
    repos.dispatch.received[truck.id] = {"OC-A": NOW - timedelta(hours=1), "OC-B": None}
    uow = FakeUnitOfWork(KEEPER, **repos.all())
    with pytest.raises(Conflict, match="1 serials of challan .* never scanned"):
        challans.close_receipt(uow, truck.number, NOW)  # the missing serial not confirmed
    assert repos.dispatch.found == [] and uow.commits == 0
    result = challans.close_receipt(uow, truck.number, NOW, missing_confirmed=True)
    assert (result.received, result.missing) == (["OC-A"], ["OC-B"])
    assert truck.status == "received_with_discrepancies"
    assert truck.received_at == NOW - timedelta(hours=1) and truck.received_by == "keeper"
    assert [(d.kind, d.serial) for d in repos.dispatch.found] == [("missing", "OC-B")]
    assert uow.actions == ["challan.receive"]
    with pytest.raises(IllegalTransition, match="already received"):
        challans.close_receipt(uow, truck.number, NOW, missing_confirmed=True)
    assert len(repos.dispatch.found) == 1 and uow.commits == 1 and len(uow.events) == 1
