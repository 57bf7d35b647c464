"""Running one due job, exactly once: claim it, then run it and mark it done in one
transaction that proves the claim is still ours.

1. Claim (a short write transaction): the next due job, under a row lock that other
   workers skip; it becomes ``running`` with a fresh token and a lease, and a run row says
   who took it. A job whose lease ran out (its worker died) is claimed the same way; its
   unfinished run is marked interrupted.
2. Run (a second write transaction): lock the job's row, check the token is still ours,
   do the work inside a savepoint, and commit the work with the job's "done" (or, when the
   work failed, the rolled-back savepoint with the error and the next attempt's time).

A worker killed between or during these loses only its uncommitted transaction; the job
stays ``running`` until the lease runs out and is then claimed again. A slow worker whose
lease ran out finds another token on the row and does nothing.
"""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import OperationalError

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM
from oxychain.core.tables import Job, JobRun
from oxychain.core.uow import NestedUnitOfWork
from oxychain.core.worker.kinds import JobContext, kinds
from oxychain.core.worker.status import JOB, RUN, JobStatus, RunOutcome

log = logging.getLogger("oxychain.worker")
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Claimed:
    job_id: int
    run_id: int
    token: str
    kind: str
    key: str
    payload: dict[str, Any]
    attempt: int


def claim(app: Oxychain, worker: str, now: datetime | None = None) -> Claimed | None:
    """Take the next due job for this worker, or None when nothing is due."""
    now = now or clock.now()
    lease = timedelta(seconds=app.settings.job_lease_seconds)
    with app.uow(SYSTEM) as uow:  # a look first: an idle worker takes no write lock
        if uow.jobs.next_due(now, lock=False) is None:
            return None
    with app.uow(SYSTEM, write=True) as uow:
        job = uow.jobs.next_due(now)
        if job is None:
            return None
        if job.status == JobStatus.RUNNING:
            for run in uow.jobs.open_runs(job.id):
                _end(run, "interrupt", now, error=f"{run.worker} stopped before finishing it")
        job.status = JOB.move(job.status, "claim").value
        job.claim, job.lease_until, job.worker = uuid.uuid4().hex, now + lease, worker[:80]
        job.attempts += 1
        run = JobRun(
            job_id=job.id,
            attempt=job.attempts,
            worker=worker[:80],
            started_at=now,
            outcome=RunOutcome.RUNNING.value,
        )
        uow.jobs.add(run)
        claimed = Claimed(
            job.id, run.id, job.claim, job.kind, job.key, dict(job.payload), job.attempts
        )
        uow.commit()
        return claimed


def execute(app: Oxychain, claimed: Claimed) -> str:
    """Run a claimed job; its outcome (``succeeded``, ``failed``, or ``lost`` when the
    claim was taken over meanwhile)."""
    kind = kinds().get(claimed.kind)
    with app.uow(SYSTEM, write=True) as uow:
        job = uow.jobs.lock(claimed.job_id)
        if job is None or job.claim != claimed.token or job.status != JobStatus.RUNNING:
            return "lost"
        run = uow.jobs.run(claimed.run_id)
        now = clock.now()
        nested = NestedUnitOfWork(uow.session, SYSTEM)
        context = JobContext(
            nested, claimed.key, claimed.payload, app.settings, now, claimed.attempt
        )
        savepoint = uow.session.begin_nested()
        try:
            if kind is None:
                raise LookupError(f"no installed area declares the job kind {claimed.kind}")
            kind.run(context)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded on the job
            savepoint.rollback()
            outcome = _failed(job, run, exc, clock.now())
        else:
            if savepoint.is_active:
                savepoint.commit()
            job.status = JOB.move(job.status, "finish").value
            job.finished_at, job.last_error = clock.now(), None
            _end(run, "succeed", job.finished_at, summary=context.summary)
            outcome = RunOutcome.SUCCEEDED.value
        job.claim, job.lease_until = None, None
        uow.commit()
    return outcome


def _failed(job: Job, run: JobRun, exc: Exception, now: datetime) -> str:
    error = "".join(traceback.format_exception_only(exc)).strip()
    detail = "".join(traceback.format_exception(exc))[-4000:]
    log.warning("job %s %s failed (attempt %s): %s", job.kind, job.key, job.attempts, error)
    _end(run, "fail", now, error=detail)
    job.last_error = error[:2000]
    if job.attempts >= job.max_attempts:
        job.status = JOB.move(job.status, "give_up").value
        job.finished_at = now
    else:
        job.status = JOB.move(job.status, "retry").value
        job.run_at = now + backoff(job.attempts)
    return RunOutcome.FAILED.value


def backoff(attempts: int, base: timedelta = timedelta(seconds=30)) -> timedelta:
    """30 s after the first failure, doubled after each, at most an hour."""
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def _end(run: JobRun | None, action: str, now: datetime, **fields: str) -> None:
    if run is None:
        return
    run.outcome = RUN.move(run.outcome, action).value
    run.finished_at = now
    for name, value in fields.items():
        setattr(run, name, (value or None) and value[: 300 if name == "summary" else 8000])


def _execute_patiently(app: Oxychain, claimed: Claimed) -> str:
    """Execute a claim, waiting for a busy database (SQLite's one writer) while the lease
    holds, rather than leaving the job to be taken over when the lease runs out."""
    until = time.monotonic() + app.settings.job_lease_seconds / 2
    while True:
        try:
            return execute(app, claimed)
        except OperationalError:
            if time.monotonic() >= until:
                raise
            time.sleep(0.1)


def run_due(app: Oxychain, worker: str, *, limit: int | None = None, stop=None) -> int:  # noqa: ANN001
    """Claim and run due jobs until none is due (or ``limit`` ran, or ``stop`` is set)."""
    done = 0
    while limit is None or done < limit:
        if stop is not None and stop.is_set():
            break
        claimed = claim(app, worker)
        if claimed is None:
            break
        outcome = _execute_patiently(app, claimed)
        log.info("job %s %s: %s", claimed.kind, claimed.key, outcome)
        done += 1
    return done
