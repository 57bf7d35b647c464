"""The worker's jobs of tendering: close a tender at its deadline (scheduled when it is
published), and every few minutes the reminders (``services.reminders``)."""

from __future__ import annotations

from datetime import timedelta

from oxychain.core.clock import in_india
from oxychain.core.worker import JobContext, JobKind, Schedule
from oxychain.tendering.services import reminders
from oxychain.tendering.services.tenders import CLOSE_JOB


def close(context: JobContext) -> None:
    closed = reminders.close_at_deadline(context.uow, context.key, context.now)
    context.summary = "closed" if closed else "nothing to close"


def watch(context: JobContext) -> None:
    closed = reminders.close_overdue(context.uow, context.now)
    flagged = reminders.flag_unanswered(context.uow, context.now)
    context.summary = f"{len(closed)} closed, {flagged} flagged for cancellation"


def bids_due(context: JobContext) -> None:
    hours = timedelta(hours=context.settings.reminder_bids_due_hours)
    context.summary = f"{reminders.bids_due(context.uow, context.now, hours)} notices"


def tranches_late(context: JobContext) -> None:
    made = reminders.tranches_late(context.uow, in_india(context.now), context.now)
    context.summary = f"{made} notices"


def securities_expiring(context: JobContext) -> None:
    days = context.settings.reminder_security_days
    made = reminders.securities_expiring(context.uow, in_india(context.now), context.now, days)
    context.summary = f"{made} notices"


JOBS = (
    JobKind(CLOSE_JOB, close, description="close a published tender at its deadline"),
    JobKind("tendering.watch", watch, description="close overdue tenders; flag unanswered ones"),
    JobKind("tendering.bids_due", bids_due, description="remind suppliers who have not bid"),
    JobKind("tendering.tranches_late", tranches_late, description="late delivery tranches"),
    JobKind("tendering.securities_expiring", securities_expiring, description="expiring PS"),
)


def schedules(settings) -> list[Schedule]:  # noqa: ANN001 - the composed Settings
    every = timedelta(minutes=settings.reminder_interval_minutes)
    return [
        Schedule("tendering.watch", every=every),
        Schedule("tendering.bids_due", every=every),
        Schedule("tendering.tranches_late", every=every),
        Schedule("tendering.securities_expiring", every=every),
    ]
