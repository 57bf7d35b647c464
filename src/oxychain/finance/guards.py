"""The guard of routes on one bill: the permission, then the bill's scope (a supplier its
own), before the request body is read, so an out-of-scope caller learns nothing from a
validation error. ``principal: bill_guarded("bill.read")`` on a route with ``{bill_number}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from starlette.concurrency import run_in_threadpool

from oxychain.core.people import Principal
from oxychain.core.web.guards import Guard
from oxychain.finance.services import bills

BillNumber = Annotated[str, Path(min_length=1, max_length=24, pattern=r"^[A-Z0-9-]+$")]


def bill_guarded(permission: str) -> type[Principal]:
    guard = Guard(permission)

    # A default, not Annotated[...]: ``guard`` is local (see inspection/guards.py).
    async def in_scope(
        request: Request,
        bill_number: BillNumber,
        principal: Principal = Depends(guard),  # noqa: B008
    ) -> Principal:
        uow = request.app.state.oxychain.uow(principal)
        await run_in_threadpool(bills.authorize, uow, bill_number, permission)
        return principal

    return Annotated[Principal, Depends(in_scope)]  # type: ignore[return-value]
