"""Factories for planning tests: case counts, and a district with devices received in its
warehouse (distribution_support's world, its tranche delivered and scanned in)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from importlib import resources

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import Principal, Role
from oxychain.distribution.services import challans, scanning
from oxychain.planning.domain.plan import Demand, ScenarioChoice, WhatIf
from oxychain.planning.services import cases as case_data
from tests.distribution.support import World, make_world, person

OMICRON = date(2022, 1, 10)


def planner(app: Oxychain) -> Principal:
    return person(app, Role.PLANNER, None)


def import_national(app: Oxychain, who: Principal) -> None:
    content = (
        resources.files("oxychain.planning") / "data/covid/covid_india_national.csv"
    ).read_bytes()
    case_data.import_cases(app.uow(who, write=True), content, "national.csv", len(content))


def stocked_world(app: Oxychain, count: int = 12) -> World:
    """A district whose warehouse holds ``count`` received devices."""
    world = make_world(app, count=count)
    now = datetime.now(UTC)
    load = challans.Load(tuple(world.serials), 0, "UP 32 AB 1234", "Ram Kumar")
    challan = challans.dispatch_from_tranche(
        app.uow(world.people["supplier"], write=True),
        challans.TrancheChallan(world.tranche_id, load),
        now,
    )
    batch = [
        scanning.ScanIn(uuid.uuid4(), s, "receive", now, challan=challan.number)
        for s in world.serials
    ]
    scanning.record_scans(app.uow(world.people["warehouse_keeper"], write=True), batch, now)
    return world


def choice(name: str = "Test wave", horizon: int = 7, **kw) -> ScenarioChoice:  # noqa: ANN003
    return ScenarioChoice(
        name,
        OMICRON,
        clock.today(),
        horizon,
        demand=kw.pop("demand", Demand()),
        what_if=kw.pop("what_if", WhatIf()),
        **kw,
    )
