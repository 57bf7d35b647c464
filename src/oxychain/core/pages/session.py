"""Log in, log out, choose a language."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated
from urllib.parse import urlparse

import anyio
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from oxychain.core.errors import DomainError
from oxychain.core.services import auth
from oxychain.core.web.deps import Anyone, app_of, client_address, guarded, writer
from oxychain.core.web.errors import CSRF_MESSAGE
from oxychain.core.web.guards import LANG_COOKIE, SESSION_COOKIE
from oxychain.core.web.templating import render, translate

router = APIRouter()
LOGIN_CSRF_COOKIE = "oxy_login_csrf"  # double-submit token: the login form has no session yet
YEAR = 365 * 24 * 3600


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect a person to another site after login."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or urlparse(target).netloc
    ):
        return "/"
    return target


def _login_page(
    request: Request, next_: str, error: str | None = None, status: int = 200
) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        status_code=status,
        next=_safe_next(next_),
        error=error,
        login_csrf=token,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=app_of(request).settings.cookie_secure,
    )
    return response


@router.get("/login")
def login_form(request: Request, _anyone: Anyone, next: str = "/") -> Response:  # noqa: A002
    return _login_page(request, next)


@router.post("/login")
async def login(
    request: Request,
    _anyone: Anyone,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    login_csrf: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=300)] = "/",  # noqa: A002
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, login_csrf):
        return _login_page(request, next, translate(request, CSRF_MESSAGE), 403)
    app, client, username = app_of(request), client_address(request), username.strip()
    # A flooded username is held here, without a worker thread, then checked as any other.
    if pause := await run_in_threadpool(auth.slowdown, app.uow(), app.settings, username, client):
        await anyio.sleep(pause)
    try:
        new = await run_in_threadpool(
            auth.login, app.uow(write=True), app.settings, username, password, client
        )
    except DomainError as exc:
        status = 429 if isinstance(exc, auth.TooManyAttempts) else 401
        return _login_page(request, next, translate(request, exc.template, exc.params), status)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        new.token,
        httponly=True,
        samesite="lax",
        secure=app.settings.cookie_secure,
        max_age=app.settings.session_max_age_seconds,
    )
    response.set_cookie(LANG_COOKIE, new.principal.language, samesite="lax", max_age=YEAR)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, _principal: guarded("home.view")) -> Response:
    if token := request.cookies.get(SESSION_COOKIE):
        auth.logout(app_of(request).uow(write=True), token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/language")
def choose_language(
    request: Request,
    principal: Anyone,
    language: Annotated[str, Form(pattern="^(hi|en)$")],
    next: Annotated[str, Form(max_length=300)] = "/",  # noqa: A002
) -> Response:
    """Anyone may switch; a logged-in person's choice is remembered on their record."""
    if principal is not None:
        auth.set_language(writer(request, principal), language)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, language, samesite="lax", max_age=YEAR)
    return response
