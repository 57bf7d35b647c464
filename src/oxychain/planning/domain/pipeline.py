"""Supplies on their way to a warehouse, and the day each can be counted on.

Plain data in and out. Five kinds, from the surest to the least sure:

* ``transit``: on a truck (a challan in transit); expected when its lead time is over.
  A truck past that day is *late*: it is counted on ``late_truck_days`` after day 0.
* ``ready``: accepted at the supplier's works, not yet dispatched: ``supplier_days``
  after day 0.
* ``offered``: a lot under inspection: ``inspection_days`` after it was ready, then
  ``supplier_days`` on the road.
* ``rejected``: a lot that failed inspection; the supplier re-offers it
  ``reoffer_days`` after the verdict, then inspection and the road as above.
* ``due``: the rest of a purchase-order tranche, not offered yet: on its due date, and
  never sooner than inspection and the road allow from day 0.

The lags are settings (unverified defaults). A what-if scales what suppliers have not
dispatched (``arrivals_pct``), fails a share of what is not yet accepted
(``lot_failure_pct``) and delays trucks (``late_days``); nothing here reads a database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from oxychain.core.i18n import N_
from oxychain.inspection.domain.lot import LotStatus
from oxychain.planning.domain.plan import WhatIf


class Supply(StrEnum):
    TRANSIT = "transit"
    READY = "ready"
    OFFERED = "offered"
    REJECTED = "rejected"
    DUE = "due"


SUPPLY_LABELS = {
    Supply.TRANSIT: N_("on a truck"),
    Supply.READY: N_("accepted at the supplier"),
    Supply.OFFERED: N_("lot under inspection"),
    Supply.REJECTED: N_("lot failed inspection, to be re-offered"),
    Supply.DUE: N_("purchase order tranche due"),
}
NOT_YET_ACCEPTED = frozenset({Supply.OFFERED, Supply.REJECTED, Supply.DUE})
LOTS_UNDER_INSPECTION = frozenset({LotStatus.OFFERED, LotStatus.ASSIGNED, LotStatus.SAMPLED})


@dataclass(frozen=True)
class Lags:
    supplier_days: int = 3
    inspection_days: int = 7
    reoffer_days: int = 14
    late_truck_days: int = 2


@dataclass(frozen=True)
class Incoming:
    """Devices on their way to a warehouse. ``since`` is the date the rule starts from:
    the truck's expected arrival, the lot's ready date, the verdict, the due date."""

    warehouse: str
    kind: Supply
    quantity: int
    since: date
    label: str
    expected: date | None = None  # filled by `schedule`
    late: bool = False


@dataclass
class Holdings:
    """What the network holds on day 0, and what is on its way."""

    stock: dict[str, int]  # warehouse code → issuable devices
    installed: dict[str, int]  # facility code → devices installed
    on_loan: dict[str, int]  # district name → devices with home patients
    transit_to_facility: dict[str, int]  # facility code → devices on a truck to it
    incoming: list[Incoming] = field(default_factory=list)


def lot_supply(status: str) -> Supply | None:
    """What a lot of a tranche still promises: devices under inspection, or devices to be
    re-offered after a failed one (an accepted lot's devices are counted one by one)."""
    if status in LOTS_UNDER_INSPECTION:
        return Supply.OFFERED
    if status == LotStatus.REJECTED:
        return Supply.REJECTED
    return None


def tranche_supplies(
    warehouse: str,
    label: str,
    left: int,
    due: date,
    ready: int,
    lots: Iterable[tuple[Supply, int, date, str]],
) -> list[Incoming]:
    """A tranche's ``left`` devices (not delivered, not on the road), from the surest kind
    of supply down: ``ready`` accepted at the works, then its lots (kind, devices, since,
    number) in order, then the rest on the due date."""
    out: list[Incoming] = []
    for kind, quantity, since, name in [(Supply.READY, ready, due, label), *lots]:
        taken = min(quantity, max(left, 0))
        if taken > 0:
            out.append(Incoming(warehouse, kind, taken, since, name))
            left -= taken
    if left > 0:
        out.append(Incoming(warehouse, Supply.DUE, left, due, label))
    return out


def schedule(incoming: list[Incoming], start: date, lags: Lags) -> list[Incoming]:
    """Each supply with the date it is expected at its warehouse (module rules)."""
    out = []
    road = timedelta(days=lags.supplier_days)
    inspect = timedelta(days=lags.inspection_days)
    for item in incoming:
        late = False
        if item.kind is Supply.TRANSIT:
            expected = item.since
            if expected < start:
                expected, late = start + timedelta(days=lags.late_truck_days), True
        elif item.kind is Supply.READY:
            expected = start + road
        elif item.kind is Supply.OFFERED:
            expected = max(item.since, start) + inspect + road
        elif item.kind is Supply.REJECTED:
            expected = max(item.since + timedelta(days=lags.reoffer_days), start) + inspect + road
        else:
            expected = max(item.since, start + inspect + road)
        out.append(replace(item, expected=expected, late=late))
    return out


def apply(incoming: list[Incoming], what_if: WhatIf) -> list[Incoming]:
    """The supplies as a what-if sees them (module doc); quantities rounded down."""
    out = []
    for item in incoming:
        quantity = float(item.quantity)
        expected = item.expected
        if item.kind is Supply.TRANSIT:
            if what_if.late_days and expected is not None:
                expected = expected + timedelta(days=what_if.late_days)
        else:
            quantity *= what_if.arrivals_pct / 100
            if item.kind in NOT_YET_ACCEPTED:
                quantity *= 1 - what_if.lot_failure_pct / 100
        whole = math.floor(quantity + 1e-9)
        if whole > 0:
            out.append(replace(item, quantity=whole, expected=expected))
    return out


def by_day(incoming: list[Incoming], start: date, horizon: int) -> dict[str, list[tuple[int, int]]]:
    """warehouse → [(day, devices)] within the horizon; day 0 is ``start``."""
    out: dict[str, dict[int, int]] = {}
    for item in incoming:
        day = (item.expected - start).days if item.expected else horizon
        if 0 <= day < horizon:
            days = out.setdefault(item.warehouse, {})
            days[day] = days.get(day, 0) + item.quantity
    return {w: sorted(days.items()) for w, days in out.items()}
