"""Who is asking, and may they: the dependency every route declares.

Each route depends on exactly one ``Guard(permission)`` or on ``PUBLIC``. A test walks
the app's routes and fails when one has neither, then calls every guarded route as
every role. The guard resolves the principal from a bearer token (API clients) or the
session cookie (browsers); cookie-authenticated writes must carry the CSRF token.
"""

from __future__ import annotations

import hmac

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from oxychain.core.access import POLICY, Scope, scope_of
from oxychain.core.people import Principal
from oxychain.core.services import auth

SESSION_COOKIE = "oxy_session"
LANG_COOKIE = "oxy_lang"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class NotAuthenticated(Exception):
    """No valid session or token: a browser goes to the login page, an API client gets 401."""


class NotPermitted(Exception):
    def __init__(self, permission: str) -> None:
        super().__init__(permission)
        self.permission = permission


class CsrfFailed(Exception):
    pass


def _app(request: Request):  # noqa: ANN202
    return request.app.state.oxychain


def resolve_principal(request: Request) -> Principal | None:
    """The principal of this request (cached on it), or None when anonymous."""
    if hasattr(request.state, "principal"):
        return request.state.principal
    principal, csrf = None, None
    app = _app(request)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        principal = auth.bearer_principal(app.uow(), header[7:].strip())
        request.state.via_cookie = False
    elif token := request.cookies.get(SESSION_COOKIE):
        found = auth.session_principal(app.uow(), token)
        if found:
            principal, csrf = found
        request.state.via_cookie = True
    request.state.principal = principal
    request.state.csrf_token = csrf
    if principal is not None:
        request.state.lang = principal.language
    return principal


async def principal_of(request: Request) -> Principal | None:
    return await run_in_threadpool(resolve_principal, request)


async def check_csrf(request: Request) -> None:
    """Cookie-authenticated writes carry the session's CSRF token (form field or header)."""
    if request.method in SAFE_METHODS or not getattr(request.state, "via_cookie", False):
        return
    expected = getattr(request.state, "csrf_token", None) or ""
    sent = request.headers.get("x-csrf-token", "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = str((await request.form()).get("csrf_token", ""))
    if not expected or not hmac.compare_digest(expected, sent):
        raise CsrfFailed()


class Guard:
    """A route's permission; resolves to the principal and their scope."""

    def __init__(self, permission: str) -> None:
        if permission not in POLICY:
            raise KeyError(f"no policy entry for permission {permission!r}")
        self.permission = permission

    async def __call__(self, request: Request) -> Principal:
        principal = await principal_of(request)
        if principal is None:
            raise NotAuthenticated()
        if scope_of(principal, self.permission) is None:
            raise NotPermitted(self.permission)
        await check_csrf(request)
        return principal

    def __repr__(self) -> str:
        return f"Guard({self.permission!r})"


class Public:
    """A route anyone may call (login, health, the OpenAPI document, static files)."""

    async def __call__(self, request: Request) -> Principal | None:
        principal = await principal_of(request)
        if request.method not in SAFE_METHODS and principal is not None:
            await check_csrf(request)
        return principal


PUBLIC = Public()
__all__ = ["Guard", "PUBLIC", "Scope", "NotAuthenticated", "NotPermitted", "CsrfFailed"]
