"""`oxychain cases import-districts`: a tracker's district series into the database.

    oxychain cases import-districts --file FILE --user PLANNER [--state NAME] [--json]

FILE is one row per district and day as covid19india.org published it (districts.csv:
date, state, district, confirmed, recovered, deceased, cumulative); the districts of
``--state`` (default: the OXYCHAIN_CASE_IMPORT_STATE setting) are stored, as the planner
named by ``--user`` (who must hold the right to import cases), all rows or none. The
file's size is bounded by OXYCHAIN_MAX_UPLOAD_BYTES and its rows by
OXYCHAIN_CASE_IMPORT_MAX_ROWS. ``--json`` prints {"id", "level", "rows", "regions",
"first_date", "last_date", "replaced", "rows_read", "other_state_rows", "not_districts"}.
Exit codes: 0 stored; 2 an unreadable or refused file, an unknown user, no right.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    cases = subparsers.add_parser("cases", help="case counts in the database")
    commands = cases.add_subparsers(dest="cases_command", required=True)
    districts = commands.add_parser(
        "import-districts", help="import a tracker's district series (districts.csv format)"
    )
    districts.add_argument("--file", required=True, metavar="FILE", help="CSV or .xlsx")
    districts.add_argument("--user", required=True, help="username of the planner importing")
    districts.add_argument("--state", default=None, help="state whose districts to keep")
    districts.add_argument("--json", action="store_true", help="print the import as JSON")
    districts.set_defaults(handler=import_districts_command)


def import_districts_command(args: argparse.Namespace) -> int:
    from oxychain.core.bootstrap import bootstrap
    from oxychain.core.errors import DomainError, FileRejected
    from oxychain.core.services.auth import principal_of
    from oxychain.planning.services import district_series

    path = Path(args.file)
    app = bootstrap()
    try:
        settings = app.settings
        limit = settings.max_upload_bytes
        try:
            if path.stat().st_size > limit:
                return _refuse(f"{path} is larger than {limit:,} bytes (OXYCHAIN_MAX_UPLOAD_BYTES)")
            content = path.read_bytes()
        except OSError as exc:
            return _refuse(f"cannot read {path}: {exc.strerror or exc}")
        with app.uow() as uow:
            user = uow.people.user_by_username(args.user)
            principal = principal_of(user) if user is not None else None
        if principal is None:
            return _refuse(f"no user called {args.user!r}")
        cmd = district_series.ImportDistrictSeries(
            content,
            path.name,
            limit,
            settings.case_import_max_rows,
            args.state or settings.case_import_state,
        )
        try:
            done = district_series.import_district_series(app.uow(principal, write=True), cmd)
        except DomainError as exc:
            lines = [exc.message]
            if isinstance(exc, FileRejected):
                lines += [_where(row, column) + message for row, column, message in exc.rows]
            return _refuse("\n  ".join(lines))
    finally:
        app.close()
    row = done.record
    out = {
        "id": row.id,
        "level": row.level,
        "rows": row.rows,
        "regions": row.regions,
        "first_date": row.first_date.isoformat(),
        "last_date": row.last_date.isoformat(),
        "replaced": row.replaced,
        "rows_read": done.rows_read,
        "other_state_rows": done.other_state_rows,
        "not_districts": done.not_districts,
    }
    if args.json:
        print(json.dumps(out))
    else:
        print(
            f"imported {row.rows:,} counts of {row.regions} districts, "
            f"{row.first_date} to {row.last_date}; skipped {done.other_state_rows:,} rows of "
            f"other states and {sum(done.not_districts.values()):,} that name no district"
        )
    return 0


def _where(row: int | None, column: str | None) -> str:
    parts = [f"row {row}" if row else "", f"column '{column}'" if column else ""]
    text = ", ".join(p for p in parts if p)
    return f"{text}: " if text else ""


def _refuse(message: str) -> int:
    print(f"oxychain cases import-districts: {message}", file=sys.stderr)
    return 2
