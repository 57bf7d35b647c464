"""Who may read the red-flags report (the OCDS export is public, like a tender notice)."""

from __future__ import annotations

from oxychain.core.access import Permission, R, Scope

PERMISSIONS = (
    Permission("redflags.read", False, {R.PROCUREMENT_OFFICER: Scope.ALL, R.AUDITOR: Scope.ALL}),
)
