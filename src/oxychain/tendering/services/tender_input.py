"""A new tender as the API receives it and the officer's form is read into (``TenderIn``),
and the command both make of it (``create_command``), the settings filling the defaults."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from oxychain.tendering.domain.tender import CreateTender, Policy


class ConsigneeIn(BaseModel):
    tranche: int = Field(ge=1, le=50)
    warehouse: str = Field(max_length=24)
    quantity: int = Field(ge=1, le=10_000_000)
    due_days: int = Field(ge=1, le=3650)


class TenderIn(BaseModel):
    reference: str = Field(max_length=40)
    title: str = Field(max_length=200)
    title_hi: str = Field(max_length=200)
    item: str = Field(max_length=24)
    quantity: int = Field(ge=1, le=10_000_000)
    estimated_value_paise: int = Field(ge=1, le=10**15)
    emd_bp: int = Field(200, ge=0, le=10_000)
    performance_security_bp: int = Field(ge=0, le=10_000)
    deadline: AwareDatetime
    opening_at: AwareDatetime
    consignees: list[ConsigneeIn] = Field(min_length=1, max_length=200)
    openers_required: int = Field(2, ge=1, le=255)
    bid_validity_days: int = Field(90, ge=1, le=3650)
    warranty_months: int | None = Field(None, ge=0, le=600)
    mii_preference: bool = False
    mse_preference: bool = False
    # Make in India Order 2017 (rev. 16-09-2020): a global tender enquiry takes non-local bids
    global_tender: bool = False
    aql: str = Field("2.5", max_length=8)
    inspection_level: str = Field("II", max_length=4)
    # GFR rule 170: "emd" or "declaration"; left out, the issue date decides (DoE OM of
    # 12-11-2020: a declaration for tenders issued up to 31-12-2021).
    bid_security_mode: Literal["emd", "declaration"] | None = None
    declaration_suspension_months: int | None = Field(None, ge=1, le=36)


def create_command(body: TenderIn, settings: Any) -> CreateTender:
    """The API's and the form's input as one command, the settings filling the defaults."""
    return CreateTender(
        reference=body.reference,
        title=body.title,
        title_hi=body.title_hi,
        item_code=body.item,
        quantity=body.quantity,
        estimated_value_paise=body.estimated_value_paise,
        emd_bp=body.emd_bp,
        performance_security_bp=body.performance_security_bp,
        deadline=body.deadline,
        opening_at=body.opening_at,
        consignees=tuple((c.tranche, c.warehouse, c.quantity, c.due_days) for c in body.consignees),
        openers_required=body.openers_required,
        bid_validity_days=body.bid_validity_days,
        warranty_months=(
            body.warranty_months if body.warranty_months is not None else settings.warranty_months
        ),
        ld_bp_per_week=settings.ld_bp_per_week,
        ld_cap_bp=settings.ld_cap_bp,
        policy=Policy(
            mii_preference=body.mii_preference,
            mii_margin_bp=settings.mii_margin_bp,
            mse_preference=body.mse_preference,
            mse_share_bp=settings.mse_share_bp,
            preference_order=settings.preference_order,
            global_tender=body.global_tender,
            **mii_terms(body.item, settings),
        ),
        aql=body.aql,
        inspection_level=body.inspection_level,
        bid_security_mode=body.bid_security_mode,
        declaration_suspension_months=body.declaration_suspension_months,
    )


def mii_terms(item_code: str, settings: Any) -> dict[str, Any]:
    """The Make in India thresholds and the DoP list for the item, from the settings."""
    code = item_code.strip().upper()
    class_i, class_ii = settings.mii_item_thresholds.get(
        code, (settings.mii_class_i_pct, settings.mii_class_ii_pct)
    )
    only = code in {c.strip().upper() for c in settings.mii_class_i_only_items}
    return {"mii_class_i_pct": class_i, "mii_class_ii_pct": class_ii, "mii_class_i_only": only}
