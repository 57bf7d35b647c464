"""Reading an uploaded table (CSV in UTF-8, or the first sheet of an .xlsx workbook) into
numbered rows of text, bounded before any parsing: bytes, the workbook's unpacked size (a
zip bomb is refused before openpyxl sees it), and binary or mis-encoded text.

Every import (facilities, serial lists, case counts) reads its file here; what the rows
mean is the area's domain. A refusal is ``TableRejected`` with a stable ``code`` and an
English message that the caller translates or maps to its own words.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# An .xlsx is a zip; its XML may unpack to this many times the upload limit, and no more.
MAX_UNZIPPED_RATIO = 20

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls and other OLE files
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # text has none but \t \n \r

Rows = Iterator[tuple[int, list[str]]]


class TableRejected(Exception):
    """The file as a whole cannot be read; ``code`` says why (file_too_large, file_empty,
    file_type_unsupported, file_unreadable, file_not_utf8)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def read_table(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Rows:
    """(row number as a spreadsheet counts it, cells as trimmed text) for every row.

    The kind is the file name's suffix (.csv or .xlsx); a name without one is read by its
    content (a zip is a workbook, anything else CSV)."""
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
    try:
        # Records, not lines: a quoted cell may hold a line break, and a spreadsheet
        # shows the record as one row.
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise TableRejected(f"The file is not valid CSV: {exc}", "file_unreadable") from None
    return iter(enumerate(([cell.strip() for cell in row] for row in rows), start=1))


def _xlsx_rows(data: bytes, max_bytes: int) -> Rows:
    import openpyxl  # only workbooks need it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise TableRejected("The file is not a valid .xlsx workbook", "file_unreadable") from None
    if unpacked > max_bytes * MAX_UNZIPPED_RATIO:
        raise TableRejected(
            "The workbook unpacks to more than the size limit allows", "file_too_large"
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Some writers store a wrong sheet size; recount rather than trust it.
            sheet.reset_dimensions()
            rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except Exception:  # openpyxl raises many types on a damaged workbook; all mean the same
        raise TableRejected("The file is not a valid .xlsx workbook", "file_unreadable") from None
    return iter(enumerate(rows, start=1))


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
