"""The OpenAPI document as a client reads it: who may call each operation, every status it
answers with the one error body the API sends, files declared as files, readable ids.

FastAPI documents the success body of each route; what it cannot know is added here from
the route itself, in one place, rather than by hand on each route: the guard says which
authentication applies, and the kind of route (guarded, taking input, writing, taking a
body) says which refusals it can answer (``ANSWERS``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, WithJsonSchema

from oxychain.core.web.guards import SESSION_COOKIE, Guard, Public

REF = "#/components/schemas/"


class ErrorDetail(BaseModel):
    field: str | None = Field(
        description="The input at fault: a dotted path into the body, a query or form field, "
        "or a file's column; null for the row or file as a whole."
    )
    message: str = Field(description="What is wrong with it, in the caller's language.")
    row: int | None = Field(
        None, description="For an uploaded file: the row as a person counts it (header = 1)."
    )


class ErrorOut(BaseModel):
    """The body of every refusal the API answers (4xx)."""

    error: str = Field(
        description="A stable code for programs: not_authenticated, forbidden, csrf, "
        "not_found, conflict, invalid_input, file_rejected, too_large, ..."
    )
    message: str = Field(description="The reason, in the caller's language (Hindi or English).")
    details: list[ErrorDetail] = Field(
        default_factory=list, description="One entry per field or row at fault, when known."
    )


# What each status means to a client (English; the body's message is in the caller's language).
REFUSALS = {
    400: "The body could not be read: not JSON, or not a well-formed multipart form.",
    401: "Not authenticated: no bearer token or session, or it has expired.",
    403: "Not permitted: the caller's role or scope does not allow this "
    "(or a cookie session's write came without its CSRF token).",
    404: "Not found: something the request names does not exist or is outside the caller's view.",
    409: "Conflict with the current state: a duplicate, or a step the status does not allow.",
    413: "The request body or upload is larger than this route takes.",
    422: "Invalid input: `details` names each field (or file row) at fault.",
    429: "Too many attempts: wait and try again.",
}

# The refusals each kind of route can answer. A route is of every kind that fits it; a
# route that answers more declares it itself (``responses={429: {}}`` via ``answers``).
ANSWERS = {
    "guarded": (401, 403),  # a Guard: no principal, or a principal without the permission
    "public write": (403,),  # a cookie session writing without its CSRF token
    "input": (404, 422),  # names something (path, query, body) that may not exist or fit
    "write": (404, 409, 422),  # services refuse illegal transitions and duplicates
    "body": (400, 413),  # a body that cannot be parsed; one beyond the route's limit
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}

SECURITY_SCHEMES = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from POST /api/v1/auth/token: `Authorization: Bearer <token>`.",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "The browser's session (log in at /login); writes also carry the "
        "session's CSRF token in the X-CSRF-Token header.",
    },
}
AUTHENTICATED = [{"bearer": []}, {"session": []}]
BINARY = {"type": "string", "format": "binary"}


def answers(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for the statuses a route answers beyond its kinds' (``ANSWERS``)."""
    return {status: {"description": REFUSALS[status]} for status in statuses}


def file_download(media_type: str, description: str) -> dict[str, Any]:
    """Route arguments for a route that answers a file (a PDF, a workbook, an XML export):
    documented as that media type with a binary body, not as JSON."""
    return {
        "response_class": Response,
        "responses": {
            200: {"description": description, "content": {media_type: {"schema": BINARY}}}
        },
    }


_DOCUMENTED: dict[str, type[BaseModel]] = {}


def documented(model: type[BaseModel]) -> WithJsonSchema:
    """``Annotated[dict[str, Any], documented(Model)]``: a JSON document that passes through
    unchanged (a sealed envelope, a scenario, a plan: hashed, replayed or checked by the
    domain as sent) yet is documented as ``Model``, which joins the document's schemas."""
    known = _DOCUMENTED.setdefault(model.__name__, model)
    if known is not model:
        raise ValueError(f"two documented models named {model.__name__}")
    # allOf: pydantic resolves a bare $ref beside a description against its own definitions
    return WithJsonSchema({"allOf": [{"$ref": REF + model.__name__}]})


