"""One device by its serial: where it is, what happened to it, what covers it; and one
event on it from its page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from oxychain.core.access import can, require, scope_of
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import lifecycle, maintenance
from oxychain.distribution.domain.challan import ChallanStatus
from oxychain.distribution.domain.device import Located
from oxychain.distribution.domain.maintenance import ServiceTerms
from oxychain.distribution.services import challans, devices, receipts, scanning
from oxychain.distribution.services.tickets import cover_for
from oxychain.inspection.domain.device import is_dispatchable
from oxychain.masterdata.repository import FacilityFilter


@dataclass(frozen=True)
class Origin:
    """Where a device came from: its lot, purchase order and tranche (the links a page
    shows only to whoever may read them)."""

    lot_id: int
    lot_number: str
    lot_version: int
    po_id: int
    po_number: str
    tranche_number: int
    tender_ref: str | None = None


@dataclass(frozen=True)
class DeviceCard:
    serial: str
    make: str
    model: str
    qa_status: str
    located: Located
    events: list
    cover: maintenance.Cover
    allowed: list[lifecycle.EventKind]  # the scan events its state allows
    place_name: str
    place_name_hi: str = ""  # where the place has a Hindi name (warehouses, facilities)
    origin: Origin | None = None  # the lot, order and tranche it came from
    place_link: str = ""  # the page of the place it is at
    links: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)
    # event id → [(kind: challan | loan | ticket, number, link)]

    @property
    def passed_inspection(self) -> bool:
        return self.located.has_state or is_dispatchable(self.qa_status)

    @property
    def moves_elsewhere(self) -> frozenset[lifecycle.EventKind]:
        """Allowed events that take the device somewhere (chosen on the scan page)."""
        return frozenset(e for e in self.allowed if e in lifecycle.DESTINATIONS)


def _locate(uow: UnitOfWork, serial: str, permission: str) -> Located:
    device = devices.by_serial(uow, serial, lock=False)
    require(uow.principal, permission, device.scope)
    return device


def device_card(uow: UnitOfWork, serial: str, terms: ServiceTerms, now: datetime) -> DeviceCard:
    require(uow.principal, "device.read")
    with uow:
        device = _locate(uow, serial, "device.read")
        row = uow.ledger.device(device.serial)
        events = list(uow.ledger.history(device.device_id))
        cover = cover_for(uow, device.device_id, terms, now.date())
        allowed = [
            e for e in lifecycle.allowed_events(device.position.state) if e in lifecycle.SCAN_EVENTS
        ]
        return DeviceCard(
            device.serial,
            row.make,
            row.model,
            row.qa_status,
            device,
            events,
            cover,
            allowed,
            *_place_names(uow, device.position.place),
            _origin(uow, row),
            _place_link(uow, device.position.place),
            _event_links(uow, events),
        )


def _origin(uow: UnitOfWork, row) -> Origin | None:  # noqa: ANN001 - a devices row
    lot = uow.inspection.lot(row.lot_id)
    po = uow.inspection.purchase_order(row.purchase_order_id)
    if lot is None or po is None:
        return None
    tranche = uow.inspection.tranche(lot.tranche_id)
    tender = uow.tenders.tender_by_id(po.tender_id)
    return Origin(
        lot.id, lot.number, lot.version, po.id, po.number, tranche.number, tender.reference
    )


def _place_link(uow: UnitOfWork, place: lifecycle.Place) -> str:
    kind = lifecycle.PlaceKind
    if place.kind is kind.WAREHOUSE:
        return "/stock/warehouses/" + uow.masterdata.warehouse_by_id(place.id).code
    if place.kind is kind.FACILITY:
        return "/facilities/" + uow.masterdata.facility_by_id(place.id).code
    if place.kind is kind.HOME:
        return "/districts/" + uow.masterdata.district_by_id(place.id).code
    return ""


def _event_links(uow: UnitOfWork, events: list) -> dict[int, list[tuple[str, str, str]]]:
    """The challan, loan and ticket each event was recorded against, with their pages."""
    out: dict[int, list[tuple[str, str, str]]] = {}
    for e in events:
        found = []
        if e.challan_id and (challan := uow.dispatch.challan_by_id(e.challan_id)):
            found.append(("challan", challan.number, f"/challans/{challan.number}"))
        if e.loan_id and (loan := uow.dispatch.loan_by_id(e.loan_id)):
            found.append(("loan", loan.number, f"/loans/{loan.number}"))
        if e.ticket_id and (ticket := uow.service.ticket_by_id(e.ticket_id)):
            found.append(("ticket", ticket.number, f"/tickets/{ticket.number}"))
        if found:
            out[e.id] = found
    return out


def _place_names(uow: UnitOfWork, place: lifecycle.Place) -> tuple[str, str]:
    """The place's name, and its Hindi name where it has one (a supplier's has none)."""
    kind = lifecycle.PlaceKind
    md = uow.masterdata
    row = {
        kind.WAREHOUSE: md.warehouse_by_id,
        kind.FACILITY: md.facility_by_id,
        kind.HOME: md.district_by_id,
    }.get(place.kind, md.supplier_by_id)(place.id)
    return row.name, getattr(row, "name_hi", "") or ""


def act_on_device(
    uow: UnitOfWork,
    serial: str,
    event: str,
    now: datetime,
    to_kind: str = "",
    to_code: str = "",
) -> scanning.ScanOut:
    """One scan event from the device's page (a fresh idempotency key)."""
    require(uow.principal, "device.scan")
    with uow:
        device = _locate(uow, serial, "device.scan")
    scan = scanning.ScanIn(
        key=uuid.uuid4(),
        serial=device.serial,
        event=event,
        at=now,
        to_kind=to_kind or None,
        to_code=to_code or None,
    )
    return scanning.record_scans(uow, [scan], now)[0]


@dataclass(frozen=True)
class ScanChoices:
    """What the scan page offers a person: their events, destinations and open challans."""

    events: list[lifecycle.EventKind]
    facilities: list
    warehouses: list
    challans: list


def scan_choices(uow: UnitOfWork) -> ScanChoices:
    require(uow.principal, "device.scan")
    p = uow.principal
    events = [e for e in lifecycle.SCAN_EVENTS_ORDER if scope_of(p, lifecycle.PERMISSION[e])]
    with uow:
        facilities, warehouses = [], []
        if p.district_id is not None:
            rows, _total = uow.masterdata.facilities(
                FacilityFilter(district_id=p.district_id), limit=1000
            )
            facilities = list(rows)
            warehouses = list(uow.dispatch.warehouses_of_district(p.district_id))
        open_challans = [
            c
            for c in uow.dispatch.challans(challans.challan_filter(p, ChallanStatus.IN_TRANSIT))
            if can(p, "challan.receive", receipts.destination_scope(c))
        ]
        return ScanChoices(events, facilities, warehouses, open_challans)
