"""What each district and each of its places needs, from its outlook and the network's
holdings: the requirement spread over facilities and home pool (domain/demand.py), and
the depots and sites of the scenario document (domain/network.py).

A district's home-patient pool is a site of its own (``HOME-…``), lent to from the
district's warehouse. The gap's pipeline counts what is accepted: devices in the
district's warehouse, on a truck to it or to its facilities, or ready at a supplier's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from oxychain.core.errors import InvalidInput
from oxychain.planning.domain import network, pipeline
from oxychain.planning.domain.demand import Outlook, devices_needed, gap, spread
from oxychain.planning.domain.network import Places
from oxychain.planning.domain.pipeline import Holdings, Supply
from oxychain.planning.domain.plan import Band, ScenarioChoice

HOME = "home"
CENTRAL = "central"  # a warehouse kind: it supplies every district
ACCEPTED = (Supply.TRANSIT, Supply.READY)  # the gap's pipeline: accepted and in transit


@dataclass(frozen=True)
class SiteNeed:
    """A facility or a district's home pool: devices needed each day, and held."""

    code: str
    name: str
    name_hi: str
    kind: str
    district: str
    beds: int
    requirement: np.ndarray
    installed: int
    transit: int
    lat: float
    lon: float

    @property
    def gap(self) -> np.ndarray:
        return gap(self.requirement, np.array(self.installed), np.array(self.transit))


@dataclass(frozen=True)
class DistrictNeed:
    row: object  # the districts row
    outlook: Outlook
    sites: list[SiteNeed]
    stock: int  # devices in the district's warehouse
    accepted_incoming: int  # accepted at a supplier or on a truck to its warehouse

    @property
    def requirement(self) -> np.ndarray:
        return np.sum([s.requirement for s in self.sites], axis=0)

    @property
    def installed(self) -> int:
        return sum(s.installed for s in self.sites)

    @property
    def pipeline(self) -> int:
        return self.stock + self.accepted_incoming + sum(s.transit for s in self.sites)

    @property
    def gap(self) -> np.ndarray:
        return gap(self.requirement, np.array(self.installed), np.array(self.pipeline))

    @property
    def met(self) -> float:
        """The share of the peak need that installed devices and the pipeline meet."""
        peak = int(self.requirement.max(initial=0))
        return 1.0 if peak == 0 else min(1.0, (self.installed + self.pipeline) / peak)


@dataclass(frozen=True)
class Built:
    choice: ScenarioChoice
    districts: list[DistrictNeed]
    supplies: list[pipeline.Incoming]
    document: dict
    central_stock: int

    def inputs(self) -> dict:
        """What the scenario was built from, as JSON (kept with the scenario)."""
        return {
            "districts": [
                {
                    "name": d.row.name,
                    "code": d.row.code,
                    "basis": d.outlook.basis.value,
                    "share": d.outlook.share,
                    "active": [round(float(v), 1) for v in d.outlook.active()],
                    "requirement": d.requirement.tolist(),
                    "installed": d.installed,
                    "pipeline": d.pipeline,
                }
                for d in self.districts
            ],
            "supplies": [
                {
                    "warehouse": s.warehouse,
                    "kind": s.kind.value,
                    "quantity": s.quantity,
                    "expected": s.expected.isoformat() if s.expected else None,
                    "label": s.label,
                    "late": s.late,
                }
                for s in self.supplies
            ],
            "central_stock": self.central_stock,
        }


def home_code(district_code: str) -> str:
    """The scenario id of a district's home-patient pool."""
    return "HOME-" + district_code.replace("LGD:", "L")


def district_needs(
    places: Places,
    held: Holdings,
    outlooks: Mapping[str, Outlook],
    choice: ScenarioChoice,
    supplies: list[pipeline.Incoming],
) -> list[DistrictNeed]:
    """Every district's need (by name), its facilities by code."""
    by_district: dict[int, list] = {}
    for f in sorted(places.facilities.values(), key=lambda f: f.code):
        by_district.setdefault(f.district_id, []).append(f)
    return [
        district_need(
            d, by_district.get(d.id, []), places, held, outlooks[d.name], choice, supplies
        )
        for d in sorted(places.districts.values(), key=lambda d: d.name)
    ]


