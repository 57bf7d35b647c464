"""Shared pieces of the API and page routers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Request
from pydantic import AfterValidator, BeforeValidator

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


def _iso_day(value: object) -> object:
    if isinstance(value, date):  # from our own records (a datetime too, as before)
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


# A day in an API query, form or body, written YYYY-MM-DD only: 0 is not 1 January 1970.
Day = Annotated[date, BeforeValidator(_iso_day)]
