"""What a person sees first: the figures of their own part of the state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from oxychain.core.access import can, require
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.core.work import WorkItem, queue
from oxychain.masterdata.repository import FacilityFilter


@dataclass
class HomeSummary:
    role: Role
    organisation: str | None = None  # the person's own district/warehouse/facility/supplier/agency
    organisation_hi: str | None = None
    organisation_link: str | None = None
    figures: dict[str, int] = field(default_factory=dict)
    work: list[WorkItem] = field(default_factory=list)  # what waits for the person, per area


def summary(uow: UnitOfWork, settings: object = None, now: datetime | None = None) -> HomeSummary:
    require(uow.principal, "home.view")
    principal = uow.principal
    out = HomeSummary(role=principal.role)
    with uow:
        md = uow.masterdata
        out.figures["districts"] = len(md.districts())
        out.figures["warehouses"] = len(md.warehouses())
        if can(principal, "facility.read"):
            flt = FacilityFilter()
            if principal.role in (Role.DISTRICT_OFFICER, Role.WAREHOUSE_KEEPER):
                flt = FacilityFilter(district_id=principal.district_id or -1)
            elif principal.role is Role.FACILITY_INCHARGE:
                flt = FacilityFilter(facility_id=principal.facility_id or -1)
            out.figures["facilities"] = md.facilities(flt, limit=1)[1]
        if can(principal, "user.read"):
            out.figures["users"] = uow.people.count_users()
        if can(principal, "audit.read"):
            out.figures["audit_events"] = uow.audit_log.count()
        out.organisation, out.organisation_hi, out.organisation_link = _organisation(uow, principal)
    if now is not None:
        out.work = queue(uow, settings, now)
    return out


def _organisation(uow: UnitOfWork, principal) -> tuple[str | None, str | None, str | None]:  # noqa: ANN001
    """(English name, Hindi name, link) of the person's own organisation."""
    md = uow.masterdata
    if principal.facility_id:
        facility = md.facility_by_id(principal.facility_id)
        return facility.name, facility.name_hi, f"/facilities/{facility.code}"
    if principal.warehouse_id:
        warehouse = md.warehouse_by_id(principal.warehouse_id)
        return warehouse.name, warehouse.name_hi, "/warehouses"
    if principal.district_id:
        district = md.district_by_id(principal.district_id)
        return district.name, district.name_hi, f"/districts/{district.code}"
    if principal.supplier_id:
        name = md.supplier_by_id(principal.supplier_id).name
        return name, name, None
    if principal.agency_id:
        name = md.agency_by_id(principal.agency_id).name
        return name, name, None
    return None, None, None
