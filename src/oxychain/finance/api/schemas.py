"""The documented shapes of finance's API: money in paise (integers), rates in basis points,
days as ISO dates, moments with their offset."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from oxychain.core.web.params import Day
from oxychain.core.web.timestamps import Timestamp

Milestone = Literal["receipt", "installation"]


class BillIn(BaseModel):
    purchase_order_id: int = Field(ge=1, le=2**31 - 1, description="Any version of the order.")
    milestone: Milestone
    serials: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        min_length=1, max_length=5000, description="Serials of the devices claimed."
    )
    supplier_reference: str = Field(min_length=1, max_length=40, description="Your invoice no.")
    submit: bool = Field(False, description="Submit at once instead of keeping a draft.")


class RejectIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class PaymentIn(BaseModel):
    paid_on: Day
    reference: str = Field(min_length=6, max_length=40, description="UTR of the transfer.")
    amount_paise: int = Field(ge=1, le=10**15)


class LineOut(BaseModel):
    tranche: int
    consignee: str
    quantity: int
    unit_before_gst_paise: int
    share_bp: int
    taxable_paise: int
    gst_bp: int
    gst_paise: int


class DeductionOut(BaseModel):
    kind: Literal["liquidated_damages", "tds_gst", "tds_income_tax", "recovery"]
    amount_paise: int
    reason: str = Field(description="Why, in the caller's language.")


class PaymentOut(BaseModel):
    bill: str
    paid_on: Day
    reference: str
    amount_paise: int
    recorded_at: Timestamp


class BillSummaryOut(BaseModel):
    number: str
    status: str
    supplier: str
    purchase_order: str
    milestone: Milestone
    supplier_reference: str
    bill_date: Day
    net_paise: int
    paid_paise: int


class BillOut(BillSummaryOut):
    purchase_order_id: int
    current_version: str
    tender: str
    share_bp: int
    taxable_paise: int
    gst_paise: int
    gross_paise: int
    deducted_paise: int
    balance_paise: int
    computed_at: Timestamp
    due_on: Day | None
    entered_by: str
    submitted_by: str | None
    checked_by: str | None
    reject_reason: str | None
    rounding: str = Field(description="How the amounts were rounded.")
    lines: list[LineOut]
    deductions: list[DeductionOut]
    payments: list[PaymentOut]
    serials: list[str]
    actions: list[str]


class BillableDeviceOut(BaseModel):
    serial: str
    tranche_id: int | None
    received_on: Day | None
    certified_on: Day | None


class BillableOut(BaseModel):
    purchase_order: str
    supplier: str
    milestone: Milestone
    share_bp: int
    devices: list[BillableDeviceOut]


class MilestoneIn(BaseModel):
    event: Milestone
    share_bp: int = Field(ge=1, le=10_000)


class TermsIn(BaseModel):
    milestones: list[MilestoneIn] = Field(min_length=1, max_length=2)
    pay_within_days: int = Field(ge=1, le=365)
    recovery_paise_per_day: int = Field(ge=0, le=10**9)


class TermsOut(BaseModel):
    tender: str
    milestones: list[MilestoneIn]
    pay_within_days: int
    recovery_paise_per_day: int
    source: Literal["tender", "defaults", "settings"]
    editable: bool
