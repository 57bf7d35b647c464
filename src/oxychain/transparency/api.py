"""Open contracting: the OCDS 1.1 release package, public like a tender notice; the
yearly MSE procurement report (HQ)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from oxychain.core.people import SYSTEM, Principal
from oxychain.core.web.deps import app_of, guarded, reader
from oxychain.core.web.guards import PUBLIC
from oxychain.core.web.openapi import documented
from oxychain.transparency import services as transparency
from oxychain.transparency.domain.mse_report import (
    MSE_TARGET_PCT,
    SC_ST_TARGET_PCT,
    WOMEN_TARGET_PCT,
)

router = APIRouter(tags=["open contracting"])


class OcdsPublisherDoc(BaseModel):
    name: str
    scheme: str | None = None
    uid: str | None = None
    uri: str | None = None


class OcdsReleaseDoc(BaseModel):
    """One OCDS 1.1 release (https://standard.open-contracting.org/1.1/en/schema/release/);
    its tender, awards, contracts and parties as the standard defines them."""

    model_config = ConfigDict(extra="allow")
    ocid: str
    id: str
    date: str
    tag: list[str]
    initiationType: str  # noqa: N815 - OCDS's name
    language: str | None = None


class OcdsReleasePackageDoc(BaseModel):
    """An OCDS 1.1 release package."""

    uri: str
    version: str
    publishedDate: str  # noqa: N815
    publisher: OcdsPublisherDoc
    license: str | None = None
    publicationPolicy: str | None = None  # noqa: N815
    releases: list[OcdsReleaseDoc]


@router.get(
    "/ocds/release-package",
    response_model=Annotated[dict[str, Any], documented(OcdsReleasePackageDoc)],
)
def release_package(
    request: Request, _anyone: Annotated[Principal | None, Depends(PUBLIC)]
) -> JSONResponse:
    """Every published tender as one OCDS 1.1 release package (sealed bids stay sealed)."""
    app = app_of(request)
    return JSONResponse(transparency.ocds_package(app.uow(SYSTEM), app.settings))


class MseYearOut(BaseModel):
    financial_year: str  # "2025-26": 1 April 2025 to 31 March 2026
    orders: int
    total_rupees: str  # ₹, two decimals
    mse_rupees: str
    mse_pct: str  # % of the total
    sc_st_rupees: str
    sc_st_pct: str
    women_rupees: str
    women_pct: str
    targets_met: dict[str, bool]


class MseReportOut(BaseModel):
    currency: str
    targets_pct: dict[str, str]
    years: list[MseYearOut]


@router.get("/reports/mse", response_model=MseReportOut)
def mse_report(request: Request, principal: guarded("mse.report")) -> MseReportOut:
    """Procurement from micro and small enterprises per financial year (April-March),
    against the MSE Order's 25 % goal and its 4 % (SC/ST-owned) and 3 % (women-owned)
    sub-targets, all shares of the year's total."""
    rows = transparency.mse_report(reader(request, principal))
    return MseReportOut(
        currency="INR",
        targets_pct={
            "mse": str(MSE_TARGET_PCT),
            "sc_st": str(SC_ST_TARGET_PCT),
            "women": str(WOMEN_TARGET_PCT),
        },
        years=[MseYearOut(**row.as_dict()) for row in rows],
    )
