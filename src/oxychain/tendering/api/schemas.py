"""The shapes of the tendering API's bodies: every field typed, for the OpenAPI document.

A sealed cover and a released share pass through unchanged (their canonical JSON is hashed),
so they are documented (``documented``) rather than parsed into these models.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from oxychain.core.web.openapi import documented
from oxychain.core.web.timestamps import Timestamp


class ConsigneeOut(BaseModel):
    tranche: int = Field(description="Tranche number (1, 2, ...).")
    warehouse: str = Field(description="Consignee warehouse code.")
    quantity: int = Field(description="Devices.")
    due_days: int = Field(description="Days after the purchase order.")


class CriterionOut(BaseModel):
    id: int = Field(description="The id findings take (criterion_id).")
    key: str
    kind: str
    label: str
    label_hi: str
    requirement: str


class CorrigendumOut(BaseModel):
    number: int
    published_at: Timestamp
    text: str
    changes: dict[str, list[str | int | None]] = Field(
        description="What changed: {field: [before, after]}, moments in ISO 8601."
    )


class CommitteeSeatOut(BaseModel):
    opener: str = Field(description="The opener's id (as in the sealed envelopes).")
    position: int
    public_key: str | None = Field(description="The opener's P-256 public key (base64).")


class OpeningProgressOut(BaseModel):
    bid: int
    bidder: str
    cover: Literal["technical", "financial"]
    status: str
    releases: int = Field(description="Shares released so far.")
    failure: str | None


class PreferenceOut(BaseModel):
    basis: str
    reason: str = Field(description="Which preference applied and why (English).")


class AwardLineOut(BaseModel):
    letter: str
    supplier: str
    quantity: int
    unit_price_paise: int
    basis: str
    preference: PreferenceOut


class MemberOut(BaseModel):
    opener: str
    position: int


class CorrigendumCreated(BaseModel):
    number: int
    changes: dict[str, list[str | int | None]] = Field(
        description="{field: [before, after]}, moments in ISO 8601."
    )


class OpenerKeyOut(BaseModel):
    fingerprint: str
    public_key: str


# Sealed bids (sealing/envelope.py has the format; static/js/bid.js writes the same).


class SealingOpenerOut(BaseModel):
    id: str = Field(description="The opener's id, bound into each share.")
    public_key: str = Field(description="P-256 public key, base64 (raw uncompressed point).")
    publicKey: str = Field(description="The same key under its first name.")  # noqa: N815


class SealingContextOut(BaseModel):
    tender: str
    bidder: str = Field(description="The caller's supplier code, bound into the covers.")
    k: int = Field(description="Shares needed to open a cover.")
    openers: list[SealingOpenerOut]
    deadline: str = Field(description="ISO 8601 with offset.")
    criteria: list[str] = Field(description="The keys of the technical criteria to declare.")
    corrigenda: int = Field(description="Corrigenda published so far (a bid states it saw them).")


class EnvelopeAad(BaseModel):
    tender: str
    bidder: str
    cover: Literal["technical", "financial"]


class EnvelopeShare(BaseModel):
    opener: str
    x: int = Field(ge=1, description="1..n, in the order of the sealing context's openers.")
    epk: str = Field(description="Ephemeral P-256 public key, base64 (65 bytes).")
    iv: str = Field(description="base64, 12 bytes.")
    ct: str = Field(description="The encrypted 32-byte share and its tag, base64.")
    commit: str = Field(description="hex SHA-256 of the share's binding and the share.")


class SealedCover(BaseModel):
    """One sealed cover (version 1). The plaintext, before sealing, is UTF-8 JSON: the
    technical cover ``{"v": 1, "kind": "technical", "tender", "bidder", "make", "model",
    "offered_as": "manufacturer" | "trader", "local_content_pct": "62", "declarations":
    {criterion key: {"complies": bool, "offered": str, "remark": str}}, "documents": [...]}``;
    the financial cover ``{"v": 1, "kind": "financial", "tender",
    "bidder", "unit_price_paise": int, "gst_bp": int, "delivery_days": int, "remark"}``."""

    v: Literal[1]
    alg: Literal["AES-256-GCM"]
    kem: Literal["ECDH-P256+HKDF-SHA256+AES-256-GCM"]
    sss: Literal["shamir-gf256"]
    aad: EnvelopeAad
    iv: str = Field(description="base64, 12 bytes.")
    ct: str = Field(description="The encrypted cover and its 16-byte tag, base64.")
    k: int
    n: int
    shares: list[EnvelopeShare]
    sha256: str = Field(description="hex SHA-256 of the canonical JSON without sha256.")


class ReleasedShare(BaseModel):
    """A share as its opener decrypted it (``oxychain bid open-share`` or the opening page)."""

    v: Literal[1]
    envelope: str = Field(description="The envelope's sha256.")
    opener: str
    x: int
    y: str = Field(description="The 32-byte share, base64.")


class ReceiptOut(BaseModel):
    """The system-generated receipt: the time and the hashes of the covers."""

    tender: str
    bidder: str
    bid: int = Field(description="The bid's id.")
    status: str
    received_at: str = Field(description="ISO 8601 with offset, microseconds.")
    receipt_sha256: str
    technical_sha256: str
    financial_sha256: str
    replaces: int | None = Field(description="The bid this one substitutes.")


class PendingCoverOut(BaseModel):
    cover_id: int
    bid: int
    bidder: str
    cover: Literal["technical", "financial"]
    envelope: Annotated[dict[str, Any], documented(SealedCover)]  # as stored, unparsed


class OpeningFailureOut(BaseModel):
    bidder: str
    cover: str
    reason: str


class EnvelopesOut(BaseModel):
    tender: str
    opener: str
    due: bool = Field(description="Whether the opening time has come.")
    opening_at: str = Field(description="ISO 8601 with offset.")
    pending: list[PendingCoverOut]
    failures: list[OpeningFailureOut]


class ReleaseResultOut(BaseModel):
    cover_id: int
    accepted: bool
    reason: str
    opened: bool


class ReleasesOut(BaseModel):
    results: list[ReleaseResultOut]


class StatusOut(BaseModel):
    status: str


class ComparativeRowOut(BaseModel):
    rank: int
    bid: int
    supplier: str
    mse: bool
    local_content_class: str | None
    local_content_pct: str | None = Field(description="Percent, as declared.")
    offered_as: str | None
    unit_price_paise: int
    gst_bp: int
    evaluated_unit_paise: int
    evaluated_total_paise: int
    delivery_days: int
    invitation: str | None


class ComparativeOut(BaseModel):
    tender: str
    quantity: int = Field(description="Devices.")
    rows: list[ComparativeRowOut]


class AwardOut(BaseModel):
    id: int
    letter: str
    bid: int
    quantity: int
    unit_price_paise: int
    basis: str
    performance_security_paise: int


class AwardsOut(BaseModel):
    awards: list[AwardOut]


# Purchase orders: money in paise, dates ISO 8601.


class OrderShortOut(BaseModel):
    id: int
    number: str
    version: int
    previous_id: int | None
    status: str
    quantity: int = Field(description="Devices.")
    unit_price_paise: int
    issued_at: str = Field(description="ISO 8601 with offset.")


class OrdersIssuedOut(BaseModel):
    purchase_orders: list[OrderShortOut]


class OrderListedOut(OrderShortOut):
    supplier: str
    tender: str


class SecurityStateOut(BaseModel):
    paise: int
    rate_bp: int = Field(description="Basis points of the order's value.")
    required_until: str
    reference: str | None
    valid_until: str | None
    state: str
    days_short: int | None = Field(description="Days the guarantee falls short of its term.")


class TrancheOut(BaseModel):
    id: int = Field(description="The id lots and deliveries take (tranche_id).")
    number: int
    consignee: str = Field(description="Warehouse code.")
    quantity: int
    due_date: str
    delivered_quantity: int
    delivered_on: str | None
    liquidated_damages_paise: int


class OrderOut(OrderShortOut):
    tender: str
    supplier: str
    item: str
    value_paise: int
    versions: list[OrderShortOut]
    as_of: str = Field(description="The date damages are counted to.")
    liquidated_damages_paise: int
    preference: PreferenceOut
    performance_security: SecurityStateOut
    tranches: list[TrancheOut]


class DeliveryOut(BaseModel):
    id: int
    tranche_id: int
    quantity: int


class SecurityRecordedOut(BaseModel):
    letter: str
    reference: str | None
