"""Fault tickets: a breakdown reported by a facility or a loan holder, repaired or condemned,
against its SLA clock (BMMP's 24×7 breakdown line, DOMAIN.md "Equipment maintenance").

A ticket is opened where the device is; the hours it has to be resolved in come from the
settings' table by kind of place (``OXYCHAIN_SERVICE_SLA_HOURS``, unverified defaults). Its
moves are named as the device's events they go with: ``start_repair``, ``repair`` and
``condemn``; a resolved or condemned ticket is closed for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.distribution.domain.device import Located
from oxychain.distribution.domain.lifecycle import Place
from oxychain.distribution.domain.maintenance import Cover


class TicketStatus(StrEnum):
    OPEN = "open"
    UNDER_REPAIR = "under_repair"
    RESOLVED = "resolved"
    CONDEMNED = "condemned"


T = TicketStatus
TICKET: Lifecycle[TicketStatus] = Lifecycle(
    "fault ticket",
    TicketStatus,
    {
        "start_repair": ([T.OPEN], T.UNDER_REPAIR),
        "repair": ([T.OPEN, T.UNDER_REPAIR], T.RESOLVED),
        "condemn": ([T.OPEN, T.UNDER_REPAIR], T.CONDEMNED),
    },
    message=N_("Fault ticket {number} is {ticket_status}: “{event}” is not possible now."),
)
#: Tickets still running: the device is down and the SLA clock runs.
OPEN_STATUSES = frozenset(s for s in TicketStatus if not TICKET.is_final(s))
STATUS_LABELS = {
    T.OPEN: N_("open"),
    T.UNDER_REPAIR: N_("under repair"),
    T.RESOLVED: N_("resolved"),
    T.CONDEMNED: N_("condemned"),
}


def sla_hours(place_kind: str, table: dict[str, int]) -> int:
    """Hours allowed to resolve a fault at this kind of place (the setting's table)."""
    try:
        return int(table[place_kind])
    except KeyError:
        raise InvalidInput("No service time is set for {kind}.", kind=place_kind) from None


@dataclass(frozen=True, slots=True)
class SlaClock:
    due_at: datetime
    breached: bool
    hours_left: float  # negative once breached


def sla_clock(
    opened_at: datetime, hours: int, now: datetime, closed_at: datetime | None
) -> SlaClock:
    """Where a ticket stands against its SLA: running until closed, then frozen."""
    due = opened_at + timedelta(hours=hours)
    end = closed_at or now
    left = (due - end).total_seconds() / 3600
    return SlaClock(due, end > due, round(left, 1))


def ticket_number(year: int, seq: int) -> str:
    return f"FT-{year}-{seq:06d}"


def check_description(text: str) -> str:
    described = " ".join((text or "").split())
    if not 5 <= len(described) <= 500:
        raise InvalidInput("Describe the fault (5-500 characters).", field="description")
    return described


@dataclass(frozen=True)
class NewTicket:
    """A ticket as opened: the device, where it broke down, its cover and its SLA."""

    device_id: int
    supplier_id: int
    loan_id: int | None
    place: Place
    description: str
    cover: Cover
    sla_hours: int
    opened_at: datetime
    opened_by: str
    status: TicketStatus = TicketStatus.OPEN

    @property
    def due_at(self) -> datetime:
        return sla_clock(self.opened_at, self.sla_hours, self.opened_at, None).due_at

    def number(self, seq: int) -> str:
        return ticket_number(self.opened_at.year, seq)


def open_ticket(
    device: Located,
    sla_kind: str,
    cover: Cover,
    description: str,
    sla_table: dict[str, int],
    at: datetime,
    by: str,
) -> NewTicket:
    """A ticket for a device in a district (``sla_kind``: the kind of facility, or of place)."""
    place = device.position.place
    if place.district_id is None:
        raise Conflict("Device {serial} is still with its supplier.", serial=device.serial)
    hours = sla_hours(sla_kind, sla_table)
    return NewTicket(
        device.device_id,
        device.supplier_id,
        device.loan_id,
        place,
        description,
        cover,
        hours,
        at,
        by,
    )


def progress(
    status: str, action: str, note: str, number: str, by: str, at: datetime
) -> dict[str, object]:
    """The ticket's columns after ``action``: repair started, or closed with what was done."""
    target = TICKET.moves[action].target
    done = " ".join((note or "").split())
    if TICKET.is_final(target) and not 3 <= len(done) <= 500:
        raise InvalidInput("Say what was done (3-500 characters).", field="resolution")
    TICKET.move(status, action, number=number, ticket_status=status, event=action)
    if target is TicketStatus.UNDER_REPAIR:
        return {"status": target.value, "repair_started_at": at}
    return {"status": target.value, "resolved_at": at, "resolution": done, "resolved_by": by}


#: Who hears of a ticket past its SLA, level by level: the repairer and the place first,
#: then the district, then headquarters (BMMP: escalation matrix; hours are settings).
ESCALATION = ("place", "district", "headquarters")


def escalation_level(status: str, due_at: datetime, now: datetime, after_hours: list[int]) -> int:
    """How many levels a running ticket has been escalated to (0: within its SLA): level n
    once it is ``after_hours[n-1]`` hours past its due time."""
    if TicketStatus(status) not in OPEN_STATUSES or now < due_at:
        return 0
    late = (now - due_at) / timedelta(hours=1)
    return sum(1 for hours in after_hours[: len(ESCALATION)] if late >= hours)
