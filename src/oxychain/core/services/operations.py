"""The admin's view of the worker: jobs by status, recent runs with their errors, the
outbox; and the two things an admin may do: queue a failed job again, resend a delivery."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import NotFound
from oxychain.core.notices.status import DELIVERY, DeliveryStatus
from oxychain.core.uow import UnitOfWork
from oxychain.core.worker.status import JOB, JobStatus

WAITING = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED)
TROUBLE = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.FAILED)


@dataclass(frozen=True)
class Board:
    jobs: dict[str, int]  # status -> count
    deliveries: dict[str, int]
    runs: list[dict[str, Any]]
    waiting: list[dict[str, Any]] = field(default_factory=list)  # queued, running, failed
    outbox: list[dict[str, Any]] = field(default_factory=list)  # not sent yet, or failed

    def as_json(self) -> dict[str, Any]:
        return {
            "jobs": self.jobs,
            "deliveries": self.deliveries,
            "runs": self.runs,
            "waiting": self.waiting,
            "outbox": self.outbox,
        }


def board(uow: UnitOfWork, runs: int = 50) -> Board:
    require(uow.principal, "jobs.read")
    with uow:
        recent = [
            {
                "id": run.id,
                "job_id": job.id,
                "kind": job.kind,
                "key": job.key,
                "attempt": run.attempt,
                "worker": run.worker,
                "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at and run.finished_at.isoformat(),
                "outcome": run.outcome,
                "summary": run.summary,
                "error": run.error,
            }
            for run, job in uow.jobs.recent_runs(runs)
        ]
        waiting = [
            {
                "id": job.id,
                "kind": job.kind,
                "key": job.key,
                "status": job.status,
                "run_at": job.run_at.isoformat(),
                "attempts": job.attempts,
                "max_attempts": job.max_attempts,
                "worker": job.worker,
                "last_error": job.last_error,
            }
            for job in uow.jobs.listed([s.value for s in WAITING])
        ]
        outbox = [
            {
                "id": row.id,
                "channel": row.channel,
                "to": user.username,
                "subject": notice.subject,
                "params": notice.params,
                "status": row.status,
                "attempts": row.attempts,
                "next_attempt_at": row.next_attempt_at.isoformat(),
                "last_error": row.last_error,
            }
            for row, notice, user in uow.notices.deliveries([s.value for s in TROUBLE])
        ]
        return Board(uow.jobs.counts(), uow.notices.delivery_counts(), recent, waiting, outbox)


def requeue_job(uow: UnitOfWork, job_id: int) -> None:
    """A failed job, queued to run now with a fresh set of attempts."""
    require(uow.principal, "jobs.write")
    with uow:
        job = uow.jobs.job(job_id)
        if job is None:
            raise NotFound("No job {id}.", id=job_id)
        before = {"status": job.status, "attempts": job.attempts}
        job.status = JOB.move(job.status, "requeue").value
        job.attempts, job.run_at, job.finished_at = 0, clock.now(), None
        uow.record("job.requeue", "job", job.id, before, {"status": job.status})
        uow.commit()


def resend_delivery(uow: UnitOfWork, delivery_id: int) -> None:
    """A failed (or skipped) email or SMS, tried again now."""
    require(uow.principal, "jobs.write")
    with uow:
        row = uow.notices.delivery(delivery_id, lock=True)
        if row is None:
            raise NotFound("No delivery {id}.", id=delivery_id)
        before = {"status": row.status, "attempts": row.attempts}
        row.status = DELIVERY.move(row.status, "resend").value
        row.attempts, row.next_attempt_at = 0, clock.now()
        uow.record("delivery.resend", "delivery", row.id, before, {"status": row.status})
        uow.commit()
