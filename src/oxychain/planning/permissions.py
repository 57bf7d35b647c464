"""Who may import cases, forecast, plan and approve plans."""

from __future__ import annotations

from oxychain.core.access import HQ_READERS, Permission, R, Scope

PERMISSIONS = (
    # Case counts, forecasts, the gap, scenarios and plans are headquarters' work; turning
    # an approved plan's truck loads into challans is "challan.write" (distribution).
    Permission("case.read", False, HQ_READERS),
    Permission("case.import", True, {R.PLANNER: Scope.ALL}),
    Permission("plan.read", False, HQ_READERS),
    # The district dashboard: the state's for headquarters, the own district's for its CMO
    # (the same requirement and gap as the planner's).
    Permission("dashboard.read", False, {**HQ_READERS, R.DISTRICT_OFFICER: Scope.OWN_DISTRICT}),
    Permission("plan.write", True, {R.PLANNER: Scope.ALL}),
    Permission("plan.approve", True, {R.PLANNER: Scope.ALL}),
)
