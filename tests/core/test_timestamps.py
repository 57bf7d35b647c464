"""One time zone for people, ISO 8601 with an offset for machines (issue 10, item 6).

Every GET of the API is walked in the demo (path parameters filled from the lists the API
itself gives) and every moment in every answer must carry its offset; the OpenAPI document
says so for each timestamp field. Pages read moments in IST through the one date filter.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from fastapi.testclient import TestClient

from oxychain.core.formatting import indian_date
from tests.webclient import login_as, make_app

MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
WITH_OFFSET = re.compile(r"(Z|[+-]\d{2}:\d{2})$")
# Where a list gives the value of a path parameter: {parameter: (list path, field)}.
SOURCES = {
    "code": [("/districts", "code"), ("/facilities", "code"), ("/suppliers", "code")],
    "ref": [("/tenders", "reference")],
    "po_id": [("/purchase-orders", "id")],
    "lot_id": [("/lots", "id")],
    "tranche_id": [("/lots", "tranche_id")],
    "number": [("/challans", "number"), ("/loans", "number"), ("/tickets", "number")],
    "serial": [("/loans", "serial"), ("/tickets", "serial")],
    "plan_ref": [("/plans", "reference")],
    "bill_number": [("/bills", "number")],
    "facility": [("/facilities", "code")],
    "warehouse": [("/warehouses", "code")],
    "district": [("/districts", "code")],
}


def _moments(value: Any, where: str = "") -> list[tuple[str, str]]:
    """Every (path, string) in a JSON document that reads as a date with a time."""
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in _moments(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [m for i, v in enumerate(value[:50]) for m in _moments(v, f"{where}[{i}]")]
    if isinstance(value, str) and MOMENT.match(value):
        return [(where, value)]
    return []


def _urls(client: TestClient, paths: list[str]) -> list[str]:
    """Each path with its parameters filled from the first and the last row of its list."""
    lists: dict[str, list] = {}

    def candidates(path: str, name: str) -> list[str]:
        sources = SOURCES.get(name, [])
        own = [s for s in sources if path.startswith(s[0] + "/")]
        for source, field in own or sources:
            if source not in lists:
                found = client.get("/api/v1" + source).json()
                lists[source] = found if isinstance(found, list) else []
            values = [str(row[field]) for row in lists[source] if row.get(field) is not None]
            if values:
                return [values[0], values[-1]]
        return []

    urls = ["/registry?serial=GNG10-DEMO-0001", "/qa/plan?lot_size=500&aql=2.5"]
    for path in paths:
        names = re.findall(r"{(\w+)}", path)
        choices = [candidates(path, name) for name in names]
        if not all(choices):
            continue
        for pick in (0, 1):
            filled = path
            for name, values in zip(names, choices, strict=True):
                filled = filled.replace("{" + name + "}", values[pick])
            urls.append(filled)
    return list(dict.fromkeys(urls))


def test_every_api_timestamp_in_the_demo_carries_its_offset(demo) -> None:  # noqa: ANN001
    url, logins = demo
    app, oxy = make_app(url)
    try:
        auditor = login_as(app, oxy, "auditor", *logins["auditor"]).client
        spec = auditor.get("/api/v1/openapi.json").json()
        gets = [
            p.removeprefix("/api/v1")
            for p, ops in spec["paths"].items()
            if "get" in ops and not p.endswith(("pdf", ".xlsx", ".xml"))
        ]
        walked, naive = 0, []
        for role in ("auditor", "planner", "supplier", "warehouse_keeper", "procurement_officer"):
            client = login_as(app, oxy, role, *logins[role]).client
            for path in _urls(client, gets):
                response = client.get("/api/v1" + path)
                if response.status_code != 200:
                    continue
                walked += 1
                naive += [
                    f"{path} {where}: {text}"
                    for where, text in _moments(response.json())
                    if not WITH_OFFSET.search(text)
                ]
        assert walked > 60, walked  # the walk reached the lists and the records behind them
        assert naive == []
    finally:
        oxy.close()


def test_the_openapi_document_says_timestamps_carry_their_offset(demo) -> None:  # noqa: ANN001
    url, _ = demo
    app, oxy = make_app(url)
    try:
        spec = TestClient(app).get("/api/v1/openapi.json").json()
    finally:
        oxy.close()
    fields = {}
    for name, schema in spec["components"]["schemas"].items():
        if not name.endswith(("Out", "Summary", "Detail", "Page", "Row")):
            continue
        for field, prop in schema.get("properties", {}).items():
            options = prop.get("anyOf", [prop])
            if any(o.get("format") == "date-time" for o in options):
                fields[f"{name}.{field}"] = " ".join(o.get("description", "") for o in options)
                fields[f"{name}.{field}"] += prop.get("description", "")
    assert len(fields) >= 10, fields
    assert {k: v for k, v in fields.items() if "offset" not in v} == {}


RAW = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}|\+00:00|\bUTC\b")
PAGES_WITH_MOMENTS = ("/audit", "/challans", "/tickets", "/plans", "/planning/cases", "/tenders")


def test_pages_show_moments_in_ist_never_raw(demo) -> None:  # noqa: ANN001
    url, logins = demo
    app, oxy = make_app(url)
    try:
        auditor = login_as(app, oxy, "auditor", *logins["auditor"]).client
        shown = 0
        for path in PAGES_WITH_MOMENTS:
            html = auditor.get(path).text
            assert RAW.findall(html) == [], path
            shown += len(re.findall(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2} IST", html))
        assert shown > 10
    finally:
        oxy.close()


def test_pages_read_moments_in_india_standard_time() -> None:
    assert indian_date(datetime(2026, 12, 7, 1, 15, 58, 387183, tzinfo=UTC)) == (
        "07-12-2026 06:45 IST"
    )
    # SQLite gives moments back without a zone: they are UTC
    assert indian_date(datetime(2026, 12, 6, 20, 0)) == "07-12-2026 01:30 IST"
    assert indian_date(date(2026, 12, 7)) == "07-12-2026"
