"""Shared pieces of the API and page routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

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
