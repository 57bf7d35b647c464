"""Sending the outbox: claim due deliveries, send each through its channel, record how it
went. A delivery that fails waits (30 s, doubled each time, at most an hour) and is tried
again; after ``delivery_max_attempts`` it is marked failed, with its error, for the admin.
Nothing is lost while a server is down: the row stays until it is sent.

Sending cannot share a transaction with the database, so a worker killed after the server
took a message but before the row says "sent" sends it again once its lease runs out (at
least once); each message carries its delivery's id (Message-ID, the SMS reference).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.notices import text
from oxychain.core.notices.channels import ChannelError, Email, NotConfigured, Sms
from oxychain.core.notices.status import DELIVERY
from oxychain.core.people import SYSTEM

log = logging.getLogger("oxychain.worker")
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Outgoing:
    delivery_id: int
    token: str
    channel: str
    address: str
    subject: str
    body: str
    params: dict[str, Any]
    link: str | None
    language: str


def send_due(app: Oxychain, *, limit: int = 20) -> int:
    """Send up to ``limit`` due deliveries; how many were attempted."""
    s = app.settings
    # Claim no more than can be tried, each up to its timeout, well within the lease.
    limit = min(limit, max(1, int(s.job_lease_seconds // (2 * s.channel_timeout_seconds))))
    outgoing = _claim(app, clock.now(), limit)
    channels = {"email": Email(app.settings), "sms": Sms(app.settings)}
    for out in outgoing:
        error, skipped = None, False
        try:
            _send(channels, out, app.settings.public_url)
        except NotConfigured as exc:
            error, skipped = str(exc), True
        except ChannelError as exc:
            error = str(exc)
            log.warning("delivery %s by %s failed: %s", out.delivery_id, out.channel, error)
        _record(app, out, error, skipped)
    return len(outgoing)


def _claim(app: Oxychain, now: datetime, limit: int) -> list[Outgoing]:
    lease = timedelta(seconds=app.settings.job_lease_seconds)
    claimed = []
    with app.uow(SYSTEM) as uow:  # a look first: an idle worker takes no write lock
        if not uow.notices.due_deliveries(now, 1, lock=False):
            return claimed
    with app.uow(SYSTEM, write=True) as uow:
        for row in uow.notices.due_deliveries(now, limit):
            row.status = DELIVERY.move(row.status, "claim").value
            row.claim, row.next_attempt_at = uuid.uuid4().hex, now + lease
            row.attempts += 1
            notice = uow.notices.notice(row.notice_id)
            claimed.append(
                Outgoing(
                    row.id,
                    row.claim,
                    row.channel,
                    row.address,
                    notice.subject,
                    notice.body,
                    dict(notice.params),
                    notice.link,
                    notice.language,
                )
            )
        uow.commit()
    return claimed


def _send(channels: dict, out: Outgoing, base_url: str) -> None:
    reference = f"notice-delivery-{out.delivery_id}"
    if out.channel == "email":
        subject, body = text.email(
            out.subject, out.body, out.params, out.link, out.language, base_url
        )
        channels["email"].send(out.address, subject, body, reference)
    else:
        message = text.sms(out.subject, out.body, out.params, out.language)
        channels["sms"].send(out.address, message, reference)


def _record(app: Oxychain, out: Outgoing, error: str | None, skipped: bool) -> None:
    with app.uow(SYSTEM, write=True) as uow:
        row = uow.notices.delivery(out.delivery_id, lock=True)
        if row is None or row.claim != out.token:
            return  # our lease ran out and another worker took the delivery over
        now = clock.now()
        row.claim = None
        if error is None:
            row.status = DELIVERY.move(row.status, "sent").value
            row.sent_at, row.last_error = now, None
        elif skipped:
            row.status = DELIVERY.move(row.status, "skip").value
            row.last_error = error[:500]
        elif row.attempts >= app.settings.delivery_max_attempts:
            row.status = DELIVERY.move(row.status, "give_up").value
            row.last_error = error[:500]
        else:
            row.status = DELIVERY.move(row.status, "retry").value
            row.last_error = error[:500]
            row.next_attempt_at = now + backoff(row.attempts, app.settings.delivery_backoff_seconds)
        uow.commit()


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """The wait after the ``attempts``-th failure: base, doubled each time, at most an hour."""
    return min(timedelta(seconds=base_seconds) * 2 ** max(attempts - 1, 0), MAX_BACKOFF)
