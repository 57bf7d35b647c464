"""Challans, receipts and home loans: the queries their services need."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from oxychain.distribution.domain.challan import DiscrepancyKind, NewChallan
from oxychain.distribution.domain.lifecycle import ISSUABLE, DeviceState, Place, PlaceKind
from oxychain.distribution.domain.loan import LoanStatus, NewLoan
from oxychain.distribution.repositories.numbers import add_numbered, by_number
from oxychain.distribution.tables import (
    Challan,
    ChallanDiscrepancy,
    ChallanLine,
    DevicePosition,
    Loan,
)
from oxychain.inspection.domain.device import QaStatus
from oxychain.inspection.tables import Device
from oxychain.masterdata.tables import Warehouse
from oxychain.tendering.tables import PoTranche, PurchaseOrder

LINES = ChallanLine.__table__


@dataclass(frozen=True)
class ChallanFilter:
    """Challans a person may see: any end of the challan in their organisation."""

    district_id: int | None = None
    warehouse_id: int | None = None
    facility_id: int | None = None
    supplier_id: int | None = None
    status: str | None = None
    purchase_order_id: int | None = None  # challans against this order's tranches


class Dispatch:
    def __init__(self, session: Session) -> None:
        self.session = session

    def flush(self) -> None:
        self.session.flush()

    # --- places -------------------------------------------------------------------------

    def warehouse_by_code(self, code: str) -> Warehouse | None:
        return self.session.scalar(select(Warehouse).where(Warehouse.code == code))

    def warehouses_of_district(self, district_id: int) -> Sequence[Warehouse]:
        return self.session.scalars(
            select(Warehouse).where(Warehouse.district_id == district_id).order_by(Warehouse.code)
        ).all()

    # --- challans -----------------------------------------------------------------------

    def challan(self, number: str, *, lock: bool = False) -> Challan | None:
        return by_number(self.session, Challan, number, lock)

    def challan_by_id(self, challan_id: int, *, lock: bool = False) -> Challan | None:
        return self.session.get(Challan, challan_id, with_for_update=lock)

    def challan_by_key(self, key) -> Challan | None:  # noqa: ANN001 - a UUID
        return self.session.scalar(select(Challan).where(Challan.idempotency_key == key))

    def add_challan(self, new: NewChallan) -> Challan:
        origin = new.origin
        row = Challan(
            idempotency_key=new.key,
            source=new.source.value,
            tranche_id=new.tranche_id,
            plan_ref=new.plan_ref,
            supplier_id=new.supplier_id,
            from_warehouse_id=origin.id if origin else None,
            from_district_id=origin.district_id if origin else None,
            **_destination(new.to),
            vehicle=new.truck.vehicle,
            driver=new.truck.driver,
            status=new.status.value,
            dispatched_at=new.at,
            dispatched_by=new.by,
        )
        add_numbered(self.session, row, new.number)
        return row

    def challans(self, flt: ChallanFilter, limit: int = 100) -> Sequence[Challan]:
        query = select(Challan).order_by(Challan.id.desc()).limit(limit)
        ends = []
        if flt.district_id is not None:
            ends.append(
                or_(
                    Challan.to_district_id == flt.district_id,
                    Challan.from_district_id == flt.district_id,
                )
            )
        if flt.warehouse_id is not None:
            ends.append(
                or_(
                    Challan.to_warehouse_id == flt.warehouse_id,
                    Challan.from_warehouse_id == flt.warehouse_id,
                )
            )
        if flt.facility_id is not None:
            ends.append(Challan.to_facility_id == flt.facility_id)
        if flt.supplier_id is not None:
            ends.append(Challan.supplier_id == flt.supplier_id)
        if ends:
            query = query.where(and_(*ends))
        if flt.status:
            query = query.where(Challan.status == flt.status)
        if flt.purchase_order_id is not None:
            lines = select(PoTranche.id).where(PoTranche.purchase_order_id == flt.purchase_order_id)
            query = query.where(Challan.tranche_id.in_(lines))
        return self.session.scalars(query).all()

    def tranche_orders(self, tranche_ids: Sequence[int]) -> dict[int, tuple[int, str, int]]:
        """tranche id → (purchase order id, its number, the tranche's number)."""
        if not tranche_ids:
            return {}
        rows = self.session.execute(
            select(PoTranche.id, PurchaseOrder.id, PurchaseOrder.number, PoTranche.number)
            .join(PurchaseOrder, PurchaseOrder.id == PoTranche.purchase_order_id)
            .where(PoTranche.id.in_(list(set(tranche_ids))))
        )
        return {t: (po, number, n) for t, po, number, n in rows}

    def lines(self, challan_id: int) -> list[tuple[str, datetime | None]]:
        """(serial, received at) of each line, by serial."""
        rows = self.session.execute(
            select(Device.serial, ChallanLine.received_at)
            .join(Device, Device.id == ChallanLine.device_id)
            .where(ChallanLine.challan_id == challan_id)
            .order_by(Device.serial)
        )
        return [(serial, at) for serial, at in rows]

    def line_counts(self, challan_id: int) -> tuple[int, int]:
        """(lines, lines received)."""
        total, received = self.session.execute(
            select(func.count(), func.count(ChallanLine.received_at)).where(
                ChallanLine.challan_id == challan_id
            )
        ).one()
        return int(total), int(received)

    def last_receipt(self, challan_id: int) -> datetime | None:
        return self.session.scalar(
            select(func.max(ChallanLine.received_at)).where(ChallanLine.challan_id == challan_id)
        )

    def add_lines(self, challan_id: int, device_ids: Sequence[int]) -> None:
        self.session.execute(
            LINES.insert(),
            [
                {
                    "challan_id": challan_id,
                    "device_id": d,
                    "device_qa_status": QaStatus.ACCEPTED.value,
                }
                for d in device_ids
            ],
        )

    def mark_received(self, rows: Sequence[tuple[int, int, datetime]]) -> None:
        if rows:
            self.session.execute(
                update(LINES)
                .where(LINES.c.challan_id == bindparam("c"), LINES.c.device_id == bindparam("d"))
                .values(received_at=bindparam("at")),
                [{"c": c, "d": d, "at": at} for c, d, at in rows],
            )

    def add_discrepancy(
        self,
        challan_id: int,
        serial: str,
        kind: DiscrepancyKind,
        at: datetime,
        by: str,
        device_id: int | None = None,
    ) -> None:
        self.session.add(
            ChallanDiscrepancy(
                challan_id=challan_id,
                serial=serial,
                kind=kind.value,
                device_id=device_id,
                recorded_at=at,
                recorded_by=by,
            )
        )

    def discrepancies(self, challan_id: int) -> Sequence[ChallanDiscrepancy]:
        return self.session.scalars(
            select(ChallanDiscrepancy)
            .where(ChallanDiscrepancy.challan_id == challan_id)
            .order_by(ChallanDiscrepancy.kind, ChallanDiscrepancy.serial)
        ).all()

    def has_discrepancy(self, challan_id: int, serial: str) -> bool:
        return (
            self.session.scalar(
                select(ChallanDiscrepancy.id).where(
                    ChallanDiscrepancy.challan_id == challan_id, ChallanDiscrepancy.serial == serial
                )
            )
            is not None
        )

    def count_extras(self, challan_id: int) -> int:
        return (
            self.session.scalar(
                select(func.count()).where(
                    ChallanDiscrepancy.challan_id == challan_id,
                    ChallanDiscrepancy.kind == DiscrepancyKind.EXTRA.value,
                )
            )
            or 0
        )

    def dispatchable_serials(self, purchase_order_ids: Sequence[int], limit: int) -> list[str]:
        """Accepted devices of the purchase orders still at the supplier's, by serial."""
        query = (
            select(Device.serial)
            .outerjoin(DevicePosition, DevicePosition.device_id == Device.id)
            .where(
                Device.purchase_order_id.in_(list(purchase_order_ids)),
                Device.qa_status == QaStatus.ACCEPTED.value,
                or_(
                    DevicePosition.device_id.is_(None),
                    DevicePosition.state == DeviceState.ACCEPTED.value,
                ),
            )
            .order_by(Device.serial)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def stock_serials(self, warehouse_id: int, limit: int) -> list[str]:
        """Issuable stock at a warehouse, oldest first (first in, first out)."""
        issuable = [s.value for s in ISSUABLE]
        query = (
            select(Device.serial)
            .join(DevicePosition, DevicePosition.device_id == Device.id)
            .where(DevicePosition.warehouse_id == warehouse_id, DevicePosition.state.in_(issuable))
            .order_by(DevicePosition.since, Device.serial)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    # --- loans --------------------------------------------------------------------------

    def add_loan(self, new: NewLoan) -> Loan:
        terms = new.terms
        row = Loan(
            device_id=new.device_id,
            district_id=new.bank.district_id,
            warehouse_id=new.bank.id,
            prescription_ref=terms.prescription_ref,
            patient_ref=terms.patient_ref,
            phone_hash=terms.phone_hash,
            issued_on=terms.issued_on,
            due_on=terms.due_on,
            deposit_paise=terms.deposit_paise,
            status=new.status.value,
            issued_by=new.by,
            created_at=new.at,
        )
        add_numbered(self.session, row, new.number)
        return row

    def loan(self, number: str, *, lock: bool = False) -> Loan | None:
        return by_number(self.session, Loan, number, lock)

    def loan_by_id(self, loan_id: int) -> Loan | None:
        return self.session.get(Loan, loan_id)

    def loans(
        self,
        district_id: int | None = None,
        warehouse_id: int | None = None,
        status: LoanStatus | None = None,
        overdue_on: date | None = None,
        limit: int = 200,
    ) -> Sequence[Loan]:
        query = select(Loan).order_by(Loan.due_on, Loan.id).limit(limit)
        if district_id is not None:
            query = query.where(Loan.district_id == district_id)
        if warehouse_id is not None:
            query = query.where(Loan.warehouse_id == warehouse_id)
        if status:
            query = query.where(Loan.status == status.value)
        if overdue_on is not None:
            query = query.where(Loan.status == LoanStatus.OPEN.value, Loan.due_on < overdue_on)
        return self.session.scalars(query).all()

    def open_loans_of_phone(self, phone_hash: str) -> Sequence[Loan]:
        return self.session.scalars(
            select(Loan).where(Loan.phone_hash == phone_hash, Loan.status == LoanStatus.OPEN.value)
        ).all()

    def serials(self, device_ids: Sequence[int]) -> dict[int, str]:
        if not device_ids:
            return {}
        rows = self.session.execute(
            select(Device.id, Device.serial).where(Device.id.in_(list(device_ids)))
        )
        return {device_id: serial for device_id, serial in rows}


def _destination(to: Place) -> dict[str, int | None]:
    """The challan columns that say where the truck goes."""
    return {
        "to_warehouse_id": to.id if to.kind is PlaceKind.WAREHOUSE else None,
        "to_facility_id": to.id if to.kind is PlaceKind.FACILITY else None,
        "to_district_id": to.district_id,
    }
