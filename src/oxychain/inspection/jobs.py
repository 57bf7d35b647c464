"""The worker's job of inspection: remind whoever holds up a lot (``services.reminders``)."""

from __future__ import annotations

from datetime import timedelta

from oxychain.core.worker import JobContext, JobKind, Schedule
from oxychain.inspection.services import reminders


def lots_waiting(context: JobContext) -> None:
    after = timedelta(days=context.settings.reminder_lot_waiting_days)
    context.summary = f"{reminders.lots_waiting(context.uow, context.now, after)} notices"


JOBS = (JobKind("inspection.lots_waiting", lots_waiting, description="lots waiting too long"),)


def schedules(settings) -> list[Schedule]:  # noqa: ANN001 - the composed Settings
    every = timedelta(minutes=settings.reminder_interval_minutes)
    return [Schedule("inspection.lots_waiting", every=every)]
