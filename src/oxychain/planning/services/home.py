"""Planning's items on a person's home page: the state's gap and the plan to approve
(planner), the own district's gap (district officer). The gap is the planner's own
(services.views.gap_view), so both read the same numbers."""

from __future__ import annotations

from datetime import datetime

from oxychain.core.errors import DomainError
from oxychain.core.i18n import N_
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.core.work import WorkItem
from oxychain.planning.domain.plan import PlanStatus


def home_queue(uow: UnitOfWork, settings: object, now: datetime) -> list[WorkItem]:
    role = uow.principal.role
    if role is Role.PLANNER:
        with uow:
            proposed = uow.planning.plans_with_status(PlanStatus.PROPOSED.value)
        refs = [p.reference for p in proposed]
        return [
            _state_gap(uow, settings),
            WorkItem(
                N_("proposed plans waiting for approval"),
                len(refs),
                f"/plans/{refs[0]}" if len(refs) == 1 else "/plans",
            ),
        ]
    if role is Role.DISTRICT_OFFICER and uow.principal.district_id:
        from oxychain.planning.services.dashboard import district_gap  # numpy loads here

        try:
            need = district_gap(uow, settings, None)
        except DomainError:
            return []  # no case counts yet: nothing to say about a gap
        return [
            WorkItem(
                N_("devices short of the district's peak need (the gap)"),
                int(need.gap.max()),
                f"/dashboard/districts/{need.row.code}",
                urgent=bool(need.gap.max() > 0),
            )
        ]
    return []


def _state_gap(uow: UnitOfWork, settings: object) -> WorkItem:
    from oxychain.planning.services.views import gap_view  # numpy loads here

    try:
        built = gap_view(uow, settings, None, None)
    except DomainError:
        return WorkItem(N_("districts short of their peak need"), 0, "/planning/cases")
    short = [d for d in built.districts if d.gap.max() > 0]
    return WorkItem(N_("districts short of their peak need"), len(short), "/planning/gap")
