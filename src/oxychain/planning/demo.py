"""The demo's planning: India's real case series and a UP Omicron-week plan built from
the demo data, through the same services the planner uses.

* The national series (JHU CSSE, ``data/covid/covid_india_national.csv``; sources in
  COVID_SOURCES.md) is imported as the demo planner. There is no UP series in the
  project's data, so every district is *estimated from the national series by
  population share*, and the pages say so.
* The series is imported as the story has it on the demo's today (20-01-2022, the
  Omicron wave at its national peak): its counts end on that day, the planning day.
* One scenario is built and solved as that day begins: the forecast from the
  counts up to it (day 0 of the plan is the same day, so the forecast starts where the data
  stops), on that day's stock in every district warehouse, supplies on the way and
  installed devices (the demo's distribution), with the settings' demand parameters but
  one: Omicron was far milder than the wave the settings' severe share (15 %, early WHO
  figures) describes, so the demo's planner takes 0.3 % of active cases as needing a
  concentrator (a demo assumption, synthetic like the facilities). Its plan is left
  proposed, for the planner to compare with pro-rata (it leaves about 5 % fewer
  priority-device-days short) and approve.

Loading twice changes nothing: an existing national series and an existing plan mark it.
"""

from __future__ import annotations

from dataclasses import replace
from importlib import resources

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM
from oxychain.core.services import auth
from oxychain.masterdata.demo import TODAY, on
from oxychain.planning.domain.case_file import Level
from oxychain.planning.domain.plan import ScenarioChoice
from oxychain.planning.services import cases as case_data
from oxychain.planning.services import plans as planning
from oxychain.planning.services.parameters import default_demand

SERIES = "covid_india_national.csv"
NAME = "UP, Omicron peak (demo: counts up to 20-01-2022, 0.3 % of active cases severe)"
#: The demo planner's severe share for Omicron (a demo assumption; the setting's default
#: describes the earlier waves).
OMICRON_SEVERE_SHARE = 0.003


def load(app: Oxychain) -> None:
    with app.uow(SYSTEM) as uow:
        user = uow.people.user_by_username("demo.planner")
        has_series = any(level == Level.NATIONAL for level, *_ in uow.planning.regions())
        has_plan = bool(uow.planning.plans(limit=1))
    planner = auth.principal_of(user)
    if not has_series:
        content = series_until(TODAY)
        with clock.at(on(TODAY, 0.5)):  # just after midnight: nothing of today comes later
            case_data.import_cases(app.uow(planner, write=True), content, SERIES, len(content))
    if not has_plan:
        choice = ScenarioChoice(
            NAME,
            TODAY,
            TODAY,
            app.settings.planning_horizon_days,
            demand=replace(default_demand(app.settings), severe_share=OMICRON_SEVERE_SHARE),
        )
        with clock.at(on(TODAY, 0.75)):
            planning.plan_from_database(app.uow(planner, write=True), app.settings, choice)


def series_until(day) -> bytes:  # noqa: ANN001
    """The national series' rows up to ``day`` (the counts known in the story that day)."""
    text = (resources.files("oxychain.planning") / "data" / "covid" / SERIES).read_text()
    header, *rows = text.splitlines()
    kept = [row for row in rows if row[:10] <= day.isoformat()]
    return ("\n".join([header, *kept]) + "\n").encode()
