"""The server's clock: the one reference for deadlines and opening times (Manual 5.2.7).

Services read the time here, so that a test can move it (``monkeypatch.setattr(clock,
"now", ...)``) and the rules stay the same.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
