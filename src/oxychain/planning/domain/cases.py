"""Case counts: read a CSV or Excel file of cumulative confirmed cases into daily series.

Pure: bytes in, plain data out. The file has one row per region and date with columns
``date`` (ISO ``YYYY-MM-DD``), ``confirmed`` (cumulative count) and a region column;
any other columns are ignored. The region column is the first of ``district``, ``region``,
``state`` that is present (the most local wins); a file with none, like the national
series, is one region named ``default_region``.

Rules applied to the counts, each chosen so a forecast sees daily incidence as reported:

* Missing days between two reports are filled by spreading the increase evenly (linear
  interpolation of the cumulative count); a weekly-reporting district then reads as a
  smooth daily series instead of one spike a week.
* A fall in the cumulative count is a correction of earlier over-reporting (covid19india
  lists three for Maharashtra). That day's new cases are set to zero and later days are
  counted from the corrected value, so the days that follow stay right; each such day is
  listed in ``CaseSeries.corrections``.
* Rows dated after ``until`` are dropped before anything else: only their date is read,
  so they can never influence what follows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from oxychain.core.errors import InvalidInput

REGION_COLUMNS = ("district", "region", "state")  # most local first
MAX_ERRORS_SHOWN = 20
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class RowError:
    """One problem in the file; ``row`` is the line number a spreadsheet shows (header = 1)."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row is not None else "",
                f"column '{self.column}'" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class CaseFileError(InvalidInput):
    """The case file cannot be used; ``errors`` lists every problem found."""

    code = "case_file_invalid"

    def __init__(self, errors: list[RowError]) -> None:
        shown = "\n".join(f"  {e}" for e in errors[:MAX_ERRORS_SHOWN])
        more = len(errors) - MAX_ERRORS_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"case file has {len(errors)} error(s):\n{shown}{tail}", count=len(errors))
        self.errors = errors


@dataclass(frozen=True)
class Correction:
    """A day whose cumulative count fell: ``drop`` cases were taken back by the source."""

    region: str
    date: date
    row: int
    drop: int


@dataclass(frozen=True)
class RegionSeries:
    """Daily new confirmed cases of one region.

    ``new_cases[i]`` is the count for ``start + i`` days; the first reported row is the
    baseline (its cumulative count is ``baseline``), so ``start`` is the day after it.
    """

    region: str
    start: date
    new_cases: np.ndarray = field(repr=False)
    baseline: float = 0.0

    @property
    def end(self) -> date:
        """The last day with a count."""
        return self.start + timedelta(days=len(self.new_cases) - 1)

    @property
    def cumulative(self) -> np.ndarray:
        """Cumulative confirmed cases by day, after the corrections above."""
        return self.baseline + np.cumsum(self.new_cases)

    def until(self, as_of: date) -> RegionSeries:
        """The same series cut after ``as_of`` (inclusive)."""
        keep = max(0, min(len(self.new_cases), (as_of - self.start).days + 1))
        return RegionSeries(self.region, self.start, self.new_cases[:keep], self.baseline)


@dataclass(frozen=True)
class CaseSeries:
    """What a case file holds: one daily series per region, and the corrections made."""

    regions: tuple[RegionSeries, ...]
    region_column: str | None
    corrections: tuple[Correction, ...] = ()

    def region(self, name: str) -> RegionSeries:
        for series in self.regions:
            if series.region == name:
                return series
        raise KeyError(name)


def read_cases(
    content: bytes, *, until: date | None = None, default_region: str = "India"
) -> CaseSeries:
    """Validate a CSV or ``.xlsx`` file of cumulative cases and return daily series.

    Raises ``CaseFileError`` listing every bad row (row number and column named).
    """
    reports = read_reports(content, until=until, default_region=default_region)
    series, corrections = [], []
    for region in sorted(reports.counts):
        built, fixed = _daily(region, reports.counts[region])
        if built is not None:
            series.append(built)
        corrections.extend(fixed)
    return CaseSeries(tuple(series), reports.region_column, tuple(corrections))


@dataclass(frozen=True)
class Reports:
    """The counts of a case file as reported: region → date → (row, cumulative count)."""

    region_column: str | None
    counts: dict[str, dict[date, tuple[int, float]]]


