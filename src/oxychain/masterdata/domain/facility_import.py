"""A real facility list (rows of a CSV or Excel sheet) as facility records.

The sheet has a header row with the columns ``code, name, kind, district, beds``
(required) and ``name_hi, lat, lon`` (optional), in any order and any case. Every
problem is reported with the row number a person sees in the sheet (the header is
row 1 when it is the first row), so the file can be fixed in one pass. The caller must
import nothing while ``errors`` is non-empty (all-or-nothing) and checks codes against
the database itself.

The rows come already read (``core.tabular``, called by the services): this module never
sees bytes or a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from oxychain.core.errors import DomainError
from oxychain.masterdata.domain.facilities import FacilityKind, FacilitySpec, parse_kind
from oxychain.masterdata.domain.geography import District, DistrictLookup, load_up_districts

DEFAULT_MAX_ERRORS = 200

REQUIRED_COLUMNS = ("code", "name", "kind", "district", "beds")
OPTIONAL_COLUMNS = ("name_hi", "lat", "lon")
_COLUMN_ALIASES = {"latitude": "lat", "longitude": "lon", "lng": "lon", "hindi_name": "name_hi"}

CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:-]{0,49}")
MAX_NAME_CHARS = 200
# Sanity cap, not a norm: India's largest public hospitals have a few thousand beds.
MAX_BEDS = 5000
# Uttar Pradesh spans about 23.9-30.4 N and 77.1-84.6 E; half a degree of margin.
# Catches swapped or mistyped coordinates, not a point in the wrong district.
LAT_RANGE = (23.4, 30.9)
LON_RANGE = (76.6, 85.1)

Rows = Iterable[tuple[int, list[str]]]


class RowError(NamedTuple):
    """One problem: ``row`` as counted in the sheet (None: the whole file), ``column``
    (None: the whole row or file), an English ``message`` and a stable ``code``."""

    row: int | None
    column: str | None
    message: str
    code: str


@dataclass(frozen=True)
class ImportResult:
    """Rows that parsed, and every error (the first ``max_errors`` of ``error_count``).

    ``rows`` holds only error-free rows, so the caller can check them against the
    database; it must import none of them unless ``ok``.
    """

    rows: list[FacilitySpec]
    errors: list[RowError]
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def truncated(self) -> bool:
        return self.error_count > len(self.errors)

    @classmethod
    def refused(cls, message: str, code: str, row: int | None = None) -> ImportResult:
        """The file as a whole is refused: one error, no rows."""
        return cls([], [RowError(row, None, message, code)], 1)


@dataclass
class _Errors:
    cap: int
    kept: list[RowError] = field(default_factory=list)
    count: int = 0

    def add(self, row: int | None, column: str | None, message: str, code: str) -> None:
        self.count += 1
        if len(self.kept) < self.cap:
            self.kept.append(RowError(row, column, message, code))


class _Refused(Exception):
    """The sheet as a whole cannot be imported (no header, wrong columns, no rows)."""

    def __init__(self, message: str, code: str, row: int | None = None) -> None:
        super().__init__(message)
        self.result = ImportResult.refused(message, code, row)


def parse_facility_rows(
    rows: Rows,
    districts: Sequence[District] | None = None,
    *,
    max_errors: int = DEFAULT_MAX_ERRORS,
) -> ImportResult:
    """Parse a sheet's numbered rows; ``districts`` defaults to the 75 of Uttar Pradesh."""
    errors = _Errors(max_errors)
    table = iter(rows)
    try:
        header_row, header = _find_header(table)
        columns = _check_columns(header_row, header)
        lookup = DistrictLookup(load_up_districts() if districts is None else districts)
        parsed = _parse_rows(table, columns, lookup, errors)
    except _Refused as refused:
        return refused.result
    return ImportResult(parsed, errors.kept, errors.count)


