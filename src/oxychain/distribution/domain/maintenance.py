"""Service of installed concentrators: warranty and CMC, uptime and preventive maintenance
(fault tickets and their SLA clock: domain/ticket.py).

The Biomedical Equipment Maintenance Programme (BMMP, National Health Mission) asks for
equipment tagging, a 24×7 breakdown line, preventive maintenance and calibration,
warranty and AMC/CMC management and condemnation, and sets uptime targets of 95 % at
district hospitals, 90 % at CHCs and 85 % at PHCs (DOMAIN.md, "Equipment maintenance").

The warranty and CMC terms, the SLA hours and the maintenance interval are not given by
DOMAIN.md: they are settings (``OXYCHAIN_WARRANTY_MONTHS``, ``OXYCHAIN_CMC_MONTHS``,
``OXYCHAIN_SERVICE_SLA_HOURS``, ``OXYCHAIN_PM_INTERVAL_DAYS``) whose defaults are marked
unverified there.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from oxychain.core.errors import InvalidInput
from oxychain.core.i18n import N_

#: BMMP uptime targets by facility kind, in per cent (DOMAIN.md).
UPTIME_TARGETS: dict[str, float] = {"district_hospital": 95.0, "chc": 90.0, "phc": 85.0}


@dataclass(frozen=True)
class ServiceTerms:
    """The settings' service terms: warranty and CMC months when the tender names none, and
    the hours to resolve a fault by kind of place (defaults unverified; see settings.py)."""

    warranty_months: int
    cmc_months: int
    sla_hours: dict[str, int]

    @classmethod
    def of(cls, settings) -> ServiceTerms:  # noqa: ANN001 - the app's Settings
        return cls(settings.warranty_months, settings.cmc_months, settings.service_sla_hours)


class Coverage(StrEnum):
    WARRANTY = "warranty"
    CMC = "cmc"  # comprehensive maintenance contract, after the warranty
    NONE = "none"


COVERAGE_LABELS = {
    Coverage.WARRANTY: N_("under warranty"),
    Coverage.CMC: N_("under CMC"),
    Coverage.NONE: N_("not covered"),
}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Cover:
    kind: Coverage
    until: date | None  # last day covered; None when not covered
    warranty_start: date | None


def coverage(warranty_start: date | None, warranty_months: int, cmc_months: int, on: date) -> Cover:
    """Warranty from the acceptance certificate's date, then CMC, then nothing.

    A device without an acceptance certificate has no warranty running yet (the
    certificate starts it).
    """
    if warranty_start is None:
        return Cover(Coverage.NONE, None, None)
    warranty_end = add_months(warranty_start, warranty_months) - timedelta(days=1)
    cmc_end = add_months(warranty_start, warranty_months + cmc_months) - timedelta(days=1)
    if warranty_start <= on <= warranty_end:
        return Cover(Coverage.WARRANTY, warranty_end, warranty_start)
    if warranty_end < on <= cmc_end:
        return Cover(Coverage.CMC, cmc_end, warranty_start)
    return Cover(Coverage.NONE, None, warranty_start)


@dataclass(frozen=True, slots=True)
class Interval:
    start: datetime
    end: datetime | None  # None: still running


def _overlap(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> float:
    return max(0.0, (min(a1, b1) - max(a0, b0)).total_seconds())


@dataclass(frozen=True, slots=True)
class Uptime:
    service_seconds: float
    down_seconds: float

    @property
    def percent(self) -> float | None:
        if self.service_seconds <= 0:
            return None
        return round(100.0 * (1 - self.down_seconds / self.service_seconds), 2)

    def __add__(self, other: Uptime) -> Uptime:
        return Uptime(
            self.service_seconds + other.service_seconds, self.down_seconds + other.down_seconds
        )


NO_TIME = Uptime(0.0, 0.0)


def device_uptime(
    service: Interval, downtimes: Iterable[Interval], start: datetime, end: datetime
) -> Uptime:
    """A device's time in service and time down within [start, end).

    Service runs from installation to the end of the window (or to condemnation); a fault
    ticket is downtime from its opening to its resolution (or to now while open).
    """
    if end <= start:
        raise InvalidInput("The period must end after it begins.")
    s0, s1 = max(start, service.start), min(end, service.end or end)
    if s1 <= s0:
        return NO_TIME
    down = sum(_overlap(d.start, d.end or end, s0, s1) for d in downtimes)
    return Uptime((s1 - s0).total_seconds(), min(down, (s1 - s0).total_seconds()))


def meets_target(kind: str, uptime: Uptime) -> bool | None:
    """Whether uptime meets the BMMP target for the facility kind (None: no target or data)."""
    target, percent = UPTIME_TARGETS.get(kind), uptime.percent
    if target is None or percent is None:
        return None
    return percent >= target


@dataclass(frozen=True, slots=True)
class MaintenanceDue:
    due_on: date
    overdue_days: int


def next_maintenance(
    installed_on: date, last_done: date | None, interval_days: int, today: date
) -> MaintenanceDue:
    """Preventive maintenance falls due ``interval_days`` after installation or the last one."""
    base = max(installed_on, last_done) if last_done else installed_on
    due = base + timedelta(days=interval_days)
    return MaintenanceDue(due, max(0, (today - due).days))
