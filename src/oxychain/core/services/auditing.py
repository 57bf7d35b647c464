"""Reading and verifying the audit trail (auditors and admins)."""

from __future__ import annotations

from collections.abc import Sequence

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
