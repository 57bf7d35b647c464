"""Fault tickets: a breakdown reported by a facility or a loan holder, repaired or condemned
under warranty or CMC, against its SLA clock (rules in domain/ticket.py, cover in
domain/maintenance.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from oxychain.core.access import require
from oxychain.core.errors import NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import lifecycle, maintenance
from oxychain.distribution.domain import ticket as tickets
from oxychain.distribution.domain.device import Links, Located
from oxychain.distribution.domain.lifecycle import EventKind, PlaceKind
from oxychain.distribution.domain.maintenance import ServiceTerms
from oxychain.distribution.repositories.events import utc
from oxychain.distribution.services import devices
from oxychain.distribution.services.moves import Moves
from oxychain.distribution.services.places import narrowing
from oxychain.distribution.tables import FaultTicket


def ticket_scope(ticket: FaultTicket) -> ObjectScope:
    return ObjectScope(
        district_id=ticket.district_id,
        facility_id=ticket.facility_id,
        warehouse_id=ticket.warehouse_id,
        supplier_id=ticket.supplier_id,
    )


def cover_for(uow: UnitOfWork, device_id: int, terms: ServiceTerms, on: date) -> maintenance.Cover:
    """Warranty or CMC of a device, from its acceptance certificate."""
    found = uow.service.cover_of(device_id)
    if found is None:
        return maintenance.coverage(None, terms.warranty_months, terms.cmc_months, on)
    certified, certificate = found
    return maintenance.coverage(
        certified.warranty_start, certificate.warranty_months, certificate.cmc_months, on
    )


def report_fault(
    uow: UnitOfWork, serial: str, description: str, terms: ServiceTerms, now: datetime
) -> FaultTicket:
    """Open a ticket: the device becomes faulty, the SLA clock starts, coverage is looked up."""
    require(uow.principal, "ticket.write")
    text = tickets.check_description(description)
    with uow:
        device = devices.by_serial(uow, serial)
        require(uow.principal, "ticket.write", device.scope)
        cover = cover_for(uow, device.device_id, terms, now.date())
        new = tickets.open_ticket(
            device,
            _sla_kind(uow, device),
            cover,
            text,
            terms.sla_hours,
            now,
            uow.principal.username,
        )
        ticket = uow.service.add_ticket(new)
        moves = Moves(uow, now)
        moves.apply(device, EventKind.REPORT_FAULT, now, links=Links(ticket_id=ticket.id))
        moves.flush()
        uow.record("ticket.open", "fault_ticket", ticket.number, None, _view(ticket, device.serial))
        uow.commit()
        return ticket


def _sla_kind(uow: UnitOfWork, device: Located) -> str:
    """The SLA table's key: the kind of facility, or the kind of place."""
    place = device.position.place
    if place.kind is PlaceKind.FACILITY:
        return uow.masterdata.facility_by_id(place.id).kind
    return place.kind.value


def start_repair(uow: UnitOfWork, number: str, now: datetime) -> FaultTicket:
    return _progress(uow, number, now, "start_repair", "")


def resolve(uow: UnitOfWork, number: str, resolution: str, now: datetime) -> FaultTicket:
    """Repaired: the downtime ends; the facility scans ``install`` when it is back in use."""
    return _progress(uow, number, now, "repair", resolution)


def condemn(uow: UnitOfWork, number: str, reason: str, now: datetime) -> FaultTicket:
    return _progress(uow, number, now, "condemn", reason)


def _progress(uow: UnitOfWork, number: str, now: datetime, action: str, note: str) -> FaultTicket:
    """A ticket's move (named as the device's event that goes with it), and that event."""
    permission = lifecycle.PERMISSION[EventKind(action)]
    require(uow.principal, permission)
    with uow:
        ticket = _ticket(uow, number, permission, lock=True)
        change = tickets.progress(
            ticket.status, action, note, ticket.number, uow.principal.username, now
        )
        device = devices.of_record(uow, ticket.device_id)
        before = _view(ticket, device.serial)
        moves = Moves(uow, now)
        moves.apply(device, EventKind(action), now, links=Links(ticket_id=ticket.id))
        moves.flush()
        uow.service.update(ticket, **change)
        after = _view(ticket, device.serial)
        uow.record(f"ticket.{ticket.status}", "fault_ticket", ticket.number, before, after)
        uow.commit()
        return ticket


def _ticket(uow: UnitOfWork, number: str, permission: str, lock: bool = False) -> FaultTicket:
    ticket = uow.service.ticket(number.strip(), lock=lock)
    if ticket is None:
        raise NotFound("No fault ticket {number}.", number=number[:40])
    require(uow.principal, permission, ticket_scope(ticket))
    return ticket


def _view(ticket: FaultTicket, serial: str) -> dict:
    return {
        "serial": serial,
        "status": ticket.status,
        "coverage": ticket.coverage,
        "due_at": utc(ticket.due_at).isoformat(),
        "resolution": ticket.resolution,
    }


@dataclass(frozen=True)
class TicketRow:
    ticket: FaultTicket
    serial: str
    clock: tickets.SlaClock
    actions: frozenset[str] = frozenset()  # what may be done next (domain/ticket.py TICKET)


def _row(ticket: FaultTicket, serial: str, now: datetime) -> TicketRow:
    clock = tickets.sla_clock(utc(ticket.opened_at), ticket.sla_hours, now, utc(ticket.resolved_at))
    return TicketRow(ticket, serial, clock, tickets.TICKET.allowed_actions(ticket.status))


def list_tickets(uow: UnitOfWork, now: datetime, open_only: bool = False) -> list[TicketRow]:
    require(uow.principal, "ticket.read")
    with uow:
        rows = uow.service.tickets(open_only=open_only, **narrowing(uow.principal, "ticket.read"))
        serials = uow.dispatch.serials([t.device_id for t in rows])
        return [_row(t, serials[t.device_id], now) for t in rows]


def get_ticket(uow: UnitOfWork, number: str, now: datetime) -> TicketRow:
    require(uow.principal, "ticket.read")
    with uow:
        ticket = _ticket(uow, number, "ticket.read")
        return _row(ticket, uow.dispatch.serials([ticket.device_id])[ticket.device_id], now)
