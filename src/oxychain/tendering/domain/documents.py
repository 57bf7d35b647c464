"""Documents the corporation issues, as plain data a PDF template can print.

``PurchaseOrderDocument`` is everything printed on a purchase order: the tendering area
builds one from a purchase order (and its award and tender) and
``tendering.services.documents.purchase_order_pdf`` turns it into a Hindi and English PDF.
The figures a person signs for are computed here, once: value, GST, total,
performance security and the liquidated-damages ceiling. ``LetterOfAwardDocument`` is
the letter of award that precedes the order (``services.po_document.letter_of_award_document``
builds it, ``tendering.services.documents.letter_of_award_pdf`` prints it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from oxychain.core.errors import InvalidInput
from oxychain.core.i18n import N_
from oxychain.tendering.domain.contract import Preference

PAISE = Decimal("0.01")


def _paise(value: Decimal) -> Decimal:
    return value.quantize(PAISE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Party:
    """An organisation as printed on a document, in English and (where known) Hindi."""

    name: str
    address: str = ""
    name_hi: str = ""
    address_hi: str = ""
    code: str = ""  # the supplier's code, the buyer's registration
    gstin: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class SpecificationLine:
    """One line of the item's specification summary ("Oxygen purity: 93 % ± 3")."""

    label: str
    label_hi: str
    requirement: str


@dataclass(frozen=True)
class ConsigneeTranche:
    """One delivery: so many units to one consignee (a district warehouse) by a date."""

    number: int
    consignee: str
    consignee_hi: str
    quantity: int
    due_date: date
    district: str = ""
    district_hi: str = ""


@dataclass(frozen=True)
class Signatory:
    name: str
    designation: str
    designation_hi: str


@dataclass(frozen=True)
class PurchaseOrderDocument:
    """A purchase order version, ready to print.

    Liquidated damages follow the common clause of Indian public procurement (DOMAIN.md,
    exact Manual wording unverified): ``ld_pct_per_week`` % of the value of the delayed
    goods per week or part of a week, capped at ``ld_cap_pct`` %. Performance security
    is ``performance_security_pct`` % of the contract value (GFR 2017 rule 171, at the
    rate in force on the tender date), valid until ``performance_security_valid_until``
    (60 days past all obligations including warranty).
    """

    number: str
    version: int
    issued_on: date
    tender_reference: str
    buyer: Party
    supplier: Party
    item_code: str
    item_name: str
    item_name_hi: str
    quantity: int
    unit_price: Decimal  # rupees per unit, before GST
    tranches: tuple[ConsigneeTranche, ...]
    performance_security_pct: Decimal
    signatory: Signatory
    gst_pct: Decimal = Decimal("0")
    specification: tuple[SpecificationLine, ...] = ()
    amends: str | None = None  # "PO-2026-0001 version 1": the version this one replaces
    amendment_reason: str = ""
    award_reference: str = ""
    performance_security_valid_until: date | None = None
    ld_pct_per_week: Decimal = Decimal("0.5")
    ld_cap_pct: Decimal = Decimal("10")
    warranty_months: int | None = None
    preference: Preference | None = None  # which purchase preference gave the award, why

    def __post_init__(self) -> None:
        _require(self.number.strip(), N_("A purchase order needs a number."), "number")
        _require(self.version >= 1, N_("A purchase order version starts at 1."), "version")
        _require(
            self.version == 1 or self.amends,
            N_("An amended purchase order must name the version it amends."),
            "amends",
        )
        _require(self.quantity > 0, N_("The quantity must be positive."), "quantity")
        _require(self.unit_price > 0, N_("The unit price must be positive."), "unit_price")
        _require(
            self.tranches, N_("A purchase order needs at least one consignee tranche."), "tranches"
        )
        delivered = sum(t.quantity for t in self.tranches)
        if delivered != self.quantity:
            raise InvalidInput(
                "The tranches add up to {tranches} units but the order is for {quantity}.",
                tranches=delivered,
                quantity=self.quantity,
                field="tranches",
            )
        for rate in (self.gst_pct, self.performance_security_pct, self.ld_pct_per_week):
            _require(0 <= rate <= 100, N_("A percentage must lie between 0 and 100."), "pct")

    @property
    def value(self) -> Decimal:
        """Quantity × unit price, before GST."""
        return _paise(self.unit_price * self.quantity)

    @property
    def gst(self) -> Decimal:
        return _paise(self.value * self.gst_pct / 100)

    @property
    def total(self) -> Decimal:
        return self.value + self.gst

    @property
    def performance_security(self) -> Decimal:
        return _paise(self.total * self.performance_security_pct / 100)

    @property
    def ld_cap(self) -> Decimal:
        """The most liquidated damages can take: ``ld_cap_pct`` % of the total."""
        return _paise(self.total * self.ld_cap_pct / 100)

    @property
    def is_amendment(self) -> bool:
        return self.version > 1

    def tranche_value(self, tranche: ConsigneeTranche) -> Decimal:
        return _paise(self.unit_price * tranche.quantity * (1 + self.gst_pct / 100))


