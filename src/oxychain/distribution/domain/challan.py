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
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.distribution.domain.lifecycle import Place, PlaceKind
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


C = ChallanStatus
#: A receipt closes a challan in transit, cleanly or with discrepancies; a serial scanned
#: against a clean receipt afterwards (an extra) makes it discrepant.
CHALLAN: Lifecycle[ChallanStatus] = Lifecycle(
    "challan",
    ChallanStatus,
    {
        "receive": ([C.IN_TRANSIT], C.RECEIVED),
        "receive_with_discrepancies": ([C.IN_TRANSIT], C.DISCREPANT),
        "find_extra": ([C.RECEIVED], C.DISCREPANT),
    },
    message=N_("Challan {number} was already received."),
)
STATUS_LABELS = {
    C.IN_TRANSIT: N_("in transit"),
    C.RECEIVED: N_("received"),
    C.DISCREPANT: N_("received with discrepancies"),
}
SOURCE_LABELS = {
    ChallanSource.TRANCHE: N_("purchase-order tranche"),
    ChallanSource.ALLOCATION: N_("allocation plan"),
}


class DiscrepancyKind(StrEnum):
    MISSING = "missing"  # on the challan, never scanned on receipt
    EXTRA = "extra"  # scanned on receipt, not on the challan


DISCREPANCY_LABELS = {DiscrepancyKind.MISSING: N_("missing"), DiscrepancyKind.EXTRA: N_("extra")}


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


def split_serials(text: str) -> list[str]:
    """Serials as a person pastes them: one per line, or separated by commas or spaces."""
    return [s for s in re.split(r"[\s,;]+", text or "") if s]


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


def count_to_pick(count: int, limit: int | None = None) -> int:
    """How many devices to pick when the challan names a count instead of serials (no more
    than ``limit``, what the tranche still awaits)."""
    if not 1 <= count <= MAX_SERIALS_PER_CHALLAN:
        raise InvalidInput("Give the serials, or how many devices to load.", field="count")
    return count if limit is None else min(count, max(limit, 0))


def check_picked(picked: list[str], count: int) -> None:
    if len(picked) < count:
        raise InvalidInput(
            "Only {n} devices are ready to load; {m} were asked for.", n=len(picked), m=count
        )


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
    def action(self) -> str:
        return "receive_with_discrepancies" if self.missing or self.extra else "receive"

    @property
    def status(self) -> ChallanStatus:
        return CHALLAN.moves[self.action].target


def close(status: str, number: str, result: Reconciliation) -> ChallanStatus:
    """The status a receipt closes the challan in; refused unless it is in transit."""
    return CHALLAN.move(status, result.action, number=number)


def closes_itself(status: str, lines: int, received: int) -> bool:
    """Every serial on the challan scanned: the receipt closes without being confirmed."""
    return CHALLAN.can(status, "receive") and received == lines


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


@dataclass(frozen=True)
class NewChallan:
    """A challan as dispatched: what the truck carries from where to where."""

    source: ChallanSource
    truck: Truck
    to: Place
    at: datetime
    by: str
    key: uuid.UUID | None = None
    tranche_id: int | None = None
    supplier_id: int | None = None
    plan_ref: str | None = None
    origin: Place | None = None  # the warehouse it leaves (an allocation)
    status: ChallanStatus = ChallanStatus.IN_TRANSIT

    def number(self, seq: int) -> str:
        return challan_number(self.at.year, seq)

    def check_loading(self, serial: str, here: Place) -> None:
        """A device goes on the truck only where it loads: at the supplier's works (a
        tranche), or at the warehouse the allocation sends from."""
        loads_at = (
            PlaceKind.SUPPLIER if self.source is ChallanSource.TRANCHE else PlaceKind.WAREHOUSE
        )
        if here.kind is not loads_at or (self.origin is not None and here != self.origin):
            raise Conflict("Device {serial} is not at the place this truck loads.", serial=serial)


def from_tranche(
    truck: Truck,
    to: Place,
    tranche_id: int,
    supplier_id: int,
    at: datetime,
    by: str,
    key: uuid.UUID | None = None,
) -> NewChallan:
    """A supplier's truck to the tranche's consignee warehouse."""
    return NewChallan(
        ChallanSource.TRANCHE,
        truck,
        to,
        at,
        by,
        key,
        tranche_id=tranche_id,
        supplier_id=supplier_id,
    )


def plan_reference(text: str) -> str:
    """The allocation plan a warehouse's truck carries out."""
    ref = " ".join((text or "").split())
    if not 2 <= len(ref) <= 60:
        raise InvalidInput("Name the allocation plan this challan carries out.", field="plan_ref")
    return ref


def from_allocation(
    truck: Truck,
    plan_ref: str,
    origin: Place,
    to: Place,
    at: datetime,
    by: str,
    key: uuid.UUID | None = None,
) -> NewChallan:
    """A warehouse's truck, carrying out an allocation plan, to another place."""
    if to == origin:
        raise InvalidInput("A challan goes from one place to another.")
    return NewChallan(
        ChallanSource.ALLOCATION, truck, to, at, by, key, plan_ref=plan_ref, origin=origin
    )


def check_tranche_load(awaited: int, serials: list[str]) -> None:
    """A truck against a tranche carries no more than the tranche still awaits."""
    if len(serials) > awaited:
        raise InvalidInput(
            "The tranche awaits {n} more devices; this challan carries {m}.",
            n=awaited,
            m=len(serials),
        )
