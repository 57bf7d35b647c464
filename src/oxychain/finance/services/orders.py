"""What finance reads of a purchase order, inside an open unit of work: its versions, its
tender and award, its price before GST, its tranche lines, and its devices as a bill sees
them (verdict, receipt at the consignee, acceptance certificate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from oxychain.core import clock
from oxychain.core.errors import NotFound
from oxychain.core.uow import UnitOfWork
from oxychain.finance.domain.bill import DeviceRecord, price_before_gst
from oxychain.masterdata.tables import Supplier, Warehouse
from oxychain.tendering.tables import Award, PoTranche, PurchaseOrder, Tender


@dataclass(frozen=True)
class Order:
    root: PurchaseOrder  # the first version: bills name it
    versions: list[PurchaseOrder]
    tender: Tender
    award: Award
    supplier: Supplier
    unit_before_gst_paise: int
    gst_bp: int
    tranches: dict[int, PoTranche]  # the newest version's lines by id
    lines: dict[int, dict[tuple[int, int], PoTranche]]  # version id → (tranche, warehouse) → line
    line_of: dict[int, int]  # any version's tranche line id → the newest version's
    warehouses: dict[int, Warehouse]

    @property
    def current(self) -> PurchaseOrder:
        return self.versions[-1]

    @property
    def version_ids(self) -> list[int]:
        return [v.id for v in self.versions]

    def version_at(self, moment: datetime) -> PurchaseOrder:
        """The version in force at a moment (the newest issued by then)."""
        issued = [v for v in self.versions if v.issued_at <= moment]
        return issued[-1] if issued else self.versions[0]

    def line_at(self, moment: datetime, tranche: PoTranche) -> PoTranche:
        """The same tranche line in the version in force at a moment."""
        lines = self.lines[self.version_at(moment).id]
        return lines.get((tranche.number, tranche.consignee_warehouse_id), tranche)

    def key(self, tranche: PoTranche) -> str:
        """A tranche line across the order's versions."""
        return f"{self.root.id}:{tranche.number}:{tranche.consignee_warehouse_id}"

    def consignee(self, tranche: PoTranche) -> str:
        return self.warehouses[tranche.consignee_warehouse_id].name


def load_order(uow: UnitOfWork, po_id: int) -> Order:
    versions = uow.contracts.versions(uow.contracts.purchase_order(po_id))
    current = versions[-1]
    tender = uow.tenders.tender_by_id(current.tender_id)
    award = uow.contracts.award(current.award_id)
    result = next((r for r in uow.tenders.results(tender.id) if r.bid_id == award.bid_id), None)
    if result is None:
        raise NotFound(
            "No financial result for the award of order {number}.", number=current.number
        )
    by_version = {
        v.id: {(t.number, t.consignee_warehouse_id): t for t in uow.contracts.tranches(v.id)}
        for v in versions
    }
    newest = by_version[current.id]
    line_of = {
        t.id: newest.get(key, t).id for lines in by_version.values() for key, t in lines.items()
    }
    tranches = {t.id: t for t in newest.values()}
    return Order(
        root=versions[0],
        versions=versions,
        tender=tender,
        award=award,
        supplier=uow.tenders.supplier(current.supplier_id),
        unit_before_gst_paise=price_before_gst(
            current.unit_price_paise,
            result.unit_price_paise,
            result.evaluated_unit_paise,
            result.gst_bp,
        ),
        gst_bp=result.gst_bp,
        tranches=tranches,
        lines=by_version,
        line_of=line_of,
        warehouses=uow.contracts.warehouses([t.consignee_warehouse_id for t in tranches.values()]),
    )


def device_records(
    uow: UnitOfWork, order: Order, serials: list[str] | None = None
) -> dict[str, DeviceRecord]:
    """serial → the device as a bill sees it, for the order's devices (or those serials)."""
    rows = uow.finance.devices(order.version_ids, serials)
    ids = [device.id for device, _ in rows]
    receipts = uow.finance.receipts(ids)
    certified = uow.finance.certified(ids)
    out = {}
    for device, lot_tranche in rows:
        line_at, _closed = receipts.get(device.id, (None, None))
        out[device.serial] = DeviceRecord(
            device_id=device.id,
            serial=device.serial,
            qa_status=device.qa_status,
            tranche_id=order.line_of.get(lot_tranche),
            received_on=clock.in_india(line_at) if line_at else None,
            missing=device.id in receipts and line_at is None,
            certified_on=certified.get(device.id),
        )
    return out


def utc(moment: datetime | None) -> datetime | None:
    """A stored moment with its zone (SQLite gives it back without: it is UTC)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
