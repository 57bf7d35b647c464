"""Master-data queries: districts, warehouses, facilities, suppliers, agencies, items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oxychain.core.errors import NotFound
from oxychain.masterdata.tables import (
    District,
    Facility,
    InspectionAgency,
    Item,
    Supplier,
    Warehouse,
)

# A user's organisation column -> the table it points into.
_ORGANISATIONS = {
    "district_id": District,
    "warehouse_id": Warehouse,
    "facility_id": Facility,
    "supplier_id": Supplier,
    "agency_id": InspectionAgency,
}


@dataclass(frozen=True)
class FacilityFilter:
    district_id: int | None = None
    kind: str | None = None
    text: str | None = None
    facility_id: int | None = None  # a facility in-charge sees only their own


class MasterData:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: object) -> None:
        self.session.add(row)

    def flush(self) -> None:
        self.session.flush()

    def districts(self) -> Sequence[District]:
        return self.session.scalars(select(District).order_by(District.name)).all()

    def district(self, code: str) -> District | None:
        return self.session.scalar(select(District).where(District.code == code))

    def district_by_id(self, district_id: int) -> District | None:
        return self.session.get(District, district_id)

    def beds_by_district(self) -> dict[int, int]:
        rows = self.session.execute(
            select(Facility.district_id, func.sum(Facility.beds)).group_by(Facility.district_id)
        )
        return {district_id: int(beds or 0) for district_id, beds in rows}

    def organisation(self, org_field: str, org_id: int) -> object | None:
        """The district, warehouse, facility, supplier or agency a user's ``org_field``
        (``warehouse_id``, ...) names; each has an ``id``, a ``code`` and a ``name``."""
        return self.session.get(_ORGANISATIONS[org_field], org_id)

    def organisations(self, org_field: str) -> list:
        """Every district, warehouse, ... a user's ``org_field`` may name, by name."""
        table = _ORGANISATIONS[org_field]
        return list(self.session.scalars(select(table).order_by(table.name)))

    def district_of(self, org_field: str, org_id: int) -> int | None:
        """The district an organisation sits in; NotFound when it does not exist."""
        row = self.organisation(org_field, org_id)
        if row is None:
            raise NotFound("No such organisation: {field} {id}.", field=org_field, id=org_id)
        if isinstance(row, District):
            return row.id
        return getattr(row, "district_id", None)

    def facility_counts(self) -> dict[int, dict[str, int]]:
        """district id → facility kind → count."""
        rows = self.session.execute(
            select(Facility.district_id, Facility.kind, func.count()).group_by(
                Facility.district_id, Facility.kind
            )
        )
        out: dict[int, dict[str, int]] = {}
        for district_id, kind, n in rows:
            out.setdefault(district_id, {})[kind] = n
        return out

    def facilities(
        self, flt: FacilityFilter, *, offset: int = 0, limit: int = 50
    ) -> tuple[Sequence[Facility], int]:
        query = select(Facility)
        if flt.district_id is not None:
            query = query.where(Facility.district_id == flt.district_id)
        if flt.facility_id is not None:
            query = query.where(Facility.id == flt.facility_id)
        if flt.kind:
            query = query.where(Facility.kind == flt.kind)
        if flt.text:
            like = f"%{flt.text.lower()}%"
            query = query.where(
                func.lower(Facility.name).like(like) | func.lower(Facility.code).like(like)
            )
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(Facility.code).offset(offset).limit(limit)).all()
        return rows, total

    def facility_by_id(self, facility_id: int) -> Facility | None:
        return self.session.get(Facility, facility_id)

    def supplier_by_id(self, supplier_id: int) -> Supplier | None:
        return self.session.get(Supplier, supplier_id)

    def agency_by_id(self, agency_id: int) -> InspectionAgency | None:
        return self.session.get(InspectionAgency, agency_id)

    def facility(self, code: str) -> Facility | None:
        return self.session.scalar(select(Facility).where(Facility.code == code))

    def existing_facility_codes(self, codes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(codes), 500):
            chunk = list(codes[start : start + 500])
            found.update(
                self.session.scalars(select(Facility.code).where(Facility.code.in_(chunk)))
            )
        return found

    def count_facilities(self) -> int:
        return self.session.scalar(select(func.count()).select_from(Facility)) or 0

    def warehouses(self) -> Sequence[Warehouse]:
        return self.session.scalars(
            select(Warehouse).order_by(Warehouse.kind, Warehouse.name)
        ).all()

    def warehouse_by_id(self, warehouse_id: int) -> Warehouse | None:
        return self.session.get(Warehouse, warehouse_id)

    def items(self) -> Sequence[Item]:
        return self.session.scalars(select(Item).order_by(Item.rated_flow_lpm)).all()

    def item(self, code: str) -> Item | None:
        return self.session.scalar(select(Item).where(Item.code == code))

    def suppliers(self) -> Sequence[Supplier]:
        return self.session.scalars(select(Supplier).order_by(Supplier.code)).all()

    def supplier_by_code(self, code: str) -> Supplier | None:
        return self.session.scalar(select(Supplier).where(Supplier.code == code))

    def supplier_by_gstin(self, gstin: str) -> Supplier | None:
        return self.session.scalar(select(Supplier).where(Supplier.gstin == gstin))

    def agency_by_code(self, code: str) -> InspectionAgency | None:
        return self.session.scalar(select(InspectionAgency).where(InspectionAgency.code == code))
