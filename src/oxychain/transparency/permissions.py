"""Who may read the red-flags report (the OCDS export is public, like a tender notice)."""

from __future__ import annotations

from oxychain.core.access import HQ_READERS, Permission, R, Scope

PERMISSIONS = (
    # The yearly report of procurement from MSEs (MSE Order 2012): HQ reads it.
    Permission("mse.report", False, HQ_READERS),
    Permission("redflags.read", False, {R.PROCUREMENT_OFFICER: Scope.ALL, R.AUDITOR: Scope.ALL}),
)
