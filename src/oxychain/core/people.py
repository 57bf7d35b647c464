"""People and roles: who acts, and for which part of the state.

The roles are DESIGN.md's. A principal carries the organisation it belongs to
(district, warehouse, facility, supplier or inspection agency), which is what
object-level authorisation compares against.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    PROCUREMENT_OFFICER = "procurement_officer"
    BID_OPENER = "bid_opener"
    SUPPLIER = "supplier"
    INSPECTOR = "inspector"
    WAREHOUSE_KEEPER = "warehouse_keeper"
    FACILITY_INCHARGE = "facility_incharge"
    DISTRICT_OFFICER = "district_officer"
    PLANNER = "planner"
    FINANCE_OFFICER = "finance_officer"  # bills, payments, securities, the ledger (HQ)
    AUDITOR = "auditor"
    ADMIN = "admin"


# The organisation each role must belong to; None: headquarters, no organisation.
ROLE_ORGANISATION: dict[Role, str | None] = {
    Role.PROCUREMENT_OFFICER: None,
    Role.BID_OPENER: None,
    Role.SUPPLIER: "supplier_id",
    Role.INSPECTOR: "agency_id",
    Role.WAREHOUSE_KEEPER: "warehouse_id",
    Role.FACILITY_INCHARGE: "facility_id",
    Role.DISTRICT_OFFICER: "district_id",
    Role.PLANNER: None,
    Role.FINANCE_OFFICER: None,
    Role.AUDITOR: None,
    Role.ADMIN: None,
}


@dataclass(frozen=True)
class Principal:
    """The person behind a request, as authorisation needs to see them."""

    user_id: int
    username: str
    role: Role
    language: str = "hi"
    district_id: int | None = None
    warehouse_id: int | None = None
    facility_id: int | None = None
    supplier_id: int | None = None
    agency_id: int | None = None


SYSTEM = Principal(user_id=0, username="system", role=Role.ADMIN, language="en")


@dataclass(frozen=True)
class ObjectScope:
    """Where an object belongs, for comparing with a principal's organisation."""

    district_id: int | None = None
    warehouse_id: int | None = None
    facility_id: int | None = None
    supplier_id: int | None = None
    agency_id: int | None = None
    user_id: int | None = None
