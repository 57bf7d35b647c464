"""Parsing a facility list from CSV or .xlsx bytes."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from oxychain.masterdata.domain.facilities import FacilityKind, FacilitySpec
from oxychain.masterdata.domain.facility_import import RowError
from oxychain.masterdata.services import parse_facility_file

HEADER = ["code", "name", "kind", "district", "beds", "name_hi", "lat", "lon"]
GOOD_ROWS = [
    [
        "UP-AGR-DH",
        "District Hospital Agra",
        "District Hospital",
        "Agra",
        "300",
        "जिला अस्पताल आगरा",
        "27.18",
        "78.01",
    ],
    ["UP-PRY-C01", "CHC Phulpur", "CHC", "Allahabad", "30", "", "", ""],
    ["UP-LKO-P01", "PHC Mal", "phc", "लखनऊ", "6", "पीएचसी माल", "26.93", "80.72"],
]


def csv_bytes(rows, header=HEADER, bom=False) -> bytes:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    text = "\n".join(lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def only_error(result) -> RowError:
    assert result.rows == [] and len(result.errors) == 1 and result.error_count == 1
    return result.errors[0]


def where(result) -> set[tuple[int | None, str | None, str]]:
    return {(e.row, e.column, e.code) for e in result.errors}


# ---- good files


@pytest.mark.parametrize("bom", [False, True])
def test_good_csv(bom):
    result = parse_facility_file(csv_bytes(GOOD_ROWS, bom=bom), "facilities.csv")
    assert result.ok and result.errors == [] and result.error_count == 0
    assert result.rows == [
        FacilitySpec(
            "UP-AGR-DH",
            "District Hospital Agra",
            "जिला अस्पताल आगरा",
            FacilityKind.DISTRICT_HOSPITAL,
            "146",
            300,
            27.18,
            78.01,
            False,
        ),
        FacilitySpec(
            "UP-PRY-C01", "CHC Phulpur", None, FacilityKind.CHC, "175", 30, None, None, False
        ),
        FacilitySpec(
            "UP-LKO-P01", "PHC Mal", "पीएचसी माल", FacilityKind.PHC, "157", 6, 26.93, 80.72, False
        ),
    ]


def test_csv_header_in_any_order_case_and_with_only_required_columns():
    header = ["District", "BEDS", "Kind", "Name", "Code", "Latitude", "Longitude"]
    rows = [["Barabanki", "30", "Community Health Centre", "CHC Fatehpur", "BBK-1", "27.1", "81.2"]]
    result = parse_facility_file(csv_bytes(rows, header), "list.CSV")
    assert result.ok
    (spec,) = result.rows
    assert (spec.code, spec.district_code, spec.kind, spec.lat) == ("BBK-1", "176", "chc", 27.1)


def test_good_xlsx_with_numbers_as_numbers():
    rows = [
        ["UP-AGR-DH", "District Hospital Agra", "DH", "Agra", 300.0, None, 27.18, 78.01],
        [1042, "PHC Kakori", "PHC", 157, 6, "पीएचसी काकोरी", None, None],
    ]
    result = parse_facility_file(xlsx_bytes(rows), "facilities.xlsx")
    assert result.ok, result.errors
    assert [(r.code, r.district_code, r.beds, r.lat) for r in result.rows] == [
        ("UP-AGR-DH", "146", 300, 27.18),
        ("1042", "157", 6, None),
    ]


def test_xlsx_row_numbers_count_empty_rows():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(GOOD_ROWS[0])
    for column, value in enumerate(["X-1", "PHC X", "PHC", "Nowhere", "6"], start=1):
        sheet.cell(row=5, column=column, value=value)  # rows 3 and 4 left empty
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_facility_file(buffer.getvalue(), "facilities.xlsx")
    assert where(result) == {(5, "district", "district_unknown")}


def test_csv_row_numbers_are_records_not_lines_and_skip_blank_rows():
    text = (
        "code,name,kind,district,beds\n"
        'A-1,"CHC with a\nline break",CHC,Agra,30\n'
        "\n"
        "A-2,PHC Two,PHC,Agra,lots\n"
    )
    result = parse_facility_file(text.encode(), "f.csv")
    assert where(result) == {(4, "beds", "beds_invalid")}
    assert [r.code for r in result.rows] == ["A-1"]
    assert not result.ok


# ---- row errors: all of them, with the row a person sees


def test_every_row_error_is_reported_with_row_and_column():
    rows = [
        GOOD_ROWS[0],  # row 2
        ["", "No code", "CHC", "Agra", "30"],  # row 3
        ["bad code", "Spaces", "CHC", "Agra", "30"],  # 4
        ["UP-AGR-DH", "Same code again", "PHC", "Agra", "6"],  # 5
        ["K-1", "Clinic", "clinic", "Agra", "6"],  # 6
        ["K-2", "A home", "home", "Agra", "0"],  # 7
        ["K-3", "Nowhere", "PHC", "Atlantis", "6"],  # 8
        ["K-4", "Two districts", "PHC", "Chhatrapati Shahuji Maharaj Nagar", "6"],  # 9
        ["K-5", "Half beds", "PHC", "Agra", "6.5"],  # 10
        ["K-6", "Negative", "PHC", "Agra", "-1"],  # 11
        ["K-7", "Half a point", "PHC", "Agra", "6", "", "27.1", ""],  # 12
        ["K-8", "Swapped", "PHC", "Agra", "6", "", "78.0", "27.1"],  # 13
        ["K-9", "", "", "", ""],  # 14
        ["K-10", "N" * 201, "PHC", "Agra", "6"],  # 15
    ]
    result = parse_facility_file(csv_bytes(rows), "f.csv")
    assert where(result) == {
        (3, "code", "required"),
        (4, "code", "code_invalid"),
        (5, "code", "code_duplicate"),
        (6, "kind", "kind_unknown"),
        (7, "kind", "kind_not_importable"),
        (8, "district", "district_unknown"),
        (9, "district", "district_ambiguous"),
        (10, "beds", "beds_invalid"),
        (11, "beds", "beds_invalid"),
        (12, "lon", "point_incomplete"),
        (13, "lat", "point_invalid"),
        (13, "lon", "point_invalid"),
        (14, "name", "required"),
        (14, "kind", "required"),
        (14, "district", "required"),
        (14, "beds", "required"),
        (15, "name", "too_long"),
    }
    assert result.error_count == len(result.errors) == 17
    assert [r.code for r in result.rows] == ["UP-AGR-DH"]
    duplicate = next(e for e in result.errors if e.code == "code_duplicate")
    assert "row 2" in duplicate.message


def test_duplicate_codes_ignore_case():
    rows = [["ab-1", "One", "PHC", "Agra", "6"], ["AB-1", "Two", "PHC", "Agra", "6"]]
    result = parse_facility_file(csv_bytes(rows, HEADER[:5]), "f.csv")
    assert where(result) == {(3, "code", "code_duplicate")}


def test_values_under_a_column_without_header_are_an_error():
    text = "code,name,kind,district,beds,\nA-1,PHC,PHC,Agra,6,surprise\nA-2,PHC,PHC,Agra,6,\n"
    result = parse_facility_file(text.encode(), "f.csv")
    assert where(result) == {(2, None, "row_extra_cells")}


def test_errors_are_capped_with_a_count():
    rows = [[f"C-{i}", "PHC", "PHC", "Atlantis", "6"] for i in range(300)]
    result = parse_facility_file(csv_bytes(rows, HEADER[:5]), "f.csv", max_errors=200)
    assert len(result.errors) == 200
    assert result.error_count == 300
    assert result.truncated and not result.ok
    assert result.errors[-1].row == 201


# ---- whole-file errors


def test_wrong_columns_give_one_clear_error():
    header = ["code", "name", "type", "district", "bed", "code"]
    error = only_error(parse_facility_file(csv_bytes([], header) + b"x,y,z,Agra,1,x\n", "f.csv"))
    assert (error.row, error.column, error.code) == (1, None, "columns_invalid")
    assert "missing kind, beds" in error.message
    assert "unknown 'type', 'bed'" in error.message
    assert "repeated 'code'" in error.message


def test_semicolon_files_get_a_hint():
    error = only_error(parse_facility_file(b"code;name;kind;district;beds\n", "f.csv"))
    assert error.code == "columns_invalid" and "';'" in error.message


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "f.csv", "file_empty"),
        (b"\xef\xbb\xbf", "f.csv", "file_empty"),
        (b"\n\n  \n", "f.csv", "file_empty"),
        (b"code,name,kind,district,beds\n", "f.csv", "file_empty"),
        (b"code,name,kind,district,beds\n,,,,\n", "f.csv", "file_empty"),
        (
            "code,name\nA,Bārābankī\n".encode("cp1252", "replace").replace(b"?", b"\xe4"),
            "f.csv",
            "file_not_utf8",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "f.csv", "file_unreadable"),
        (b"code,name\x01,kind\n", "f.csv", "file_unreadable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "f.xls", "file_type_unsupported"),
        (b"%PDF-1.4 whatever", "f.pdf", "file_type_unsupported"),
        (b"code,name,kind,district,beds\n", "facilities", "file_type_unsupported"),
        (b"not a zip at all", "f.xlsx", "file_unreadable"),
    ],
)
def test_bad_files_are_refused_whole(data, filename, code):
    assert only_error(parse_facility_file(data, filename)).code == code


def test_an_xlsx_named_csv_is_not_read_as_text():
    assert only_error(parse_facility_file(xlsx_bytes(GOOD_ROWS), "f.csv")).code == (
        "file_unreadable"
    )


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert only_error(parse_facility_file(buffer.getvalue(), "f.xlsx")).code == "file_unreadable"


def test_size_limit():
    data = csv_bytes(GOOD_ROWS)
    assert parse_facility_file(data, "f.csv", max_bytes=len(data)).ok
    error = only_error(parse_facility_file(data, "f.csv", max_bytes=len(data) - 1))
    assert error.code == "file_too_large" and error.row is None


def test_a_workbook_that_inflates_past_the_limit_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 1_000_000)
    data = buffer.getvalue()
    assert len(data) < 10_000
    error = only_error(parse_facility_file(data, "f.xlsx", max_bytes=10_000))
    assert error.code == "file_too_large"


def test_an_empty_workbook_is_empty():
    assert only_error(parse_facility_file(xlsx_bytes([], header=[]), "f.xlsx")).code == (
        "file_empty"
    )
