"""Proof of delivery: receiving a challan's serials by scanning them at the destination.

A scanned serial on the challan is received (its line is marked, the device becomes
``received``); one not on the challan is recorded as an *extra*. When every line is
received the challan closes by itself; otherwise the consignee closes it and the serials
never scanned are recorded as *missing* (domain/challans.py). Closing a challan made from
a purchase-order tranche records the delivery against that tranche (through the
tendering area's repository: ``Contracts.add_delivery``), dated the day the last serial
was scanned, which is what the tranche's liquidated damages run to.
"""

from __future__ import annotations

from datetime import datetime

from oxychain.core.access import require
from oxychain.core.errors import Conflict, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import challan as challans
from oxychain.distribution.domain.challan import CHALLAN, DiscrepancyKind
from oxychain.distribution.domain.device import Located
from oxychain.distribution.repositories.events import utc
from oxychain.distribution.tables import Challan


def destination_scope(challan: Challan) -> ObjectScope:
    return ObjectScope(
        district_id=challan.to_district_id,
        warehouse_id=challan.to_warehouse_id,
        facility_id=challan.to_facility_id,
    )


class Receiving:
    """Receipt bookkeeping for one unit of work: lines received, extras, closing."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self.uow, self.now = uow, now
        self._by_number: dict[str, Challan] = {}
        self._received: list[tuple[int, int, datetime]] = []
        self._extras: set[tuple[int, str]] = set()
        self._touched: dict[int, object] = {}  # challan id → the person who scanned last

    def challan(self, number: str) -> Challan:
        if number not in self._by_number:
            row = self.uow.dispatch.challan(number.strip(), lock=True)
            if row is None:
                raise NotFound("No challan {number}.", number=number[:40])
            self._by_number[number] = row
        row = self._by_number[number]
        require(self.uow.principal, "challan.receive", destination_scope(row))
        return row

    def is_extra(self, number: str, serial: str, device: Located | None) -> bool:
        challan = self.challan(number)
        return device is None or device.challan_id != challan.id

    def record_extra(self, number: str, serial: str, device: Located | None) -> None:
        challan = self.challan(number)
        key = (challan.id, serial)
        if key in self._extras or self.uow.dispatch.has_discrepancy(challan.id, serial):
            return
        self._extras.add(key)
        self.uow.dispatch.add_discrepancy(
            challan.id,
            serial,
            DiscrepancyKind.EXTRA,
            self.now,
            self.uow.principal.username,
            device.device_id if device else None,
        )
        self._touched[challan.id] = self.uow.principal

    def line_received(self, challan_id: int, device_id: int, at: datetime) -> None:
        self._received.append((challan_id, device_id, at))
        self._touched[challan_id] = self.uow.principal

    def flush(self) -> None:
        self.uow.dispatch.mark_received(self._received)
        self.uow.dispatch.flush()
        for challan_id, principal in sorted(self._touched.items()):
            self.uow.principal = principal  # the receipt closes as the person who scanned
            challan = self.uow.dispatch.challan_by_id(challan_id, lock=True)
            total, received = self.uow.dispatch.line_counts(challan_id)
            if challans.closes_itself(challan.status, total, received):
                close(self.uow, challan, self.now)
            elif CHALLAN.can(challan.status, "find_extra") and self.uow.dispatch.count_extras(
                challan_id
            ):
                challan.status = CHALLAN.move(challan.status, "find_extra").value
        self._received, self._touched = [], {}


def close(
    uow: UnitOfWork, challan: Challan, now: datetime, missing_confirmed: bool = False
) -> challans.Reconciliation:
    """Close a challan's receipt: missing serials recorded (only when the consignee has
    confirmed them: a receipt closed by mistake cannot be undone), the tranche's delivery
    updated."""
    lines = uow.dispatch.lines(challan.id)
    discrepancies = uow.dispatch.discrepancies(challan.id)
    extras = [d.serial for d in discrepancies if d.kind == DiscrepancyKind.EXTRA]
    scanned = [serial for serial, at in lines if at is not None] + extras
    result = challans.reconcile([serial for serial, _ in lines], scanned)
    before, status = challan.status, challans.close(challan.status, challan.number, result)
    if result.missing and not missing_confirmed:
        raise Conflict(
            "{count} serials of challan {number} were never scanned: confirm that they are "
            "missing to close the receipt.",
            code="missing_not_confirmed",
            count=len(result.missing),
            number=challan.number,
        )
    by = uow.principal.username
    for serial in result.missing:
        uow.dispatch.add_discrepancy(challan.id, serial, DiscrepancyKind.MISSING, now, by)
    last = utc(uow.dispatch.last_receipt(challan.id))
    challan.status = status.value
    challan.received_at = last or now
    challan.received_by = by
    delivered = _deliver(uow, challan, len(result.received), (last or now).date(), now)
    uow.record(
        "challan.receive",
        "challan",
        challan.number,
        {"status": before},
        {
            "status": challan.status,
            "received": len(result.received),
            "missing": result.missing[:50],
            "extra": result.extra[:50],
            "delivered_against_tranche": delivered,
        },
    )
    return result


def _deliver(uow: UnitOfWork, challan: Challan, received: int, on, now: datetime) -> int:  # noqa: ANN001
    """Record the received units against the challan's tranche; the quantity counted."""
    if challan.tranche_id is None or received == 0:
        return 0
    tranche = uow.contracts.current_tranche(challan.tranche_id)
    tranche = uow.contracts.tranche(tranche.id, lock=True)
    after = challans.deliver_to_tranche(
        tranche.quantity, tranche.delivered_quantity, tranche.delivered_on, received, on
    )
    counted = after.delivered_quantity - tranche.delivered_quantity
    if counted:
        uow.contracts.add_delivery(tranche, counted, on, challan.number, now)
    return counted
