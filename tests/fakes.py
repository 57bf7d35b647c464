"""An in-memory unit of work for unit tests of use cases (``core.uow.UnitOfWork``).

A test gives it the repositories its use case needs, as plain objects (each area's tests
keep their fakes beside them); it records commits and audit events so that a test can
assert that a refused command changed and recorded nothing.
"""

from __future__ import annotations

from typing import Any

from oxychain.core.people import SYSTEM, Principal


class FakeJobs:
    """``uow.jobs``: the jobs a use case scheduled or cancelled, by (kind, key)."""

    def __init__(self) -> None:
        self.scheduled: dict[tuple[str, str], Any] = {}
        self.cancelled: list[tuple[str, str]] = []

    def schedule(self, kind: str, key: str, run_at: Any, payload: Any = None, **_: Any) -> None:
        self.scheduled[(kind, key)] = run_at

    def cancel(self, kind: str, key: str) -> None:
        self.cancelled.append((kind, key))


class FakeNotices:
    """``uow.notices``: the notices a use case wrote, one per person and key."""

    def __init__(self) -> None:
        self.sent: dict[tuple[int, str], dict[str, Any]] = {}

    def notify(self, people: Any, *, key: str, **notice: Any) -> int:
        new = [p for p in people if (p.id, key) not in self.sent]
        for person in new:
            self.sent[(person.id, key)] = notice
        return len(new)


class FakeUnitOfWork:
    def __init__(self, principal: Principal = SYSTEM, **repositories: Any) -> None:
        self.principal = principal
        self.commits = 0
        self.events: list[dict[str, Any]] = []
        self._pending: list[dict[str, Any]] = []
        self.jobs, self.notices = FakeJobs(), FakeNotices()
        for name, repository in repositories.items():
            setattr(self, name, repository)

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pending.clear()  # what was not committed is rolled back

    def commit(self) -> None:
        self.commits += 1
        self.events += self._pending
        self._pending = []

    def record(
        self,
        action: str,
        entity_type: str,
        entity_id: str | int,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self._pending.append(
            {
                "action": action,
                "entity_type": entity_type,
                "entity_id": str(entity_id),
                "before": before,
                "after": after,
            }
        )

    @property
    def actions(self) -> list[str]:
        return [event["action"] for event in self.events]
