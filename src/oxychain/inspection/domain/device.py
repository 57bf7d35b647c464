"""The device registry: every concentrator by serial, and its quality (QA) status.

A device enters the registry when its supplier offers it for inspection, from a CSV or
Excel list of serials (columns ``serial, make, model, manufactured_on``). The list is
taken whole or not at all: every problem is reported with the row a person sees in the
sheet, a serial twice in the file or already anywhere in the registry is refused, and a
file that is not a table is refused as a whole. The file is read into rows of text by
``services.serials`` (with ``core.tabular``: CSV and .xlsx, the size cap and the zip-bomb
cap); what the rows mean is decided here.

The QA status is the inspection's verdict on the unit. Only an ``accepted`` device is
dispatchable (issue 4: "a device from a rejected lot is never dispatchable"); the database
enforces the same with a composite foreign key on (id, qa_status) (var/coord/inspection.md).
What happens to a device after dispatch is the distribution area's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from oxychain.core.errors import FileRejected, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle


class QaStatus(StrEnum):
    OFFERED = "offered"  # in a lot under inspection
    ACCEPTED = "accepted"  # its lot was accepted and it did not fail a test
    REJECTED = "rejected"  # its lot was rejected, or it failed its test
    REPLACED = "replaced"  # failed in an accepted lot and replaced by another serial


QA = Lifecycle(
    "device",
    QaStatus,
    {
        "accept": ((QaStatus.OFFERED,), QaStatus.ACCEPTED),
        "reject": ((QaStatus.OFFERED,), QaStatus.REJECTED),
        "replace": ((QaStatus.REJECTED,), QaStatus.REPLACED),  # a failed unit of an accepted lot
    },
    message=N_("Device {serial} is {status}: it cannot become {target}."),
)


def is_dispatchable(qa_status: QaStatus | str) -> bool:
    """Only an accepted device may go on a dispatch line."""
    return QaStatus(qa_status) is QaStatus.ACCEPTED


# --- the serial list ------------------------------------------------------------------

REQUIRED_COLUMNS = ("serial", "make", "model", "manufactured_on")
_COLUMN_ALIASES = {
    "serial_no": "serial",
    "serial_number": "serial",
    "sr_no": "serial",
    "manufacture_date": "manufactured_on",
    "date_of_manufacture": "manufactured_on",
    "mfg_date": "manufactured_on",
}
SERIAL_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9._/-]{2,39}")
MAX_TEXT_CHARS = 80
EARLIEST_MANUFACTURE = dt.date(2000, 1, 1)
DEFAULT_MAX_ERRORS = 200
NO_ROWS = N_("The file is empty.")


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` as counted in the sheet (None: the whole file), ``column``
    (None: the whole row or file), an English ``template`` and its ``params``."""

    row: int | None
    column: str | None
    template: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template.format(**self.params) if self.params else self.template


@dataclass(frozen=True)
class DeviceSpec:
    row: int
    serial: str
    make: str
    model: str
    manufactured_on: dt.date


@dataclass(frozen=True)
class SerialList:
    """The rows that parsed and every error (the first ``max_errors`` of ``error_count``)."""

    devices: list[DeviceSpec]
    errors: list[RowError]
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Errors:
    cap: int
    kept: list[RowError] = field(default_factory=list)
    count: int = 0

    def add(self, at: int | None, column: str | None, template: str, **params: object) -> None:
        self.count += 1
        if len(self.kept) < self.cap:
            self.kept.append(RowError(at, column, template, params))


def normal_serial(text: str) -> str:
    """Serials are compared and stored trimmed and upper-case."""
    return text.strip().upper()


def parse_serial_rows(
    table: Iterable[tuple[int, list[str]]],
    *,
    latest: dt.date,
    max_errors: int = DEFAULT_MAX_ERRORS,
) -> SerialList:
    """A supplier's serial list from the rows of its file, each (row number as the sheet
    counts it, cell texts); ``latest`` is the last possible manufacture date. The first
    row with any text is the header."""
    rows = iter(table)
    errors = _Errors(max_errors)
    header = next(((number, cells) for number, cells in rows if any(cells)), None)
    if header is None:
        return SerialList([], [RowError(None, None, NO_ROWS)], 1)
    try:
        columns = _columns(*header)
    except _WrongColumns as wrong:
        return SerialList([], [wrong.error], 1)
    devices = _rows(rows, columns, latest, errors)
    if not devices and not errors.count:
        errors.add(header[0], None, N_("The file has a header row but no serials."))
    return SerialList(devices, errors.kept, errors.count)


