"""The daily forecast and gap refresh (the worker runs it: ``planning.jobs``): each
district's forecast requirement against what is installed and on its way, kept for the
day and told to the planners. A second run on the same day replaces the day's figures."""

from __future__ import annotations

from datetime import date, datetime

from oxychain.core.i18n import N_
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.planning.services.views import gap_view
from oxychain.planning.settings import PlanningSettings as Settings
from oxychain.planning.tables import GapRefresh

REFRESHED = (
    N_("Forecast and gap for {day}: {districts} districts short"),
    N_(
        "The daily forecast (cases up to {as_of}, next {horizon} days) is refreshed: "
        "{districts} districts are short of {devices} concentrators at their peak."
    ),
)


def refresh(uow: UnitOfWork, settings: Settings, day: date, now: datetime) -> GapRefresh | None:
    """The day's forecast and gap, stored and told; None while no case counts are stored."""
    with uow:
        if uow.planning.regions() == []:
            return None
    built = gap_view(uow, settings, None, None)
    districts = [
        {
            "code": d.row.code,
            "name": d.row.name,
            "peak_requirement": int(d.requirement.max(initial=0)),
            "installed": d.installed,
            "pipeline": d.pipeline,
            "peak_gap": int(d.gap.max(initial=0)),
        }
        for d in built.districts
    ]
    short = [d for d in districts if d["peak_gap"] > 0]
    with uow:
        row = uow.planning.gap_refresh(day) or GapRefresh(day=day)
        row.forecast_as_of, row.horizon_days = (
            built.choice.forecast_as_of,
            built.choice.horizon_days,
        )
        row.model, row.districts, row.computed_at = settings.forecast_model, districts, now
        row.districts_short, row.devices_short = len(short), sum(d["peak_gap"] for d in short)
        uow.planning.add_gap_refresh(row)
        subject, body = REFRESHED
        uow.notices.notify(
            uow.people.recipients(Role.PLANNER),
            key=f"gap-refresh:{day.isoformat()}",
            kind="planning.gap_refresh",
            subject=subject,
            body=body,
            params={
                "day": day.strftime("%d-%m-%Y"),
                "as_of": row.forecast_as_of.strftime("%d-%m-%Y"),
                "horizon": row.horizon_days,
                "districts": row.districts_short,
                "devices": row.devices_short,
            },
            link="/planning/gap",
            now=now,
        )
        uow.commit()
        return row
