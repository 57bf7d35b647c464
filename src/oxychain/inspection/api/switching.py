"""Switching between normal, tightened and reduced inspection (ISO 2859-1 clause 9): the
corporation resumes a discontinued supplier × item, under /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from oxychain.core.web.deps import guarded, writer
from oxychain.inspection.services import switching

router = APIRouter(tags=["inspection"])

Code = Annotated[str, Path(max_length=24, description="A supplier's or an item's code.")]


class ResumeIn(BaseModel):
    corrective_action: str = Field(
        min_length=1,
        max_length=300,
        description="The supplier's corrective action that the corporation accepted (9.4).",
    )


class SwitchingOut(BaseModel):
    supplier: str
    item: str
    status: str = Field(description="normal, tightened, reduced or discontinued")
    severity: str = Field(description="the severity the next lot is inspected on")
    switching_score: int


@router.post(
    "/inspection/switching/{supplier_code}/{item_code}/resume",
    response_model=SwitchingOut,
    status_code=201,
    summary="Resume a discontinued supplier's item, on tightened inspection",
    responses={409: {"description": "Inspection of the supplier's item is not discontinued."}},
)
def resume(
    request: Request,
    supplier_code: Code,
    item_code: Code,
    body: ResumeIn,
    principal: guarded("switching.resume"),
) -> SwitchingOut:
    """ISO 2859-1, 9.4: after 5 lots not accepted on tightened inspection no lot of the
    supplier's item is inspected until the corporation accepts the supplier's corrective
    action; inspection then restarts on tightened inspection. Recorded in the switching
    history and the audit trail."""
    cmd = switching.ResumeInspection(supplier_code, item_code, body.corrective_action)
    state = switching.resume_inspection(writer(request, principal), cmd)
    return SwitchingOut(
        supplier=supplier_code,
        item=item_code,
        status=state.status.value,
        severity=state.severity.value,
        switching_score=state.switching_score,
    )
