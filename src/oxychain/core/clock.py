"""The server's clock: the one reference for deadlines, opening times and every date a
rule compares (Manual 5.2.7).

Every service reads the time here (``now()``, ``today()``), so that a test can move it
(``monkeypatch.setattr(clock, "now", ...)``) and the rules stay the same. A day is a day in
India: the date in Asia/Kolkata, whatever the server's own zone.

A scenario told in its own time (the demo's loader) sets the clock for each step with
``with clock.at(moment):``, so that every service, audit event and job it runs is dated as
the story goes; outside such a block the clock is the real one, or, when a day is set
(``run_from``: the ``today`` setting, OXYCHAIN_TODAY, for the demo's own calendar), the real
one moved by whole days so that it reads that day when it starts and keeps moving from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")
_SET: ContextVar[datetime | None] = ContextVar("oxychain_clock", default=None)
#: How far the running clock is moved from the real one (``run_from``), and the day it was
#: set to (None: the real clock).
_MOVED: list = [timedelta(0), None]


def now() -> datetime:
    moment = _SET.get()
    return moment if moment is not None else datetime.now(UTC) + _MOVED[0]


def run_from(day: date | None, at: time | None = None) -> tuple[timedelta, date | None]:
    """Run the clock from ``day`` (in India): it reads that day now, at the real time of day
    (or at ``at``, IST, for a test that wants the same moment every run), and keeps moving
    from it; None puts the real clock back. Returns the previous setting for ``restore``."""
    previous = (_MOVED[0], _MOVED[1])
    if day is None:
        _MOVED[:] = [timedelta(0), None]
        return previous
    real = datetime.now(UTC)
    local = real.astimezone(IST)
    start = datetime.combine(day, at or local.time().replace(tzinfo=None), IST)
    _MOVED[:] = [start - real, day]
    return previous


def restore(previous: tuple[timedelta, date | None]) -> None:
    """Put back what ``run_from`` returned."""
    _MOVED[:] = list(previous)


def shift() -> timedelta:
    """How far the running clock is from the real one (zero unless ``run_from`` set a day): a
    device's real clock plus this reads the server's clock."""
    return _MOVED[0]


def set_day() -> date | None:
    """The day the running clock was set to (``run_from``), None when it is the real one."""
    return _MOVED[1]


@contextmanager
def at(moment: datetime) -> Iterator[datetime]:
    """The clock reads ``moment`` inside the block (this thread or task only)."""
    if moment.tzinfo is None:
        raise ValueError("the clock is set to a moment with its zone")
    token = _SET.set(moment)
    try:
        yield moment
    finally:
        _SET.reset(token)


def today() -> date:
    """Today's date in India, by this clock."""
    return in_india(now())


def in_india(moment: datetime) -> date:
    """The date in India at ``moment`` (a moment read back from SQLite has no zone: UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(IST).date()
