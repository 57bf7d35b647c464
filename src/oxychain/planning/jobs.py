"""The worker's job of planning: the daily forecast and gap refresh (``services.refresh``),
early in the morning in India, before the planners' day begins."""

from __future__ import annotations

from datetime import time

from oxychain.core.clock import in_india
from oxychain.core.worker import JobContext, JobKind, Schedule
from oxychain.planning.services import refresh


def daily_refresh(context: JobContext) -> None:
    row = refresh.refresh(context.uow, context.settings, in_india(context.now), context.now)
    context.summary = (
        "no case counts yet"
        if row is None
        else f"{row.districts_short} districts short of {row.devices_short} devices"
    )


JOBS = (JobKind("planning.daily_refresh", daily_refresh, description="forecast and gap"),)


def schedules(settings) -> list[Schedule]:  # noqa: ANN001 - the composed Settings
    return [Schedule("planning.daily_refresh", daily_at=time(6, 0))]
