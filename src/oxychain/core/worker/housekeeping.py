"""Core's own recurring job: forget finished jobs once the admin no longer needs them."""

from __future__ import annotations

from datetime import time, timedelta

from oxychain.core.worker.kinds import JobContext, JobKind, Schedule


def prune(context: JobContext) -> None:
    keep = timedelta(days=context.settings.job_keep_days)
    with context.uow as uow:
        gone = uow.jobs.prune(context.now - keep)
        uow.commit()
    context.summary = f"{gone} finished jobs forgotten"


JOBS = (JobKind("core.prune", prune, description="forget finished jobs after job_keep_days"),)


def schedules(settings) -> list[Schedule]:  # noqa: ANN001 - the composed Settings
    return [Schedule("core.prune", daily_at=time(3, 0))]
