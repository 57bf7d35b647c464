"""The ISO 2859-1 sampling plan over the API (the same answer as `oxychain qa plan`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from oxychain.core.web.deps import guarded
from oxychain.masterdata.domain.sampling import single_sampling_plan

router = APIRouter(tags=["inspection"])


class SamplingPlanOut(BaseModel):
    """An ISO 2859-1 single sampling plan."""

    code_letter: str
    plan_letter: str
    sample_size: int
    accept: int
    reject: int


@router.get("/qa/plan", response_model=SamplingPlanOut)
def qa_plan(
    principal: guarded("qa.plan"),
    lot_size: Annotated[int, Query(ge=2, le=100_000_000)],
    aql: Annotated[Decimal, Query(gt=0, le=1000)],
    level: Literal["I", "II", "III", "S-1", "S-2", "S-3", "S-4"] = "II",
    severity: Literal["normal", "tightened", "reduced"] = "normal",
) -> SamplingPlanOut:
    return SamplingPlanOut(**single_sampling_plan(lot_size, aql, level, severity).as_dict())
