"""Every status of distribution moves by one mechanism (core.states.Lifecycle), with the
same refusal: the moves of challans, loans, fault tickets and payment milestones written
out, and the device's state machine as the same kind of lifecycle."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oxychain.core.errors import Conflict
from oxychain.core.states import IllegalTransition
from oxychain.distribution.domain import certificate, challan, lifecycle, loan, ticket
from oxychain.distribution.domain.challan import ChallanStatus as C
from oxychain.distribution.domain.loan import LoanStatus as L
from oxychain.distribution.domain.ticket import TicketStatus as T

AT = datetime(2021, 5, 20, 9, tzinfo=UTC)


def _case_id(value: object) -> str:
    """Ids alike in every process (the suite's workers compare them): sorted sets, no addresses."""
    if isinstance(value, set):
        return "+".join(sorted(value)) or "nothing"
    return getattr(value, "thing", None) or str(value)


@pytest.mark.parametrize(
    ("machine", "status", "actions"),
    [
        (challan.CHALLAN, C.IN_TRANSIT, {"receive", "receive_with_discrepancies"}),
        (challan.CHALLAN, C.RECEIVED, {"find_extra"}),
        (challan.CHALLAN, C.DISCREPANT, set()),
        (loan.LOAN, L.OPEN, {"return"}),
        (loan.LOAN, L.RETURNED, set()),
        (ticket.TICKET, T.OPEN, {"start_repair", "repair", "condemn"}),
        (ticket.TICKET, T.UNDER_REPAIR, {"repair", "condemn"}),
        (ticket.TICKET, T.RESOLVED, set()),
        (ticket.TICKET, T.CONDEMNED, set()),
        (certificate.MILESTONE, certificate.PaymentMilestone.DUE, {"pay"}),
        (certificate.MILESTONE, certificate.PaymentMilestone.PAID, set()),
    ],
    ids=_case_id,
)
def test_what_each_status_allows(machine, status, actions: set[str]) -> None:  # noqa: ANN001
    assert machine.allowed_actions(status) == actions


def test_the_device_lifecycle_is_its_transition_table() -> None:
    for state in lifecycle.DeviceState:
        legal = {e.value for e, (sources, _to) in lifecycle.TRANSITIONS.items() if state in sources}
        assert lifecycle.DEVICE.allowed_actions(state) == legal
    assert lifecycle.IllegalTransition is IllegalTransition


def test_a_receipt_closes_a_challan_once_clean_or_discrepant() -> None:
    clean = challan.reconcile(["A1", "A2"], ["A1", "A2"])
    short = challan.reconcile(["A1", "A2"], ["A1"])
    assert challan.close(C.IN_TRANSIT, "DC-1", clean) is C.RECEIVED
    assert challan.close(C.IN_TRANSIT, "DC-1", short) is C.DISCREPANT
    for done in (C.RECEIVED, C.DISCREPANT):
        with pytest.raises(IllegalTransition, match="DC-1 was already received"):
            challan.close(done, "DC-1", clean)
    assert challan.closes_itself(C.IN_TRANSIT, 4, 4)
    assert not challan.closes_itself(C.IN_TRANSIT, 4, 3)
    assert not challan.closes_itself(C.RECEIVED, 4, 4)


def test_a_ticket_closes_with_what_was_done_and_stays_closed() -> None:
    started = ticket.progress(T.OPEN, "start_repair", "", "FT-1", "sup", AT)
    assert started == {"status": "under_repair", "repair_started_at": AT}
    closed = ticket.progress(T.UNDER_REPAIR, "condemn", " beyond  repair ", "FT-1", "cmo", AT)
    assert closed == {
        "status": "condemned",
        "resolved_at": AT,
        "resolution": "beyond repair",
        "resolved_by": "cmo",
    }
    with pytest.raises(IllegalTransition) as refused:
        ticket.progress(T.CONDEMNED, "repair", "Fixed it", "FT-1", "sup", AT)
    assert isinstance(refused.value, Conflict)
    assert refused.value.params["ticket_status"] == "condemned"
    assert {T.OPEN, T.UNDER_REPAIR} == ticket.OPEN_STATUSES


def test_loan_overdue_days_count_only_while_it_is_out() -> None:
    due, today = datetime(2021, 5, 1).date(), datetime(2021, 5, 4).date()
    assert loan.days_overdue(due, today, L.OPEN) == 3
    assert loan.days_overdue(due, today, L.RETURNED) == 0
    assert loan.check_status("") is None and loan.check_status("open") is L.OPEN