class _WrongColumns(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


def _column_key(text: str) -> str:
    key = "_".join(text.casefold().replace("-", " ").split())
    return _COLUMN_ALIASES.get(key, key)


def _columns(number: int, header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for position, cell in enumerate(header):
        key = _column_key(cell)
        if key in REQUIRED_COLUMNS and key not in columns:
            columns[key] = position
        elif key:
            unknown.append(cell)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing or unknown:
        raise _WrongColumns(
            RowError(
                number,
                None,
                N_(
                    "Wrong columns in the header row: missing {missing}; not expected "
                    "{unknown}. The columns are serial, make, model, manufactured_on."
                ),
                {"missing": ", ".join(missing) or "—", "unknown": ", ".join(unknown) or "—"},
            )
        )
    return columns


def _rows(
    table: Iterator[tuple[int, list[str]]],
    columns: dict[str, int],
    latest: dt.date,
    errors: _Errors,
) -> list[DeviceSpec]:
    devices: list[DeviceSpec] = []
    first_row: dict[str, int] = {}
    for number, cells in table:
        if not any(cells):
            continue
        values = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
        before = errors.count
        if any(v for i, v in enumerate(cells) if i not in columns.values()):
            errors.add(number, None, N_("The row has values in columns without a header."))
        serial = _serial(number, values["serial"], errors)
        if serial:
            earlier = first_row.setdefault(serial, number)
            if earlier != number:
                errors.add(
                    number,
                    "serial",
                    N_("Serial {serial} is also on row {row}."),
                    serial=serial,
                    row=earlier,
                )
        make = _text(number, "make", values["make"], errors)
        model = _text(number, "model", values["model"], errors)
        made = _date(number, values["manufactured_on"], latest, errors)
        if errors.count == before and serial and make and model and made:
            devices.append(DeviceSpec(number, serial, make, model, made))
    return devices


def _serial(number: int, text: str, errors: _Errors) -> str | None:
    serial = normal_serial(text)
    if not serial:
        errors.add(number, "serial", N_("Serial is empty."))
        return None
    if not SERIAL_PATTERN.fullmatch(serial):
        errors.add(
            number,
            "serial",
            N_("Serial {serial} is not 3-40 letters, digits or . _ / - (no spaces)."),
            serial=text[:60],
        )
        return None
    return serial


def _text(number: int, column: str, text: str, errors: _Errors) -> str | None:
    text = " ".join(text.split())
    if not text:
        errors.add(number, column, N_("This column is empty."))
        return None
    if len(text) > MAX_TEXT_CHARS:
        errors.add(number, column, N_("Longer than {n} characters."), n=MAX_TEXT_CHARS)
        return None
    return text


def parse_date(text: str) -> dt.date | None:
    """27-11-2026, 27/11/2026, 2026-11-27 or an Excel date cell (2026-11-27T00:00:00)."""
    text = text.strip()
    if "T" in text and text[:4].isdigit():
        text = text.split("T", 1)[0]
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _date(number: int, text: str, latest: dt.date, errors: _Errors) -> dt.date | None:
    if not text.strip():
        errors.add(number, "manufactured_on", N_("This column is empty."))
        return None
    made = parse_date(text)
    if made is None:
        errors.add(
            number,
            "manufactured_on",
            N_("Date {value} is not a date like 27-11-2026 or 2026-11-27."),
            value=text[:40],
        )
        return None
    if not EARLIEST_MANUFACTURE <= made <= latest:
        errors.add(
            number,
            "manufactured_on",
            N_("Manufacture date {value} is not between {first} and {last}."),
            value=made.strftime("%d-%m-%Y"),
            first=EARLIEST_MANUFACTURE.strftime("%d-%m-%Y"),
            last=latest.strftime("%d-%m-%Y"),
        )
        return None
    return made


def registered_errors(devices: Sequence[DeviceSpec], registered: Iterable[str]) -> list[RowError]:
    """A row error for each serial already in the registry (in any lot, of any supplier)."""
    taken = set(registered)
    return [
        RowError(
            d.row, "serial", N_("Serial {serial} is already in the registry."), {"serial": d.serial}
        )
        for d in devices
        if d.serial in taken
    ]


def serials_digest(serials: Iterable[str]) -> str:
    """SHA-256 over the sorted serials, one per line: the lot's serial list in one hash."""
    return hashlib.sha256("\n".join(sorted(serials)).encode()).hexdigest()


def rejection(errors: Sequence[RowError], count: int) -> FileRejected:
    """The refusal of a whole list; ``row_errors`` keeps the templates for translation."""
    more = count - len(errors)
    exc = FileRejected(
        "The file has {count} problems; nothing was stored.",
        rows=[(e.row, e.column, e.message) for e in errors],
        count=count,
    )
    exc.row_errors = list(errors)  # type: ignore[attr-defined]
    exc.more = max(more, 0)  # type: ignore[attr-defined]
    return exc


def single_device(
    serial: str, make: str, model: str, manufactured_on: dt.date, latest: dt.date
) -> DeviceSpec:
    """One device typed into a form (a replacement unit), checked like a row of a list."""
    errors = _Errors(DEFAULT_MAX_ERRORS)
    checked = _serial(1, serial, errors)
    make_text = _text(1, "make", make, errors)
    model_text = _text(1, "model", model, errors)
    made = _date(1, manufactured_on.isoformat(), latest, errors)
    if errors.kept:
        first = errors.kept[0]
        raise InvalidInput(first.template, field=first.column, **first.params)
    return DeviceSpec(1, checked or "", make_text or "", model_text or "", made or latest)
