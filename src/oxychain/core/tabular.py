"""Reading an uploaded table (CSV in UTF-8, or the first sheet of an .xlsx workbook) into
numbered rows of text, bounded before any parsing: bytes, the workbook's unpacked size (a
zip bomb is refused before openpyxl sees it), and binary or mis-encoded text; and bounded
while the rows stream out: their number, their width, and the client still waiting.

Every import (facilities, serial lists, case counts, suppliers) reads its file here; what
the rows mean is the area's domain. A refusal is ``TableRejected`` with a stable ``code``
and an English message that the caller translates or maps to its own words. The rows come
lazily, so a refusal may also come while they are read: callers parse inside their
``except TableRejected``. ``cancelled`` is asked between batches of rows; when it says
yes (the client went away), ``Cancelled`` stops the import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

from oxychain.core.errors import DomainError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
# A row wider than this is no list a person keeps (a stray cell at column XFD would
# otherwise make openpyxl hand over 16,384 empty cells for every row).
MAX_COLUMNS = 200
# An .xlsx is a zip; its XML may unpack to this many times the upload limit, and no more
# (25 MB for 5 MB: some 70,000 rows of ten columns). openpyxl reads a sheet that does not
# state its size through once on opening, before the first row: this bounds that too.
MAX_UNZIPPED_RATIO = 5
MAX_OPENED_RATIO = 2  # the parts read whole on opening (shared text, styles), together
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
CHECK_EVERY_ROWS = 500  # how often a long read asks whether its client is still there

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls and other OLE files
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # text has none but \t \n \r

Rows = Iterator[tuple[int, list[str]]]


class TableRejected(Exception):
    """The file as a whole cannot be read; ``code`` says why (file_too_large,
    file_too_many_rows, file_too_wide, file_empty, file_type_unsupported, file_unreadable,
    file_not_utf8)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class Cancelled(DomainError):
    """The client went away while its file was read; nothing was stored."""

    code = "cancelled"


def read_table(
    data: bytes,
    filename: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    cancelled: Callable[[], bool] | None = None,
) -> Rows:
    """(row number as a spreadsheet counts it, cells as trimmed text) for every row, lazily.

    The kind is the file name's suffix (.csv or .xlsx); a name without one is read by its
    content (a zip is a workbook, anything else CSV). ``max_rows=None`` reads any number
    (the command line, on a file its user chose)."""
    return _bounded(_rows(data, filename, max_bytes), max_rows, cancelled)


def _bounded(rows: Rows, max_rows: int | None, cancelled: Callable[[], bool] | None) -> Rows:
    for number, cells in rows:
        if max_rows is not None and number > max_rows:
            raise TableRejected(f"The file has more than {max_rows:,} rows", "file_too_many_rows")
        if number % CHECK_EVERY_ROWS == 0 and cancelled is not None and cancelled():
            raise Cancelled("The upload was cancelled; nothing was imported.")
        yield number, cells


def _rows(data: bytes, filename: str, max_bytes: int) -> Rows:
    if len(data) > max_bytes:
        raise TableRejected(
            f"The file is {len(data):,} bytes; the limit is {max_bytes:,} bytes", "file_too_large"
        )
    if not data.strip():
        raise TableRejected("The file is empty", "file_empty")
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.casefold()
    if not suffix:
        suffix = ".xlsx" if data.startswith(_ZIP_MAGIC) else ".csv"
    if suffix == ".xlsx":
        return _xlsx_rows(data, max_bytes)
    if suffix == ".xls" or data.startswith(_OLE_MAGIC):
        raise TableRejected(
            "Excel 97-2003 (.xls) files are not read; save the sheet as .xlsx or CSV UTF-8",
            "file_type_unsupported",
        )
    if suffix == ".csv":
        return _csv_rows(data)
    raise TableRejected(
        f"Upload a .csv (UTF-8) or .xlsx file, not {suffix}", "file_type_unsupported"
    )


def _csv_rows(data: bytes) -> Rows:
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)) or b"\x00" in data:
        raise TableRejected(
            "The file is not CSV text (it looks binary or UTF-16); save it as CSV UTF-8",
            "file_unreadable",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableRejected(
            f"The file is not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8",
            "file_not_utf8",
        ) from None
    if _CONTROL_CHARS.search(text):
        raise TableRejected("The file holds binary content, not CSV text", "file_unreadable")
    if not text.strip():
        raise TableRejected("The file is empty", "file_empty")
    return _csv_records(text)


def _csv_records(text: str) -> Rows:
    # Records, not lines: a quoted cell may hold a line break, and a spreadsheet shows the
    # record as one row.
    records = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        try:
            row = next(records)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TableRejected(f"The file is not valid CSV: {exc}", "file_unreadable") from None
        number += 1
        yield number, _narrow([cell.strip() for cell in row])


def _narrow(cells: list[str]) -> list[str]:
    """The row without its trailing empty cells; refused when still too wide."""
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) > MAX_COLUMNS:
        raise TableRejected(f"A row has more than {MAX_COLUMNS} columns", "file_too_wide")
    return cells


def _xlsx_rows(data: bytes, max_bytes: int) -> Rows:
    import openpyxl  # only workbooks need it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [(info.filename, info.file_size) for info in archive.infolist()]
    except (zipfile.BadZipFile, ValueError, OSError):
        raise TableRejected("The file is not a valid .xlsx workbook", "file_unreadable") from None
    # openpyxl reads every part but the sheets (shared text, styles) whole when it opens
    # the workbook, before a row can be counted or a client's leaving noticed: those parts
    # get a tighter bound than the sheets, which are read row by row.
    opened = sum(size for name, size in parts if not _SHEET_PART.match(name))
    if (
        sum(size for _, size in parts) > max_bytes * MAX_UNZIPPED_RATIO
        or opened > max_bytes * MAX_OPENED_RATIO
    ):
        raise TableRejected(
            "The workbook unpacks to more than the size limit allows", "file_too_large"
        )
    return _sheet_rows(data, openpyxl)


def _sheet_rows(data: bytes, openpyxl) -> Rows:  # noqa: ANN001 - the module, imported lazily
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types on a damaged workbook; all mean the same
        raise TableRejected("The file is not a valid .xlsx workbook", "file_unreadable") from None
    try:
        sheet = workbook.worksheets[0]
        # Some writers store a wrong sheet size; recount rather than trust it. The widest
        # row read is the limit's: a stray far cell adds no empty ones.
        sheet.reset_dimensions()
        values = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        number = 0
        while True:
            try:
                row = next(values)
            except StopIteration:
                return
            except Exception:  # a damaged sheet part, met mid-way
                raise TableRejected(
                    "The file is not a valid .xlsx workbook", "file_unreadable"
                ) from None
            number += 1
            end = len(row)  # rows come padded to the limit's width: drop the empty tail
            while end and row[end - 1] is None:
                end -= 1
            yield number, _narrow([cell_text(v) for v in row[:end]])
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A workbook cell as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 30 as 30.0
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()  # a date cell
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
