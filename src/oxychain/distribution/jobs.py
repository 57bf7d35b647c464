"""The worker's jobs of distribution: preventive maintenance due, home loans overdue,
fault tickets past their SLA (``services.reminders``)."""

from __future__ import annotations

from datetime import timedelta

from oxychain.core.clock import in_india
from oxychain.core.worker import JobContext, JobKind, Schedule
from oxychain.distribution.services import reminders


def pm_due(context: JobContext) -> None:
    s = context.settings
    made = reminders.pm_due(
        context.uow,
        in_india(context.now),
        context.now,
        s.pm_interval_days,
        s.reminder_pm_days_ahead,
    )
    context.summary = f"{made} notices"


def loans_overdue(context: JobContext) -> None:
    made = reminders.loans_overdue(context.uow, in_india(context.now), context.now)
    context.summary = f"{made} notices"


def tickets_late(context: JobContext) -> None:
    hours = context.settings.ticket_escalation_hours
    context.summary = f"{reminders.tickets_late(context.uow, context.now, hours)} notices"


JOBS = (
    JobKind("distribution.pm_due", pm_due, description="preventive maintenance falling due"),
    JobKind("distribution.loans_overdue", loans_overdue, description="home loans overdue"),
    JobKind("distribution.tickets_late", tickets_late, description="tickets past their SLA"),
)


def schedules(settings) -> list[Schedule]:  # noqa: ANN001 - the composed Settings
    every = timedelta(minutes=settings.reminder_interval_minutes)
    return [
        Schedule("distribution.pm_due", every=timedelta(hours=6)),
        Schedule("distribution.loans_overdue", every=every),
        Schedule("distribution.tickets_late", every=every),
    ]