def central_stock(places: Places, held: Holdings) -> int:
    """Devices in the central warehouses."""
    return sum(held.stock.get(w.code, 0) for w in places.warehouses.values() if w.kind == CENTRAL)


def district_need(
    row,  # noqa: ANN001 - a districts row
    facilities: list,
    places: Places,
    held: Holdings,
    outlook: Outlook,
    choice: ScenarioChoice,
    supplies: list[pipeline.Incoming],
) -> DistrictNeed:
    """A district's need, spread over its facilities (sorted by code) and home pool."""
    path = {Band.CENTRAL: outlook.path, Band.LOW: outlook.low, Band.HIGH: outlook.high}
    devices = devices_needed(outlook.history, path[choice.band], choice.demand)
    split = spread(devices, np.array([f.beds for f in facilities]), choice.demand.home_share)
    sites = [
        SiteNeed(
            f.code,
            f.name,
            f.name_hi,
            f.kind,
            row.name,
            f.beds,
            split.facilities[i],
            held.installed.get(f.code, 0),
            held.transit_to_facility.get(f.code, 0),
            row.lat if f.lat is None else f.lat,
            row.lon if f.lon is None else f.lon,
        )
        for i, f in enumerate(facilities)
    ]
    sites.append(
        SiteNeed(
            home_code(row.code),
            row.name,
            row.name_hi,
            HOME,
            row.name,
            0,
            split.home,
            held.on_loan.get(row.name, 0),
            0,
            row.lat,
            row.lon,
        )
    )
    own = [
        w.code for w in places.warehouses.values() if w.district_id == row.id and w.kind != CENTRAL
    ]
    accepted = sum(s.quantity for s in supplies if s.warehouse in own and s.kind in ACCEPTED)
    return DistrictNeed(row, outlook, sites, sum(held.stock.get(w, 0) for w in own), accepted)


def depots(
    places: Places,
    held: Holdings,
    supplies: list[pipeline.Incoming],
    choice: ScenarioChoice,
    capacity: Mapping[str, int],
) -> list[network.Depot]:
    """The warehouses as the scenario's depots: stock on day 0, arrivals by day (with a
    what-if's extra arrivals) and how many devices each may send out a day (by kind)."""
    arrivals = pipeline.by_day(supplies, choice.start, choice.horizon_days)
    codes = {w.code for w in places.warehouses.values()}
    for extra in choice.what_if.extra_arrivals:
        if extra.warehouse not in codes:
            raise InvalidInput(
                "No warehouse with code {value}.",
                value=extra.warehouse[:40],
                field="extra_arrivals",
            )
        arrivals.setdefault(extra.warehouse, []).append((extra.day, extra.quantity))
    depots = []
    for w in sorted(places.warehouses.values(), key=lambda w: (w.kind != CENTRAL, w.code)):
        district = places.districts[w.district_id]
        depots.append(
            network.Depot(
                w.code,
                district.name,
                w.kind,
                district.lat,
                district.lon,
                held.stock.get(w.code, 0),
                tuple(arrivals.get(w.code, ())),
                capacity.get(w.kind),
            )
        )
    return depots


def site(
    need: SiteNeed,
    district,  # noqa: ANN001 - a districts row
    places: Places,
    priorities: Mapping[str, int],
) -> network.Site:
    """A facility or home pool as the scenario's site: its priority by kind, and a home
    pool's own district warehouse."""
    home_depot = None
    if need.kind == HOME:
        home_depot = next(
            (
                w.code
                for w in places.warehouses.values()
                if w.district_id == district.id and w.kind != CENTRAL
            ),
            None,
        )
    return network.Site(
        need.code,
        need.district,
        need.kind,
        need.lat,
        need.lon,
        priorities.get(need.kind, 1),
        need.installed + need.transit,
        tuple(int(v) for v in need.requirement),
        home_depot,
    )
