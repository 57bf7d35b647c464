"""The guard of routes on one lot: the permission, then the lot's scope, before the body.

``principal: lot_guarded("lot.inspect")`` on a route with a ``{lot_id}`` path parameter
declares the permission (one ``Guard``, as test_route_policy requires) and refuses a lot
outside the principal's scope with 403 before the request body is read, so an
out-of-scope caller learns nothing from validation errors.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from oxychain.core.people import Principal
from oxychain.core.web.guards import Guard
from oxychain.core.web.params import Id
from oxychain.inspection.services import views as inspection_views


def lot_guarded(permission: str) -> type[Principal]:
    guard = Guard(permission)

    # A default, not Annotated[...]: the annotation is a string (PEP 563) and ``guard`` is
    # local, so FastAPI could not resolve it from the module.
    async def in_scope(
        request: Request,
        lot_id: Id,
        principal: Principal = Depends(guard),  # noqa: B008
    ) -> Principal:
        uow = request.app.state.oxychain.uow(principal)
        await run_in_threadpool(inspection_views.authorize_lot, uow, lot_id, permission)
        return principal

    return Annotated[Principal, Depends(in_scope)]  # type: ignore[return-value]