def read_reports(
    content: bytes, *, until: date | None = None, default_region: str = "India"
) -> Reports:
    """Validate a case file (rules of `read_cases`) and return its counts as reported,
    each with its row; ``CaseFileError`` lists every bad row."""
    header, rows = _table(content)
    columns = {name.strip().lower(): i for i, name in enumerate(header) if name is not None}
    errors = [
        RowError(1, name, "required column is missing")
        for name in ("date", "confirmed")
        if name not in columns
    ]
    if errors:
        raise CaseFileError(errors)
    region_column = next((c for c in REGION_COLUMNS if c in columns), None)

    reports: dict[str, dict[date, tuple[int, float]]] = {}  # region -> date -> (row, count)
    for row_no, cells in rows:

        def cell(name: str, cells: tuple = cells) -> object:
            i = columns[name]
            return cells[i] if i < len(cells) else None

        day = _parse_date(cell("date"), row_no, errors)
        if day is None or (until is not None and day > until):
            continue
        region = default_region
        if region_column is not None:
            region = str(cell(region_column) or "").strip()
            if not region:
                errors.append(RowError(row_no, region_column, "region name is empty"))
                continue
        count = _parse_count(cell("confirmed"), row_no, errors)
        if count is None:
            continue
        seen = reports.setdefault(region, {})
        if day in seen:
            errors.append(
                RowError(row_no, "date", f"{region} {day} already given in row {seen[day][0]}")
            )
            continue
        seen[day] = (row_no, count)
    if errors:
        raise CaseFileError(errors)
    return Reports(region_column, reports)


def series_from_counts(region: str, counts: dict[date, float]) -> RegionSeries | None:
    """The daily series of stored cumulative counts (rules of the module doc); None with
    fewer than two counts."""
    built, _ = _daily(region, {day: (0, float(c)) for day, c in counts.items()})
    return built


def _daily(
    region: str, reports: dict[date, tuple[int, float]]
) -> tuple[RegionSeries | None, list[Correction]]:
    """Daily new cases from the reported cumulative counts (rules in the module doc)."""
    days = sorted(reports)
    if len(days) < 2:
        return None, []  # one report is a baseline with no day after it
    first = days[0]
    offsets = np.array([(d - first).days for d in days], dtype=float)
    counts = np.array([reports[d][1] for d in days], dtype=float)
    cumulative = np.interp(np.arange(offsets[-1] + 1), offsets, counts)
    new_cases = np.maximum(np.diff(cumulative), 0.0)
    corrections = [
        Correction(region, d, reports[d][0], int(round(prev - now)))
        for d, prev, now in zip(days[1:], counts[:-1], counts[1:], strict=True)
        if now < prev
    ]
    start = first + timedelta(days=1)
    return RegionSeries(region, start, new_cases, float(counts[0])), corrections


def _table(content: bytes) -> tuple[list, list[tuple[int, tuple]]]:
    """Header and numbered non-empty rows of a CSV or the first sheet of an xlsx file."""
    if content.startswith(_XLS_MAGIC):
        raise CaseFileError([RowError(None, None, "old .xls files are not read: save as .xlsx")])
    if content.startswith(_XLSX_MAGIC):
        table = _xlsx_rows(content)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CaseFileError(
                [RowError(None, None, f"not UTF-8 text (byte {exc.start}); save the CSV as UTF-8")]
            ) from None
        table = [tuple(r) for r in csv.reader(io.StringIO(text, newline=""))]
    numbered = [(i, r) for i, r in enumerate(table, start=1) if not all(_blank(c) for c in r)]
    if not numbered:
        raise CaseFileError([RowError(None, None, "the file is empty")])
    (_, header), rows = numbered[0], numbered[1:]
    return [None if c is None else str(c) for c in header], rows


def _xlsx_rows(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook  # only Excel uploads need it

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise CaseFileError([RowError(None, None, f"cannot read the Excel file: {exc}")]) from None
    try:
        return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_date(value: object, row: int, errors: list[RowError]) -> date | None:
    if isinstance(value, datetime):  # Excel date cells
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    shown = f"'{text}'" if text else "empty"
    errors.append(RowError(row, "date", f"{shown} is not a date in YYYY-MM-DD form"))
    return None


def _parse_count(value: object, row: int, errors: list[RowError]) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):  # Excel number cells
        number = float(value)
    else:
        text = "" if value is None else str(value).strip()
        if not text:
            errors.append(RowError(row, "confirmed", "count is missing"))
            return None
        number = float(text) if re.fullmatch(r"\d+(\.0*)?", text) else float("nan")
    if not np.isfinite(number) or number < 0 or number != int(number):
        errors.append(RowError(row, "confirmed", f"'{value}' is not a whole number >= 0"))
        return None
    return number
