"""Tenders: create, committee, publish, corrigendum, close, cancel; opener keys.

Money is in paise (integers), rates in basis points (1 bp = 0.01 %), times ISO 8601 with
their offset (a time without one is refused).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import AwareDatetime, BaseModel, Field

from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.timestamps import Timestamp, iso
from oxychain.tendering.services import committee
from oxychain.tendering.services import tenders as tendering
from oxychain.tendering.services import views as tender_views
from oxychain.tendering.services.tender_input import TenderIn, create_command

router = APIRouter(tags=["tenders"])
Ref = Annotated[str, Path(max_length=40)]


class TenderSummary(BaseModel):
    reference: str
    title: str
    title_hi: str
    status: str
    item: str
    quantity: int
    estimated_value_paise: int
    deadline: Timestamp
    opening_at: Timestamp


class TenderOut(TenderSummary):
    emd_bp: int
    emd_paise: int
    bid_security_mode: str
    declaration_suspension_months: int | None
    performance_security_bp: int
    ld_bp_per_week: int
    ld_cap_bp: int
    warranty_months: int
    bid_validity_days: int
    mii_preference: bool
    mse_preference: bool
    mse_share_bp: int
    preference_order: str
    global_tender: bool
    mii_class_i_pct: int
    mii_class_ii_pct: int
    mii_class_i_only: bool
    openers_required: int
    aql: str
    inspection_level: str
    published_at: Timestamp | None
    rules_sha256: str | None
    bid_count: int | None
    bids_sha256: str | None
    consignees: list[dict[str, Any]]
    criteria: list[dict[str, Any]]
    corrigenda: list[dict[str, Any]]
    committee: list[dict[str, Any]]
    opening: list[dict[str, Any]]
    awards: list[dict[str, Any]]


def _summary(tender: Any, item: Any) -> dict[str, Any]:
    return {
        "reference": tender.reference,
        "title": tender.title,
        "title_hi": tender.title_hi,
        "status": tender.status,
        "item": item.code,
        "quantity": tender.quantity,
        "estimated_value_paise": tender.estimated_value_paise,
        "deadline": tender.deadline,
        "opening_at": tender.opening_at,
    }


_RULES = [
    "emd_bp",
    "emd_paise",
    "bid_security_mode",
    "declaration_suspension_months",
    "performance_security_bp",
    "ld_bp_per_week",
    "ld_cap_bp",
    "warranty_months",
    "bid_validity_days",
    "mii_preference",
    "mse_preference",
    "mse_share_bp",
    "preference_order",
    "global_tender",
    "mii_class_i_pct",
    "mii_class_ii_pct",
    "mii_class_i_only",
    "openers_required",
    "aql",
    "inspection_level",
    "published_at",
    "rules_sha256",
    "bid_count",
    "bids_sha256",
]


def tender_out(view: tender_views.TenderView) -> TenderOut:
    t = view.tender
    return TenderOut(
        **_summary(t, view.item),
        **{name: getattr(t, name) for name in _RULES},
        consignees=[
            {
                "tranche": c.tranche,
                "warehouse": w.code,
                "quantity": c.quantity,
                "due_days": c.due_days,
            }
            for c, w in view.consignees
        ],
        criteria=[
            {
                "id": c.id,
                "key": c.key,
                "kind": c.kind,
                "label": c.label,
                "label_hi": c.label_hi,
                "requirement": c.requirement,
            }
            for c in view.criteria
        ],
        corrigenda=[
            {
                "number": c.number,
                "published_at": iso(c.published_at),
                "text": c.text,
                "changes": c.changes,
            }
            for c in view.corrigenda
        ],
        committee=[
            {"opener": m.opener_id, "position": m.position, "public_key": m.public_key}
            for m in view.committee
        ],
        opening=[
            {
                "bid": p.bid_id,
                "bidder": p.bidder,
                "cover": p.cover,
                "status": p.status,
                "releases": p.releases,
                "failure": p.failure,
            }
            for p in view.progress
        ],
        awards=[
            {
                "letter": a.letter_number,
                "supplier": name,
                "quantity": a.quantity,
                "unit_price_paise": a.unit_price_paise,
                "basis": a.basis,
                "preference": _preference(view.preference(a)),
            }
            for a, name in view.awards
        ],
    )


def _preference(p: Any) -> dict[str, Any]:
    """Which preference applied to an award line and why, in English (the page translates)."""
    return {"basis": p.basis, "reason": p.english()}


@router.get("/tenders", response_model=list[TenderSummary])
def list_tenders(request: Request, principal: guarded("tender.read")) -> list[TenderSummary]:
    return [
        TenderSummary(**_summary(t, i))
        for t, i in tender_views.list_tenders(reader(request, principal))
    ]


@router.post("/tenders", response_model=TenderOut, status_code=201)
def create_tender(
    request: Request, body: TenderIn, principal: guarded("tender.write")
) -> TenderOut:
    cmd = create_command(body, app_of(request).settings)
    tender = tendering.create_tender(writer(request, principal), cmd)
    return tender_out(tender_views.tender_view(reader(request, principal), tender.reference))


@router.get("/tenders/{ref}", response_model=TenderOut)
def get_tender(request: Request, ref: Ref, principal: guarded("tender.read")) -> TenderOut:
    return tender_out(tender_views.tender_view(reader(request, principal), ref))


class MemberIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)


@router.post("/tenders/{ref}/committee", status_code=201)
def add_member(
    request: Request, ref: Ref, body: MemberIn, principal: guarded("tender.write")
) -> dict[str, Any]:
    member = committee.add_committee_member(writer(request, principal), ref, body.username)
    return {"opener": member.opener_id, "position": member.position}


@router.post("/tenders/{ref}/publish", response_model=TenderOut)
def publish(request: Request, ref: Ref, principal: guarded("tender.write")) -> TenderOut:
    tendering.publish_tender(writer(request, principal), ref)
    return tender_out(tender_views.tender_view(reader(request, principal), ref))


class CorrigendumIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)
    deadline: AwareDatetime | None = None
    opening_at: AwareDatetime | None = None
    estimated_value_paise: int | None = Field(None, ge=1, le=10**15)
    emd_bp: int | None = Field(None, ge=0, le=10_000)
    bid_validity_days: int | None = Field(None, ge=1, le=3650)
    warranty_months: int | None = Field(None, ge=0, le=600)


@router.post("/tenders/{ref}/corrigenda", status_code=201)
def corrigendum(
    request: Request, ref: Ref, body: CorrigendumIn, principal: guarded("tender.write")
) -> dict[str, Any]:
    changes = body.model_dump(exclude={"text"}, exclude_none=True)
    row = tendering.publish_corrigendum(writer(request, principal), ref, changes, body.text)
    return {"number": row.number, "changes": row.changes}


@router.post("/tenders/{ref}/close", response_model=TenderOut)
def close(request: Request, ref: Ref, principal: guarded("tender.write")) -> TenderOut:
    tendering.close_tender(writer(request, principal), ref)
    return tender_out(tender_views.tender_view(reader(request, principal), ref))


class CancelIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


@router.post("/tenders/{ref}/cancel", response_model=TenderOut)
def cancel(
    request: Request, ref: Ref, body: CancelIn, principal: guarded("tender.write")
) -> TenderOut:
    tendering.cancel_tender(writer(request, principal), ref, body.reason)
    return tender_out(tender_views.tender_view(reader(request, principal), ref))


class KeyIn(BaseModel):
    public_key: str = Field(min_length=80, max_length=100)


@router.put("/openers/me/key", status_code=201)
def register_key(request: Request, body: KeyIn, principal: guarded("opener.key")) -> dict[str, str]:
    key = committee.register_opener_key(writer(request, principal), body.public_key)
    return {"fingerprint": key.fingerprint, "public_key": key.public_key}