def _require(condition: object, message: str, field: str) -> None:
    if not condition:
        raise InvalidInput(message, field=field)


# GFR 2017 rule 171: the performance security is furnished within 21 days of the notice
# of award (the usual period of Indian public procurement; exact wording unverified).
PERFORMANCE_SECURITY_DAYS = 21


@dataclass(frozen=True)
class LetterOfAwardDocument:
    """A letter of award, ready to print: the supplier's share of a tender at its price.

    ``unit_price`` is the awarded (evaluated, landed) price per unit including GST, the
    figure the award was made on; ``unit_price_before_gst`` and ``gst_pct`` show how it is
    made up. ``share_pct`` is the supplier's share of the tender quantity when the award
    is split (an MSE or Make in India bidder matching L1), else None. The performance
    security amount is the one fixed at the award (``performance_security_pct`` % of the
    value) and is due by ``security_due_on``. The purchase order follows the letter.
    """

    number: str
    issued_on: date
    tender_reference: str
    tender_title: str
    buyer: Party
    supplier: Party
    item_code: str
    item_name: str
    item_name_hi: str
    quantity: int
    tender_quantity: int
    unit_price: Decimal  # rupees per unit, GST included
    basis: str  # l1 | mse_match | mii_match
    performance_security_pct: Decimal
    performance_security: Decimal
    signatory: Signatory
    tender_title_hi: str = ""
    unit_price_before_gst: Decimal | None = None
    gst_pct: Decimal = Decimal("0")
    security_due_on: date | None = None
    preference: Preference | None = None

    def __post_init__(self) -> None:
        _require(self.number.strip(), N_("A letter of award needs a number."), "number")
        _require(self.quantity > 0, N_("The quantity must be positive."), "quantity")
        _require(
            self.quantity <= self.tender_quantity,
            N_("An award cannot exceed the tender's quantity."),
            "quantity",
        )
        _require(self.unit_price > 0, N_("The unit price must be positive."), "unit_price")
        for rate in (self.gst_pct, self.performance_security_pct):
            _require(0 <= rate <= 100, N_("A percentage must lie between 0 and 100."), "pct")
        if self.security_due_on is None:
            due = self.issued_on + timedelta(days=PERFORMANCE_SECURITY_DAYS)
            object.__setattr__(self, "security_due_on", due)

    @property
    def total(self) -> Decimal:
        """Quantity × unit price, GST included: the value of the award."""
        return _paise(self.unit_price * self.quantity)

    @property
    def share_pct(self) -> Decimal | None:
        """The supplier's share of the tender quantity when the award is split, else None."""
        if self.quantity == self.tender_quantity:
            return None
        return (Decimal(self.quantity) * 100 / self.tender_quantity).quantize(PAISE)
