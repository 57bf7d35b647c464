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
    R.AUDITOR: Scope.ALL,
    R.ADMIN: Scope.ALL,
}

_PERMISSIONS = (
    Permission("home.view", False, EVERYONE),
    Permission("profile.language", False, {role: Scope.SELF for role in Role}),
    Permission("token.create", False, {role: Scope.SELF for role in Role}),
    Permission("district.read", False, EVERYONE),
    Permission("warehouse.read", False, EVERYONE),
    Permission("item.read", False, EVERYONE),
    Permission("qa.plan", False, EVERYONE),
    Permission(
        "facility.read",
        False,
        {
            **HQ_READERS,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_DISTRICT,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.INSPECTOR: Scope.ALL,
        },
    ),
    Permission("facility.import", True, {R.ADMIN: Scope.ALL}),
    Permission("user.read", False, {R.ADMIN: Scope.ALL, R.AUDITOR: Scope.ALL}),
    Permission("user.write", True, {R.ADMIN: Scope.ALL}),
    Permission("audit.read", False, {R.AUDITOR: Scope.ALL, R.ADMIN: Scope.ALL}),
    # --- tendering (issue 3) ---
    # Tender notices are public; drafts are shown only to HQ (services.tendering).
    Permission("tender.read", False, EVERYONE),
    Permission("tender.write", True, {R.PROCUREMENT_OFFICER: Scope.ALL}),
    # Bids: a supplier its own; others only what the opening has revealed (services.bidding).
    Permission(
        "bid.read",
        False,
        {**HQ_READERS, R.BID_OPENER: Scope.ALL, R.SUPPLIER: Scope.OWN_SUPPLIER},
    ),
    Permission("bid.submit", True, {R.SUPPLIER: Scope.OWN_SUPPLIER}),
    # An opener's own key, and only their own seat on a committee (SELF: the seat's user).
    Permission("opener.key", True, {R.BID_OPENER: Scope.SELF}),
    Permission("share.release", True, {R.BID_OPENER: Scope.SELF}),
    Permission(
        "tender.evaluate", True, {R.PROCUREMENT_OFFICER: Scope.ALL, R.BID_OPENER: Scope.SELF}
    ),
    Permission("tender.award", True, {R.PROCUREMENT_OFFICER: Scope.ALL}),
    Permission("po.read", False, {**HQ_READERS, R.SUPPLIER: Scope.OWN_SUPPLIER}),
    Permission("po.write", True, {R.PROCUREMENT_OFFICER: Scope.ALL}),
    Permission("redflags.read", False, {R.PROCUREMENT_OFFICER: Scope.ALL, R.AUDITOR: Scope.ALL}),
    # --- end tendering ---
    # --- inspection and device registry (issue 4) ---
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
    # --- end inspection ---
    # --- distribution and service (issue 5) ---
    # Events of the device lifecycle (domain/lifecycle.py PERMISSION), each over the
    # device's current place; "device.scan" guards the scan page and API as a whole.
    Permission(
        "device.scan",
        True,
        {
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
        },
    ),
    Permission(
        "device.receive",
        True,
        {R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE, R.FACILITY_INCHARGE: Scope.OWN_FACILITY},
    ),
    Permission(
        "device.issue",
        True,
        {R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE, R.DISTRICT_OFFICER: Scope.OWN_DISTRICT},
    ),
    Permission(
        "device.install",
        True,
        {R.FACILITY_INCHARGE: Scope.OWN_FACILITY, R.DISTRICT_OFFICER: Scope.OWN_DISTRICT},
    ),
    Permission(
        "device.return",
        True,
        {R.FACILITY_INCHARGE: Scope.OWN_FACILITY, R.DISTRICT_OFFICER: Scope.OWN_DISTRICT},
    ),
    Permission(
        "device.refurbish",
        True,
        {R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE, R.DISTRICT_OFFICER: Scope.OWN_DISTRICT},
    ),
    Permission(
        "device.maintain",
        True,
        {
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
        },
    ),
    Permission(
        "device.read",
        False,
        {
            **HQ_READERS,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
        },
    ),
    Permission(
        "stock.read",
        False,
        {
            **HQ_READERS,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
        },
    ),
    Permission(
        "challan.read",
        False,
        {
            **HQ_READERS,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
        },
    ),
    Permission(
        "challan.write",
        True,
        {
            R.PROCUREMENT_OFFICER: Scope.ALL,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
        },
    ),
    Permission(
        "challan.receive",
        True,
        {R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE, R.FACILITY_INCHARGE: Scope.OWN_FACILITY},
    ),
    # Loans hold a patient reference and a phone hash: the district and the auditor only.
    Permission(
        "loan.read",
        False,
        {
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.AUDITOR: Scope.ALL,
        },
    ),
    Permission("loan.write", True, {R.DISTRICT_OFFICER: Scope.OWN_DISTRICT}),
    Permission(
        "ticket.read",
        False,
        {
            **HQ_READERS,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
        },
    ),
    Permission(
        "ticket.write",
        True,
        {
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.WAREHOUSE_KEEPER: Scope.OWN_WAREHOUSE,
        },
    ),
    Permission(
        "ticket.service",
        True,
        {R.SUPPLIER: Scope.OWN_SUPPLIER, R.DISTRICT_OFFICER: Scope.OWN_DISTRICT},
    ),
    Permission("ticket.condemn", True, {R.DISTRICT_OFFICER: Scope.OWN_DISTRICT}),
    Permission(
        "acceptance.read",
        False,
        {
            **HQ_READERS,
            R.SUPPLIER: Scope.OWN_SUPPLIER,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
        },
    ),
    Permission("acceptance.write", True, {R.FACILITY_INCHARGE: Scope.OWN_FACILITY}),
    Permission(
        "uptime.read",
        False,
        {
            **HQ_READERS,
            R.DISTRICT_OFFICER: Scope.OWN_DISTRICT,
            R.FACILITY_INCHARGE: Scope.OWN_FACILITY,
        },
    ),
    # --- end distribution ---
    # --- forecast and allocation (issue 6) ---
    # Case counts, forecasts, the gap, scenarios and plans are headquarters' work; turning
    # an approved plan's truck loads into challans is "challan.write" (distribution).
    Permission("case.read", False, HQ_READERS),
    Permission("case.import", True, {R.PLANNER: Scope.ALL}),
    Permission("plan.read", False, HQ_READERS),
    Permission("plan.write", True, {R.PLANNER: Scope.ALL}),
    Permission("plan.approve", True, {R.PLANNER: Scope.ALL}),
    # --- end planning ---
)

POLICY: dict[str, Permission] = {p.name: p for p in _PERMISSIONS}

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
