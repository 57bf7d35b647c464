"""Case files: validation names the row and column; the counting rules are the documented ones."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

import oxychain
from oxychain.planning.domain.case_file import CaseFileError
from oxychain.planning.services.cases import read_cases

DATA = Path(oxychain.__file__).parent / "planning" / "data" / "covid"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def problems(content: bytes, **kwargs) -> list[tuple[int | None, str | None]]:
    with pytest.raises(CaseFileError) as caught:
        read_cases(content, **kwargs)
    return [(e.row, e.column) for e in caught.value.errors]


def test_daily_new_cases_are_differences_of_the_cumulative_count():
    cases = read_cases(
        csv_bytes(
            "date,state,confirmed",
            "2021-04-01,Delhi,100",
            "2021-04-02,Delhi,130",
            "2021-04-03,Delhi,180",
        )
    )
    delhi = cases.region("Delhi")
    assert cases.region_column == "state"
    assert delhi.start == date(2021, 4, 2) and delhi.end == date(2021, 4, 3)
    assert delhi.new_cases.tolist() == [30, 50]
    assert delhi.cumulative.tolist() == [130, 180]


def test_a_file_without_region_column_is_one_region():
    cases = read_cases(csv_bytes("date,confirmed", "2021-04-01,1", "2021-04-02,4"))
    assert [r.region for r in cases.regions] == ["India"]
    named = read_cases(
        csv_bytes("date,confirmed", "2021-04-01,1", "2021-04-02,4"), default_region="Lucknow"
    )
    assert named.regions[0].region == "Lucknow"


def test_the_most_local_region_column_wins_and_rows_may_come_in_any_order():
    cases = read_cases(
        csv_bytes(
            "Date,State,District,Confirmed,Tested",
            "2021-04-02,Uttar Pradesh,Agra,15,999",
            "2021-04-01,Uttar Pradesh,Agra,10,",
            "2021-04-01,Uttar Pradesh,Lucknow,20,",
            "2021-04-02,Uttar Pradesh,Lucknow,26,",
        )
    )
    assert cases.region_column == "district"
    assert [(r.region, r.new_cases.tolist()) for r in cases.regions] == [
        ("Agra", [5]),
        ("Lucknow", [6]),
    ]


def test_missing_days_share_the_increase_evenly():
    kerala = read_cases(
        csv_bytes("date,region,confirmed", "2020-02-01,Kerala,3", "2020-02-04,Kerala,9")
    ).regions[0]
    assert kerala.new_cases.tolist() == [2, 2, 2]


def test_a_fall_in_the_count_zeroes_that_day_and_keeps_later_days_right():
    cases = read_cases(
        csv_bytes(
            "date,state,confirmed",
            "2020-12-14,MH,1000",
            "2020-12-15,MH,1100",
            "2020-12-16,MH,1050",
            "2020-12-17,MH,1120",
        )
    )
    assert cases.regions[0].new_cases.tolist() == [100, 0, 70]
    (fix,) = cases.corrections
    assert (fix.region, fix.date, fix.row, fix.drop) == ("MH", date(2020, 12, 16), 4, 50)


def test_the_shipped_state_series_has_the_three_documented_corrections():
    cases = read_cases((DATA / "covid_states_dev.csv").read_bytes())
    assert [(c.region, c.date.isoformat(), c.drop) for c in cases.corrections] == [
        ("Maharashtra", "2020-12-16", 5914),
        ("Maharashtra", "2021-09-09", 10847),
        ("Maharashtra", "2021-09-27", 2563),
    ]
    assert {r.region for r in cases.regions} == {
        "Delhi",
        "Karnataka",
        "Kerala",
        "Maharashtra",
        "Tamil Nadu",
    }
    assert cases.region("Maharashtra").new_cases.max() == 68631  # Delta peak, per SOURCES


def test_the_shipped_national_series_reads_as_india():
    india = read_cases((DATA / "covid_india_national.csv").read_bytes()).regions[0]
    assert india.region == "India" and india.end == date(2023, 3, 9)
    assert india.new_cases.max() == 414188  # 2021-05-06, per COVID_SOURCES.md
    assert (india.new_cases >= 0).all()


def test_every_bad_row_is_reported_with_its_row_and_column():
    content = csv_bytes(
        "date,state,confirmed",
        "2021-04-01,Delhi,100",
        "01-04-2021,Delhi,100",  # row 3: Indian date order, not ISO
        "2021-04-02,Delhi,-5",  # row 4
        "2021-04-03,Delhi,1.5",  # row 5
        "2021-04-04,,10",  # row 6
        "2021-04-05,Delhi,",  # row 7
        "2021-04-01,Delhi,100",  # row 8: same region and date as row 2
        "2021-02-30,Delhi,100",  # row 9: no such day
        '2021-04-06,Delhi,"1,200"',  # row 10: grouping commas
    )
    assert problems(content) == [
        (3, "date"),
        (4, "confirmed"),
        (5, "confirmed"),
        (6, "state"),
        (7, "confirmed"),
        (8, "date"),
        (9, "date"),
        (10, "confirmed"),
    ]
    with pytest.raises(CaseFileError, match=r"row 8, column 'date': Delhi 2021-04-01 .* row 2"):
        read_cases(content)


def test_required_columns_are_named():
    assert problems(csv_bytes("day,state,cases", "2021-04-01,Delhi,1")) == [
        (1, "date"),
        (1, "confirmed"),
    ]


@pytest.mark.parametrize(
    "content",
    [b"", b"\n\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "date,confirmed\n".encode("utf-16")],
    ids=["empty", "blank lines", "old xls", "utf-16"],
)
def test_unreadable_files_are_refused_with_a_reason(content):
    assert problems(content) == [(None, None)]


def test_a_utf8_bom_and_blank_lines_are_accepted():
    cases = read_cases(b"\xef\xbb\xbfdate,confirmed\r\n2021-04-01,1\r\n\r\n2021-04-02,3\r\n")
    assert cases.regions[0].new_cases.tolist() == [2]


def test_rows_after_until_are_never_read_beyond_their_date():
    head = ["date,state,confirmed", "2021-04-01,Delhi,100", "2021-04-02,Delhi,130"]
    clean = read_cases(csv_bytes(*head, "2021-04-03,Delhi,180"), until=date(2021, 4, 2))
    odd = read_cases(
        csv_bytes(*head, "2021-04-03,,oops", "2021-04-04,Delhi,5"), until=date(2021, 4, 2)
    )
    assert clean.regions[0].new_cases.tolist() == odd.regions[0].new_cases.tolist() == [30]
    assert odd.regions[0].end == date(2021, 4, 2)


def test_a_gap_that_spans_until_is_not_filled_from_the_later_row():
    content = csv_bytes("date,confirmed", "2021-04-01,0", "2021-04-02,10", "2021-04-10,90")
    cut = read_cases(content, until=date(2021, 4, 5)).regions[0]
    assert cut.end == date(2021, 4, 2) and cut.new_cases.tolist() == [10]


def test_a_region_with_a_single_report_has_no_daily_series_yet():
    cases = read_cases(
        csv_bytes("date,state,confirmed", "2021-04-01,A,1", "2021-04-02,A,2", "2021-04-02,B,7")
    )
    assert [r.region for r in cases.regions] == ["A"]


def test_an_excel_workbook_reads_like_the_csv():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["date", "district", "confirmed"])
    sheet.append([datetime(2021, 4, 1), "Agra", 10])
    sheet.append(["2021-04-02", "Agra", 15.0])
    sheet.append([datetime(2021, 4, 3), "Agra", 12.5])  # row 4: not a whole number
    buffer = io.BytesIO()
    book.save(buffer)
    assert problems(buffer.getvalue()) == [(4, "confirmed")]

    sheet.delete_rows(4)
    buffer = io.BytesIO()
    book.save(buffer)
    agra = read_cases(buffer.getvalue()).region("Agra")
    assert agra.new_cases.tolist() == [5] and isinstance(agra.new_cases, np.ndarray)

    sheet.append([datetime(2021, 4, 3, 10, 30), "Agra", 21])  # a date cell with a time of day
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_cases(buffer.getvalue()).region("Agra").new_cases.tolist() == [5, 6]
