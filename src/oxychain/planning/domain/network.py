"""The supply network of a scenario: who may supply whom, how long it takes, what it costs.

Plain data in, the scenario document of ALLOCATION.md out. The rules:

* A district warehouse supplies the facilities of its own district and its district's
  home-patient pool; a central warehouse supplies every facility and every home pool
  (its devices for homes go to the district warehouse, which lends them).
* Distance is the great-circle distance (haversine, mean Earth radius 6,371.0088 km)
  between the two points, times a road factor (roads are longer than the straight
  line); a facility without coordinates stands at its district's headquarters.
* Lead days = road km ÷ km a truck covers in a day, rounded up, at least 1; devices
  for a home pool already in its district's warehouse are ready the same day (lead 0,
  cost 0): the concentrator bank lends from there.
* Cost per device = road km × rupees per device-km, to the paisa.
* Transfers (ALLOCATION.md version 2): the central warehouse sends to every district
  warehouse, and district warehouses to one another when their headquarters are at most
  ``max_km`` road km apart (as the wave moves); lead and cost by the same rules between
  the two headquarters, a lead of at least one day. A link set in ``overrides`` (the
  corporation's own figures for a road it knows) takes its lead and cost from there, or
  is dropped when set to nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from oxychain.core.errors import InvalidInput

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


@dataclass(frozen=True)
class Depot:
    """A warehouse as a scenario sees it."""

    code: str
    district: str
    kind: str  # central | district
    lat: float
    lon: float
    on_hand: int = 0
    arrivals: tuple[tuple[int, int], ...] = ()  # (day, devices)
    dispatch_capacity: int | None = None


@dataclass(frozen=True)
class Site:
    """A place that needs devices: a facility, or a district's home-patient pool."""

    code: str
    district: str
    kind: str
    lat: float
    lon: float
    priority: int
    installed: int
    requirement: tuple[int, ...]
    home_depot: str | None = None  # a home pool: the code of its district's warehouse


@dataclass(frozen=True)
class Places:
    """The warehouses and facilities by id, with the points distances are measured from."""

    warehouses: dict[int, object]  # id → warehouses row
    facilities: dict[int, object]  # id → facilities row
    districts: dict[int, object]  # id → districts row

    def warehouse_point(self, warehouse_id: int) -> tuple[float, float]:
        district = self.districts[self.warehouses[warehouse_id].district_id]
        return district.lat, district.lon


@dataclass(frozen=True)
class Transport:
    rupees_per_km: float  # per device
    km_per_day: float
    road_factor: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def road_km(depot: Depot, site: Site, transport: Transport) -> float:
    return haversine_km(depot.lat, depot.lon, site.lat, site.lon) * transport.road_factor


def lead_days(km: float, transport: Transport) -> int:
    """Days on the road for ``km`` road kilometres: at least one."""
    return max(1, math.ceil(km / transport.km_per_day - 1e-9))


def route(depot: Depot, site: Site, transport: Transport) -> dict:
    """One route of the scenario document (ALLOCATION.md)."""
    if site.home_depot == depot.code:
        return {"from": depot.code, "to": site.code, "lead_days": 0, "cost_per_unit": 0.0}
    km = road_km(depot, site, transport)
    return {
        "from": depot.code,
        "to": site.code,
        "lead_days": lead_days(km, transport),
        "cost_per_unit": round(km * transport.rupees_per_km, 2),
    }


def routes(depots: Sequence[Depot], sites: Sequence[Site], transport: Transport) -> list[dict]:
    """Every route the module's rules allow, district warehouses first."""
    by_district: dict[str, list[Depot]] = {}
    central = [d for d in depots if d.kind == "central"]
    for depot in depots:
        if depot.kind != "central":
            by_district.setdefault(depot.district, []).append(depot)
    out = []
    for site in sites:
        for depot in (*by_district.get(site.district, ()), *central):
            out.append(route(depot, site, transport))
    return out


@dataclass(frozen=True)
class Links:
    """How warehouses may move stock between them (module doc)."""

    max_km: float  # district to district, road km between headquarters; 0: none
    overrides: Mapping[str, Mapping | None] = field(default_factory=dict)  # "FROM>TO"


def transfers(depots: Sequence[Depot], transport: Transport, links: Links) -> list[dict]:
    """Every warehouse-to-warehouse link of the rules (module doc), in a stable order."""
    codes = {d.code for d in depots}
    for key in links.overrides:
        source, _, target = key.partition(">")
        if source not in codes or target not in codes or source == target:
            raise InvalidInput(
                "Transfer link {value}: not two different warehouses (FROM>TO).",
                value=key[:40],
                field="planning_transfer_links",
            )
    out: dict[tuple[str, str], dict] = {}
    for a in depots:
        for b in depots:
            if a.code == b.code or b.kind == "central":
                continue
            km = haversine_km(a.lat, a.lon, b.lat, b.lon) * transport.road_factor
            if a.kind == "central" or km <= links.max_km:
                out[(a.code, b.code)] = {
                    "from": a.code,
                    "to": b.code,
                    "lead_days": lead_days(km, transport),
                    "cost_per_unit": round(km * transport.rupees_per_km, 2),
                }
    for key, figures in links.overrides.items():
        source, _, target = key.partition(">")
        if figures is None:
            out.pop((source, target), None)
        else:
            out[(source, target)] = {
                "from": source,
                "to": target,
                "lead_days": figures["lead_days"],
                "cost_per_unit": round(figures["cost_per_unit"], 2),
            }
    return [out[k] for k in sorted(out)]


def document(
    name: str,
    horizon: int,
    depots: Iterable[Depot],
    sites: Iterable[Site],
    transport: Transport,
    links: Links | None = None,
    policy: dict | None = None,
) -> dict:
    """The scenario JSON of ALLOCATION.md; arrivals past the horizon are left out. With
    `links`, the transfers between warehouses; with `policy`, its fill floor (version 2)."""
    depots, sites = list(depots), list(sites)
    doc = {
        "name": name,
        "horizon_days": horizon,
        "warehouses": [_warehouse(d, horizon) for d in depots],
        "facilities": [
            {
                "id": s.code,
                "district": s.district,
                "kind": s.kind,
                "priority": s.priority,
                "installed": s.installed,
                "requirement": list(s.requirement),
            }
            for s in sites
        ],
        "routes": routes(depots, sites, transport),
    }
    if links is not None:
        doc["transfers"] = transfers(depots, transport, links)
    if policy:
        doc["policy"] = policy
    return doc


def _warehouse(depot: Depot, horizon: int) -> dict:
    merged: dict[int, int] = {}
    for day, quantity in depot.arrivals:
        if 0 <= day < horizon and quantity > 0:
            merged[day] = merged.get(day, 0) + quantity
    doc = {
        "id": depot.code,
        "district": depot.district,
        "on_hand": depot.on_hand,
        "arrivals": [{"day": d, "quantity": q} for d, q in sorted(merged.items())],
    }
    if depot.dispatch_capacity is not None:
        doc["dispatch_capacity"] = depot.dispatch_capacity
    return doc
