"""The worker's loop (``oxychain worker``): make the due occurrences of the schedules, run
the due jobs, send the outbox; then sleep a little and look again. SIGTERM or SIGINT ends
it after the job in hand. Any number of workers may run, on one machine or many: the
database decides who does what (``runner``, ``notices.delivery``)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from datetime import datetime

from sqlalchemy.exc import OperationalError

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.notices import delivery
from oxychain.core.people import SYSTEM
from oxychain.core.worker import runner
from oxychain.core.worker.kinds import Schedule, kinds, schedules

log = logging.getLogger("oxychain.worker")


def default_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    def __init__(self, app: Oxychain, name: str | None = None) -> None:
        self.app, self.name = app, name or default_name()
        self.stop = threading.Event()
        self._made: dict[str, datetime] = {}  # the latest occurrence made, per schedule
        known = kinds()
        self.schedules = [s for s in schedules(app.settings) if s.kind in known]

    def tick(self) -> int:
        """One round: schedules, due jobs, the outbox; how much was done."""
        self.make_occurrences(clock.now())
        done = runner.run_due(self.app, self.name, stop=self.stop)
        if not self.stop.is_set():
            done += delivery.send_due(self.app)
        return done

    def make_occurrences(self, now: datetime) -> None:
        due = [(s, s.latest(now)) for s in self.schedules]
        due = [(s, at) for s, at in due if self._made.get(_name(s)) != at]
        if not due:
            return
        with self.app.uow(SYSTEM, write=True) as uow:
            for schedule, at in due:
                uow.jobs.ensure(schedule.kind, at.isoformat(), at, schedule.payload, now)
            uow.commit()
        self._made.update({_name(s): at for s, at in due})

    def run(self, *, once: bool = False) -> None:
        """Work until stopped (or, with ``once``, until nothing more is due)."""
        log.info("worker %s started", self.name)
        while not self.stop.is_set():
            try:
                done = self.tick()
            except OperationalError as exc:  # the database is away or busy: try again soon
                log.warning("worker %s: %s", self.name, str(exc.orig or exc).splitlines()[0])
                done = 0
            if once and not done:
                break
            if not done:
                self.stop.wait(self.app.settings.worker_poll_seconds)
        log.info("worker %s stopped", self.name)

    def stop_on_signals(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stop.set())


def _name(schedule: Schedule) -> str:
    return schedule.kind + repr(sorted(schedule.payload.items()))
