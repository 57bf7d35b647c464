"""Eight worker processes race for the same due jobs, on SQLite and PostgreSQL, and one is
killed with SIGKILL in the middle of a job: every job runs exactly once (its effect is in
the database once), the killed worker's job is taken over once its lease runs out, and its
interrupted run is shown beside the one that finished it."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from oxychain.app import Settings, bootstrap
from oxychain.core.people import SYSTEM
from oxychain.core.tables import AuditEvent, Job, JobRun
from oxychain.core.worker import JobContext, JobKind
from oxychain.core.worker.kinds import register
from oxychain.core.worker.loop import Worker

WORKERS = 8
JOBS = 60
LEASE_SECONDS = 3


def _mark(context: JobContext) -> None:
    """The job's effect: one audit event; the victim, on its first attempt, then hangs
    (its pid in a file) until the test kills its worker."""
    with context.uow as uow:
        uow.record("test.race", "job", context.key, None, {"attempt": context.attempt})
        uow.commit()
    victim = context.payload.get("victim")
    if victim and context.attempt == 1:
        Path(victim).write_text(str(os.getpid()))
        time.sleep(120)


register(JobKind("test.race", _mark))


def _work(url: str, name: str, start: float) -> None:
    settings = Settings(
        database_url=url,
        environment="test",
        job_lease_seconds=LEASE_SECONDS,
        worker_poll_seconds=0.05,
    )
    app = bootstrap(settings)
    worker = Worker(app, name)
    worker.schedules = []  # only the race's jobs
    time.sleep(max(0.0, start - time.time()))
    deadline = time.time() + 90
    try:
        while time.time() < deadline and _open(app):
            if not worker.tick():
                time.sleep(0.05)
    finally:
        app.close()


def _open(app) -> int:  # noqa: ANN001
    with app.uow(SYSTEM) as uow:
        query = select(func.count()).select_from(Job).where(Job.status.in_(["queued", "running"]))
        return uow.session.scalar(query)


def test_eight_workers_run_each_job_once_and_survive_a_kill(app, settings, tmp_path) -> None:  # noqa: ANN001
    victim = tmp_path / "victim.pid"
    now = datetime.now(UTC)
    with app.uow(SYSTEM, write=True) as uow:
        uow.jobs.schedule(
            "test.race", "victim", now - timedelta(minutes=1), {"victim": str(victim)}, now=now
        )
        for i in range(JOBS):
            uow.jobs.schedule("test.race", f"job-{i:03d}", now, now=now)
        uow.commit()
    ctx = multiprocessing.get_context("spawn")
    start = time.time() + 8  # every process imported and connected before the race
    workers = [
        ctx.Process(target=_work, args=(settings.database_url, f"w{i}", start))
        for i in range(WORKERS)
    ]
    for process in workers:
        process.start()
    try:
        limit = time.time() + 60
        while not victim.exists() and time.time() < limit:
            time.sleep(0.05)
        assert victim.exists(), "no worker took the victim job"
        killed = int(victim.read_text())
        os.kill(killed, signal.SIGKILL)  # mid-job: its transaction is never committed
        for process in workers:
            process.join(timeout=120)
    finally:
        for process in workers:
            if process.is_alive():
                process.kill()
    assert [p.exitcode for p in workers].count(-signal.SIGKILL) == 1

    with app.uow(SYSTEM) as uow:
        jobs = uow.session.scalars(select(Job).where(Job.kind == "test.race")).all()
        effects = Counter(
            uow.session.scalars(
                select(AuditEvent.entity_id).where(AuditEvent.action == "test.race")
            )
        )
        runs = uow.session.execute(select(JobRun, Job.key).join(Job)).all()
        assert uow.audit_log.verify() is None
    assert len(jobs) == JOBS + 1 and {j.status for j in jobs} == {"done"}
    assert effects == Counter({j.key: 1 for j in jobs})  # each exactly once
    succeeded = Counter(key for run, key in runs if run.outcome == "succeeded")
    assert succeeded == Counter({j.key: 1 for j in jobs})
    interrupted = [(key, run.attempt) for run, key in runs if run.outcome == "interrupted"]
    # The victim's first run was cut off; on a starved machine another worker may also
    # outlive its lease and lose its job the same way, to be finished once by another.
    assert ("victim", 1) in interrupted
    victim_job = next(j for j in jobs if j.key == "victim")
    assert victim_job.attempts == 2
    assert len({run.worker for run, _ in runs}) > 2  # the work was shared
