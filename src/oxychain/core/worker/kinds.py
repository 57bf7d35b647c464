"""What a job is: a kind (a name and the work), and a schedule for the recurring ones.

Areas declare them (``Area.jobs``); core never imports an area: it reads the declarations
of the installed areas here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from oxychain.core import areas
from oxychain.core.clock import IST

if TYPE_CHECKING:  # the unit of work's module reads this package's store
    from oxychain.core.config import CoreSettings
    from oxychain.core.uow import UnitOfWork


@dataclass
class JobContext:
    """What a job's work gets: a unit of work inside the job's transaction (its ``commit``
    keeps the work; the job's own commit makes it durable, with the job marked done),
    the job's key and payload, the settings and the moment the run began."""

    uow: UnitOfWork
    key: str
    payload: dict[str, Any]
    settings: CoreSettings
    now: datetime
    attempt: int = 1
    summary: str = ""  # what the run did, in a few words, for the admin's list of runs


@dataclass(frozen=True)
class JobKind:
    name: str  # "<area>.<what>", e.g. "tendering.close"
    run: Callable[[JobContext], None]
    max_attempts: int = 5
    description: str = ""


@dataclass(frozen=True)
class Schedule:
    """A recurring job: every ``every`` (aligned to midnight UTC), or daily at ``daily_at``
    in India. The worker makes one job per occurrence, keyed by its time, so that any
    number of workers make it once; a worker that was down makes only the latest one."""

    kind: str
    every: timedelta | None = None
    daily_at: time | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    def latest(self, now: datetime) -> datetime:
        """The latest occurrence at or before ``now``."""
        if self.daily_at is not None:
            local = now.astimezone(IST)
            at = datetime.combine(local.date(), self.daily_at, IST)
            return (at if at <= local else at - timedelta(days=1)).astimezone(UTC)
        assert self.every is not None and self.every.total_seconds() >= 1
        step = int(self.every.total_seconds())
        seconds = int(now.timestamp())
        return datetime.fromtimestamp(seconds - seconds % step, UTC)


def _declared() -> tuple[list[JobKind], list[Callable[[CoreSettings], list[Schedule]]]]:
    kinds, schedules = [], []
    for module in areas.modules("jobs"):
        kinds += list(getattr(module, "JOBS", ()))
        if hasattr(module, "schedules"):
            schedules.append(module.schedules)
    return kinds, schedules


@cache
def _kinds(area_names: tuple[str, ...]) -> dict[str, JobKind]:
    found: dict[str, JobKind] = {}
    for kind in _declared()[0]:
        if kind.name in found:
            raise ValueError(f"job kind {kind.name} is declared twice")
        found[kind.name] = kind
    return found


_EXTRA: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    """Add a kind that no area declares (a test's own, to race workers on)."""
    _EXTRA[kind.name] = kind


def kinds() -> dict[str, JobKind]:
    """Every installed area's job kinds, by name."""
    return {**_kinds(tuple(a.name for a in areas.installed())), **_EXTRA}


def schedules(settings: CoreSettings) -> list[Schedule]:
    """Every installed area's recurring jobs, under these settings."""
    found: list[Schedule] = []
    for declare in _declared()[1]:
        found += declare(settings)
    return found
