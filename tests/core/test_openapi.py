"""The OpenAPI document as a client generator reads it: unique schema names, readable
operation ids, authentication declared, every refusal documented with the real error
body, files as files, and no untyped field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.webclient import make_app

METHODS = {"get", "post", "put", "patch", "delete"}
WRITES = {"post", "put", "patch", "delete"}
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
# Fields that are any JSON by design, each with its reason.
FREE_FORM = {
    ("AuditEventOut", "before"): "an entity's state as recorded in the audit chain",
    ("AuditEventOut", "after"): "an entity's state as recorded in the audit chain",
}


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> dict:
    path = Path(tmp_path_factory.mktemp("openapi")) / "doc.db"
    app, oxy = make_app(f"sqlite:///{path}")
    try:
        response = TestClient(app).get("/api/v1/openapi.json")
        assert response.status_code == 200
        return response.json()
    finally:
        oxy.close()


def _operations(doc: dict) -> list[tuple[str, str, dict]]:
    return [
        (method, path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_schema_names_are_unique_and_short(doc: dict) -> None:
    names = list(doc["components"]["schemas"])
    # FastAPI qualifies a name with its module ("oxychain__planning__api__PlanOut") when two
    # models share it, and splits a model into "-Input"/"-Output" when they differ.
    qualified = [n for n in names if "__" in n or n.endswith(("-Input", "-Output"))]
    assert qualified == []
    assert "HTTPValidationError" not in names and "ValidationError" not in names


def test_operation_ids_are_readable_and_unique(doc: dict) -> None:
    ids = [op.get("operationId", "") for _m, _p, op in _operations(doc)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    unreadable = [i for i in ids if not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", i)]
    assert unreadable == []
    assert [i for i in ids if "api_v1" in i or i.endswith(("_get", "_post", "_put"))] == []
    assert "inspection_replace_unit" in ids


def test_authentication_is_declared(doc: dict) -> None:
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearer"]["description"],
    }
    assert (schemes["session"]["in"], schemes["session"]["name"]) == ("cookie", "oxy_session")
    public = set()
    for method, path, op in _operations(doc):
        if op["security"] == []:
            public.add(f"{method.upper()} {path}")
        else:
            assert op["security"] == [{"bearer": []}, {"session": []}], (method, path)
    assert public == {
        "GET /api/v1/health",
        "POST /api/v1/auth/token",
        "GET /api/v1/ocds/release-package",
    }


def test_every_operation_documents_its_refusals_with_the_real_body(doc: dict) -> None:
    missing = []
    for method, path, op in _operations(doc):
        guarded = op["security"] != []
        takes_input = bool(op.get("parameters") or op.get("requestBody"))
        expected = set()
        if guarded:
            expected |= {"401", "403"}
        if takes_input:
            expected |= {"404", "422"}
        if guarded and method in WRITES:
            expected |= {"404", "409", "422"}
        if op.get("requestBody"):
            expected |= {"400", "413"}
        documented = set(op["responses"])
        if not expected <= documented:
            missing.append((method, path, sorted(expected - documented)))
        for status, response in op["responses"].items():
            if status.startswith("4"):
                assert response["content"] == {"application/json": {"schema": ERROR_REF}}
    assert missing == []
    login = doc["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {"401", "429"} <= set(login)
    error = doc["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"error", "message", "details"}
    detail = doc["components"]["schemas"]["ErrorDetail"]
    assert {"field", "message"} <= set(detail["properties"])


def test_the_documented_error_body_is_the_one_sent(tmp_path: Path, doc: dict) -> None:
    app, oxy = make_app(f"sqlite:///{tmp_path / 'e.db'}")
    try:
        client = TestClient(app)
        refused = client.post("/api/v1/auth/token", json={"username": ""})
        anonymous = client.get("/api/v1/tenders")
    finally:
        oxy.close()
    assert refused.status_code == 422 and anonymous.status_code == 401
    body = refused.json()
    required = set(doc["components"]["schemas"]["ErrorOut"]["required"])
    assert required <= set(body) <= {"error", "message", "details"}
    assert {d["field"] for d in body["details"]} == {"username", "password"}
    assert all(set(d) <= {"field", "message", "row"} for d in body["details"])
    assert anonymous.json()["error"] == "not_authenticated"


def test_files_are_declared_as_files(doc: dict) -> None:
    files = {}
    for method, path, op in _operations(doc):
        for status, response in op["responses"].items():
            for media_type, body in response.get("content", {}).items():
                if media_type != "application/json":
                    assert status.startswith("2") and set(response["content"]) == {media_type}
                    assert body["schema"] == {"type": "string", "format": "binary"}
                    files[f"{method.upper()} {path}"] = media_type
    assert files["GET /api/v1/certificates/{number}/pdf"] == "application/pdf"
    assert files["GET /api/v1/bills/{bill_number}/pdf"] == "application/pdf"
    assert files["GET /api/v1/finance/ledger.xlsx"].endswith("spreadsheetml.sheet")
    assert files["GET /api/v1/finance/tally.xml"] == "application/xml"


def _untyped(schema: object) -> bool:
    """True where a schema says nothing of its values' type (``{}``, a bare object)."""
    if schema is True or schema == {}:
        return True
    assert isinstance(schema, dict)
    if "$ref" in schema or "const" in schema or "enum" in schema:
        return False
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return any(_untyped(s) for s in schema[key])
    kind = schema.get("type")
    if kind is None:
        return True
    if kind == "object":
        extra = schema.get("additionalProperties")
        return not schema.get("properties") and (extra in (None, True) or _untyped(extra))
    if kind == "array":
        if "prefixItems" in schema:
            return any(_untyped(s) for s in schema["prefixItems"])
        return _untyped(schema.get("items", {}))
    return False


