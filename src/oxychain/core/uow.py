"""Unit of work: one transaction, its repositories and its audit events.

Nothing is committed unless ``commit()`` is called; leaving the block rolls back.
A writing unit of work records audit events in the same transaction as the change
they describe, so an event exists exactly when its change does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from oxychain.core import audit
from oxychain.core.repository import AuditLog, People
from oxychain.masterdata.repository import MasterData
from oxychain.distribution.repositories.dispatch import Dispatch
from oxychain.distribution.repositories.events import Ledger
from oxychain.inspection.repository import Inspection
from oxychain.planning.repository import Planning
from oxychain.distribution.repositories.service import Service
from oxychain.tendering.repository import Contracts, Tenders
from oxychain.transparency.repository import Transparency
from oxychain.core.people import Principal

# (attribute, repository class): each area adds its repository here, one line each.
REPOSITORIES: tuple[tuple[str, type], ...] = (
    ("masterdata", MasterData),
    ("people", People),
    ("audit_log", AuditLog),
    ("inspection", Inspection),
    ("tenders", Tenders),
    ("contracts", Contracts),
    ("ledger", Ledger),
    ("dispatch", Dispatch),
    ("service", Service),
    ("transparency", Transparency),
    ("planning", Planning),
)


class UnitOfWork:
    masterdata: MasterData
    people: People
    audit_log: AuditLog
    transparency: Transparency
    inspection: Inspection
    tenders: Tenders
    contracts: Contracts
    ledger: Ledger
    dispatch: Dispatch
    service: Service
    planning: Planning

    def __init__(self, factory: sessionmaker[Session], principal: Principal) -> None:
        self._factory = factory
        self.principal = principal

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        for name, repository in REPOSITORIES:
            setattr(self, name, repository(self.session))
        return self

    def __exit__(self, *exc: object) -> None:
        # close() rolls back whatever was not committed, and leaves loaded rows readable
        # (detached, not expired) for the caller to render.
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def record(
        self,
        action: str,
        entity_type: str,
        entity_id: str | int,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Add an audit event for a change made in this unit of work."""
        audit.append(
            self.session,
            actor=self.principal.username,
            role=str(self.principal.role),
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            before=before,
            after=after,
        )
