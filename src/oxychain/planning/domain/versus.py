"""A plan against its pro-rata baseline, district by district and facility by facility:
what the planner compares before approving."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DistrictLine:
    district: str
    need: int = 0  # priority-weighted device-days needed beyond installed
    short: int = 0  # the plan's weighted shortfall
    prorata_short: int = 0
    devices: int = 0  # devices the plan sends
    prorata_devices: int = 0
    fill: float = 1.0
    prorata_fill: float = 1.0


@dataclass
class FacilityLine:
    id: str
    district: str
    kind: str
    priority: int
    installed: int
    peak: int  # most devices needed on one day
    devices: int = 0
    short_days: int = 0  # device-days short
    prorata_devices: int = 0
    prorata_short_days: int = 0


def versus(
    document: dict, result: dict, prorata: dict
) -> tuple[list[DistrictLine], list[FacilityLine]]:
    """Each district's and facility's need, devices and shortfall under the plan and
    under its pro-rata baseline (plans as JSON of ALLOCATION.md, on their scenario)."""
    facilities = {
        f["id"]: FacilityLine(
            f["id"],
            f["district"],
            f.get("kind", ""),
            f["priority"],
            f.get("installed", 0),
            _peak(f["requirement"]),
        )
        for f in document["facilities"]
    }
    districts = {d: DistrictLine(d) for d in sorted({f.district for f in facilities.values()})}
    horizon = document["horizon_days"]
    for f in document["facilities"]:
        need = _net(f["requirement"], f.get("installed", 0), horizon)
        districts[f["district"]].need += f["priority"] * need
    for key, doc in (("", result), ("prorata_", prorata)):
        for s in doc["shipments"]:
            line = facilities[s["to"]]
            setattr(line, f"{key}devices", getattr(line, f"{key}devices") + s["quantity"])
            d = districts[line.district]
            setattr(d, f"{key}devices", getattr(d, f"{key}devices") + s["quantity"])
        for row in doc["shortfall"]:
            line = facilities[row["facility"]]
            setattr(line, f"{key}short_days", getattr(line, f"{key}short_days") + row["quantity"])
            d = districts[line.district]
            setattr(d, f"{key}short", getattr(d, f"{key}short") + line.priority * row["quantity"])
    for d in districts.values():
        d.fill = result["district_fill"].get(d.district, 1.0)
        d.prorata_fill = prorata["district_fill"].get(d.district, 1.0)
    return list(districts.values()), list(facilities.values())


def _peak(requirement: list | int) -> int:
    return max(requirement) if isinstance(requirement, list) else int(requirement)


def _net(requirement: list | int, installed: int, horizon: int) -> int:
    days = requirement if isinstance(requirement, list) else [requirement] * horizon
    return sum(max(0, r - installed) for r in days)


def worst_first(facilities: list[FacilityLine], district: str = "") -> list[FacilityLine]:
    """The facilities (of one district, or all) by most weighted shortfall first."""
    chosen = [f for f in facilities if not district or f.district == district]
    return sorted(chosen, key=lambda f: (-f.priority * f.short_days, -f.devices, f.id))
