"""What distribution tells people without anyone asking (the worker runs these:
``distribution.jobs``): preventive maintenance falling due, home loans overdue, and fault
tickets past their SLA, escalated level by level. Each notice has a key, so that it
reaches a person once however often the reminder runs."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from oxychain.core.formatting import indian_date
from oxychain.core.i18n import N_
from oxychain.core.notices.text import bilingual, moment
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import maintenance
from oxychain.distribution.domain.loan import days_overdue
from oxychain.distribution.domain.ticket import escalation_level
from oxychain.distribution.repositories.events import utc

PM_DUE = (
    N_("Preventive maintenance due at {facility} on {due}"),
    N_(
        "{count} concentrators at {facility} fall due for preventive maintenance on {due}: "
        "{serials}."
    ),
)
LOAN_OVERDUE = (
    N_("Home loan {loan} is overdue"),
    N_(
        "Concentrator {serial} on home loan {loan} was due back on {due}; it is {days} days "
        "overdue."
    ),
)
TICKET_LATE = (
    N_("Fault ticket {ticket} is past its SLA (level {level})"),
    N_(
        "Fault ticket {ticket} for concentrator {serial} at {place} was due to be resolved by "
        "{due} and is still {status}. Escalation level {level} of 3."
    ),
)
SHOWN_SERIALS = 10


def pm_due(uow: UnitOfWork, today: date, now: datetime, interval_days: int, ahead: int) -> int:
    """Tell each facility's in-charge of its devices whose maintenance falls due within
    ``ahead`` days (or is overdue), one notice per facility and due day."""
    due: dict[tuple[int, date], list[str]] = defaultdict(list)
    made = 0
    with uow:
        for row in uow.service.in_service():
            if row.facility_id is None:
                continue
            last = utc(row.maintained_at).date() if row.maintained_at else None
            installed = utc(row.installed_at).date()
            on = maintenance.next_maintenance(installed, last, interval_days, today).due_on
            if on <= today + timedelta(days=ahead):
                due[(row.facility_id, on)].append(row.serial)
        for (facility_id, on), serials in sorted(due.items()):
            facility = uow.masterdata.facility_by_id(facility_id)
            shown = ", ".join(serials[:SHOWN_SERIALS])
            subject, body = PM_DUE
            made += uow.notices.notify(
                uow.people.recipients(Role.FACILITY_INCHARGE, facility_id=facility_id),
                key=f"pm-due:{facility_id}:{on.isoformat()}",
                kind="distribution.pm_due",
                subject=subject,
                body=body,
                params={
                    "facility": facility.name,
                    "facility_hi": facility.name_hi or facility.name,
                    "due": indian_date(on),
                    "count": len(serials),
                    "serials": shown + (" …" if len(serials) > SHOWN_SERIALS else ""),
                },
                link=f"/uptime/facilities/{facility.code}",
                now=now,
            )
        uow.commit()
    return made


def loans_overdue(uow: UnitOfWork, today: date, now: datetime) -> int:
    """Tell the district officer and the lending warehouse of each loan past its due day."""
    made = 0
    with uow:
        for loan in uow.dispatch.loans(overdue_on=today, limit=2000):
            people = [
                *uow.people.recipients(Role.DISTRICT_OFFICER, district_id=loan.district_id),
                *uow.people.recipients(Role.WAREHOUSE_KEEPER, warehouse_id=loan.warehouse_id),
            ]
            subject, body = LOAN_OVERDUE
            made += uow.notices.notify(
                people,
                key=f"loan-overdue:{loan.number}:{loan.due_on.isoformat()}",
                kind="distribution.loan_overdue",
                subject=subject,
                body=body,
                params={
                    "loan": loan.number,
                    "serial": uow.service.serial_of(loan.device_id),
                    "due": indian_date(loan.due_on),
                    "days": days_overdue(loan.due_on, today, loan.status),
                },
                link=f"/loans/{loan.number}",
                now=now,
            )
        uow.commit()
    return made


def tickets_late(uow: UnitOfWork, now: datetime, after_hours: list[int]) -> int:
    """Escalate each running ticket past its SLA: the repairer and the place, then the
    district officer, then headquarters; each level is told once."""
    made = 0
    with uow:
        for ticket in uow.service.tickets(open_only=True, limit=5000):
            level = escalation_level(ticket.status, utc(ticket.due_at), now, after_hours)
            for step in range(1, level + 1):
                subject, body = TICKET_LATE
                made += uow.notices.notify(
                    _escalated_to(uow, ticket, step),
                    key=f"ticket-sla:{ticket.number}:{step}",
                    kind="distribution.ticket_late",
                    subject=subject,
                    body=body,
                    params={
                        "ticket": ticket.number,
                        "serial": uow.service.serial_of(ticket.device_id),
                        **_place(uow, ticket),
                        "due": moment(utc(ticket.due_at)),
                        "status": ticket.status.replace("_", " "),
                        "level": step,
                    },
                    link=f"/tickets/{ticket.number}",
                    now=now,
                )
        uow.commit()
    return made


def _escalated_to(uow: UnitOfWork, ticket, step: int) -> list:  # noqa: ANN001 - a FaultTicket
    people = uow.people
    if step == 1:
        found = list(people.recipients(Role.SUPPLIER, supplier_id=ticket.supplier_id))
        if ticket.facility_id:
            found += people.recipients(Role.FACILITY_INCHARGE, facility_id=ticket.facility_id)
        elif ticket.warehouse_id:
            found += people.recipients(Role.WAREHOUSE_KEEPER, warehouse_id=ticket.warehouse_id)
        else:  # a home loan's device: the district holds the loan
            found += people.recipients(Role.DISTRICT_OFFICER, district_id=ticket.district_id)
        return found
    if step == 2:
        return list(people.recipients(Role.DISTRICT_OFFICER, district_id=ticket.district_id))
    return list(people.recipients(Role.PROCUREMENT_OFFICER))


def _place(uow: UnitOfWork, ticket) -> dict[str, str]:  # noqa: ANN001
    """Where the device is, in English and Hindi (``place``, ``place_hi``)."""
    if ticket.facility_id:
        row = uow.masterdata.facility_by_id(ticket.facility_id)
    elif ticket.warehouse_id:
        row = uow.masterdata.warehouse_by_id(ticket.warehouse_id)
    else:
        return bilingual("place", N_("a patient's home"))
    return {"place": row.name, "place_hi": row.name_hi or row.name}
