"""The job queue on both engines: a due job runs once and is marked done with its run; a
failing one is retried with backoff and shown with its error; a job whose worker died is
claimed again once the lease runs out; the schedules make one job per occurrence."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from oxychain.core import clock
from oxychain.core.people import SYSTEM
from oxychain.core.tables import AuditEvent, Job, JobRun
from oxychain.core.worker import JobContext, JobKind, Schedule, runner
from oxychain.core.worker.kinds import register
from oxychain.core.worker.loop import Worker

T0 = datetime(2026, 11, 27, 4, 30, tzinfo=UTC)


def _mark(context: JobContext) -> None:
    with context.uow as uow:
        uow.record("test.job", "job", context.key, None, context.payload)
        uow.commit()
    context.summary = "marked"


def _fail(context: JobContext) -> None:
    with context.uow as uow:
        uow.record("test.job", "job", context.key, None, {"should": "roll back"})
        uow.commit()
    raise RuntimeError("the printer is on fire")


register(JobKind("test.mark", _mark))
register(JobKind("test.fail", _fail, max_attempts=2))


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Move the clock: ``at(moment)``."""

    def move(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    move(T0)
    return move


def _schedule(app, kind: str, key: str, run_at: datetime, **payload) -> None:  # noqa: ANN001, ANN003
    with app.uow(SYSTEM, write=True) as uow:
        uow.jobs.schedule(kind, key, run_at, payload, now=T0)
        uow.commit()


def _job(app, key: str) -> Job:  # noqa: ANN001
    with app.uow(SYSTEM) as uow:
        return uow.session.scalar(select(Job).where(Job.key == key))


def _runs(app, job_id: int) -> list[JobRun]:  # noqa: ANN001
    with app.uow(SYSTEM) as uow:
        return list(uow.session.scalars(select(JobRun).where(JobRun.job_id == job_id)))


def _marks(app, key: str) -> int:  # noqa: ANN001
    with app.uow(SYSTEM) as uow:
        query = select(func.count()).select_from(AuditEvent)
        return uow.session.scalar(query.where(AuditEvent.entity_id == key))


def test_a_due_job_runs_once_and_is_done_with_its_run(app, at) -> None:  # noqa: ANN001
    _schedule(app, "test.mark", "a", T0 + timedelta(minutes=5), n=1)
    assert runner.run_due(app, "w1") == 0  # not due yet
    at(T0 + timedelta(minutes=5))
    assert runner.run_due(app, "w1") == 1
    assert runner.run_due(app, "w2") == 0
    job = _job(app, "a")
    assert (job.status, job.attempts, job.claim) == ("done", 1, None)
    [run] = _runs(app, job.id)
    assert (run.outcome, run.worker, run.summary) == ("succeeded", "w1", "marked")
    assert _marks(app, "a") == 1


def test_scheduling_again_moves_a_waiting_job_and_leaves_a_done_one(app, at) -> None:  # noqa: ANN001
    _schedule(app, "test.mark", "b", T0 + timedelta(hours=1))
    _schedule(app, "test.mark", "b", T0 + timedelta(hours=2))
    assert _job(app, "b").run_at == T0 + timedelta(hours=2)
    at(T0 + timedelta(hours=2))
    runner.run_due(app, "w1")
    _schedule(app, "test.mark", "b", T0 + timedelta(hours=3))
    job = _job(app, "b")
    assert (job.status, job.run_at) == ("done", T0 + timedelta(hours=2))


def test_a_failing_job_is_retried_with_backoff_then_given_up_with_its_error(app, at) -> None:  # noqa: ANN001
    _schedule(app, "test.fail", "c", T0)
    assert runner.run_due(app, "w1") == 1
    job = _job(app, "c")
    assert job.status == "queued" and job.run_at == T0 + timedelta(seconds=30)
    assert "the printer is on fire" in job.last_error
    assert _marks(app, "c") == 0  # the failed run's work was rolled back
    at(T0 + timedelta(seconds=30))
    runner.run_due(app, "w1")
    job = _job(app, "c")
    assert (job.status, job.attempts) == ("failed", 2)
    runs = _runs(app, job.id)
    assert [r.outcome for r in runs] == ["failed", "failed"]
    assert "RuntimeError: the printer is on fire" in runs[-1].error


def test_a_job_whose_worker_died_is_claimed_again_after_its_lease(app, at) -> None:  # noqa: ANN001
    _schedule(app, "test.mark", "d", T0)
    dead = runner.claim(app, "dead-worker")  # claimed, then the worker was killed
    assert dead is not None
    assert runner.claim(app, "w2") is None  # its lease still runs
    at(T0 + timedelta(seconds=app.settings.job_lease_seconds + 1))
    again = runner.claim(app, "w2")
    assert again is not None and again.job_id == dead.job_id and again.attempt == 2
    assert runner.execute(app, dead) == "lost"  # the dead worker's token no longer holds
    assert runner.execute(app, again) == "succeeded"
    outcomes = {r.worker: r.outcome for r in _runs(app, dead.job_id)}
    assert outcomes == {"dead-worker": "interrupted", "w2": "succeeded"}
    assert _marks(app, "d") == 1


def test_an_unknown_kind_fails_visibly(app, at) -> None:  # noqa: ANN001
    _schedule(app, "nobody.declares", "e", T0)
    runner.run_due(app, "w1")
    assert "no installed area declares the job kind" in _job(app, "e").last_error


def test_schedules_make_one_job_per_occurrence_whatever_the_workers(app, at) -> None:  # noqa: ANN001
    hourly = Schedule("test.mark", every=timedelta(hours=1))
    daily = Schedule("test.mark", daily_at=time(6, 0), payload={"daily": True})
    assert hourly.latest(T0) == datetime(2026, 11, 27, 4, 0, tzinfo=UTC)
    assert daily.latest(T0) == datetime(2026, 11, 27, 0, 30, tzinfo=UTC)  # 06:00 IST
    workers = [Worker(app, f"w{i}") for i in range(3)]
    for worker in workers:
        worker.schedules = [hourly, daily]
        worker.make_occurrences(T0)
        worker.make_occurrences(T0 + timedelta(minutes=10))
    with app.uow(SYSTEM) as uow:
        keys = sorted(uow.session.scalars(select(Job.key)))
    assert keys == ["2026-11-27T00:30:00+00:00", "2026-11-27T04:00:00+00:00"]


def test_the_worker_command_runs_every_recurring_job_once_and_jobs_shows_them(
    database_url: str, tmp_path
) -> None:  # noqa: ANN001
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "OXYCHAIN_ENVIRONMENT": "test", "OXYCHAIN_DATABASE_URL": database_url}

    def oxychain(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "oxychain.cli", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )

    done = oxychain("worker", "--once", "--name", "cli-test")
    assert done.returncode == 0, done.stderr
    shown = oxychain("jobs", "--json")
    assert shown.returncode == 0, shown.stderr
    board = json.loads(shown.stdout)
    kinds = {run["kind"] for run in board["runs"]}
    assert {"tendering.watch", "inspection.lots_waiting", "distribution.tickets_late"} <= kinds
    assert {"planning.daily_refresh", "core.prune"} <= kinds
    assert {run["outcome"] for run in board["runs"]} == {"succeeded"}
    assert {run["worker"] for run in board["runs"]} == {"cli-test"}
    again = oxychain("worker", "--once", "--name", "cli-test")  # occurrences already done
    assert again.returncode == 0
    runs = json.loads(oxychain("jobs", "--json", "--limit", "500").stdout)["runs"]
    assert len({(r["kind"], r["key"]) for r in runs}) == len(runs)  # none ran twice
