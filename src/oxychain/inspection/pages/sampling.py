"""The sampling-plan page: lot size and AQL in, the ISO 2859-1 plan out."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from oxychain.core.errors import DomainError
from oxychain.core.web.deps import guarded
from oxychain.core.web.errors import refusal
from oxychain.core.web.templating import render, translate
from oxychain.masterdata.domain import sampling

router = APIRouter()


@router.get("/qa/plan")
def qa_plan_page(
    request: Request,
    principal: guarded("qa.plan"),
    lot_size: Annotated[str, Query(max_length=12)] = "",
    aql: Annotated[str, Query(max_length=8)] = "2.5",
    level: Annotated[str, Query(max_length=4)] = "II",
    severity: Annotated[str, Query(max_length=10)] = "normal",
) -> Response:
    """Lot size and AQL in, the ISO 2859-1 plan out; the form also works without JavaScript."""
    plan, error, status = None, None, 200
    if lot_size:
        try:
            size = int(lot_size)
            plan = sampling.single_sampling_plan(size, Decimal(aql), level, severity)
        except (ValueError, InvalidOperation):
            error = translate(request, "Lot size must be a whole number and AQL a number.")
            status = 422
        except DomainError as exc:
            error, status = refusal(request, exc)
    template = (
        "inspection/qa_plan_result.html"
        if request.headers.get("hx-request")
        else "inspection/qa_plan.html"
    )
    return render(
        request,
        template,
        plan=plan,
        error=error,
        lot_size=lot_size,
        aql=aql,
        level=level,
        severity=severity,
        aqls=sampling.AQLS,
        levels=sampling.LEVELS,
        status_code=status,
    )
