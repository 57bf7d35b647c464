"""A scenario built from the database: the forecast's requirement per facility and home
pool, warehouse stock and arrivals, installed devices, the routes between them and the
transfer links between warehouses (the central one and every district's).

The rules live in the domain (needs, demand, pipeline, network, regions); this module
reads the data, applies the planner's choices (domain/plan.py) and returns the scenario
document of ALLOCATION.md together with what it was built from, for the pages.
"""

from __future__ import annotations

from oxychain.core.uow import UnitOfWork
from oxychain.planning.domain import needs, network, pipeline
from oxychain.planning.domain.needs import Built
from oxychain.planning.domain.network import Places
from oxychain.planning.domain.plan import ScenarioChoice
from oxychain.planning.services.outlooks import outlooks
from oxychain.planning.services.parameters import lags_of, links_of, transport_of
from oxychain.planning.services.supply import holdings
from oxychain.planning.settings import PlanningSettings as Settings


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
    districts = needs.district_needs(places, held, found, choice, supplies)
    doc: dict = {}
    if document:
        depots = needs.depots(places, held, supplies, choice, settings.planning_dispatch_capacity)
        priorities = settings.planning_priorities
        sites = [needs.site(s, d.row, places, priorities) for d in districts for s in d.sites]
        policy = choice.policy({s.kind for s in sites})
        doc = network.document(
            choice.name, choice.horizon_days, depots, sites, transport, links_of(settings), policy
        )
    return Built(choice, districts, supplies, doc, needs.central_stock(places, held))
