"""Shared pieces of the API and page routers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from pydantic import AfterValidator

from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import Principal
from oxychain.core.uow import UnitOfWork
from oxychain.core.web.guards import PUBLIC, Guard


def app_of(request: Request) -> Oxychain:
    return request.app.state.oxychain


def guarded(permission: str) -> type[Principal]:
    """``principal: guarded("x.read")`` declares the route's permission and yields the principal."""
    return Annotated[Principal, Depends(Guard(permission))]  # type: ignore[return-value]


def reader(request: Request, principal: Principal) -> UnitOfWork:
    return app_of(request).uow(principal)


def writer(request: Request, principal: Principal) -> UnitOfWork:
    return app_of(request).uow(principal, write=True)


# A route anyone may call, signed in or not (the login page, the public tender notices).
Anyone = Annotated[Principal | None, Depends(PUBLIC)]


def _with_zone(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# A moment in an API body, always with its offset (ISO 8601): one read back from SQLite has
# lost its zone, and was stored in UTC.
Moment = Annotated[datetime, AfterValidator(_with_zone)]
