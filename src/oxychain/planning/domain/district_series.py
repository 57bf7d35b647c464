"""A district series as public trackers published it: one row per district and day.

covid19india.org's ``districts.csv`` (columns ``Date,State,District,Confirmed,Recovered,
Deceased,Other,Tested``, cumulative counts, every state of India in one file) is the
model; ``date``, ``district`` and ``confirmed`` are required, ``state``, ``recovered``
and ``deceased`` read where present, other columns ignored. Header case does not matter.

Rows of other states are skipped (a corporation loads its own state from the national
file), and so are the trackers' entries that are not districts ("Unknown", "Other State",
quarantine centres): each is counted, so the import says what it left out. Recovered and
deceased, where given, must be whole numbers no larger than confirmed (a cumulative count
of the same people). The file is bounded: at most ``max_rows`` rows, and reading stops
at ``max_errors`` problems.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from oxychain.planning.domain.case_file import (
    CaseFileError,
    Reports,
    RowError,
    Rows,
    _parse_count,
    _parse_date,
    unreadable,
)

REQUIRED = ("date", "district", "confirmed")
# covid19india's entries in the district column that name no district (its FAQ:
# cases not yet assigned, travellers held in quarantine, residents of other states).
NOT_DISTRICTS = frozenset(
    {
        "unknown",
        "other state",
        "other states",
        "other region",
        "others",
        "airport quarantine",
        "railway quarantine",
        "foreign evacuees",
        "evacuees",
        "italians",
        "bsf camp",
        "capf personnel",
        "state pool",
    }
)


@dataclass(frozen=True)
class DistrictSeriesFile:
    """The counts kept, and what was left out: rows of other states, entries that are
    not districts (name -> rows)."""

    reports: Reports
    rows_read: int
    other_state_rows: int
    not_districts: dict[str, int]


def read_district_series(
    rows: Rows, *, state: str, max_rows: int, max_errors: int
) -> DistrictSeriesFile:
    """Counts of ``state``'s districts (module rules); ``CaseFileError`` lists the problems."""
    numbered = [(i, cells) for i, cells in rows if any(c.strip() for c in cells)]
    if not numbered:
        raise unreadable("the file is empty")
    (_, header), body = numbered[0], numbered[1:]
    if len(body) > max_rows:
        raise CaseFileError([RowError(None, None, f"more than {max_rows:,} rows")])
    columns = {name.strip().lower(): i for i, name in enumerate(header)}
    missing = [RowError(1, c, "required column is missing") for c in REQUIRED if c not in columns]
    if missing:
        raise CaseFileError(missing)

    def cell(cells: list[str], name: str) -> str:
        i = columns.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    errors: list[RowError] = []
    counts: dict[str, dict[date, tuple[int, float]]] = {}
    other_state, skipped = 0, Counter()
    for row_no, cells in body:
        if len(errors) >= max_errors:
            errors.append(RowError(row_no, None, f"stopped reading after {max_errors} problems"))
            break
        if "state" in columns and cell(cells, "state").casefold() != state.casefold():
            other_state += 1
            continue
        district = cell(cells, "district")
        if district.casefold() in NOT_DISTRICTS:
            skipped[district] += 1
            continue
        if not district:
            errors.append(RowError(row_no, "district", "district name is empty"))
            continue
        day = _parse_date(cell(cells, "date"), row_no, errors)
        confirmed = _parse_count(cell(cells, "confirmed"), row_no, errors)
        if (
            day is None
            or confirmed is None
            or not _others_fit(cells, cell, row_no, confirmed, errors)
        ):
            continue
        seen = counts.setdefault(district, {})
        if day in seen:
            errors.append(
                RowError(row_no, "date", f"{district} {day} already in row {seen[day][0]}")
            )
            continue
        seen[day] = (row_no, confirmed)
    if errors:
        raise CaseFileError(errors)
    if not counts:
        raise CaseFileError([RowError(None, "state", f"no district of {state} in the file")])
    return DistrictSeriesFile(Reports("district", counts), len(body), other_state, dict(skipped))


def _others_fit(cells, cell, row_no: int, confirmed: float, errors: list[RowError]) -> bool:  # noqa: ANN001
    fits = True
    for name in ("recovered", "deceased"):
        text = cell(cells, name)
        if not text:
            continue
        found: list[RowError] = []
        value = _parse_count(text, row_no, found)
        if value is None:
            errors.append(RowError(row_no, name, f"'{text}' is not a whole number >= 0"))
            fits = False
        elif value > confirmed:
            errors.append(RowError(row_no, name, f"{int(value)} is more than confirmed"))
            fits = False
    return fits
