"""Fault tickets: a breakdown reported by a facility or a loan holder, repaired or condemned
under warranty or CMC, against its SLA clock (rules and sources in domain/maintenance.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from oxychain.core.access import Scope, require
from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import maintenance
from oxychain.distribution.domain.lifecycle import EventKind, PlaceKind
from oxychain.distribution.domain.maintenance import TicketStatus
from oxychain.distribution.repositories.events import Located, utc
from oxychain.distribution.services.moves import Links, Moves
from oxychain.distribution.tables import FaultTicket
from oxychain.inspection.domain.device import normal_serial


@dataclass(frozen=True)
class ServiceTerms:
    """The settings' service terms (defaults unverified; see config.py)."""

    warranty_months: int
    cmc_months: int
    sla_hours: dict[str, int]


def ticket_scope(ticket: FaultTicket) -> ObjectScope:
    return ObjectScope(
        district_id=ticket.district_id,
        facility_id=ticket.facility_id,
        warehouse_id=ticket.warehouse_id,
        supplier_id=ticket.supplier_id,
    )


def cover_for(uow: UnitOfWork, device_id: int, terms: ServiceTerms, on) -> maintenance.Cover:  # noqa: ANN001
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
    text = " ".join((description or "").split())
    if not 5 <= len(text) <= 500:
        raise InvalidInput("Describe the fault (5-500 characters).", field="description")
    serial = normal_serial(serial)
    with uow:
        device = uow.ledger.locate([serial]).get(serial)
        if device is None:
            raise NotFound("No device with serial {serial}.", serial=serial[:40])
        place = device.position.place
        require(uow.principal, "ticket.write", place.scope(device.supplier_id))
        ticket = _new_ticket(uow, device, text, terms, now)
        moves = Moves(uow, now)
        moves.apply(device, EventKind.REPORT_FAULT, now, links=Links(ticket_id=ticket.id))
        moves.flush()
        uow.record("ticket.open", "fault_ticket", ticket.number, None, _view(ticket, serial))
        uow.commit()
        return ticket


def _sla_place(uow: UnitOfWork, device: Located) -> str:
    place = device.position.place
    if place.kind is PlaceKind.FACILITY:
        return uow.masterdata.facility_by_id(place.id).kind
    return place.kind.value


def _new_ticket(
    uow: UnitOfWork, device: Located, text: str, terms: ServiceTerms, now
) -> FaultTicket:  # noqa: ANN001
    place = device.position.place
    if place.district_id is None:
        raise Conflict("Device {serial} is still with its supplier.", serial=device.serial)
    hours = maintenance.sla_hours(_sla_place(uow, device), terms.sla_hours)
    cover = cover_for(uow, device.device_id, terms, now.date())
    clock = maintenance.sla_clock(now, hours, now, None)
    ticket = FaultTicket(
        number=f"TMP-{uuid.uuid4().hex[:16]}",
        device_id=device.device_id,
        place_kind=place.kind.value,
        facility_id=place.id if place.kind is PlaceKind.FACILITY else None,
        warehouse_id=place.id if place.kind is PlaceKind.WAREHOUSE else None,
        loan_id=device.loan_id,
        district_id=place.district_id,
        supplier_id=device.supplier_id,
        description=text,
        coverage=cover.kind.value,
        covered_until=cover.until,
        sla_hours=hours,
        due_at=clock.due_at,
        status=TicketStatus.OPEN.value,
        opened_at=now,
        opened_by=uow.principal.username,
    )
    uow.service.add(ticket)
    uow.service.flush()
    ticket.number = maintenance.ticket_number(now.year, ticket.id)
    return ticket


def start_repair(uow: UnitOfWork, number: str, now: datetime) -> FaultTicket:
    return _progress(uow, number, now, EventKind.START_REPAIR, TicketStatus.UNDER_REPAIR, "")


def resolve(uow: UnitOfWork, number: str, resolution: str, now: datetime) -> FaultTicket:
    """Repaired: the downtime ends; the facility scans ``install`` when it is back in use."""
    return _progress(uow, number, now, EventKind.REPAIR, TicketStatus.RESOLVED, resolution)


def condemn(uow: UnitOfWork, number: str, reason: str, now: datetime) -> FaultTicket:
    return _progress(uow, number, now, EventKind.CONDEMN, TicketStatus.CONDEMNED, reason)


_PERMISSION = {
    EventKind.START_REPAIR: "ticket.service",
    EventKind.REPAIR: "ticket.service",
    EventKind.CONDEMN: "ticket.condemn",
}


def _progress(uow, number, now, event, status, note) -> FaultTicket:  # noqa: ANN001
    permission = _PERMISSION[event]
    require(uow.principal, permission)
    note = " ".join((note or "").split())
    with uow:
        ticket = uow.service.ticket(number.strip(), lock=True)
        if ticket is None:
            raise NotFound("No fault ticket {number}.", number=number[:40])
        require(uow.principal, permission, ticket_scope(ticket))
        if status in maintenance.CLOSED and not 3 <= len(note) <= 500:
            raise InvalidInput("Say what was done (3-500 characters).", field="resolution")
        if ticket.status in maintenance.CLOSED:
            raise Conflict("Fault ticket {number} is closed.", number=ticket.number)
        serial = uow.dispatch.serials([ticket.device_id])[ticket.device_id]
        device = uow.ledger.locate([serial])[serial]
        before = _view(ticket, serial)
        moves = Moves(uow, now)
        moves.apply(device, event, now, links=Links(ticket_id=ticket.id))
        moves.flush()
        ticket.status = status.value
        if event is EventKind.START_REPAIR:
            ticket.repair_started_at = now
        else:
            ticket.resolved_at, ticket.resolution, ticket.resolved_by = (
                now,
                note,
                uow.principal.username,
            )
        uow.record(
            f"ticket.{status.value}", "fault_ticket", ticket.number, before, _view(ticket, serial)
        )
        uow.commit()
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
    clock: maintenance.SlaClock


def _row(ticket: FaultTicket, serial: str, now: datetime) -> TicketRow:
    clock = maintenance.sla_clock(
        utc(ticket.opened_at), ticket.sla_hours, now, utc(ticket.resolved_at)
    )
    return TicketRow(ticket, serial, clock)


def list_tickets(uow: UnitOfWork, now: datetime, open_only: bool = False) -> list[TicketRow]:
    scope = require(uow.principal, "ticket.read")
    p = uow.principal
    narrow = {
        Scope.OWN_DISTRICT: {"district_id": p.district_id or -1},
        Scope.OWN_FACILITY: {"facility_id": p.facility_id or -1},
        Scope.OWN_WAREHOUSE: {"warehouse_id": p.warehouse_id or -1},
        Scope.OWN_SUPPLIER: {"supplier_id": p.supplier_id or -1},
    }.get(scope, {})
    with uow:
        rows = uow.service.tickets(open_only=open_only, **narrow)
        serials = uow.dispatch.serials([t.device_id for t in rows])
        return [_row(t, serials[t.device_id], now) for t in rows]


def get_ticket(uow: UnitOfWork, number: str, now: datetime) -> TicketRow:
    require(uow.principal, "ticket.read")
    with uow:
        ticket = uow.service.ticket(number.strip())
        if ticket is None:
            raise NotFound("No fault ticket {number}.", number=number[:40])
        require(uow.principal, "ticket.read", ticket_scope(ticket))
        return _row(ticket, uow.dispatch.serials([ticket.device_id])[ticket.device_id], now)
