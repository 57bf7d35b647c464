"""The server's clock: the one reference for deadlines, opening times and every date a
rule compares (Manual 5.2.7).

Every service reads the time here (``now()``, ``today()``), so that a test can move it
(``monkeypatch.setattr(clock, "now", ...)``) and the rules stay the same. A day is a day in
India: the date in Asia/Kolkata, whatever the server's own zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in India, by this clock."""
    return in_india(now())


def in_india(moment: datetime) -> date:
    """The date in India at ``moment`` (a moment read back from SQLite has no zone: UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(IST).date()
