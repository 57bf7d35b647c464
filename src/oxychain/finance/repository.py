"""Queries of the finance area (``uow.finance``): bills and what they hold, payments, the
securities register, and what a bill reads of the other areas' records (devices and their
receipt, certificates and faults).

Writers lock the bill they move (FOR UPDATE; SQLite's BEGIN IMMEDIATE already serialises
writers), so that two officers passing or paying one bill at once act one after the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oxychain.core.errors import Conflict, NotFound
from oxychain.distribution.domain.challan import ChallanSource, ChallanStatus
from oxychain.distribution.domain.maintenance import Coverage
from oxychain.distribution.tables import (
    AcceptanceCertificate,
    CertifiedDevice,
    Challan,
    ChallanLine,
    FaultTicket,
)
from oxychain.finance.domain.bill import CLAIMING, HOLDING
from oxychain.finance.tables import (
    Bill,
    BillDevice,
    BillLine,
    Deduction,
    DepositRecord,
    Guarantee,
    Payment,
    PaymentTermsRow,
)
from oxychain.inspection.tables import Device, Lot

CLAIMING_VALUES = [s.value for s in CLAIMING]
HOLDING_VALUES = [s.value for s in HOLDING]


class Finance:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *rows: object) -> None:
        """Add and flush; a clash with a row saved at the same moment is a Conflict."""
        self.session.add_all(rows)
        try:
            self.session.flush()
        except IntegrityError:
            raise Conflict(
                "This clashes with a record saved at the same moment; reload and try again."
            ) from None

    # --- payment terms -------------------------------------------------------------------

    def terms(self, tender_id: int) -> PaymentTermsRow | None:
        return self.session.scalar(
            select(PaymentTermsRow).where(PaymentTermsRow.tender_id == tender_id)
        )

    # --- bills ---------------------------------------------------------------------------

    def bill(self, number: str, *, lock: bool = False) -> Bill:
        query = select(Bill).where(Bill.number == number)
        row = self.session.scalar(query.with_for_update() if lock else query)
        if row is None:
            raise NotFound("No bill {number}.", number=number[:40])
        return row

    def bills(
        self,
        *,
        supplier_id: int | None = None,
        purchase_order_id: int | None = None,
        statuses: Sequence[str] | None = None,
        limit: int = 1000,
    ) -> Sequence[Bill]:
        query = select(Bill).order_by(Bill.created_at.desc(), Bill.id.desc()).limit(limit)
        if supplier_id is not None:
            query = query.where(Bill.supplier_id == supplier_id)
        if purchase_order_id is not None:
            query = query.where(Bill.purchase_order_id == purchase_order_id)
        if statuses is not None:
            query = query.where(Bill.status.in_(list(statuses)))
        return self.session.scalars(query).all()

    def lines(self, bill_id: int) -> Sequence[BillLine]:
        return self.session.scalars(
            select(BillLine).where(BillLine.bill_id == bill_id).order_by(BillLine.id)
        ).all()

    def deductions(self, bill_ids: Sequence[int]) -> Sequence[Deduction]:
        if not bill_ids:
            return []
        return self.session.scalars(
            select(Deduction)
            .where(Deduction.bill_id.in_(list(bill_ids)))
            .order_by(Deduction.bill_id, Deduction.position)
        ).all()

    def payments(self, bill_ids: Sequence[int]) -> Sequence[Payment]:
        if not bill_ids:
            return []
        return self.session.scalars(
            select(Payment)
            .where(Payment.bill_id.in_(list(bill_ids)))
            .order_by(Payment.paid_on, Payment.id)
        ).all()

    def payment(self, reference: str) -> Payment | None:
        return self.session.scalar(select(Payment).where(Payment.reference == reference))

    def claimed(self, bill_id: int) -> list[tuple[str, int]]:
        """(serial, tranche id) of the devices a bill claims, by serial."""
        rows = self.session.execute(
            select(Device.serial, BillDevice.tranche_id)
            .join(BillDevice, BillDevice.device_id == Device.id)
            .where(BillDevice.bill_id == bill_id)
            .order_by(Device.serial)
        )
        return [(s, t) for s, t in rows]

    def holders(self, device_ids: Sequence[int], milestone: str) -> dict[int, str]:
        """device id → number of the bill that holds it for the milestone."""
        if not device_ids:
            return {}
        rows = self.session.execute(
            select(BillDevice.device_id, Bill.number)
            .join(Bill, Bill.id == BillDevice.bill_id)
            .where(
                BillDevice.device_id.in_(list(device_ids)),
                BillDevice.milestone == milestone,
                BillDevice.holding.is_(True),
            )
        )
        return dict(rows.all())

    def claims(self, purchase_order_id: int) -> list[tuple[int, str, str]]:
        """(device id, milestone, bill status) of every holding claim on the order."""
        rows = self.session.execute(
            select(BillDevice.device_id, BillDevice.milestone, Bill.status)
            .join(Bill, Bill.id == BillDevice.bill_id)
            .where(Bill.purchase_order_id == purchase_order_id, BillDevice.holding.is_(True))
        )
        return [tuple(r) for r in rows]

    def bill_device_ids(self, bill_id: int) -> list[int]:
        return list(
            self.session.scalars(select(BillDevice.device_id).where(BillDevice.bill_id == bill_id))
        )

    def replace_amounts(self, bill_id: int) -> None:
        """Clear a bill's lines and deductions before it is computed again."""
        self.session.execute(delete(BillLine).where(BillLine.bill_id == bill_id))
        self.session.execute(delete(Deduction).where(Deduction.bill_id == bill_id))

    def let_go(self, bill_id: int) -> None:
        """A rejected or discarded bill lets its devices be claimed again."""
        self.session.execute(
            update(BillDevice).where(BillDevice.bill_id == bill_id).values(holding=False)
        )

    def next_seq(self) -> int:
        return (self.session.scalar(select(func.max(Bill.id))) or 0) + 1

    def earlier_deductions(
        self, purchase_order_id: int, kind: str, before: datetime
    ) -> list[tuple[str, Deduction]]:
        """(bill number, deduction) of one kind on the order's claiming bills computed before."""
        rows = self.session.execute(
            select(Bill.number, Deduction)
            .join(Bill, Bill.id == Deduction.bill_id)
            .where(
                Bill.purchase_order_id == purchase_order_id,
                Bill.status.in_(CLAIMING_VALUES),
                Bill.computed_at < before,
                Deduction.kind == kind,
            )
            .order_by(Bill.computed_at, Bill.id, Deduction.position)
        )
        return [(n, d) for n, d in rows]

    def year_before(self, supplier_id: int, start: date, before: datetime) -> tuple[int, list[str]]:
        """The taxable value of the supplier's claiming bills of the financial year from
        ``start``, computed before ``before``, and their numbers."""
        rows = self.session.execute(
            select(Bill.number, Bill.taxable_paise).where(
                Bill.supplier_id == supplier_id,
                Bill.status.in_(CLAIMING_VALUES),
                Bill.bill_date >= start,
                Bill.computed_at < before,
            )
        ).all()
        return sum(t for _, t in rows), sorted(n for n, _ in rows)

    # --- what the bill reads of the other areas -------------------------------------------

    def devices(self, purchase_order_ids: Sequence[int], serials: Sequence[str] | None = None):  # noqa: ANN201
        """(device, the tranche its lot was offered on) of the order's versions."""
        query = (
            select(Device, Lot.tranche_id)
            .join(Lot, Lot.id == Device.lot_id)
            .where(Device.purchase_order_id.in_(list(purchase_order_ids)))
            .order_by(Device.serial)
        )
        if serials is not None:
            query = query.where(Device.serial.in_(list(serials)))
        return self.session.execute(query).all()

    def receipts(self, device_ids: Sequence[int]) -> dict[int, tuple[datetime | None, datetime]]:
        """device id → (its line's receipt, the challan's close) on a closed tranche challan."""
        if not device_ids:
            return {}
        rows = self.session.execute(
            select(ChallanLine.device_id, ChallanLine.received_at, Challan.received_at)
            .join(Challan, Challan.id == ChallanLine.challan_id)
            .where(
                ChallanLine.device_id.in_(list(device_ids)),
                Challan.source == ChallanSource.TRANCHE.value,
                Challan.status != ChallanStatus.IN_TRANSIT.value,
            )
            .order_by(Challan.id)
        )
        out: dict[int, tuple[datetime | None, datetime]] = {}
        for device_id, line_at, closed_at in rows:
            if device_id not in out or line_at is not None:
                out[device_id] = (line_at, closed_at)
        return out

    def certified(self, device_ids: Sequence[int]) -> dict[int, date]:
        if not device_ids:
            return {}
        rows = self.session.execute(
            select(CertifiedDevice.device_id, AcceptanceCertificate.issued_on)
            .join(AcceptanceCertificate, AcceptanceCertificate.id == CertifiedDevice.certificate_id)
            .where(CertifiedDevice.device_id.in_(list(device_ids)))
        )
        return dict(rows.all())

    def certificates_of(self, device_ids: Sequence[int]) -> Sequence[AcceptanceCertificate]:
        if not device_ids:
            return []
        return self.session.scalars(
            select(AcceptanceCertificate)
            .join(CertifiedDevice, CertifiedDevice.certificate_id == AcceptanceCertificate.id)
            .where(CertifiedDevice.device_id.in_(list(device_ids)))
            .distinct()
        ).all()

    def certificates_of_orders(self, po_ids: Sequence[int]) -> Sequence[AcceptanceCertificate]:
        return self.session.scalars(
            select(AcceptanceCertificate).where(
                AcceptanceCertificate.purchase_order_id.in_(list(po_ids))
            )
        ).all()

    def certificate_devices(self, certificate_id: int) -> list[int]:
        return list(
            self.session.scalars(
                select(CertifiedDevice.device_id).where(
                    CertifiedDevice.certificate_id == certificate_id
                )
            )
        )

    def paid_claims(self, device_ids: Sequence[int], milestone: str) -> set[int]:
        """Of these devices, those claimed for the milestone on a fully paid bill."""
        if not device_ids:
            return set()
        rows = self.session.scalars(
            select(BillDevice.device_id)
            .join(Bill, Bill.id == BillDevice.bill_id)
            .where(
                BillDevice.device_id.in_(list(device_ids)),
                BillDevice.milestone == milestone,
                BillDevice.holding.is_(True),
                Bill.status == "paid",
            )
        )
        return set(rows)

    def warranty_faults(self, device_ids: Sequence[int]) -> list[tuple[FaultTicket, str]]:
        """The devices' fault tickets under warranty, with the device's serial."""
        if not device_ids:
            return []
        rows = self.session.execute(
            select(FaultTicket, Device.serial)
            .join(Device, Device.id == FaultTicket.device_id)
            .where(
                FaultTicket.device_id.in_(list(device_ids)),
                FaultTicket.coverage == Coverage.WARRANTY.value,
            )
            .order_by(FaultTicket.opened_at, FaultTicket.id)
        )
        return [(t, s) for t, s in rows]

    # --- the securities register ----------------------------------------------------------

    def deposit_records(self, bid_ids: Sequence[int]) -> dict[int, DepositRecord]:
        if not bid_ids:
            return {}
        rows = self.session.scalars(
            select(DepositRecord).where(DepositRecord.bid_id.in_(list(bid_ids)))
        )
        return {r.bid_id: r for r in rows}

    def guarantees(self, award_ids: Sequence[int]) -> dict[tuple[int, str], Guarantee]:
        if not award_ids:
            return {}
        rows = self.session.scalars(
            select(Guarantee).where(Guarantee.award_id.in_(list(award_ids)))
        )
        return {(r.award_id, r.number): r for r in rows}
