"""An approved plan's shipments as truck loads: one challan per truck.

Rules: the shipments of one warehouse on one day to one place are loaded together,
``capacity`` devices to a truck, full trucks first. A shipment to a district's
home-patient pool goes to that district's warehouse, which lends the devices; from the
district's own warehouse it needs no truck at all (the devices stay in its concentrator
bank, reserved for home patients). A transfer between warehouses (ALLOCATION.md version
2) is a load to the receiving warehouse that serves that warehouse itself; trucks are
numbered per warehouse, day and destination, whatever they serve.

A truck's challan idempotency key is fixed when the plan is approved, so loading the
same truck twice never makes a second challan; a truck waits until it is loaded once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from oxychain.core.errors import Conflict
from oxychain.core.states import Lifecycle

if TYPE_CHECKING:  # a shipment is any (warehouse, facility, day, quantity)
    from oxychain.planning.domain.allocation import Shipment

LOAD_NAMESPACE = uuid.UUID("6f1c1d54-3b0e-4f7a-9a55-0c8d2a6e7b10")  # truck keys of plans


class Destination(StrEnum):
    WAREHOUSE = "warehouse"
    FACILITY = "facility"


class LoadStatus(StrEnum):
    """A truck load waits until its challan is made (it has no column: the challan is it)."""

    WAITING = "waiting"
    DISPATCHED = "dispatched"


LOAD = Lifecycle(
    "truck load", LoadStatus, {"dispatch": ([LoadStatus.WAITING], LoadStatus.DISPATCHED)}
)


def load_status(challan_number: str | None) -> LoadStatus:
    return LoadStatus.WAITING if challan_number is None else LoadStatus.DISPATCHED


def check_departure(days_since_start: int, load_day: int) -> None:
    """A truck leaves on its day of the plan (day 0 is the plan's start), not before."""
    if days_since_start < load_day:
        raise Conflict("This truck leaves on day {day} of the plan, not before.", day=load_day)


@dataclass(frozen=True)
class Load:
    day: int
    from_warehouse: str
    to_kind: Destination
    to_code: str
    serves: str  # the scenario's facility id (a facility code or a home pool)
    quantity: int
    truck: int  # 1, 2, ... among the loads of the same warehouse, day and place

    def key(self, plan_reference: str) -> uuid.UUID:
        """The challan's idempotency key of this truck of the plan."""
        return uuid.uuid5(
            LOAD_NAMESPACE,
            f"{plan_reference}/{self.day}/{self.from_warehouse}/{self.to_code}/{self.truck}",
        )


def loads(
    shipments: Iterable[Shipment],
    home_of: Mapping[str, str],
    capacity: int,
    transfers: Iterable[tuple[str, str, int, int]] = (),
) -> list[Load]:
    """Truck loads of the shipments and transfers; ``home_of`` maps a home pool to its
    warehouse code."""
    if capacity < 1:
        raise ValueError("a truck carries at least one device")
    merged: dict[tuple[int, str, Destination, str, str], int] = {}
    for warehouse, facility, day, quantity in shipments:
        if facility in home_of:
            if home_of[facility] == warehouse:
                continue  # stays in the district's concentrator bank
            key = (day, warehouse, Destination.WAREHOUSE, home_of[facility], facility)
        else:
            key = (day, warehouse, Destination.FACILITY, facility, facility)
        merged[key] = merged.get(key, 0) + quantity
    for source, target, day, quantity in transfers:
        key = (day, source, Destination.WAREHOUSE, target, target)
        merged[key] = merged.get(key, 0) + quantity
    out: list[Load] = []
    trucks: dict[tuple, int] = {}  # (day, origin, kind, code) -> trucks so far
    for (day, origin, kind, code, serves), quantity in sorted(merged.items()):
        full, rest = divmod(quantity, capacity)
        for q in [capacity] * full + ([rest] if rest else []):
            n = trucks[(day, origin, kind, code)] = trucks.get((day, origin, kind, code), 0) + 1
            out.append(Load(day, origin, kind, code, serves, q, n))
    return out


def home_pools(document: dict) -> dict[str, str]:
    """Home pool → its district warehouse: the route from it with lead 0 and cost 0."""
    homes = {f["id"] for f in document["facilities"] if f.get("kind") == "home"}
    return {
        r["to"]: r["from"]
        for r in document["routes"]
        if r["to"] in homes and r["lead_days"] == 0 and r["cost_per_unit"] == 0
    }


def plan_loads(result: dict, document: dict, capacity: int) -> list[Load]:
    """The truck loads of a plan (its JSON of ALLOCATION.md) on its scenario's network."""
    shipments = [(s["from"], s["to"], s["day"], s["quantity"]) for s in result["shipments"]]
    moved = [(t["from"], t["to"], t["day"], t["quantity"]) for t in result.get("transfers", [])]
    return loads(shipments, home_pools(document), capacity, moved)