def _find_header(table: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    for number, cells in table:
        if any(cells):
            return number, cells
    raise _Refused("The file has no header row and no facilities", "file_empty")


def _column_key(text: str) -> str:
    key = "_".join(text.casefold().replace("-", " ").split())
    return _COLUMN_ALIASES.get(key, key)


def _check_columns(header_row: int, header: list[str]) -> dict[str, int]:
    """Column name → position; one error naming every missing, unknown or repeated column."""
    columns: dict[str, int] = {}
    unknown, repeated = [], []
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    for position, cell in enumerate(header):
        key = _column_key(cell)
        if not key:
            continue  # spreadsheets often carry empty trailing header cells
        if key not in known:
            unknown.append(cell)
        elif key in columns:
            repeated.append(cell)
        else:
            columns[key] = position
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if not (missing or unknown or repeated):
        return columns
    problems = []
    if missing:
        problems.append("missing " + ", ".join(missing))
    if unknown:
        problems.append("unknown " + ", ".join(repr(c) for c in unknown))
    if repeated:
        problems.append("repeated " + ", ".join(repr(c) for c in repeated))
    hint = ""
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        hint = " The file seems to use ';' or tabs between columns; use commas."
    raise _Refused(
        f"Wrong columns in the header row: {'; '.join(problems)}. Required: "
        f"{', '.join(REQUIRED_COLUMNS)}; optional: {', '.join(OPTIONAL_COLUMNS)}.{hint}",
        "columns_invalid",
        row=header_row,
    )


def _parse_rows(
    table: Iterator[tuple[int, list[str]]],
    columns: dict[str, int],
    lookup: DistrictLookup,
    errors: _Errors,
) -> list[FacilitySpec]:
    parsed: list[FacilitySpec] = []
    first_row_of_code: dict[str, int] = {}
    seen_data = False
    for number, cells in table:
        if not any(cells):
            continue
        seen_data = True
        values = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
        before = errors.count
        if _extra_cells(cells, columns):
            errors.add(
                number, None, "The row has values in columns without a header", "row_extra_cells"
            )
        code = values["code"]
        if code:
            earlier = first_row_of_code.setdefault(code.casefold(), number)
            if earlier != number:
                errors.add(
                    number, "code", f"Code {code!r} is also on row {earlier}", "code_duplicate"
                )
        spec = _parse_row(number, values, lookup, errors)
        if spec is not None and errors.count == before:
            parsed.append(spec)
    if not seen_data:
        raise _Refused("The file has a header row but no facilities", "file_empty")
    return parsed


def _extra_cells(cells: list[str], columns: dict[str, int]) -> bool:
    used = set(columns.values())
    return any(value for i, value in enumerate(cells) if i not in used and value)


def _parse_row(
    number: int, values: dict[str, str], lookup: DistrictLookup, errors: _Errors
) -> FacilitySpec | None:
    """One row; every problem is added to ``errors`` (not just the first)."""
    before = errors.count
    code, name = values["code"], values["name"]
    name_hi = values.get("name_hi", "")
    if not code:
        errors.add(number, "code", "Code is empty", "required")
    elif not CODE_PATTERN.fullmatch(code):
        errors.add(
            number,
            "code",
            "Code must be 1-50 letters, digits or . _ / : - "
            "(no spaces), starting with a letter or digit",
            "code_invalid",
        )
    for column, text, required in (("name", name, True), ("name_hi", name_hi, False)):
        if required and not text:
            errors.add(number, column, "Name is empty", "required")
        elif len(text) > MAX_NAME_CHARS:
            errors.add(number, column, f"Longer than {MAX_NAME_CHARS} characters", "too_long")
    kind = _row_kind(number, values["kind"], errors)
    district = _row_district(number, values["district"], lookup, errors)
    beds = _row_beds(number, values["beds"], errors)
    lat, lon = _row_point(number, values.get("lat", ""), values.get("lon", ""), errors)
    if errors.count != before or kind is None or district is None or beds is None:
        return None
    return FacilitySpec(code, name, name_hi or None, kind, district.code, beds, lat, lon, False)


def _row_kind(number: int, text: str, errors: _Errors) -> FacilityKind | None:
    if not text:
        errors.add(number, "kind", "Kind is empty", "required")
        return None
    kind = parse_kind(text)
    if kind is None:
        errors.add(number, "kind", f"Unknown kind {text!r}; use DH, CHC or PHC", "kind_unknown")
    elif kind is FacilityKind.HOME:
        errors.add(
            number, "kind", "A home is not a facility; homes come with loans", "kind_not_importable"
        )
        return None
    return kind


def _row_district(
    number: int, text: str, lookup: DistrictLookup, errors: _Errors
) -> District | None:
    if not text:
        errors.add(number, "district", "District is empty", "required")
        return None
    try:
        return lookup.find(text)
    except DomainError as exc:
        errors.add(number, "district", exc.message, exc.code)
        return None


def _row_beds(number: int, text: str, errors: _Errors) -> int | None:
    if not text:
        errors.add(number, "beds", "Beds is empty", "required")
        return None
    try:
        beds = Decimal(text)
    except InvalidOperation:
        beds = None
    if beds is None or not beds.is_finite() or beds != beds.to_integral_value():
        errors.add(number, "beds", f"Beds must be a whole number, not {text!r}", "beds_invalid")
        return None
    if not 0 <= beds <= MAX_BEDS:
        errors.add(number, "beds", f"Beds must be between 0 and {MAX_BEDS}", "beds_invalid")
        return None
    return int(beds)


def _row_point(
    number: int, lat_text: str, lon_text: str, errors: _Errors
) -> tuple[float | None, float | None]:
    if not lat_text and not lon_text:
        return None, None
    if not (lat_text and lon_text):
        missing = "lon" if lat_text else "lat"
        errors.add(number, missing, "Give both lat and lon, or neither", "point_incomplete")
        return None, None
    point = []
    bounds = (("lat", lat_text, LAT_RANGE), ("lon", lon_text, LON_RANGE))
    for column, text, (low, high) in bounds:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not low <= value <= high:  # NaN fails too
            errors.add(
                number,
                column,
                f"{column} {text!r} is not in Uttar Pradesh ({low}-{high}, decimal degrees)",
                "point_invalid",
            )
        point.append(value)
    return point[0], point[1]
