"""The audit trail: an append-only hash chain of every state change.

Each event's hash is SHA-256 over a canonical serialisation (JSON, keys sorted, no
spaces, UTF-8) of its fields together with the previous event's hash, so editing,
deleting or reordering any row breaks the chain from there on. ``audit_head`` keeps
the last link so that cutting events off the end is detected too.

Writers are serialised so that two transactions never chain onto the same link:
SQLite write transactions begin IMMEDIATE (one writer at a time); on PostgreSQL a
transaction-scoped advisory lock is taken before reading the head.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from oxychain.core import clock
from oxychain.core.tables import AuditEvent, AuditHead

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x0A0D17  # any constant shared by all writers


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(fields).encode()).hexdigest()


def _fields(row: AuditEvent | dict[str, Any]) -> dict[str, Any]:
    get = row.get if isinstance(row, dict) else (lambda k: getattr(row, k))
    at = get("at")
    if isinstance(at, datetime):
        # SQLite returns naive datetimes; all stored times are UTC.
        at = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    return {
        "seq": get("seq"),
        "at": at,
        "actor": get("actor"),
        "role": get("role"),
        "action": get("action"),
        "entity_type": get("entity_type"),
        "entity_id": str(get("entity_id")),
        "before": get("before"),
        "after": get("after"),
        "prev_hash": get("prev_hash"),
    }


def append(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    entity_type: str,
    entity_id: str | int,
    before: dict | None,
    after: dict | None,
) -> AuditEvent:
    """Append one event inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    head = session.get(AuditHead, 1)
    prev_seq, prev_hash = (head.seq, head.hash) if head else (0, GENESIS)
    # Round-trip before/after through JSON so the stored form is what was hashed.
    fields = {
        "seq": prev_seq + 1,
        "at": clock.now().replace(microsecond=0).isoformat(),
        "actor": actor,
        "role": role,
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id),
        "before": json.loads(canonical(before)) if before is not None else None,
        "after": json.loads(canonical(after)) if after is not None else None,
        "prev_hash": prev_hash,
    }
    digest = event_hash(fields)
    event = AuditEvent(**{**fields, "at": datetime.fromisoformat(fields["at"])}, hash=digest)
    session.add(event)
    if head is None:
        session.add(AuditHead(id=1, seq=event.seq, hash=digest))
    else:
        head.seq, head.hash = event.seq, digest
    session.flush()
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_rows(
    rows: Iterable[AuditEvent | dict[str, Any]], head: tuple[int, str] | None
) -> ChainBreak | None:
    """The first broken link of a chain, or None when it is intact.

    ``rows`` must come in storage order (by seq); ``head`` is the recorded last link.
    """
    prev_hash, expected_seq = GENESIS, 1
    for row in rows:
        fields = _fields(row)
        stored_hash = row["hash"] if isinstance(row, dict) else row.hash
        seq = fields["seq"]
        if seq != expected_seq:
            return ChainBreak(expected_seq, f"entry {expected_seq} is missing (found {seq} next)")
        if fields["prev_hash"] != prev_hash:
            return ChainBreak(seq, "its previous-hash does not match the entry before it")
        if event_hash(fields) != stored_hash:
            return ChainBreak(seq, "its contents do not match its hash (edited)")
        prev_hash, expected_seq = stored_hash, seq + 1
    last_seq = expected_seq - 1
    if head is None:
        return None if last_seq == 0 else ChainBreak(last_seq, "the chain head is missing")
    if head != (last_seq, prev_hash):
        return ChainBreak(last_seq + 1, f"the chain ends at {last_seq} but its head says {head[0]}")
    return None


def iter_events(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def verify(session: Session) -> ChainBreak | None:
    head = session.get(AuditHead, 1)
    return verify_rows(iter_events(session), (head.seq, head.hash) if head else None)


def export_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Events as plain dicts (with their hash), for an auditor to verify offline."""
    for row in iter_events(session):
        yield {**_fields(row), "hash": row.hash}
