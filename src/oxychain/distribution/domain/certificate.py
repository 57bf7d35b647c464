"""Consignee receipt and acceptance certificates (CRAC): a facility accepts devices installed
there; the certificate starts their warranty and makes the supplier's payment due.

The warranty runs from the certificate's date for the months the tender names (or the
``OXYCHAIN_WARRANTY_MONTHS`` setting), then the CMC for ``OXYCHAIN_CMC_MONTHS``
(domain/maintenance.py; BMMP asks for warranty and CMC management, DOMAIN.md). One
certificate covers devices of one purchase order, each device once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.distribution.domain.device import Located
from oxychain.distribution.domain.lifecycle import DeviceState, Place
from oxychain.distribution.domain.maintenance import ServiceTerms


class PaymentMilestone(StrEnum):
    DUE = "due"  # the certificate makes the supplier's payment due
    PAID = "paid"


MILESTONE: Lifecycle[PaymentMilestone] = Lifecycle(
    "payment milestone",
    PaymentMilestone,
    {"pay": ([PaymentMilestone.DUE], PaymentMilestone.PAID)},
)
MILESTONE_LABELS = {PaymentMilestone.DUE: N_("due"), PaymentMilestone.PAID: N_("paid")}


def certificate_number(year: int, seq: int) -> str:
    return f"CRAC-{year}-{seq:06d}"


def check_installed_here(serial: str, device: Located | None, facility: Place) -> Located:
    """A device is accepted where it is installed, nowhere else."""
    if device is None:
        raise NotFound("No device with serial {serial}.", serial=serial)
    if device.position.place != facility or device.position.state is not DeviceState.INSTALLED:
        raise Conflict(
            "Device {serial} is {state}, not installed at this facility.",
            serial=serial,
            state=device.position.state.value,
        )
    return device


def check_not_certified(devices: list[Located], certified: Iterable[int]) -> None:
    done = set(certified)
    for device in devices:
        if device.device_id in done:
            raise Conflict(
                "Device {serial} is already on an acceptance certificate.", serial=device.serial
            )


def one_purchase_order(devices: list[Located]) -> int:
    orders = {d.purchase_order_id for d in devices}
    if len(orders) != 1:
        raise InvalidInput("One certificate covers devices of one purchase order.")
    return orders.pop()


@dataclass(frozen=True)
class NewCertificate:
    """A certificate as issued: the facility accepts these devices of one purchase order."""

    facility_id: int
    district_id: int
    supplier_id: int
    purchase_order_id: int
    device_ids: tuple[int, ...]
    issued_on: date
    issued_by: str
    created_at: datetime
    warranty_months: int
    cmc_months: int
    value_paise: int
    payment_milestone: PaymentMilestone = PaymentMilestone.DUE

    def number(self, seq: int) -> str:
        return certificate_number(self.created_at.year, seq)


@dataclass(frozen=True)
class ContractTerms:
    """What the purchase order says: the unit price, and the warranty its tender names."""

    unit_price_paise: int
    warranty_months: int | None


def certify(
    facility: Place,
    devices: list[Located],
    contract: ContractTerms,
    terms: ServiceTerms,
    by: str,
    at: datetime,
) -> NewCertificate:
    """The certificate for devices installed at a facility (each checked before): the
    tender's warranty or the settings', the purchase order's price."""
    return NewCertificate(
        facility_id=facility.id,
        district_id=facility.district_id,
        supplier_id=devices[0].supplier_id,
        purchase_order_id=one_purchase_order(devices),
        device_ids=tuple(d.device_id for d in devices),
        issued_on=at.date(),
        issued_by=by,
        created_at=at,
        warranty_months=contract.warranty_months or terms.warranty_months,
        cmc_months=terms.cmc_months,
        value_paise=contract.unit_price_paise * len(devices),
    )
