"""What a scan may be: an event a person sends as a plain scan, at a time the server can
believe, and the answer each scan of a batch gets."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from oxychain.core.errors import InvalidInput
from oxychain.distribution.domain.lifecycle import SCAN_EVENTS, EventKind

CLOCK_SKEW = timedelta(minutes=10)
OLDEST_SCAN = timedelta(days=90)  # an outbox older than this is refused, not guessed at


class Answer(StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"  # the same idempotency key again: what the first one did
    EXTRA = "extra"  # received against a challan it is not on: recorded on the challan
    REFUSED = "refused"


def scan_event(name: str) -> EventKind:
    """The event a scan names; the others need their form (challan, loan, fault ticket)."""
    try:
        event = EventKind(name)
    except ValueError:
        raise InvalidInput("Unknown event {event}.", event=name[:40]) from None
    if event not in SCAN_EVENTS:
        raise InvalidInput(
            "The event {event} is recorded on its own form (challan, loan or fault ticket).",
            event=event.value,
        )
    return event


def check_time(at: datetime, now: datetime) -> None:
    if at.tzinfo is None:
        raise InvalidInput("A scan's time must carry its time zone.")
    if at > now + CLOCK_SKEW:
        raise InvalidInput("A scan cannot be dated in the future.")
    if at < now - OLDEST_SCAN:
        raise InvalidInput("A scan older than 90 days is refused; record it on its form.")
