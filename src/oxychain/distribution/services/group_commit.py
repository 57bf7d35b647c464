"""Group commit for scan ingestion: one writer, many waiting requests.

Requests hand their batch to a single writer thread and wait. While the writer commits
(one fsync with SQLite synchronous=FULL), new batches queue up; the writer then takes
them all into one transaction (``scanning.record_groups``), so the cost of a durable
commit is shared and writers never queue on the database lock. A request is answered
only after the transaction holding its scans has committed: an acknowledged scan is on
disk. Should a combined transaction fail, each batch is retried on its own, so one bad
batch cannot fail the others.
"""

from __future__ import annotations

import gc
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Principal
from oxychain.distribution.services import scanning

MAX_EVENTS_PER_COMMIT = 2_000


@dataclass
class _Job:
    group: scanning.ScanGroup
    done: Future


class GroupCommit:
    def __init__(self, app: Oxychain) -> None:
        # Everything loaded so far (modules, mappers, templates) lives as long as the
        # process: keep it out of the collector's full passes, whose pauses would
        # otherwise show up as the tail of the scan latency.
        gc.freeze()
        self.app = app
        self.jobs: queue.Queue[_Job] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="scan-group-commit", daemon=True)
        self.thread.start()

    def submit(self, principal: Principal, scans: Sequence[scanning.ScanIn]) -> list:
        """Store a batch (as ``record_scans`` does) and return its answers once committed."""
        group = scanning.ScanGroup(principal, scans)
        scanning.check_group(group)  # refused at once, in the request, when not allowed
        job = _Job(group, Future())
        self.jobs.put(job)
        return job.done.result()

    def _run(self) -> None:
        while True:
            jobs = [self.jobs.get()]
            events = len(jobs[0].group.scans)
            while events < MAX_EVENTS_PER_COMMIT:
                try:
                    jobs.append(self.jobs.get_nowait())
                except queue.Empty:
                    break
                events += len(jobs[-1].group.scans)
            self._commit(jobs)

    def _commit(self, jobs: list[_Job]) -> None:
        now = clock.now()
        try:
            answers = scanning.record_groups(
                self.app.uow(SYSTEM, write=True), [j.group for j in jobs], now
            )
        except Exception:  # noqa: BLE001 - isolate the failing batch: each on its own
            for job in jobs:
                self._alone(job, now)
            return
        for job, answer in zip(jobs, answers, strict=True):
            job.done.set_result(answer)

    def _alone(self, job: _Job, now: datetime) -> None:
        try:
            uow = self.app.uow(job.group.principal, write=True)
            job.done.set_result(scanning.record_groups(uow, [job.group], now)[0])
        except Exception as error:  # noqa: BLE001 - handed to the waiting request
            job.done.set_exception(error)


_WRITERS: dict[int, GroupCommit] = {}
_LOCK = threading.Lock()


def writer_for(app: Oxychain) -> GroupCommit:
    """The one group-commit writer of this app (started on first use)."""
    with _LOCK:
        writer = _WRITERS.get(id(app))
        if writer is None or writer.app is not app:
            writer = _WRITERS[id(app)] = GroupCommit(app)
        return writer
