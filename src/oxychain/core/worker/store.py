"""The job queue's queries: schedule, claim under a row lock, read for the admin."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from oxychain.core.tables import Job, JobRun
from oxychain.core.worker.kinds import kinds
from oxychain.core.worker.status import JobStatus, RunOutcome


def upsert(session: Session):  # noqa: ANN201 - the dialect's INSERT with ON CONFLICT
    return (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert


def _attempts(kind: str) -> int:
    known = kinds().get(kind)
    return known.max_attempts if known else 1


class Jobs:
    """``uow.jobs``: jobs are scheduled in the transaction of the change they follow from."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def schedule(
        self,
        kind: str,
        key: str,
        run_at: datetime,
        payload: dict[str, Any] | None = None,
        *,
        now: datetime,
    ) -> None:
        """The job of this kind and key, due at ``run_at``: made, or moved while it waits."""
        insert = upsert(self.session)(Job).values(
            kind=kind,
            key=key[:120],
            payload=payload or {},
            status=JobStatus.QUEUED.value,
            run_at=run_at,
            attempts=0,
            max_attempts=_attempts(kind),
            created_at=now,
        )
        self.session.execute(
            insert.on_conflict_do_update(
                index_elements=["kind", "key"],
                set_={"run_at": insert.excluded.run_at, "payload": insert.excluded.payload},
                where=Job.status == JobStatus.QUEUED.value,
            )
        )

    def ensure(self, kind: str, key: str, run_at: datetime, payload: dict, now: datetime) -> bool:
        """Make the job unless it exists (a schedule's occurrence); True when made here."""
        insert = upsert(self.session)(Job).values(
            kind=kind,
            key=key,
            payload=payload,
            status=JobStatus.QUEUED.value,
            run_at=run_at,
            attempts=0,
            max_attempts=_attempts(kind),
            created_at=now,
        )
        done = self.session.execute(insert.on_conflict_do_nothing(index_elements=["kind", "key"]))
        return bool(done.rowcount)

    def cancel(self, kind: str, key: str) -> None:
        """A waiting job whose reason went away is cancelled (kept for the record)."""
        job = self.session.scalar(select(Job).where(Job.kind == kind, Job.key == key))
        if job is not None and job.status == JobStatus.QUEUED:
            job.status = JobStatus.CANCELLED.value

    # --- the worker's side ---------------------------------------------------------------

    def next_due(self, now: datetime, *, lock: bool = True) -> Job | None:
        """The next job to claim: due and waiting, or running under a lease that ran out
        (its worker died). On PostgreSQL the row is locked and rows other workers hold are
        skipped; on SQLite the write transaction already holds the database's one lock."""
        query = (
            select(Job)
            .where(
                Job.run_at <= now,
                or_(
                    Job.status == JobStatus.QUEUED.value,
                    and_(Job.status == JobStatus.RUNNING.value, Job.lease_until < now),
                ),
            )
            .order_by(Job.run_at, Job.id)
            .limit(1)
        )
        if lock and self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return self.session.scalar(query)

    def lock(self, job_id: int) -> Job | None:
        return self.session.get(Job, job_id, with_for_update=True, populate_existing=True)

    def run(self, run_id: int) -> JobRun | None:
        return self.session.get(JobRun, run_id)

    def open_runs(self, job_id: int) -> Sequence[JobRun]:
        return self.session.scalars(
            select(JobRun).where(
                JobRun.job_id == job_id, JobRun.outcome == RunOutcome.RUNNING.value
            )
        ).all()

    def add(self, row: object) -> None:
        self.session.add(row)
        self.session.flush()

    def prune(self, before: datetime) -> int:
        """Forget finished jobs (and their runs) that ended before a moment."""
        old = select(Job.id).where(
            Job.status.in_([JobStatus.DONE.value, JobStatus.CANCELLED.value]),
            func.coalesce(Job.finished_at, Job.created_at) < before,
        )
        self.session.execute(delete(JobRun).where(JobRun.job_id.in_(old)))
        return self.session.execute(delete(Job).where(Job.id.in_(old))).rowcount or 0

    # --- the admin's view ----------------------------------------------------------------

    def job(self, job_id: int) -> Job | None:
        return self.session.get(Job, job_id)

    def listed(self, statuses: Sequence[str], limit: int = 100) -> Sequence[Job]:
        return self.session.scalars(
            select(Job).where(Job.status.in_(statuses)).order_by(Job.run_at).limit(limit)
        ).all()

    def recent_runs(self, limit: int = 100, outcome: str | None = None) -> Sequence[tuple]:
        query = select(JobRun, Job).join(Job, Job.id == JobRun.job_id)
        if outcome:
            query = query.where(JobRun.outcome == outcome)
        return self.session.execute(query.order_by(JobRun.id.desc()).limit(limit)).all()

    def counts(self) -> dict[str, int]:
        rows = self.session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
        return {status: n for status, n in rows}
