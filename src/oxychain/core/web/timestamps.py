"""How the API gives a moment: ISO 8601 with its offset, in India Standard Time
(``2026-11-27T15:30:00+05:30``), whatever zone it was stored in.

SQLite gives moments back without a zone (they are stored in UTC); PostgreSQL gives them
in the session's zone. ``Timestamp`` is the one field type of every response schema that
holds a moment; ``iso`` serves the answers built as plain dicts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer, WithJsonSchema

from oxychain.core.clock import IST

DESCRIPTION = "ISO 8601 date and time with its offset, in India Standard Time (+05:30)."


def aware(moment: datetime) -> datetime:
    """The moment with its zone (a moment without one is UTC, as stored)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso(moment: datetime | None) -> str | None:
    """2026-11-27T15:30:00+05:30; None stays None."""
    return None if moment is None else aware(moment).astimezone(IST).isoformat()


Timestamp = Annotated[
    datetime,
    AfterValidator(aware),
    PlainSerializer(iso, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": DESCRIPTION,
            "examples": ["2026-11-27T15:30:00+05:30"],
        }
    ),
]
