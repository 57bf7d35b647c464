"""The one declarative access policy: permission × role → scope.

Every route names one permission (or is declared public); a test walks every route
with every role, in scope and out of scope. A permission that writes is never
granted to the auditor, who reads everything and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from oxychain.core.errors import Forbidden
from oxychain.core.people import ObjectScope, Principal, Role


class Scope(StrEnum):
    ALL = "all"  # every object
    OWN_DISTRICT = "own_district"  # objects in the principal's district
    OWN_WAREHOUSE = "own_warehouse"
    OWN_FACILITY = "own_facility"
    OWN_SUPPLIER = "own_supplier"
    OWN_AGENCY = "own_agency"
    SELF = "self"  # the principal's own user record


@dataclass(frozen=True)
class Permission:
    name: str
    writes: bool
    grants: dict[Role, Scope] = field(default_factory=dict)


R = Role
EVERYONE = {role: Scope.ALL for role in Role}
HQ_READERS = {
    R.PROCUREMENT_OFFICER: Scope.ALL,
    R.PLANNER: Scope.ALL,
    R.FINANCE_OFFICER: Scope.ALL,
    R.AUDITOR: Scope.ALL,
    R.ADMIN: Scope.ALL,
}

_PERMISSIONS = (
    Permission("home.view", False, EVERYONE),
    Permission("profile.language", False, {role: Scope.SELF for role in Role}),
    Permission("token.create", False, {role: Scope.SELF for role in Role}),
    Permission("user.read", False, {R.ADMIN: Scope.ALL, R.AUDITOR: Scope.ALL}),
    Permission("user.write", True, {R.ADMIN: Scope.ALL}),
    Permission("audit.read", False, {R.AUDITOR: Scope.ALL, R.ADMIN: Scope.ALL}),
    # A person's own notices and how they are told; the worker's jobs and the outbox.
    Permission("notice.read", False, {role: Scope.SELF for role in Role}),
    Permission("notice.settings", False, {role: Scope.SELF for role in Role}),
    Permission("jobs.read", False, {R.ADMIN: Scope.ALL, R.AUDITOR: Scope.ALL}),
    Permission("jobs.write", True, {R.ADMIN: Scope.ALL}),
)

POLICY: dict[str, Permission] = {p.name: p for p in _PERMISSIONS}


def register(permissions: tuple[Permission, ...]) -> None:
    """Add an area's permissions to the policy (``core.areas.install`` calls this)."""
    for permission in permissions:
        existing = POLICY.get(permission.name)
        if existing is not None and existing != permission:
            raise ValueError(f"permission {permission.name} is declared twice")
        POLICY[permission.name] = permission


# What each scope compares: principal attribute == object attribute.
_SCOPE_KEY = {
    Scope.OWN_DISTRICT: "district_id",
    Scope.OWN_WAREHOUSE: "warehouse_id",
    Scope.OWN_FACILITY: "facility_id",
    Scope.OWN_SUPPLIER: "supplier_id",
    Scope.OWN_AGENCY: "agency_id",
    Scope.SELF: "user_id",
}


def scope_of(principal: Principal, permission: str) -> Scope | None:
    """The scope in which the principal holds the permission; None: not at all."""
    return POLICY[permission].grants.get(principal.role)


def can(principal: Principal, permission: str, obj: ObjectScope | None = None) -> bool:
    """Whether the principal may use the permission (on obj, when given)."""
    scope = scope_of(principal, permission)
    if scope is None:
        return False
    if obj is None or scope is Scope.ALL:
        return True
    key = _SCOPE_KEY[scope]
    mine = principal.user_id if key == "user_id" else getattr(principal, key)
    return mine is not None and mine == getattr(obj, key)


def require(principal: Principal, permission: str, obj: ObjectScope | None = None) -> Scope:
    """The principal's scope for the permission; Forbidden when it does not reach obj."""
    if not can(principal, permission, obj):
        raise Forbidden("You are not allowed to do this.", code="forbidden", permission=permission)
    return scope_of(principal, permission)  # type: ignore[return-value]
