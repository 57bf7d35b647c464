"""Health and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import text

from oxychain.core import clock
from oxychain.core.people import Principal
from oxychain.core.services import auditing, operations
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.guards import PUBLIC
from oxychain.core.web.timestamps import Timestamp

router = APIRouter(tags=["system"])


class HealthOut(BaseModel):
    status: Literal["ok"]
    database: str
    today: date = Field(description="Today's date in India by the server's clock (ISO 8601).")


@router.get("/health", response_model=HealthOut)
def health(request: Request, _anyone: Annotated[Principal | None, Depends(PUBLIC)]) -> HealthOut:
    app = app_of(request)
    with app.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return HealthOut(status="ok", database=app.engine.dialect.name, today=clock.today())


class AuditEventOut(BaseModel):
    seq: int
    at: Timestamp
    actor: str
    role: str
    action: str
    entity_type: str
    entity_id: str
    before: dict | None
    after: dict | None
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    total: int
    events: list[AuditEventOut]


@router.get("/audit/events", response_model=AuditPage)
def audit_events(
    request: Request,
    principal: guarded("audit.read"),
    before: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditPage:
    rows, total = auditing.recent_events(reader(request, principal), before, limit)
    return AuditPage(
        total=total, events=[AuditEventOut.model_validate(r, from_attributes=True) for r in rows]
    )


class VerifyOut(BaseModel):
    intact: bool
    events: int
    first_broken: int | None
    reason: str | None


@router.get("/audit/verify", response_model=VerifyOut)
def audit_verify(request: Request, principal: guarded("audit.read")) -> VerifyOut:
    broken, count = auditing.verify_chain(reader(request, principal))
    return VerifyOut(
        intact=broken is None,
        events=count,
        first_broken=broken and broken.seq,
        reason=broken and broken.reason,
    )


class RequeueIn(BaseModel):
    job: int = Field(ge=1, le=2**31 - 1, description="The failed job's id (the jobs board).")


class ResendIn(BaseModel):
    delivery: int = Field(ge=1, le=2**31 - 1, description="The failed email or SMS's id.")


@router.post("/jobs/requeue", status_code=204)
def requeue_job(request: Request, body: RequeueIn, principal: guarded("jobs.write")) -> None:
    """A failed job, queued to run now with a fresh set of attempts."""
    operations.requeue_job(writer(request, principal), body.job)


@router.post("/deliveries/resend", status_code=204)
def resend_delivery(request: Request, body: ResendIn, principal: guarded("jobs.write")) -> None:
    """A failed (or skipped) email or SMS, tried again now."""
    operations.resend_delivery(writer(request, principal), body.delivery)
