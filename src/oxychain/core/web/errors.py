"""Errors at the edge: the same refusal reads as JSON for the API and as a page for people,
in the asker's language."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from oxychain.core.errors import (
    Conflict,
    DomainError,
    FileRejected,
    Forbidden,
    InvalidInput,
    NotFound,
    TooLarge,
)
from oxychain.core.i18n import N_
from oxychain.core.services.auth import LoginRefused, TooManyAttempts
from oxychain.core.web.guards import CsrfFailed, NotAuthenticated, NotPermitted
from oxychain.core.web.templating import render, translate

STATUS = {
    TooLarge: 413,
    InvalidInput: 422,
    NotFound: 404,
    Forbidden: 403,
    Conflict: 409,
    LoginRefused: 401,
    TooManyAttempts: 429,
}
MESSAGES = {
    400: N_("The request could not be read."),
    401: N_("Please log in."),
    403: N_("You are not allowed to do this."),
    404: N_("Not found."),
    405: N_("This action is not allowed here."),
    413: N_("The upload is too large."),
    422: N_("Some of the input is not valid."),
    429: N_("Too many requests. Try again later."),
    500: N_("Something went wrong on our side."),
}
CSRF_MESSAGE = N_("The form expired or came from elsewhere. Reload the page and try again.")


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def respond(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: list | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if is_api(request):
        body: dict = {"error": code, "message": message}
        if details:
            body["details"] = details
        response: Response = JSONResponse(body, status_code=status)
    else:
        response = render(
            request, "error.html", status_code=status, message=message, details=details or []
        )
    response.headers.update(headers or {})
    return response


def domain_status(error: DomainError) -> int:
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 400


def refusal(request: Request, exc: DomainError) -> tuple[str, int]:
    """A domain refusal as a page shows it beside the form: the reason in the reader's
    language, and the status the API would answer."""
    return translate(request, exc.template, exc.params), domain_status(exc)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        details = None
        if isinstance(exc, FileRejected):
            details = [
                {"row": row, "field": column, "message": translate(request, message)}
                for row, column, message in exc.rows
            ]
        # A throttled login says when to come back.
        wait = exc.params.get("seconds") if isinstance(exc, TooManyAttempts) else None
        return respond(
            request,
            domain_status(exc),
            exc.code,
            translate(request, exc.template, exc.params),
            details,
            {"Retry-After": str(wait)} if wait else None,
        )

    @app.exception_handler(NotAuthenticated)
    async def _anonymous(request: Request, _exc: NotAuthenticated) -> Response:
        if is_api(request):
            return respond(request, 401, "not_authenticated", translate(request, MESSAGES[401]))
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(NotPermitted)
    async def _forbidden(request: Request, _exc: NotPermitted) -> Response:
        return respond(request, 403, "forbidden", translate(request, MESSAGES[403]))

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _exc: CsrfFailed) -> Response:
        return respond(request, 403, "csrf", translate(request, CSRF_MESSAGE))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {
                "field": ".".join(
                    str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form")
                ),
                "message": err.get("msg", ""),
            }
            for err in exc.errors()
        ]
        return respond(request, 422, "invalid_input", translate(request, MESSAGES[422]), details)

    # The net under the edge's ranges (core.web.params): a number the database cannot hold
    # (SQLite: past 2^63; PostgreSQL: past its column's type) is bad input, never a 500.
    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _out_of_range(request: Request, _exc: Exception) -> Response:
        details = [{"field": "", "message": "a number is out of range"}]
        return respond(request, 422, "invalid_input", translate(request, MESSAGES[422]), details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = MESSAGES.get(exc.status_code)
        text = translate(request, message) if message else str(exc.detail)
        # A body over its route's limit says the limit; a refused method says the allowed ones.
        details = [{"field": "body", "message": exc.detail}] if exc.status_code == 413 else None
        code = getattr(exc, "code", "http_error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method the path takes, over all its routes
            headers["Allow"] = ", ".join(sorted(allowed_methods(request)))
        return respond(request, exc.status_code, code, text, details, headers)


def allowed_methods(request: Request) -> set[str]:
    """The methods some route answers at this request's path (RFC 9110 ``Allow``); where a
    route names the path word for word (/facilities/import), its methods, not those of a
    route that would read a word of it as a parameter (/facilities/{code})."""
    literal: set[str] = set()
    matched: set[str] = set()
    for route in request.app.routes:
        contexts = getattr(route, "effective_route_contexts", lambda r=route: [r])()
        for context in contexts:
            match, _ = context.matches({**request.scope, "method": "GET"})
            if match is not Match.NONE:
                methods = set(getattr(context, "methods", None) or ())
                matched |= methods
                if getattr(context, "path", None) == request.url.path:
                    literal |= methods
    return literal or matched