def operation_id(route: APIRoute) -> str:
    """``<tag>_<function>``, e.g. ``inspection_replace_unit``: unique while no two routes of
    one tag share a function name (tests/core/test_openapi.py checks)."""
    tag = str(route.tags[0]) if route.tags else "api"
    return f"{_slug(tag)}_{route.name}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def install(app: FastAPI) -> None:
    """Serve the completed document at the app's openapi_url (built once, on first ask)."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]


def build(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
    )
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for name, schema in _schemas_of(ErrorOut, *_DOCUMENTED.values()).items():
        if schemas.setdefault(name, schema) != schema:
            raise ValueError(f"two schemas named {name}")
    doc["components"]["securitySchemes"] = SECURITY_SCHEMES
    _uploads_as_binary(schemas)
    routes = {(m, r.path): r for r in _api_routes(app) for m in getattr(r, "methods", None) or ()}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            route = routes[(method.upper(), path)]
            _complete(operation, route, method.upper())
    return doc


def _complete(operation: dict[str, Any], route: Any, method: str) -> None:
    kinds = kinds_of(route, method)
    operation["security"] = AUTHENTICATED if "guarded" in kinds else []
    responses = operation["responses"]
    statuses = {s for kind in kinds for s in ANSWERS[kind]}
    statuses |= {int(s) for s in responses if s.isdigit() and int(s) in REFUSALS}
    for status in sorted(statuses):
        declared = responses.get(str(status), {})
        responses[str(status)] = {
            "description": declared.get("description") or REFUSALS[status],
            "content": {"application/json": {"schema": {"$ref": REF + "ErrorOut"}}},
        }
    for status, response in responses.items():
        if status.startswith("2"):
            _files(response, route)


def _files(response: dict[str, Any], route: Any) -> None:
    """A file route's body is the file: its own media type, binary, and no JSON besides."""
    content = response.get("content") or {}
    answer = getattr(route, "response_class", JSONResponse)
    answer = getattr(answer, "value", answer)  # FastAPI's DefaultPlaceholder
    if not issubclass(answer, JSONResponse):
        content.pop("application/json", None)
    for media_type, body in content.items():
        if media_type != "application/json" and not body.get("schema"):
            body["schema"] = dict(BINARY)


def _uploads_as_binary(schemas: dict[str, Any]) -> None:
    """An upload field, which FastAPI writes in OpenAPI 3.1's words only
    (``contentMediaType``), also says ``format: binary``: generators read it as a file."""
    for schema in schemas.values():
        for field in schema.get("properties", {}).values():
            if field.get("type") == "string" and "contentMediaType" in field:
                field.setdefault("format", "binary")


def kinds_of(route: Any, method: str) -> list[str]:
    """The kinds of route (keys of ``ANSWERS``) this route is, from its guard and inputs."""
    dependant = route.dependant
    guards = list(_guards(dependant))
    kinds = []
    if any(isinstance(g, Guard) for g in guards):
        kinds.append("guarded")
    elif method in WRITES:
        kinds.append("public write")
    if _has_input(dependant):
        kinds.append("input")
    if method in WRITES and any(isinstance(g, Guard) for g in guards):
        kinds.append("write")
    if _has_body(dependant):
        kinds.append("body")
    return kinds


def _guards(dependant: Any) -> Iterator[Guard | Public]:
    for sub in dependant.dependencies:
        if isinstance(sub.call, Guard | Public):
            yield sub.call
        yield from _guards(sub)


def _has_input(dependant: Any) -> bool:
    own = dependant.path_params or dependant.query_params or dependant.body_params
    return bool(own) or any(_has_input(sub) for sub in dependant.dependencies)


def _has_body(dependant: Any) -> bool:
    return bool(dependant.body_params) or any(_has_body(s) for s in dependant.dependencies)


def _api_routes(app: FastAPI) -> Iterator[Any]:
    """Every route in the schema; FastAPI keeps included routers nested."""
    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()
        else:
            yield route


def _schemas_of(*models: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template=REF + "{model}")
        out.update(schema.pop("$defs", {}))
        out[model.__name__] = schema
    return out
