"""A tracker's district series (covid19india's districts.csv format): the state's districts
kept, the rest counted, bounded, all or nothing; the same through the service, the API,
the page and the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from oxychain.core.bootstrap import Oxychain
from oxychain.core.errors import FileRejected, Forbidden
from oxychain.core.people import SYSTEM, Role
from oxychain.planning.domain.case_file import CaseFileError
from oxychain.planning.domain.district_series import read_district_series
from oxychain.planning.services import district_series
from oxychain.planning.tables import CaseCount
from tests.distribution.support import person
from tests.planning.support import planner
from tests.webclient import login_as, make_app

HEADER = "Date,State,District,Confirmed,Recovered,Deceased,Other,Tested"
TRACKER = [
    HEADER,
    "2021-04-01,Delhi,Delhi,700000,650000,11000,0,",
    "2021-04-01,Uttar Pradesh,Agra,10900,10600,170,0,",
    "2021-04-01,Uttar Pradesh,Lucknow,84000,80000,1200,0,",
    "2021-04-01,Uttar Pradesh,Unknown,5,0,0,0,",
    "2021-04-02,Delhi,Delhi,702000,651000,11010,0,",
    "2021-04-02,Uttar Pradesh,Agra,10950,10610,170,0,",
    "2021-04-02,Uttar Pradesh,Lucknow,84900,80100,1201,0,",
    "2021-04-03,Uttar Pradesh,Lucknow,86000,80200,1203,0,",
]


def rows(lines: list[str]):  # noqa: ANN201
    return [(i, line.split(",")) for i, line in enumerate(lines, 1)]


def read(lines: list[str], **bounds: int):  # noqa: ANN201
    return read_district_series(
        rows(lines),
        state="Uttar Pradesh",
        max_rows=bounds.get("max_rows", 100),
        max_errors=bounds.get("max_errors", 10),
    )


def problems(lines: list[str], **bounds: int) -> list[tuple[int | None, str | None]]:
    with pytest.raises(CaseFileError) as caught:
        read(lines, **bounds)
    return [(e.row, e.column) for e in caught.value.errors]


def content(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_the_states_districts_are_kept_and_the_rest_counted():
    found = read(TRACKER)
    assert found.reports.level == "district"
    assert {d: sorted(c) for d, c in found.reports.counts.items()}.keys() == {"Agra", "Lucknow"}
    assert found.reports.counts["Lucknow"][max(found.reports.counts["Lucknow"])][1] == 86000
    assert (found.rows_read, found.other_state_rows, found.not_districts) == (8, 2, {"Unknown": 1})


def test_a_file_without_a_state_column_is_the_states_own():
    lines = ["date,district,confirmed", "2021-04-01,Agra,1", "2021-04-02,Agra,3"]
    assert set(read(lines).reports.counts) == {"Agra"}


def test_bad_rows_are_named_and_recovered_and_deceased_must_fit_the_confirmed():
    bad = [
        HEADER,
        "2021-04-01,Uttar Pradesh,Agra,10,11,0,0,",
        "2021-04-01,Uttar Pradesh,Lucknow,10,2,x,0,",
        "01-04-2021,Uttar Pradesh,Mau,10,0,0,0,",
        "2021-04-02,Uttar Pradesh,,10,0,0,0,",
        "2021-04-02,Uttar Pradesh,Agra,1.5,0,0,0,",
        "2021-04-03,Uttar Pradesh,Agra,12,0,0,0,",
        "2021-04-03,Uttar Pradesh,Agra,13,0,0,0,",
    ]
    assert problems(bad) == [
        (2, "recovered"),
        (3, "deceased"),
        (4, "date"),
        (5, "district"),
        (6, "confirmed"),
        (8, "date"),
    ]


def test_the_file_is_bounded_in_rows_and_in_errors():
    assert problems(TRACKER, max_rows=7) == [(None, None)]
    many = [HEADER] + [f"2021-04-01,Uttar Pradesh,Agra,x{i},0,0,0," for i in range(50)]
    found = problems(many, max_errors=5)
    assert len(found) == 6 and found[-1] == (7, None)  # five problems, then where it stopped


def test_a_file_without_the_columns_or_without_the_state_is_refused():
    assert problems(["date,state,confirmed", "2021-04-01,Uttar Pradesh,4"]) == [(1, "district")]
    assert problems([HEADER, TRACKER[1], TRACKER[5]]) == [(None, "state")]


def count(app: Oxychain) -> int:
    with app.uow(SYSTEM) as uow:
        return uow.session.scalar(select(func.count()).select_from(CaseCount))


def command(data: bytes, max_rows: int = 1000) -> district_series.ImportDistrictSeries:
    return district_series.ImportDistrictSeries(
        data, "districts.csv", 10_000, max_rows, "Uttar Pradesh"
    )


def test_the_service_stores_the_districts_all_or_nothing(app: Oxychain) -> None:
    who = planner(app)
    done = district_series.import_district_series(
        app.uow(who, write=True), command(content(TRACKER))
    )
    assert (done.record.level, done.record.rows, done.record.regions) == ("district", 5, 2)
    assert (done.other_state_rows, done.not_districts) == (2, {"Unknown": 1})
    assert count(app) == 5
    unknown = [*TRACKER, "2021-04-03,Uttar Pradesh,Atlantis,3,0,0,0,"]
    with pytest.raises(FileRejected) as err:
        district_series.import_district_series(app.uow(who, write=True), command(content(unknown)))
    assert [(r, c) for r, c, _ in err.value.rows] == [(10, "district")]
    with pytest.raises(FileRejected):
        district_series.import_district_series(
            app.uow(who, write=True), command(content(TRACKER), max_rows=3)
        )
    with pytest.raises(Forbidden):
        district_series.import_district_series(
            app.uow(person(app, Role.AUDITOR, None), write=True), command(content(TRACKER))
        )
    assert count(app) == 5


def test_the_api_and_the_page_import_it(demo) -> None:  # noqa: ANN001
    url, logins = demo
    web, oxy = make_app(url)
    try:
        rc = login_as(web, oxy, "planner", *logins["planner"])
        files = {"file": ("districts.csv", content(TRACKER), "text/csv")}
        answer = rc.post("/api/v1/cases/districts", files=files)
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert (body["rows"], body["regions"], body["other_state_rows"]) == (5, 2, 2)
        assert body["not_districts"] == {"Unknown": 1} and body["rows_read"] == 8
        page = rc.post("/planning/cases/districts", files=files)
        assert page.status_code == 200 and 'id="districts-skipped"' in page.text
        assert body["rows"] == 5 and "5 replaced" in page.text.replace("(", "").replace(")", "")
        bad = {"file": ("d.csv", content([*TRACKER, "2021-04-04,Uttar Pradesh,Agra,x,0,0,0,"]))}
        refused = rc.post("/planning/cases/districts", files=bad)
        assert refused.status_code == 422 and 'id="import-errors"' in refused.text
        auditor = login_as(web, oxy, "auditor", *logins["auditor"])
        assert auditor.post("/api/v1/cases/districts", files=files).status_code == 403
    finally:
        oxy.close()


def test_the_command_line_imports_as_a_named_planner(demo, tmp_path: Path) -> None:  # noqa: ANN001
    url, logins = demo
    source = tmp_path / "districts.csv"
    source.write_bytes(content(TRACKER))

    def run(*args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "OXYCHAIN_ENVIRONMENT": "test", "OXYCHAIN_DATABASE_URL": url}
        return subprocess.run(
            [sys.executable, "-m", "oxychain.cli", "cases", "import-districts", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    done = run("--file", str(source), "--user", logins["planner"][0], "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["not_districts"] == {"Unknown": 1}
    refused = run("--file", str(source), "--user", logins["auditor"][0])
    assert refused.returncode == 2 and "not allowed" in refused.stderr
    source.write_bytes(content([*TRACKER, "2021-04-04,Uttar Pradesh,Agra,x,0,0,0,"]))
    bad = run("--file", str(source), "--user", logins["planner"][0])
    assert bad.returncode == 2 and "row 10, column 'confirmed'" in bad.stderr
    assert run("--file", str(tmp_path / "none.csv"), "--user", "x").returncode == 2
