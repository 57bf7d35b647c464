"""Open contracting: the OCDS 1.1 release package, public like a tender notice."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from oxychain.core.people import SYSTEM, Principal
from oxychain.core.web.deps import app_of
from oxychain.core.web.guards import PUBLIC
from oxychain.transparency import services as transparency

router = APIRouter(tags=["open contracting"])


@router.get("/ocds/release-package")
def release_package(
    request: Request, _anyone: Annotated[Principal | None, Depends(PUBLIC)]
) -> JSONResponse:
    """Every published tender as one OCDS 1.1 release package (sealed bids stay sealed)."""
    app = app_of(request)
    return JSONResponse(transparency.ocds_package(app.uow(SYSTEM), app.settings))
