"""The server's clock: the one reference for deadlines, opening times and every date a
rule compares (Manual 5.2.7).

Every service reads the time here (``now()``, ``today()``), so that a test can move it
(``monkeypatch.setattr(clock, "now", ...)``) and the rules stay the same. A day is a day in
India: the date in Asia/Kolkata, whatever the server's own zone.

A scenario told in its own time (the demo's loader) sets the clock for each step with
``with clock.at(moment):``, so that every service, audit event and job it runs is dated as
the story goes; outside such a block the clock is the real one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")
_SET: ContextVar[datetime | None] = ContextVar("oxychain_clock", default=None)


def now() -> datetime:
    moment = _SET.get()
    return moment if moment is not None else datetime.now(UTC)


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