def test_no_field_or_body_is_untyped(doc: dict) -> None:
    untyped = []
    for name, schema in doc["components"]["schemas"].items():
        if _untyped({k: v for k, v in schema.items() if k != "description"}):
            untyped.append(name)
        for field, sub in schema.get("properties", {}).items():
            if _untyped(sub) and (name, field) not in FREE_FORM:
                untyped.append(f"{name}.{field}")
    for method, path, op in _operations(doc):
        bodies = [("request", c) for c in op.get("requestBody", {}).get("content", {}).items()]
        bodies += [(s, c) for s, r in op["responses"].items() for c in r.get("content", {}).items()]
        for where, (media_type, body) in bodies:
            if media_type == "application/json" and _untyped(body.get("schema", {})):
                untyped.append(f"{method.upper()} {path} {where}")
    assert untyped == []


def test_reading_keys_are_documented(doc: dict) -> None:
    values = doc["components"]["schemas"]["ReadingsIn"]["properties"]["values"]
    assert "o2_purity_pct@1" in values["description"]
    assert values["additionalProperties"] == {"anyOf": [{"type": "string"}, {"type": "boolean"}]}
    lot = doc["components"]["schemas"]["LotDetail"]["properties"]
    assert {"test_points", "agency_id", "inspector_id"} <= set(lot)


def test_a_refused_method_names_every_method_of_the_path(tmp_path: Path) -> None:
    app, oxy = make_app(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        client = TestClient(app)
        answers = {m: client.request(m, "/api/v1/bills") for m in ("TRACE", "DELETE")}
        token = client.request("OPTIONS", "/api/v1/auth/token")
    finally:
        oxy.close()
    for answer in answers.values():
        assert (answer.status_code, answer.headers["allow"]) == (405, "GET, POST")
        assert answer.json()["error"] == "http_error"
    assert token.headers["allow"] == "DELETE, POST"


def test_a_day_in_a_query_is_an_iso_date_and_a_moment_has_its_offset() -> None:
    from datetime import UTC, date, datetime

    from pydantic import TypeAdapter, ValidationError

    from oxychain.core.web.params import Day
    from oxychain.core.web.timestamps import Timestamp

    day = TypeAdapter(Day)
    assert day.validate_python("2026-12-01") == date(2026, 12, 1)
    for written in ("0", 0, 1733011200, "01-12-2026"):
        with pytest.raises(ValidationError):
            day.validate_python(written)
    naive = datetime(2026, 12, 4, 13, 22)  # as SQLite gives a stored UTC moment back
    moment = TypeAdapter(Timestamp)
    assert moment.validate_python(naive).tzinfo is UTC
    assert moment.dump_json(moment.validate_python(naive)) == b'"2026-12-04T18:52:00+05:30"'


def test_allow_names_the_literal_route_before_a_parameter(tmp_path: Path) -> None:
    app, oxy = make_app(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        answer = TestClient(app).request("OPTIONS", "/api/v1/facilities/import")
    finally:
        oxy.close()
    # /facilities/{code} would read "import" as a code; the resource is the import (POST)
    assert (answer.status_code, answer.headers["allow"]) == (405, "POST")
