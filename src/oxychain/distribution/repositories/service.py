"""Stock views, fault tickets, acceptance certificates, uptime and maintenance queries.

The stock views read only ``device_state`` through its indexes (facility, warehouse or
district first, then state and since), so a facility's page and a district's summary
stay fast with a million devices: each is one index range scan, grouped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from oxychain.distribution.domain.certificate import ContractTerms, NewCertificate
from oxychain.distribution.domain.lifecycle import DeviceState, PlaceKind
from oxychain.distribution.domain.stock import AGES
from oxychain.distribution.domain.ticket import OPEN_STATUSES, NewTicket
from oxychain.distribution.repositories.numbers import add_numbered, by_number
from oxychain.distribution.tables import (
    AcceptanceCertificate,
    CertifiedDevice,
    DevicePosition,
    FaultTicket,
)
from oxychain.inspection.tables import Device
from oxychain.masterdata.tables import Facility
from oxychain.tendering.tables import PurchaseOrder, Tender

STATE = DevicePosition.__table__


@dataclass(frozen=True)
class StockRow:
    state: str
    place_kind: str
    total: int
    by_age: tuple[int, int, int, int]  # ≤ 7 days, 8-30, 31-90, > 90
    oldest: datetime | None


@dataclass(frozen=True)
class DeviceLine:
    serial: str
    state: str
    since: datetime
    place_kind: str
    facility_id: int | None
    warehouse_id: int | None


def _ageing(now: datetime):  # noqa: ANN202 - SQL expressions
    cuts = [now - timedelta(days=d) for d in AGES]
    since = STATE.c.since
    return (
        func.sum(case((since >= cuts[0], 1), else_=0)),
        func.sum(case((since < cuts[0], case((since >= cuts[1], 1), else_=0)), else_=0)),
        func.sum(case((since < cuts[1], case((since >= cuts[2], 1), else_=0)), else_=0)),
        func.sum(case((since < cuts[2], 1), else_=0)),
    )


class Service:
    def __init__(self, session: Session) -> None:
        self.session = session

    def update(self, row: object, **columns: object) -> None:
        for column, value in columns.items():
            setattr(row, column, value)

    # --- stock --------------------------------------------------------------------------

    def stock(self, *, now: datetime, **where: int) -> list[StockRow]:
        """Devices by state and place kind with ageing, where column = value (one of
        facility_id, warehouse_id, district_id; none: the whole state)."""
        query = select(
            STATE.c.state, STATE.c.place_kind, func.count(), *_ageing(now), func.min(STATE.c.since)
        ).group_by(STATE.c.state, STATE.c.place_kind)
        for column, value in where.items():
            query = query.where(STATE.c[column] == value)
        return [
            StockRow(state, kind, int(n), (int(a or 0), int(b or 0), int(c or 0), int(d or 0)), old)
            for state, kind, n, a, b, c, d, old in self.session.execute(query)
        ]

    def stock_by_district(self) -> list[tuple[int | None, str, int]]:
        query = select(STATE.c.district_id, STATE.c.state, func.count()).group_by(
            STATE.c.district_id, STATE.c.state
        )
        return [(d, s, int(n)) for d, s, n in self.session.execute(query)]

    def installed_by_facility_kind(self, district_id: int) -> dict[str, int]:
        query = (
            select(Facility.kind, func.count())
            .select_from(STATE)
            .join(Facility, Facility.id == STATE.c.facility_id)
            .where(STATE.c.district_id == district_id, STATE.c.state == DeviceState.INSTALLED.value)
            .group_by(Facility.kind)
        )
        return {kind: int(n) for kind, n in self.session.execute(query)}

    def devices(
        self, *, limit: int = 100, offset: int = 0, state: str | None = None, **where: int
    ) -> list[DeviceLine]:
        """Devices at a place, the longest in their state first."""
        query = (
            select(Device.serial, STATE.c.state, STATE.c.since, STATE.c.place_kind)
            .add_columns(STATE.c.facility_id, STATE.c.warehouse_id)
            .join(Device, Device.id == STATE.c.device_id)
            .order_by(STATE.c.since)
            .offset(offset)
            .limit(limit)
        )
        for column, value in where.items():
            query = query.where(STATE.c[column] == value)
        if state:
            query = query.where(STATE.c.state == state)
        return [DeviceLine(*row) for row in self.session.execute(query)]

    def in_service(self, *, facility_id: int | None = None, district_id: int | None = None) -> list:
        """Devices serving at facilities: (device id, serial, facility id, installed at,
        state, maintained at)."""
        query = (
            select(
                STATE.c.device_id,
                Device.serial,
                STATE.c.facility_id,
                STATE.c.installed_at,
                STATE.c.state,
                STATE.c.maintained_at,
            )
            .join(Device, Device.id == STATE.c.device_id)
            .where(STATE.c.installed_at.is_not(None))
            .order_by(STATE.c.facility_id, Device.serial)
        )
        if facility_id is not None:
            query = query.where(STATE.c.facility_id == facility_id)
        if district_id is not None:
            query = query.where(STATE.c.district_id == district_id)
        return list(self.session.execute(query))

    def serial_of(self, device_id: int) -> str:
        return self.session.scalar(select(Device.serial).where(Device.id == device_id)) or "?"

    # --- tickets ------------------------------------------------------------------------

    def add_ticket(self, new: NewTicket) -> FaultTicket:
        place = new.place
        row = FaultTicket(
            device_id=new.device_id,
            place_kind=place.kind.value,
            facility_id=place.id if place.kind is PlaceKind.FACILITY else None,
            warehouse_id=place.id if place.kind is PlaceKind.WAREHOUSE else None,
            loan_id=new.loan_id,
            district_id=place.district_id,
            supplier_id=new.supplier_id,
            description=new.description,
            coverage=new.cover.kind.value,
            covered_until=new.cover.until,
            sla_hours=new.sla_hours,
            due_at=new.due_at,
            status=new.status.value,
            opened_at=new.opened_at,
            opened_by=new.opened_by,
        )
        add_numbered(self.session, row, new.number)
        return row

    def ticket_by_id(self, ticket_id: int) -> FaultTicket | None:
        return self.session.get(FaultTicket, ticket_id)

    def ticket(self, number: str, *, lock: bool = False) -> FaultTicket | None:
        return by_number(self.session, FaultTicket, number, lock)

    def tickets(
        self,
        *,
        district_id: int | None = None,
        facility_id: int | None = None,
        warehouse_id: int | None = None,
        supplier_id: int | None = None,
        open_only: bool = False,
        limit: int = 200,
    ) -> Sequence[FaultTicket]:
        query = select(FaultTicket).order_by(FaultTicket.opened_at.desc()).limit(limit)
        for column, value in (
            (FaultTicket.district_id, district_id),
            (FaultTicket.facility_id, facility_id),
            (FaultTicket.warehouse_id, warehouse_id),
            (FaultTicket.supplier_id, supplier_id),
        ):
            if value is not None:
                query = query.where(column == value)
        if open_only:
            query = query.where(FaultTicket.status.in_([s.value for s in OPEN_STATUSES]))
        return self.session.scalars(query).all()

    def downtimes(self, device_ids: Sequence[int], start: datetime) -> dict[int, list[tuple]]:
        """(opened, resolved) of each device's tickets that overlap the period from start."""
        out: dict[int, list[tuple]] = {d: [] for d in device_ids}
        for offset in range(0, len(device_ids), 500):
            chunk = list(device_ids[offset : offset + 500])
            rows = self.session.execute(
                select(FaultTicket.device_id, FaultTicket.opened_at, FaultTicket.resolved_at).where(
                    FaultTicket.device_id.in_(chunk),
                    (FaultTicket.resolved_at.is_(None)) | (FaultTicket.resolved_at >= start),
                )
            )
            for device_id, opened, resolved in rows:
                out[device_id].append((opened, resolved))
        return out

    # --- certificates and coverage ------------------------------------------------------

    def add_certificate(self, new: NewCertificate) -> AcceptanceCertificate:
        row = AcceptanceCertificate(
            facility_id=new.facility_id,
            district_id=new.district_id,
            supplier_id=new.supplier_id,
            purchase_order_id=new.purchase_order_id,
            issued_on=new.issued_on,
            issued_by=new.issued_by,
            created_at=new.created_at,
            warranty_months=new.warranty_months,
            cmc_months=new.cmc_months,
            value_paise=new.value_paise,
            payment_milestone=new.payment_milestone.value,
        )
        add_numbered(self.session, row, new.number)
        self.session.add_all(
            CertifiedDevice(certificate_id=row.id, device_id=d, warranty_start=new.issued_on)
            for d in new.device_ids
        )
        return row

    def certificate(self, number: str) -> AcceptanceCertificate | None:
        return by_number(self.session, AcceptanceCertificate, number)

    def certificates(
        self,
        *,
        facility_id: int | None = None,
        district_id: int | None = None,
        supplier_id: int | None = None,
    ) -> Sequence[AcceptanceCertificate]:
        query = select(AcceptanceCertificate).order_by(AcceptanceCertificate.id.desc()).limit(200)
        for column, value in (
            (AcceptanceCertificate.facility_id, facility_id),
            (AcceptanceCertificate.district_id, district_id),
            (AcceptanceCertificate.supplier_id, supplier_id),
        ):
            if value is not None:
                query = query.where(column == value)
        return self.session.scalars(query).all()

    def certified_serials(self, certificate_id: int) -> list[tuple[str, str, str]]:
        rows = self.session.execute(
            select(Device.serial, Device.make, Device.model)
            .join(CertifiedDevice, CertifiedDevice.device_id == Device.id)
            .where(CertifiedDevice.certificate_id == certificate_id)
            .order_by(Device.serial)
        )
        return [tuple(r) for r in rows]

    def cover_of(self, device_id: int) -> tuple[CertifiedDevice, AcceptanceCertificate] | None:
        row = self.session.execute(
            select(CertifiedDevice, AcceptanceCertificate)
            .join(AcceptanceCertificate, AcceptanceCertificate.id == CertifiedDevice.certificate_id)
            .where(CertifiedDevice.device_id == device_id)
        ).first()
        return (row[0], row[1]) if row else None

    def certified(self, device_ids: Sequence[int]) -> set[int]:
        if not device_ids:
            return set()
        return set(
            self.session.scalars(
                select(CertifiedDevice.device_id).where(
                    CertifiedDevice.device_id.in_(list(device_ids))
                )
            )
        )

    def contract_terms(self, purchase_order_id: int) -> ContractTerms:
        """The unit price, and the warranty months named by the tender (or None)."""
        row = self.session.execute(
            select(PurchaseOrder.unit_price_paise, Tender.warranty_months)
            .join(Tender, Tender.id == PurchaseOrder.tender_id)
            .where(PurchaseOrder.id == purchase_order_id)
        ).first()
        return ContractTerms(int(row[0]), row[1]) if row else ContractTerms(0, None)
