"""Unit of work: one transaction, its repositories and its audit events.

Nothing is committed unless ``commit()`` is called; leaving the block rolls back.
A writing unit of work records audit events in the same transaction as the change
they describe, so an event exists exactly when its change does.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol, Self

from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from oxychain.core import areas, audit
from oxychain.core.notices.outbox import Notices
from oxychain.core.people import Principal
from oxychain.core.repository import AuditLog, People
from oxychain.core.worker.store import Jobs

# Core's own repositories; each installed area adds its own (``Area.repositories``).
CORE_REPOSITORIES: tuple[tuple[str, type], ...] = (
    ("people", People),
    ("audit_log", AuditLog),
    ("jobs", Jobs),
    ("notices", Notices),
)


@cache
def _repositories(names: tuple[str, ...]) -> tuple[tuple[str, type], ...]:
    found = list(CORE_REPOSITORIES)
    for area in areas.installed():
        found += [(attribute, areas.load(spec)) for attribute, spec in area.repositories]
    return tuple(found)


class UnitOfWork(Protocol):
    """What a use case needs of a transaction: its repositories (attributes named by the
    areas, such as ``uow.tenders``), the acting principal, commit and audit. Leaving the
    ``with`` block without ``commit()`` rolls back. ``tests/fakes.py`` has an in-memory one."""

    principal: Principal

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...

    def record(
        self,
        action: str,
        entity_type: str,
        entity_id: str | int,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None: ...


class SqlUnitOfWork:
    """A unit of work on one SQLAlchemy session."""

    def __init__(self, factory: sessionmaker[Session], principal: Principal) -> None:
        self._factory = factory
        self.principal = principal

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._factory()
        self._attach()
        return self

    def _attach(self) -> None:
        for name, repository in _repositories(tuple(a.name for a in areas.installed())):
            setattr(self, name, repository(self.session))

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


class NestedUnitOfWork(SqlUnitOfWork):
    """A unit of work inside a transaction someone else commits (a job's: the worker commits
    the job's effects together with its "done"). Each ``with`` block is a savepoint:
    ``commit()`` keeps its work, leaving without it rolls the block back, as ever."""

    def __init__(self, session: Session, principal: Principal) -> None:
        self.session, self.principal = session, principal
        self._savepoints: list[SessionTransaction] = []
        self._attach()

    def __enter__(self) -> NestedUnitOfWork:
        self._savepoints.append(self.session.begin_nested())
        return self

    def __exit__(self, *exc: object) -> None:
        savepoint = self._savepoints.pop()
        if savepoint.is_active:
            savepoint.rollback()

    def commit(self) -> None:
        self._savepoints[-1].commit()
        self._savepoints[-1] = self.session.begin_nested()  # work after a commit is kept apart
