"""Shared pieces of the API and page routers."""

from __future__ import annotations

from functools import cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Annotated

from fastapi import Depends, Request

from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import Principal
from oxychain.core.uow import UnitOfWork
from oxychain.core.web.guards import PUBLIC, Guard


def app_of(request: Request) -> Oxychain:
    return request.app.state.oxychain


@cache
def _networks(setting: str) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(
        ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip()
    )


def _trusted(address: str, networks: tuple) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: Request) -> str:
    """Who is asking, as login throttling counts them: the connecting address, or, when
    that is a configured proxy (OXYCHAIN_TRUSTED_PROXIES), the nearest address in its
    X-Forwarded-For that is not one of ours. A client cannot name itself otherwise."""
    peer = request.client.host if request.client else "unknown"
    networks = _networks(app_of(request).settings.trusted_proxies)
    if not _trusted(peer, networks):
        return peer
    chain = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([a for a in chain if a]):
        if not _trusted(address, networks):
            try:
                return str(ip_address(address))
            except ValueError:
                return peer  # a proxy passed on garbage: count it as the proxy's
    return peer


def guarded(permission: str) -> type[Principal]:
    """``principal: guarded("x.read")`` declares the route's permission and yields the principal."""
    return Annotated[Principal, Depends(Guard(permission))]  # type: ignore[return-value]


def reader(request: Request, principal: Principal) -> UnitOfWork:
    return app_of(request).uow(principal)


def writer(request: Request, principal: Principal) -> UnitOfWork:
    return app_of(request).uow(principal, write=True)


# A route anyone may call, signed in or not (the login page, the public tender notices).
Anyone = Annotated[Principal | None, Depends(PUBLIC)]
