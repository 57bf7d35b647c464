"""What distribution asks of planning through its port (``AllocationPlans`` in
distribution/services/challans.py): a challan made from an allocation plan names an
approved plan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from oxychain.core.errors import InvalidInput
from oxychain.planning.domain.plan import check_dispatch
from oxychain.planning.tables import Plan


class AllocationPlans:
    """Distribution's port (``services/challans.py AllocationPlans``): a challan from an
    allocation plan names an approved plan."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def check_dispatchable(self, reference: str) -> None:
        plan = self.session.scalar(select(Plan).where(Plan.reference == reference))
        if plan is None:
            raise InvalidInput("No allocation plan {ref}.", ref=reference, field="plan_ref")
        check_dispatch(plan.status, plan.reference)
