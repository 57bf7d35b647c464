"""Inspection queries: lots, the registry, samples, test records, verdicts, switching, figures.

Purchase orders and tranches are the tendering area's tables; they are read here, never
written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, insert, select, update
from sqlalchemy.orm import Session

from oxychain.core.tables import User
from oxychain.inspection.tables import (
    Device,
    Lot,
    LotSample,
    Reading,
    SwitchingRecord,
    UnitTest,
    Verdict,
)
from oxychain.masterdata.tables import InspectionAgency, Item, Supplier, Warehouse
from oxychain.tendering.tables import PoTranche, PurchaseOrder, Tender

UNDECIDED = ("offered", "assigned", "sampled")
CHUNK = 500


@dataclass(frozen=True)
class LotFilter:
    supplier_id: int | None = None  # a supplier sees only its own lots
    agency_id: int | None = None  # an inspector only their agency's
    status: str | None = None


@dataclass(frozen=True)
class SampleRow:
    sample: LotSample
    device: Device
    test: UnitTest | None  # the newest version, None while untested


class Inspection:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: object) -> None:
        self.session.add(row)

    def flush(self) -> None:
        self.session.flush()

    # --- purchase orders (read only) ---------------------------------------------------

    def purchase_order(self, po_id: int) -> PurchaseOrder | None:
        return self.session.get(PurchaseOrder, po_id)

    def tender(self, tender_id: int) -> Tender | None:
        return self.session.get(Tender, tender_id)

    def tranche(self, tranche_id: int, *, for_update: bool = False) -> PoTranche | None:
        """A tranche; ``for_update`` locks its row (PostgreSQL) against concurrent offers."""
        if not for_update:
            return self.session.get(PoTranche, tranche_id)
        query = select(PoTranche).where(PoTranche.id == tranche_id).with_for_update()
        return self.session.scalar(query)

    def open_tranches(self, supplier_id: int | None) -> list[tuple[PurchaseOrder, PoTranche]]:
        """Tranches of issued purchase orders (a supplier's own, when given)."""
        query = (
            select(PurchaseOrder, PoTranche)
            .join(PoTranche, PoTranche.purchase_order_id == PurchaseOrder.id)
            .where(PurchaseOrder.status == "issued")
            .order_by(PurchaseOrder.number, PoTranche.number, PoTranche.id)
        )
        if supplier_id is not None:
            query = query.where(PurchaseOrder.supplier_id == supplier_id)
        return [(po, t) for po, t in self.session.execute(query)]

    def warehouse(self, warehouse_id: int) -> Warehouse | None:
        return self.session.get(Warehouse, warehouse_id)

    def line_tranche_ids(self, tranche: PoTranche) -> list[int]:
        """Ids of the same tranche line in this and every earlier version of its PO."""
        ids, po = [], self.session.get(PurchaseOrder, tranche.purchase_order_id)
        while po is not None:
            ids += self.session.scalars(
                select(PoTranche.id).where(
                    PoTranche.purchase_order_id == po.id,
                    PoTranche.number == tranche.number,
                    PoTranche.consignee_warehouse_id == tranche.consignee_warehouse_id,
                )
            ).all()
            po = self.session.get(PurchaseOrder, po.previous_id) if po.previous_id else None
        return ids

    # --- lots ----------------------------------------------------------------------------

    def lot(self, lot_id: int, *, for_update: bool = False) -> Lot | None:
        if not for_update:
            return self.session.get(Lot, lot_id)
        return self.session.scalar(select(Lot).where(Lot.id == lot_id).with_for_update())

    def lots(self, flt: LotFilter, limit: int = 200) -> Sequence[Lot]:
        query = select(Lot).order_by(Lot.offered_at.desc(), Lot.id.desc()).limit(limit)
        if flt.supplier_id is not None:
            query = query.where(Lot.supplier_id == flt.supplier_id)
        if flt.agency_id is not None:
            query = query.where(Lot.agency_id == flt.agency_id)
        if flt.status:
            query = query.where(Lot.status == flt.status)
        return self.session.scalars(query).all()

    def lots_of_tranches(self, tranche_ids: Iterable[int]) -> Sequence[Lot]:
        return self.session.scalars(
            select(Lot).where(Lot.tranche_id.in_(list(tranche_ids))).order_by(Lot.id)
        ).all()

    def next_version_of(self, lot: Lot) -> Lot | None:
        return self.session.scalar(select(Lot).where(Lot.previous_id == lot.id))

    def count_lots_of_po(self, po_id: int) -> int:
        """Lots first offered on this PO (a re-offer keeps its lot's number)."""
        query = (
            select(func.count())
            .select_from(Lot)
            .where(Lot.purchase_order_id == po_id, Lot.version == 1)
        )
        return self.session.scalar(query) or 0

    def accepted_units(self, lot_ids: Iterable[int]) -> dict[int, int]:
        rows = self.session.execute(
            select(Device.lot_id, func.count())
            .where(Device.lot_id.in_(list(lot_ids)), Device.qa_status == "accepted")
            .group_by(Device.lot_id)
        )
        return {lot_id: n for lot_id, n in rows}

    # --- people and organisations --------------------------------------------------------

    def supplier(self, supplier_id: int) -> Supplier | None:
        return self.session.get(Supplier, supplier_id)

    def item(self, item_id: int) -> Item | None:
        return self.session.get(Item, item_id)

    def agency(self, agency_id: int) -> InspectionAgency | None:
        return self.session.get(InspectionAgency, agency_id)

    def agencies(self) -> Sequence[InspectionAgency]:
        return self.session.scalars(select(InspectionAgency).order_by(InspectionAgency.code)).all()

    def user(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def inspectors(self) -> Sequence[User]:
        query = select(User).where(User.role == "inspector", User.active.is_(True))
        return self.session.scalars(query.order_by(User.username)).all()

    # --- the registry --------------------------------------------------------------------

    def registered(self, serials: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(serials), CHUNK):
            chunk = list(serials[start : start + CHUNK])
            found.update(
                self.session.scalars(select(Device.serial).where(Device.serial.in_(chunk)))
            )
        return found

    def add_devices(self, rows: list[dict]) -> None:
        """Register many devices in one statement (executemany / insertmanyvalues)."""
        if rows:
            self.session.execute(insert(Device), rows)

    def device(self, serial: str) -> Device | None:
        return self.session.scalar(select(Device).where(Device.serial == serial))

    def devices_of_lot(self, lot_id: int) -> Sequence[Device]:
        return self.session.scalars(
            select(Device).where(Device.lot_id == lot_id).order_by(Device.serial)
        ).all()

    def qa_counts(self, lot_id: int) -> dict[str, int]:
        rows = self.session.execute(
            select(Device.qa_status, func.count())
            .where(Device.lot_id == lot_id)
            .group_by(Device.qa_status)
        )
        return {status: n for status, n in rows}

    def set_qa_status(self, lot_id: int, status: str, serials: Sequence[str] | None = None) -> None:
        """Every device of the lot (or only these serials) gets ``status``."""
        query = update(Device).where(Device.lot_id == lot_id)
        if serials is not None:
            query = query.where(Device.serial.in_(list(serials)))
        self.session.execute(query.values(qa_status=status))

    # --- samples and test records --------------------------------------------------------

    def samples(self, lot_id: int) -> list[SampleRow]:
        rows = self.session.execute(
            select(LotSample, Device)
            .join(Device, Device.id == LotSample.device_id)
            .where(LotSample.lot_id == lot_id)
            .order_by(LotSample.position)
        ).all()
        latest = self.latest_tests(lot_id)
        return [SampleRow(s, d, latest.get(s.id)) for s, d in rows]

    def sample_at(self, lot_id: int, position: int) -> SampleRow | None:
        row = self.session.execute(
            select(LotSample, Device)
            .join(Device, Device.id == LotSample.device_id)
            .where(LotSample.lot_id == lot_id, LotSample.position == position)
        ).first()
        if row is None:
            return None
        return SampleRow(row[0], row[1], self.latest_test(row[0].id))

    def latest_test(self, sample_id: int) -> UnitTest | None:
        query = select(UnitTest).where(UnitTest.sample_id == sample_id)
        return self.session.scalar(query.order_by(UnitTest.version.desc()).limit(1))

    def latest_tests(self, lot_id: int) -> dict[int, UnitTest]:
        newest = (
            select(UnitTest.sample_id, func.max(UnitTest.version).label("version"))
            .where(UnitTest.lot_id == lot_id)
            .group_by(UnitTest.sample_id)
            .subquery()
        )
        rows = self.session.scalars(
            select(UnitTest).join(
                newest,
                (UnitTest.sample_id == newest.c.sample_id) & (UnitTest.version == newest.c.version),
            )
        )
        return {t.sample_id: t for t in rows}

    def last_test_of_lot(self, lot_id: int) -> UnitTest | None:
        query = select(UnitTest).where(UnitTest.lot_id == lot_id)
        return self.session.scalar(query.order_by(UnitTest.id.desc()).limit(1))

    def readings(self, unit_test_id: int) -> Sequence[Reading]:
        return self.session.scalars(
            select(Reading).where(Reading.unit_test_id == unit_test_id).order_by(Reading.id)
        ).all()

    def test_versions(self, sample_id: int) -> Sequence[UnitTest]:
        return self.session.scalars(
            select(UnitTest).where(UnitTest.sample_id == sample_id).order_by(UnitTest.version)
        ).all()

    # --- verdicts and switching ----------------------------------------------------------

    def verdict(self, lot_id: int) -> Verdict | None:
        return self.session.scalar(select(Verdict).where(Verdict.lot_id == lot_id))

    def switching_history(self, supplier_id: int, item_id: int) -> Sequence[SwitchingRecord]:
        return self.session.scalars(
            select(SwitchingRecord)
            .where(SwitchingRecord.supplier_id == supplier_id, SwitchingRecord.item_id == item_id)
            .order_by(SwitchingRecord.seq)
        ).all()

    def switching_latest(self, supplier_id: int, item_id: int) -> SwitchingRecord | None:
        return self.session.scalar(
            select(SwitchingRecord)
            .where(SwitchingRecord.supplier_id == supplier_id, SwitchingRecord.item_id == item_id)
            .order_by(SwitchingRecord.seq.desc())
            .limit(1)
        )

    # --- figures ---------------------------------------------------------------------------

    def lot_counts(self, supplier_id: int | None = None) -> dict[str, int]:
        query = select(Lot.status, func.count()).group_by(Lot.status)
        if supplier_id is not None:
            query = query.where(Lot.supplier_id == supplier_id)
        return {status: n for status, n in self.session.execute(query)}

    def lot_outcomes(self, supplier_id: int | None = None) -> list[tuple[int, int, int, int]]:
        """(supplier id, item id, lots accepted, lots rejected) from the verdicts."""
        query = (
            select(
                Lot.supplier_id,
                Lot.item_id,
                func.sum(case((Verdict.accepted.is_(True), 1), else_=0)),
                func.sum(case((Verdict.accepted.is_(False), 1), else_=0)),
            )
            .join(Verdict, Verdict.lot_id == Lot.id)
            .group_by(Lot.supplier_id, Lot.item_id)
        )
        if supplier_id is not None:
            query = query.where(Lot.supplier_id == supplier_id)
        return [(s, i, int(a or 0), int(r or 0)) for s, i, a, r in self.session.execute(query)]

    def _latest_test_ids(self):  # noqa: ANN202 - a SQL subquery
        superseded = select(UnitTest.previous_id).where(UnitTest.previous_id.is_not(None))
        return select(UnitTest.id).where(UnitTest.id.not_in(superseded))

    def unit_outcomes(self, supplier_id: int | None = None) -> list[tuple[int, int, int, int]]:
        """(supplier id, item id, units tested, units failed), newest test versions only."""
        query = (
            select(
                Lot.supplier_id,
                Lot.item_id,
                func.count(UnitTest.id),
                func.sum(case((UnitTest.passed.is_(False), 1), else_=0)),
            )
            .join(Lot, Lot.id == UnitTest.lot_id)
            .where(UnitTest.id.in_(self._latest_test_ids()))
            .group_by(Lot.supplier_id, Lot.item_id)
        )
        if supplier_id is not None:
            query = query.where(Lot.supplier_id == supplier_id)
        return [(s, i, int(n), int(f or 0)) for s, i, n, f in self.session.execute(query)]

    def parameter_outcomes(self) -> list[tuple[str, int, int]]:
        """(parameter, readings, readings passed), newest test versions only."""
        query = (
            select(
                Reading.parameter,
                func.count(Reading.id),
                func.sum(case((Reading.passed.is_(True), 1), else_=0)),
            )
            .where(Reading.unit_test_id.in_(self._latest_test_ids()))
            .group_by(Reading.parameter)
            .order_by(Reading.parameter)
        )
        return [(p, int(n), int(ok or 0)) for p, n, ok in self.session.execute(query)]
