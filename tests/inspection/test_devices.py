"""The device registry's serial lists and QA statuses."""

from __future__ import annotations

import io
import os
from datetime import date

import openpyxl
import pytest

from oxychain.core.errors import Conflict
from oxychain.core.states import IllegalTransition
from oxychain.inspection.domain import device as devices
from oxychain.inspection.domain.device import QA, QaStatus
from oxychain.inspection.services.serials import parse_serial_file

READY = date(2026, 5, 1)
HEADER = "serial,make,model,manufactured_on\n"


def csv_file(rows: list[str], header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


def parse(data: bytes, name: str = "serials.csv", **kw: object) -> devices.SerialList:
    return parse_serial_file(data, name, latest=READY, **kw)


def test_a_clean_csv_parses_every_row() -> None:
    rows = [f"oxy-{n:04d},Ganga,GX-5,2026-0{1 + n % 3}-15" for n in range(500)]
    result = parse(csv_file(rows))
    assert result.ok and len(result.devices) == 500
    first = result.devices[0]
    assert (first.row, first.serial, first.make, first.model) == (2, "OXY-0000", "Ganga", "GX-5")
    assert first.manufactured_on == date(2026, 1, 15)


def test_an_xlsx_with_date_cells_and_aliases_parses() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Serial No", "Make", "Model", "Date of manufacture"])
    sheet.append(["SN-001", "Awadh", "AW-10", date(2026, 2, 1)])
    sheet.append(["SN-002", "Awadh", "AW-10", "01-03-2026"])
    buf = io.BytesIO()
    book.save(buf)
    result = parse(buf.getvalue(), "lot.xlsx")
    assert result.ok, result.errors
    assert [d.manufactured_on for d in result.devices] == [date(2026, 2, 1), date(2026, 3, 1)]


def test_wrong_columns_are_one_clear_error() -> None:
    result = parse(csv_file(["X1,a,b,2026-01-01"], header="serial,brand,model,date\n"))
    assert not result.ok and len(result.errors) == 1
    message = result.errors[0].message
    assert "missing make, manufactured_on" in message and "brand" in message


def test_duplicates_within_the_file_name_both_rows() -> None:
    rows = ["OXY-1,G,M,2026-01-01", "OXY-2,G,M,2026-01-01", "oxy-1 ,G,M,2026-01-01"]
    result = parse(csv_file(rows))
    assert [(e.row, e.column) for e in result.errors] == [(4, "serial")]
    assert result.errors[0].message == "Serial OXY-1 is also on row 2."


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (",G,M,2026-01-01", "serial", "empty"),
        ("AB CD,G,M,2026-01-01", "serial", "no spaces"),
        ("X!1,G,M,2026-01-01", "serial", "no spaces"),
        ("OXY-9,,M,2026-01-01", "make", "empty"),
        ("OXY-9,G," + "M" * 81 + ",2026-01-01", "model", "Longer than 80"),
        ("OXY-9,G,M,31-02-2026", "manufactured_on", "not a date"),
        ("OXY-9,G,M,2026-06-01", "manufactured_on", "not between"),
        ("OXY-9,G,M,1999-12-31", "manufactured_on", "not between"),
        ("OXY-9,G,M,2026-01-01,extra", None, "without a header"),
    ],
)
def test_row_errors_name_the_row_and_column(row: str, column: str | None, fragment: str) -> None:
    result = parse(csv_file(["OXY-1,G,M,2026-01-01", row]))
    assert len(result.errors) == 1, result.errors
    error = result.errors[0]
    assert (error.row, error.column) == (3, column)
    assert fragment in error.message
    assert [d.serial for d in result.devices] == ["OXY-1"]  # the bad row is left out


def test_every_problem_is_counted_and_the_report_is_capped() -> None:
    rows = [f"bad serial {n},G,M,2026-01-01" for n in range(300)]
    result = parse(csv_file(rows), max_errors=50)
    assert result.error_count == 300 and len(result.errors) == 50


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "serials.csv", "empty"),
        (b"serial,make,model,manufactured_on\n", "serials.csv", "no serials"),
        (b"PK\x03\x04junk", "serials.xlsx", "not a CSV text or an .xlsx"),
        (b"\xff\xfe\x00s\x00e", "serials.csv", "not a CSV text"),
        (b"\xc3\x28abc,def", "serials.csv", "not UTF-8"),
        (b"serial\n1", "serials.pdf", ".csv (UTF-8) or .xlsx"),
    ],
)
def test_files_that_are_not_tables_are_refused_whole(data: bytes, name: str, fragment: str) -> None:
    result = parse(data, name)
    assert not result.ok and not result.devices
    assert fragment in result.errors[0].message


def test_megabytes_of_junk_are_refused_before_parsing() -> None:
    junk = os.urandom(10 * 1024 * 1024)
    result = parse(junk, "serials.csv", max_bytes=5 * 1024 * 1024)
    assert [e.message for e in result.errors] == ["The file is larger than the upload limit."]
    small = parse(os.urandom(200_000), "serials.csv")
    assert not small.ok and "not" in small.errors[0].message


def test_serials_already_in_the_registry_are_row_errors() -> None:
    result = parse(csv_file(["OXY-1,G,M,2026-01-01", "OXY-2,G,M,2026-01-01"]))
    errors = devices.registered_errors(result.devices, {"OXY-2", "OTHER"})
    assert [(e.row, e.message) for e in errors] == [(3, "Serial OXY-2 is already in the registry.")]


# The action that leads to each QA status.
ACTION = {QaStatus.ACCEPTED: "accept", QaStatus.REJECTED: "reject", QaStatus.REPLACED: "replace"}


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (QaStatus.OFFERED, QaStatus.ACCEPTED, True),
        (QaStatus.OFFERED, QaStatus.REJECTED, True),
        (QaStatus.REJECTED, QaStatus.REPLACED, True),
        (QaStatus.REJECTED, QaStatus.ACCEPTED, False),
        (QaStatus.ACCEPTED, QaStatus.REJECTED, False),
        (QaStatus.REPLACED, QaStatus.ACCEPTED, False),
        (QaStatus.OFFERED, QaStatus.REPLACED, False),
    ],
)
def test_qa_moves(current: QaStatus, new: QaStatus, allowed: bool) -> None:
    if allowed:
        assert QA.move(current, ACTION[new], serial="S1") is new
    else:
        with pytest.raises(Conflict, match=f"S1 is {current.value}") as refused:
            QA.move(current, ACTION[new], serial="S1")
        assert isinstance(refused.value, IllegalTransition)
        assert refused.value.message == f"Device S1 is {current.value}: it cannot become {new}."


def test_the_domain_parses_rows_without_reading_a_file() -> None:
    rows = [
        (1, ["Serial No", "Make", "Model", "Mfg date"]),
        (2, []),
        (3, ["x-1", "G", "M", "01-02-2026"]),
    ]
    parsed = devices.parse_serial_rows(rows, latest=READY)
    assert parsed.ok and [(d.row, d.serial) for d in parsed.devices] == [(3, "X-1")]
    assert devices.parse_serial_rows([(1, ["", ""])], latest=READY).errors[0].message == (
        "The file is empty."
    )


def test_only_accepted_devices_are_dispatchable() -> None:
    assert [s.value for s in QaStatus if devices.is_dispatchable(s)] == ["accepted"]
