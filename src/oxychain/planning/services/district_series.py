"""Import a district series as public trackers published it (domain/district_series.py):
one state's districts kept, the rest counted, stored all or nothing with the case counts."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import FileRejected, TooLarge
from oxychain.core.tabular import TableRejected, read_table
from oxychain.masterdata.domain import geography
from oxychain.planning.domain import case_file
from oxychain.planning.domain.case_file import CaseFileError
from oxychain.planning.domain.district_series import read_district_series

if TYPE_CHECKING:
    from oxychain.core.uow import UnitOfWork
    from oxychain.planning.tables import CaseImport

MAX_ERRORS = 200  # reading stops here: a wrong file need not be listed to its end


@dataclass(frozen=True)
class DistrictSeriesImport:
    """What was stored (the import record) and what the file held beside it."""

    record: CaseImport
    rows_read: int
    other_state_rows: int
    not_districts: dict[str, int]


@dataclass(frozen=True)
class ImportDistrictSeries:
    content: bytes
    filename: str
    max_bytes: int
    max_rows: int
    state: str
    # Asked between batches of rows: true once the client has gone (the import stops).
    cancelled: Callable[[], bool] | None = None


def import_district_series(uow: UnitOfWork, cmd: ImportDistrictSeries) -> DistrictSeriesImport:
    """Store the state's district counts of a tracker file; any bad row refuses it all."""
    require(uow.principal, "case.import")
    if len(cmd.content) > cmd.max_bytes:
        raise TooLarge("The upload is too large.")
    try:
        rows = read_table(
            cmd.content,
            cmd.filename,
            cmd.max_bytes,
            max_rows=cmd.max_rows + 1,
            cancelled=cmd.cancelled,
        )
        found = read_district_series(
            rows, state=cmd.state, max_rows=cmd.max_rows, max_errors=MAX_ERRORS
        )
    except TableRejected as exc:
        raise FileRejected(
            "The file has {count} problems; nothing was imported.",
            rows=[(None, None, exc.message)],
            count=1,
        ) from None
    except CaseFileError as exc:
        raise FileRejected(
            "The file has {count} problems; nothing was imported.",
            rows=[(e.row, e.column, e.message) for e in exc.errors],
            count=len(exc.errors),
        ) from None
    lookup = geography.DistrictLookup(geography.load_up_districts())
    counts = case_file.counts_to_keep(found.reports, lambda name: lookup.find(name).name)
    with uow:
        record = uow.planning.new_import(
            filename=(cmd.filename or "upload")[:200],
            sha256=hashlib.sha256(cmd.content).hexdigest(),
            imported_by=uow.principal.username,
            imported_at=clock.now(),
            **case_file.import_figures(found.reports.level, counts),
        )
        record.replaced = uow.planning.replace_counts(record.id, record.level, counts)
        uow.record(
            "cases.import_districts",
            "case_import",
            record.id,
            None,
            {
                "filename": record.filename,
                "sha256": record.sha256,
                "state": cmd.state,
                "rows": record.rows,
                "regions": record.regions,
                "replaced": record.replaced,
                "other_state_rows": found.other_state_rows,
                "not_districts": found.not_districts,
            },
        )
        uow.commit()
        return DistrictSeriesImport(
            record, found.rows_read, found.other_state_rows, found.not_districts
        )
