"""Delivery challans: one per truck, and proof of delivery by scanning on receipt.

A challan (the Indian delivery note that travels with goods) names where the truck comes
from and goes to, the serials it carries, the vehicle and the driver. It is made from a
purchase-order tranche (the supplier delivers to the tranche's consignee warehouse) or
from an approved allocation plan (a warehouse sends stock on to a district or facility).
On arrival the consignee scans every serial: a serial on the challan and not scanned is
*missing*; one scanned and not on the challan is *extra*. Both are discrepancies the
receipt records; only scanned serials that were on the challan count as delivered, and
their receipt date is the delivery date that the tranche's liquidated damages run to
(DOMAIN.md, "Liquidated damages").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from oxychain.core.errors import InvalidInput
from oxychain.inspection.domain.device import SERIAL_PATTERN, normal_serial

MAX_SERIALS_PER_CHALLAN = 5_000
#: Indian registration marks: state, district number, series, number (UP 32 AB 1234).
VEHICLE = re.compile(r"^[A-Z]{2}[0-9]{1,2}[A-Z]{0,3}[0-9]{1,4}$")


class ChallanSource(StrEnum):
    TRANCHE = "tranche"  # supplier → consignee warehouse, against a purchase-order tranche
    ALLOCATION = "allocation"  # warehouse → warehouse or facility, from an allocation plan


class ChallanStatus(StrEnum):
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"  # every serial on the challan scanned, nothing extra
    DISCREPANT = "received_with_discrepancies"


@dataclass(frozen=True, slots=True)
class Truck:
    vehicle: str
    driver: str


def normalise_vehicle(text: str) -> str:
    return re.sub(r"[\s-]", "", text or "").upper()


def check_truck(vehicle: str, driver: str) -> Truck:
    """The truck of a challan; InvalidInput for an unreadable registration or no driver."""
    mark = normalise_vehicle(vehicle)
    if not VEHICLE.match(mark):
        raise InvalidInput(
            "Vehicle number {vehicle} is not an Indian registration mark (e.g. UP 32 AB 1234).",
            vehicle=vehicle,
            field="vehicle",
        )
    name = " ".join((driver or "").split())
    if not 2 <= len(name) <= 80:
        raise InvalidInput("Driver's name is required (2-80 characters).", field="driver")
    return Truck(mark, name)


def clean_serials(serials: Iterable[str]) -> list[str]:
    """Serials as typed or scanned, trimmed and upper-case (as the registry stores them),
    each once, in order; InvalidInput for junk."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in serials:
        serial = normal_serial(raw or "")
        if not serial:
            continue
        if not SERIAL_PATTERN.fullmatch(serial):
            raise InvalidInput("{serial} is not a serial number.", serial=serial[:80])
        if serial not in seen:
            seen.add(serial)
            out.append(serial)
    return out


def check_load(serials: list[str]) -> None:
    if not serials:
        raise InvalidInput("A challan carries at least one serial.", field="serials")
    if len(serials) > MAX_SERIALS_PER_CHALLAN:
        raise InvalidInput(
            "A challan carries at most {n} serials (one truck).", n=MAX_SERIALS_PER_CHALLAN
        )


@dataclass(frozen=True)
class Reconciliation:
    """What a receipt found against its challan."""

    received: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def status(self) -> ChallanStatus:
        if self.missing or self.extra:
            return ChallanStatus.DISCREPANT
        return ChallanStatus.RECEIVED


def reconcile(on_challan: Iterable[str], scanned: Iterable[str]) -> Reconciliation:
    """Received, missing and extra serials of a receipt (each list in challan/scan order)."""
    listed = list(dict.fromkeys(on_challan))
    seen = list(dict.fromkeys(scanned))
    listed_set, seen_set = set(listed), set(seen)
    return Reconciliation(
        received=[s for s in listed if s in seen_set],
        missing=[s for s in listed if s not in seen_set],
        extra=[s for s in seen if s not in listed_set],
    )


@dataclass(frozen=True, slots=True)
class TrancheDelivery:
    delivered_quantity: int
    delivered_on: date | None


def deliver_to_tranche(
    quantity: int, delivered: int, delivered_on: date | None, received: int, on: date
) -> TrancheDelivery:
    """A tranche's delivery record after ``received`` more units arrived ``on`` a date.

    The delivered quantity never exceeds the tranche's quantity (the surplus is extra to
    the purchase order, not a delivery against it); the delivery date is the date of the
    receipt that brought the most recent units, the date liquidated damages run to.
    """
    if received < 0:
        raise InvalidInput("A receipt cannot deliver a negative quantity.")
    counted = min(quantity, delivered + received)
    if counted == delivered:
        return TrancheDelivery(delivered, delivered_on)
    latest = on if delivered_on is None else max(on, delivered_on)
    return TrancheDelivery(counted, latest)


def challan_number(year: int, seq: int) -> str:
    return f"DC-{year}-{seq:06d}"
