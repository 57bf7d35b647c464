"""An approved plan's shipments as truck loads: one challan per truck.

Rules: the shipments of one warehouse on one day to one place are loaded together,
``capacity`` devices to a truck, full trucks first. A shipment to a district's
home-patient pool goes to that district's warehouse, which lends the devices; from the
district's own warehouse it needs no truck at all (the devices stay in its concentrator
bank, reserved for home patients).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from oxychain.planning.domain.allocation import Shipment


@dataclass(frozen=True)
class Load:
    day: int
    from_warehouse: str
    to_kind: str  # warehouse | facility
    to_code: str
    serves: str  # the scenario's facility id (a facility code or a home pool)
    quantity: int
    truck: int  # 1, 2, ... among the loads of the same warehouse, day and place


def loads(shipments: Iterable[Shipment], home_of: Mapping[str, str], capacity: int) -> list[Load]:
    """Truck loads of the shipments; ``home_of`` maps a home pool to its warehouse code."""
    if capacity < 1:
        raise ValueError("a truck carries at least one device")
    merged: dict[tuple[int, str, str, str, str], int] = {}
    for s in shipments:
        if s.facility in home_of:
            if home_of[s.facility] == s.warehouse:
                continue  # stays in the district's concentrator bank
            key = (s.day, s.warehouse, "warehouse", home_of[s.facility], s.facility)
        else:
            key = (s.day, s.warehouse, "facility", s.facility, s.facility)
        merged[key] = merged.get(key, 0) + s.quantity
    out = []
    for (day, origin, kind, code, serves), quantity in sorted(merged.items()):
        full, rest = divmod(quantity, capacity)
        sizes = [capacity] * full + ([rest] if rest else [])
        out += [Load(day, origin, kind, code, serves, q, i + 1) for i, q in enumerate(sizes)]
    return out
