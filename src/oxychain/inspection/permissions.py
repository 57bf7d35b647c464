"""Who may offer, assign, inspect and read lots, read the registry, and resume the
inspection of a discontinued supplier × item."""

from __future__ import annotations

from oxychain.core.access import EVERYONE, HQ_READERS, Permission, R, Scope

PERMISSIONS = (
    Permission("qa.plan", False, EVERYONE),
    Permission(
        "lot.read",
        False,
        {**HQ_READERS, R.SUPPLIER: Scope.OWN_SUPPLIER, R.INSPECTOR: Scope.OWN_AGENCY},
    ),
    Permission("lot.offer", True, {R.SUPPLIER: Scope.OWN_SUPPLIER}),
    Permission("lot.assign", True, {R.PROCUREMENT_OFFICER: Scope.ALL}),
    Permission("lot.inspect", True, {R.INSPECTOR: Scope.OWN_AGENCY}),
    Permission(
        "registry.read",
        False,
        {
            **HQ_READERS,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
            R.INSPECTOR: Scope.OWN_AGENCY,
            R.WAREHOUSE_KEEPER: Scope.ALL,
        },
    ),
    Permission("inspection.dashboard", False, HQ_READERS),
    Permission("supplier.scorecard", False, {**HQ_READERS, R.SUPPLIER: Scope.OWN_SUPPLIER}),
    # ISO 2859-1, 9.4: the responsible authority accepts the supplier's corrective action.
    Permission("switching.resume", True, {R.PROCUREMENT_OFFICER: Scope.ALL}),
)
