"""A supplier's serial list: the file read into rows (``core.tabular``), the rows parsed by
the domain (``domain.device``), and serials already in the registry refused, all problems
reported together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from oxychain.core.i18n import N_
from oxychain.core.tabular import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, TableRejected, read_table
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.domain import device as devices
from oxychain.inspection.domain.device import DeviceSpec, RowError, SerialList

# The refusals of a whole file, by ``TableRejected.code``, as translatable templates.
_FILE_MESSAGES = {
    "file_too_large": N_("The file is larger than the upload limit."),
    "file_too_many_rows": N_("The file has more rows than an import takes."),
    "file_too_wide": N_("A row of the file has more columns than an import takes."),
    "file_empty": devices.NO_ROWS,
    "file_type_unsupported": N_("Upload a .csv (UTF-8) or .xlsx file."),
    "file_unreadable": N_("The file is not a CSV text or an .xlsx workbook."),
    "file_not_utf8": N_("The file is not UTF-8 text; save it as CSV UTF-8."),
}


@dataclass(frozen=True)
class SerialFile:
    """An uploaded serial list and the bounds it is read within (``core.tabular``);
    ``cancelled`` says when its client has gone."""

    filename: str
    data: bytes
    max_bytes: int | None = None
    max_rows: int | None = None
    cancelled: Callable[[], bool] | None = None

    def until(self, cancelled: Callable[[], bool]) -> SerialFile:
        """The same file, read only while ``cancelled()`` says no."""
        return replace(self, cancelled=cancelled)


def parse_serial_file(
    data: bytes,
    filename: str,
    *,
    latest: dt.date,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_errors: int = devices.DEFAULT_MAX_ERRORS,
    cancelled: Callable[[], bool] | None = None,
) -> SerialList:
    """The serial list in a CSV or .xlsx file; ``latest`` is the last possible manufacture
    date. A file that is not a table is one error for the whole file."""
    try:
        rows = read_table(data, filename, max_bytes, max_rows=max_rows, cancelled=cancelled)
        return devices.parse_serial_rows(rows, latest=latest, max_errors=max_errors)
    except TableRejected as rejected:
        template = _FILE_MESSAGES.get(rejected.code, _FILE_MESSAGES["file_unreadable"])
        return SerialList([], [RowError(None, None, template)], 1)


def new_serials(uow: UnitOfWork, file: SerialFile, latest: dt.date) -> list[DeviceSpec]:
    """The file's devices; FileRejected with every row error, registry clashes included."""
    kwargs = {"max_bytes": file.max_bytes} if file.max_bytes else {}
    kwargs |= {"max_rows": file.max_rows} if file.max_rows else {}
    parsed = parse_serial_file(
        file.data, file.filename, latest=latest, cancelled=file.cancelled, **kwargs
    )
    errors, count = list(parsed.errors), parsed.error_count
    if parsed.devices:
        taken = uow.inspection.registered([d.serial for d in parsed.devices])
        clashes = devices.registered_errors(parsed.devices, taken)
        errors, count = errors + clashes, count + len(clashes)
    if errors:
        errors = sorted(errors, key=lambda e: e.row or 0)[: devices.DEFAULT_MAX_ERRORS]
        raise devices.rejection(errors, count)
    return parsed.devices
