"""What the public (and an auditor) may see of a contracting process, as plain records.

The open-contracting export (``domain.ocds``) and the red-flags report
(``domain.redflags``) read these records and nothing else; a repository maps the
tendering tables onto them. Money is in rupees (``Decimal``), times are aware UTC
``datetime``s.

Sealed bids stay sealed here too: a bid's ``unit_price`` is ``None`` until its
financial cover has been opened, and what is disclosed of bids depends on the
tender's stage (:attr:`TenderRecord.bids_opened`): before the technical opening only
the number of bids is public (Manual for Procurement of Goods 5.2.7: bids can be
opened only by authorised persons at or after the opening time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from oxychain.core.errors import InvalidInput
from oxychain.tendering.domain.tender import OPENED, TenderStatus

#: Technical covers are open: who bid may be disclosed (tendering's rule).
BIDS_OPENED = OPENED
#: The deadline has passed: the number of bids is known and published.
CLOSED = BIDS_OPENED | {TenderStatus.CLOSED}


class BidStanding(StrEnum):
    """A bid's standing as the public sees it, in the OCDS bids extension's bidStatus codes.

    Not the stored ``tendering`` bid status (submitted, withdrawn, substituted): the
    repository derives it from that and from the technical evaluation."""

    PENDING = "pending"  # submitted, not yet evaluated
    VALID = "valid"  # technically responsive
    DISQUALIFIED = "disqualified"
    WITHDRAWN = "withdrawn"  # before the deadline; never opened


@dataclass(frozen=True)
class Bidder:
    """A supplier as a bidder. ``bank_account`` is compared by the red flags, never published."""

    code: str
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    bank_account: str = ""
    is_mse: bool = False
    gstin: str = ""  # checked by masterdata (GSTN's mod-36 check); "" when not registered
    pan: str = ""
    udyam: str = ""
    sc_st_owned: bool = False
    women_owned: bool = False


@dataclass(frozen=True)
class BidRecord:
    id: str
    bidder: str  # Bidder.code
    submitted_at: datetime
    status: BidStanding
    unit_price: Decimal | None = None  # None until the financial cover is opened
    reason: str = ""  # why it was disqualified

    @property
    def submitted(self) -> bool:
        """Counts as a bid (OCP Cardinal's "submitted": pending, valid or disqualified)."""
        return self.status is not BidStanding.WITHDRAWN


@dataclass(frozen=True)
class AwardRecord:
    id: str
    supplier: str  # Bidder.code
    quantity: int
    unit_price: Decimal
    date: datetime
    status: str = "active"  # OCDS awardStatus: pending, active, cancelled, unsuccessful
    bid_id: str | None = None
    letter_number: str = ""  # the letter of award's number

    @property
    def value(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class TrancheRecord:
    """One consignee's delivery under a purchase order."""

    number: int
    consignee: str
    quantity: int
    due_date: date
    delivered_quantity: int = 0
    delivered_on: date | None = None
    id: str = ""  # unique within the order when several consignees share a tranche number


@dataclass(frozen=True)
class ContractRecord:
    """One version of a purchase order; an amendment is a new version naming the one before."""

    number: str
    version: int
    award_id: str
    supplier: str  # Bidder.code
    quantity: int
    unit_price: Decimal
    issued_at: datetime
    status: str = "active"  # OCDS contractStatus: pending, active, cancelled, terminated
    amendment_reason: str = ""
    tranches: tuple[TrancheRecord, ...] = ()
    order_id: int | None = None  # the version's row, for its PDF's address
    version_number: str = ""  # the number printed on this version (PO/1/A1 for an amendment)

    @property
    def id(self) -> str:
        """Stable across versions: the first version's number; a later version is an
        amendment of the same contract, not a new one."""
        return self.number

    @property
    def value(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class CorrigendumRecord:
    id: str
    published_at: datetime
    description: str
    new_deadline: datetime | None = None
    old_deadline: datetime | None = None


@dataclass(frozen=True)
class TenderRecord:
    reference: str
    title: str
    item_code: str
    item_name: str
    quantity: int
    status: TenderStatus
    deadline: datetime  # for bids, after any corrigendum
    published_at: datetime | None = None
    cancelled_at: datetime | None = None
    estimated_value: Decimal | None = None  # the whole tender, rupees
    last_purchase_rate: Decimal | None = None  # per unit, from the last purchase of the item
    districts: tuple[str, ...] = ()  # consignee districts
    bids: tuple[BidRecord, ...] = ()
    awards: tuple[AwardRecord, ...] = ()
    contracts: tuple[ContractRecord, ...] = ()
    corrigenda: tuple[CorrigendumRecord, ...] = ()
    title_hi: str = ""
    item_name_hi: str = ""
    item_classification: str = ""  # UNSPSC code of the items; "" when the catalogue gives none
    # When each step happened (None: not yet); a release shows only what was known then.
    created_at: datetime | None = None  # drafted: the planning release
    opened_at: datetime | None = None  # technical covers opened: bidders may be named
    evaluated_at: datetime | None = None  # technical evaluation concluded
    prices_opened_at: datetime | None = None  # financial covers opened
    awarded_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise InvalidInput(
                "Tender {ref}: the quantity must be positive.", ref=self.reference, field="quantity"
            )
        if self.status is not TenderStatus.DRAFT and self.published_at is None:
            raise InvalidInput(
                "Tender {ref} is not a draft but has no publication time.", ref=self.reference
            )

    @property
    def closed(self) -> bool:
        """The deadline has passed: the number of bids is known and published."""
        return self.status in CLOSED

    @property
    def bids_opened(self) -> bool:
        """Technical covers are open: who bid may be disclosed."""
        return self.status in BIDS_OPENED

    @property
    def first_deadline(self) -> datetime:
        """The deadline as first published, before any corrigendum moved it."""
        for corrigendum in self.corrigenda:
            if corrigendum.old_deadline is not None:
                return corrigendum.old_deadline
        return self.deadline

    def deadline_on(self, moment: datetime) -> datetime:
        """The deadline as the public knew it at ``moment``."""
        deadline = self.first_deadline
        for corrigendum in self.corrigenda:
            if corrigendum.published_at <= moment and corrigendum.new_deadline is not None:
                deadline = corrigendum.new_deadline
        return deadline

    @property
    def estimated_unit_price(self) -> Decimal | None:
        if self.estimated_value is None:
            return None
        return self.estimated_value / self.quantity

    @property
    def submitted_bids(self) -> tuple[BidRecord, ...]:
        return tuple(b for b in self.bids if b.submitted)

    @property
    def active_awards(self) -> tuple[AwardRecord, ...]:
        return tuple(a for a in self.awards if a.status == "active")


@dataclass(frozen=True)
class ContractingRecords:
    """Every published tender with its bidders: the input of the export and the red flags."""

    tenders: tuple[TenderRecord, ...] = ()
    bidders: dict[str, Bidder] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for tender in self.tenders:
            named = [b.bidder for b in tender.bids] + [a.supplier for a in tender.awards]
            named += [c.supplier for c in tender.contracts]
            for code in named:
                if code not in self.bidders:
                    raise InvalidInput(
                        "Tender {ref} names an unknown supplier {supplier}.",
                        ref=tender.reference,
                        supplier=code,
                    )

    def bidder_name(self, code: str) -> str:
        return self.bidders[code].name
