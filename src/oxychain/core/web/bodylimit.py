"""Request bodies bounded per route, while they are read and before any login work.

Starlette and FastAPI read a body whole before a route's dependencies run (the guard
included), so an anonymous 1 GB JSON to the login route would sit in memory first. This
ASGI middleware finds the route a request is for and gives it a limit: the small JSON
limit by default, the upload limit for routes that take a file (or are marked
``large_body``). A declared ``Content-Length`` over it is refused at once, without
reading a byte; a body sent without one is counted as it streams in and refused the moment
it passes. An upload route also checks the caller is signed in before it reads anything.
The refusal is the project's error body (413, ``too_large``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.params import File
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oxychain.core.web.guards import NotAuthenticated, resolve_principal

UPLOAD, JSON = "max_upload_bytes", "max_json_bytes"
MULTIPART_OVERHEAD = 64 * 1024  # the form's boundaries, headers and CSRF field around a file
F = TypeVar("F", bound=Callable[..., Any])


class BodyTooLarge(HTTPException):
    code = "too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"limit: {limit} bytes")
        self.limit = limit


def large_body(endpoint: F) -> F:
    """Mark a route that takes a large JSON document (an allocation scenario): it gets the
    upload limit. Put it under the ``@router.post(...)`` line."""
    endpoint.__oxychain_body__ = UPLOAD  # type: ignore[attr-defined]
    return endpoint


def _kind(route: Any) -> str | int:
    """A route's limit: its own ``max_body_size`` (a sealed bid's), or which setting's."""
    if route.max_body_size is not None:
        return route.max_body_size
    if getattr(route.endpoint, "__oxychain_body__", None) == UPLOAD:
        return UPLOAD
    return UPLOAD if _takes_file(route.dependant) else JSON


def _takes_file(dependant: Dependant) -> bool:
    return any(isinstance(p.field_info, File) for p in dependant.body_params) or any(
        _takes_file(d) for d in dependant.dependencies
    )


def api_routes(routes: list) -> Iterator[Any]:
    """Every route with a dependant (FastAPI keeps included routers nested)."""
    for route in routes:
        if hasattr(route, "effective_route_contexts"):
            yield from api_routes(route.effective_route_contexts())
        elif getattr(route, "dependant", None) is not None and route.path_regex is not None:
            yield route


class BodyLimit:
    """The ASGI middleware; ``web`` is the FastAPI app whose routes say the limits."""

    def __init__(self, app: ASGIApp, web: FastAPI) -> None:
        self.app, self.web = app, web
        self._routes: list[tuple[re.Pattern, set[str], str | int]] | None = None

    def _route_kind(self, scope: Scope) -> str | int:
        if self._routes is None:
            self._routes = [
                (r.path_regex, r.methods, _kind(r)) for r in api_routes(self.web.routes)
            ]
        path, method = scope["path"], scope["method"]
        for regex, methods, kind in self._routes:
            if method in methods and regex.match(path):
                return kind
        return JSON

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kind = self._route_kind(scope)
        settings = self.web.state.oxychain.settings
        limit = kind if isinstance(kind, int) else getattr(settings, kind)
        limit += MULTIPART_OVERHEAD if kind == UPLOAD else 0
        request = Request(scope, receive)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await self._refuse(request, BodyTooLarge(limit), send)
            return
        # Nobody uploads anonymously: a stranger's file is not read at all.
        if kind == UPLOAD and await run_in_threadpool(resolve_principal, request) is None:
            await self._refuse(request, NotAuthenticated(), send)
            return
        total = 0

        async def counted() -> Message:
            nonlocal total
            message = await receive()
            if message["type"] == "http.request":
                total += len(message.get("body", b""))
                if total > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, request: Request, exc: Exception, send: Send) -> None:
        kind = next(k for k in type(exc).__mro__ if k in self.web.exception_handlers)
        response = await self.web.exception_handlers[kind](request, exc)
        # The body was not read: the connection cannot carry another request.
        response.headers["Connection"] = "close"
        await response(request.scope, request.receive, send)
