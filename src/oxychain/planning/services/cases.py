"""Case counts: read a case file (CSV or .xlsx), import it all or nothing, list what is
stored.

A file's region column says its level: ``district`` (names or codes of UP's districts),
``state`` or ``region`` (a state), none (the national series, "India"). Counts are
cumulative confirmed cases, as ``oxychain forecast`` reads them (domain/case_file.py);
each district's forecast is services/outlooks.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import FileRejected, TooLarge
from oxychain.core.tabular import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, TableRejected, read_table
from oxychain.masterdata.domain import geography
from oxychain.planning.domain import case_file
from oxychain.planning.domain.case_file import NATIONAL_REGION, CaseFileError, Reports

if TYPE_CHECKING:
    from oxychain.core.uow import UnitOfWork
    from oxychain.planning.domain.cases import CaseSeries
    from oxychain.planning.tables import CaseImport

# The shared reader's refusals, in the words `oxychain forecast` has always used.
_UNREADABLE = {
    "file_empty": "the file is empty",
    "file_type_unsupported": "old .xls files are not read: save as .xlsx",
    "file_too_large": "the file, or the workbook unpacked, is larger than the upload limit",
}


def read_reports(
    content: bytes,
    *,
    until: date | None = None,
    default_region: str = NATIONAL_REGION,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Reports:
    """The counts of a CSV or ``.xlsx`` case file as reported (its kind by its content);
    ``CaseFileError`` lists the bad rows, or says why the file cannot be read. The bounds
    are the caller's: the command line reads any file it is given, an upload is bounded in
    bytes, unpacked size and rows, and stops when ``cancelled()``."""
    try:
        rows = read_table(
            content,
            "",
            max_bytes or max(len(content), DEFAULT_MAX_BYTES),
            max_rows=max_rows,
            cancelled=cancelled,
        )
        return case_file.read_reports(rows, until=until, default_region=default_region)
    except TableRejected as exc:
        raise case_file.unreadable(_UNREADABLE.get(exc.code, exc.message)) from None


def read_cases(
    content: bytes, *, until: date | None = None, default_region: str = NATIONAL_REGION
) -> CaseSeries:
    """A case file's daily series per region (domain/cases.py), from rows up to ``until``."""
    from oxychain.planning.domain.cases import series_of  # numpy loads here

    return series_of(read_reports(content, until=until, default_region=default_region))


def import_cases(
    uow: UnitOfWork,
    content: bytes,
    filename: str,
    max_bytes: int,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    cancelled: Callable[[], bool] | None = None,
) -> CaseImport:
    """Store a file of cumulative counts; any bad row refuses the whole file."""
    require(uow.principal, "case.import")
    if len(content) > max_bytes:
        raise TooLarge("The upload is too large.")
    try:
        reports = read_reports(content, max_bytes=max_bytes, max_rows=max_rows, cancelled=cancelled)
    except CaseFileError as exc:
        raise FileRejected(
            "The file has {count} problems; nothing was imported.",
            rows=[(e.row, e.column, e.message) for e in exc.errors],
            count=exc.count,
        ) from None
    lookup = geography.DistrictLookup(geography.load_up_districts())
    rows = case_file.counts_to_keep(reports, lambda name: lookup.find(name).name)
    with uow:
        record = uow.planning.new_import(
            filename=(filename or "upload")[:200],
            sha256=hashlib.sha256(content).hexdigest(),
            imported_by=uow.principal.username,
            imported_at=clock.now(),
            **case_file.import_figures(reports.level, rows),
        )
        record.replaced = uow.planning.replace_counts(record.id, record.level, rows)
        uow.record("cases.import", "case_import", record.id, None, _summary(record))
        uow.commit()
        return record


def _summary(record: CaseImport) -> dict:
    return {
        "filename": record.filename,
        "sha256": record.sha256,
        "level": record.level,
        "rows": record.rows,
        "regions": record.regions,
        "first_date": record.first_date.isoformat(),
        "last_date": record.last_date.isoformat(),
        "replaced": record.replaced,
    }


@dataclass(frozen=True)
class CaseOverview:
    imports: list[CaseImport]
    series: list[tuple[str, str, date, date, int]]  # level, region, first, last, counts


def overview(uow: UnitOfWork) -> CaseOverview:
    require(uow.principal, "case.read")
    with uow:
        return CaseOverview(list(uow.planning.imports()), uow.planning.regions())


def last_count_day(uow: UnitOfWork) -> date | None:
    """The latest day any stored series reaches (the default forecast date)."""
    with uow:
        found = [last for _level, _region, _first, last, _n in uow.planning.regions()]
    return max(found) if found else None
