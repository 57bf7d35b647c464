"""Object scope before the body: for a route on one bid or one committee seat, the caller's
scope is checked from the path before the request body is even parsed, so that a caller
out of scope is refused (403) whatever they send."""

# No "from __future__ import annotations" here: FastAPI must see the Guard in the nested
# functions' annotations as objects, not as strings naming a closure variable.
from typing import Annotated

from fastapi import Depends, Path, Request
from starlette.concurrency import run_in_threadpool

from oxychain.core.people import Principal
from oxychain.core.web.deps import guarded, reader
from oxychain.tendering.services import bids as bidding
from oxychain.tendering.services import opening

BidId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Ref = Annotated[str, Path(max_length=40)]


def bid_scoped(permission: str):  # noqa: ANN201
    """``principal: bid_scoped("bid.submit")``: the guard, then the bid within its scope."""

    async def dependency(request: Request, bid_id: BidId, principal: guarded(permission)):  # noqa: ANN202
        await run_in_threadpool(
            bidding.check_bid_scope, reader(request, principal), bid_id, permission
        )
        return principal

    return Annotated[Principal, Depends(dependency)]


def seat_scoped(permission: str):  # noqa: ANN201
    """``principal: seat_scoped("share.release")``: the guard, then the caller's own seat."""

    async def dependency(request: Request, ref: Ref, principal: guarded(permission)):  # noqa: ANN202
        await run_in_threadpool(opening.check_seat, reader(request, principal), ref, permission)
        return principal

    return Annotated[Principal, Depends(dependency)]
