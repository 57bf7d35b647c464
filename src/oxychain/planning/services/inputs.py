"""A scenario built from the database: the forecast's requirement per facility and home
pool, warehouse stock and arrivals, installed devices and the routes between them.

The rules live in the domain (demand, pipeline, network, regions); this module reads the
data, applies the planner's choices (domain/plan.py) and returns the scenario
document of ALLOCATION.md together with what it was built from, for the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from oxychain.core.errors import InvalidInput
from oxychain.core.uow import UnitOfWork
from oxychain.planning.domain import network, pipeline
from oxychain.planning.domain.demand import devices_needed, gap, spread
from oxychain.planning.domain.pipeline import Supply
from oxychain.planning.domain.plan import Band, ScenarioChoice
from oxychain.planning.services.outlooks import Outlook, outlooks
from oxychain.planning.services.parameters import lags_of, transport_of
from oxychain.planning.services.supply import Holdings, Places, holdings
from oxychain.planning.settings import PlanningSettings as Settings

HOME = "home"
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


def build(
    uow: UnitOfWork, settings: Settings, choice: ScenarioChoice, *, document: bool = True
) -> Built:
    """The scenario the planner chose, from the data as it stands (without its scenario
    document when ``document`` is false: the gap needs only the requirement and holdings)."""
    choice = choice.check()
    found = outlooks(
        uow,
        choice.forecast_as_of,
        choice.horizon_days,
        settings.forecast_model,
        choice.what_if.doubling_days,
    )
    transport = transport_of(settings)
    with uow:
        places = Places(
            {w.id: w for w in uow.masterdata.warehouses()},
            {f.id: f for f in uow.planning.facilities()},
            {d.id: d for d in uow.masterdata.districts()},
        )
        held = holdings(uow, places, transport, settings.planning_supplier_days)
    supplies = pipeline.schedule(held.incoming, choice.start, lags_of(settings))
    supplies = pipeline.apply(supplies, choice.what_if)
    by_district: dict[int, list] = {}
    for f in sorted(places.facilities.values(), key=lambda f: f.code):
        by_district.setdefault(f.district_id, []).append(f)
    districts = [
        _district(d, by_district.get(d.id, []), places, held, found[d.name], choice, supplies)
        for d in sorted(places.districts.values(), key=lambda d: d.name)
    ]
    doc: dict = {}
    if document:
        depots = _depots(places, held, supplies, choice, settings)
        sites = [_site(s, d.row, places, settings) for d in districts for s in d.sites]
        doc = network.document(choice.name, choice.horizon_days, depots, sites, transport)
    central = sum(
        held.stock.get(w.code, 0) for w in places.warehouses.values() if w.kind == "central"
    )
    return Built(choice, districts, supplies, doc, central)


def _district(
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
        w.code
        for w in places.warehouses.values()
        if w.district_id == row.id and w.kind != "central"
    ]
    accepted = sum(s.quantity for s in supplies if s.warehouse in own and s.kind in ACCEPTED)
    return DistrictNeed(row, outlook, sites, sum(held.stock.get(w, 0) for w in own), accepted)


def _depots(
    places: Places,
    held: Holdings,
    supplies: list[pipeline.Incoming],
    choice: ScenarioChoice,
    settings: Settings,
) -> list[network.Depot]:
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
    capacity = settings.planning_dispatch_capacity
    depots = []
    for w in sorted(places.warehouses.values(), key=lambda w: (w.kind != "central", w.code)):
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


def _site(need: SiteNeed, district, places: Places, settings: Settings) -> network.Site:  # noqa: ANN001
    home_depot = None
    if need.kind == HOME:
        home_depot = next(
            (
                w.code
                for w in places.warehouses.values()
                if w.district_id == district.id and w.kind != "central"
            ),
            None,
        )
    return network.Site(
        need.code,
        need.district,
        need.kind,
        need.lat,
        need.lon,
        settings.planning_priorities.get(need.kind, 1),
        need.installed + need.transit,
        tuple(int(v) for v in need.requirement),
        home_depot,
    )


def day_dates(choice: ScenarioChoice) -> list:
    return [choice.start + timedelta(days=t) for t in range(choice.horizon_days)]
