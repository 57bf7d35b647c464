"""Reading and verifying the audit trail (auditors and admins)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from oxychain.core.access import require
from oxychain.core.audit import ChainBreak
from oxychain.core.tables import AuditEvent
from oxychain.core.uow import UnitOfWork


def recent_events(
    uow: UnitOfWork, before_seq: int | None = None, limit: int = 50
) -> tuple[Sequence[AuditEvent], int]:
    require(uow.principal, "audit.read")
    with uow:
        return uow.audit_log.page(
            before_seq=before_seq, limit=min(max(limit, 1), 500)
        ), uow.audit_log.count()


def verify_chain(uow: UnitOfWork) -> tuple[ChainBreak | None, int]:
    """The first broken link (None when intact) and the number of events checked."""
    require(uow.principal, "audit.read")
    with uow:
        return uow.audit_log.verify(), uow.audit_log.count()


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    actor: str
    role: str
    action: str  # the audit action's code ("po.issue")


def record_history(uow: UnitOfWork, *entities: tuple[str, str | int]) -> list[HistoryLine]:
    """Who did what to a record, and when: the audit events about it, oldest first. The page
    that shows it has already authorised the reader for the record; only the who, what and
    when are told (never the before and after, which may hold what the reader may not see)."""
    wanted = [(kind, str(key)) for kind, key in entities]
    with uow:
        return [
            HistoryLine(e.at, e.actor, e.role, e.action) for e in uow.audit_log.of_entities(wanted)
        ]
