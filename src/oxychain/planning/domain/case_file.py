"""A case file's rows: cumulative confirmed cases per region and date, as reported.

Pure: numbered rows of text in (the service reads the CSV or workbook), counts out. The
file has one row per region and date with columns ``date`` (ISO ``YYYY-MM-DD``),
``confirmed`` (cumulative count) and a region column; any other columns are ignored.
The region column is the first of ``district``, ``region``, ``state`` that is present
(the most local wins) and says the file's level; a file with none, like the national
series, is one region named ``default_region``.

Rows dated after ``until`` are dropped before anything else: only their date is read, so
they can never influence what follows. Every bad row is listed, with its row number as a
spreadsheet shows it (header = 1) and its column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from oxychain.core.errors import DomainError, FileRejected, InvalidInput

REGION_COLUMNS = ("district", "region", "state")  # most local first
MAX_ERRORS_SHOWN = 20
# Problems kept for the answer; the rest are only counted (a hostile file of a million bad
# rows must not become a million-line answer).
MAX_ERRORS_KEPT = 100
NATIONAL_REGION = "India"
# A date, or an Excel date cell that carries a time of day (the date is what counts).
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?")
_WHOLE = re.compile(r"\d+(\.0*)?")

Rows = Iterable[tuple[int, list[str]]]


class Level(StrEnum):
    """What a series counts: one district, a state, or the whole country."""

    NATIONAL = "national"
    STATE = "state"
    DISTRICT = "district"


LEVEL_OF_COLUMN = {"district": Level.DISTRICT, "state": Level.STATE, "region": Level.STATE}


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

    def __init__(self, errors: list[RowError], count: int | None = None) -> None:
        count = len(errors) if count is None else count
        shown = "\n".join(f"  {e}" for e in errors[:MAX_ERRORS_SHOWN])
        more = count - min(len(errors), MAX_ERRORS_SHOWN)
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"case file has {count} error(s):\n{shown}{tail}", count=count)
        self.errors = errors[:MAX_ERRORS_KEPT]
        self.count = count


class _Problems(list):
    """The problems found: the first ``MAX_ERRORS_KEPT`` kept, every one counted."""

    count = 0

    def append(self, error: RowError) -> None:  # type: ignore[override]
        self.count += 1
        if len(self) < MAX_ERRORS_KEPT:
            super().append(error)


def unreadable(message: str) -> CaseFileError:
    """The file as a whole cannot be read (empty, binary, not UTF-8, an old .xls)."""
    return CaseFileError([RowError(None, None, message)])


@dataclass(frozen=True)
class Reports:
    """The counts of a case file as reported: region → date → (row, cumulative count)."""

    region_column: str | None
    counts: dict[str, dict[date, tuple[int, float]]]

    @property
    def level(self) -> Level:
        return LEVEL_OF_COLUMN.get(self.region_column or "", Level.NATIONAL)


def read_reports(
    rows: Rows, *, until: date | None = None, default_region: str = NATIONAL_REGION
) -> Reports:
    """Validate a case file's rows (module rules) and return its counts as reported, each
    with its row; ``CaseFileError`` lists every bad row."""
    numbered = [(i, cells) for i, cells in rows if any(c.strip() for c in cells)]
    if not numbered:
        raise unreadable("the file is empty")
    (_, header), body = numbered[0], numbered[1:]
    columns = {name.strip().lower(): i for i, name in enumerate(header)}
    errors = _Problems()
    for name in ("date", "confirmed"):
        if name not in columns:
            errors.append(RowError(1, name, "required column is missing"))
    if errors:
        raise CaseFileError(errors, errors.count)
    region_column = next((c for c in REGION_COLUMNS if c in columns), None)

    def cell(cells: list[str], name: str) -> str:
        i = columns[name]
        return cells[i].strip() if i < len(cells) else ""

    reports: dict[str, dict[date, tuple[int, float]]] = {}
    for row_no, cells in body:
        day = _parse_date(cell(cells, "date"), row_no, errors)
        if day is None or (until is not None and day > until):
            continue
        region = cell(cells, region_column) if region_column else default_region
        if region_column and not region:
            errors.append(RowError(row_no, region_column, "region name is empty"))
            continue
        count = _parse_count(cell(cells, "confirmed"), row_no, errors)
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
        raise CaseFileError(errors, errors.count)
    return Reports(region_column, reports)


def counts_to_keep(
    reports: Reports, district_name: Callable[[str], str]
) -> list[tuple[str, date, int]]:
    """(region, day, count) rows to store, all or none: a district file's names must be
    districts (``district_name`` gives the official name, or raises a DomainError), and
    two spellings of one district may not report the same day."""
    out, errors = [], []
    for region, counts in sorted(reports.counts.items()):
        name = region
        if reports.level is Level.DISTRICT:
            try:
                name = district_name(region)
            except DomainError as exc:  # unknown, or a former name of two districts
                first = min(row for row, _ in counts.values())
                errors.append((first, "district", exc.message))
                continue
        out += [(name[:80], day, int(count)) for day, (_row, count) in sorted(counts.items())]
    seen: set[tuple[str, date]] = set()
    for region, day, _ in out if not errors else ():
        if (region, day) in seen:  # two spellings of one district on the same day
            errors.append((None, "district", f"{region} {day} is given twice"))
            break
        seen.add((region, day))
    if errors:
        raise FileRejected(
            "The file has {count} problems; nothing was imported.",
            rows=errors[:MAX_ERRORS_KEPT],
            count=len(errors),
        )
    if not out:
        raise InvalidInput("The file has no counts; nothing was imported.")
    return out


def import_figures(level: Level, rows: list[tuple[str, date, int]]) -> dict:
    """What an import says of the counts it stores: level, counts, regions and dates."""
    days = [day for _, day, _ in rows]
    return {
        "level": Level(level).value,
        "rows": len(rows),
        "regions": len({region for region, _, _ in rows}),
        "first_date": min(days),
        "last_date": max(days),
    }


def _parse_date(text: str, row: int, errors: list[RowError]) -> date | None:
    if match := _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            pass
    shown = f"'{text[:40]}'" if text else "empty"
    errors.append(RowError(row, "date", f"{shown} is not a date in YYYY-MM-DD form"))
    return None


def _parse_count(text: str, row: int, errors: list[RowError]) -> float | None:
    if not text:
        errors.append(RowError(row, "confirmed", "count is missing"))
        return None
    number = float(text) if _WHOLE.fullmatch(text) else math.nan
    if not math.isfinite(number) or number < 0 or number != int(number):
        errors.append(RowError(row, "confirmed", f"'{text[:40]}' is not a whole number >= 0"))
        return None
    return number
