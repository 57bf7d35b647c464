"""Core sub-commands (migrate, audit verify/export) and what every command shares: the
argument parser that says what is wrong in one line, and one clear line for the failures a
person can mend (no database, an unmigrated one, a bad setting, an unreadable file)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic loads when a command needs the settings, not for every command
    from oxychain.core.config import CoreSettings


class ArgumentParser(argparse.ArgumentParser):
    """argparse that says what is wrong on stderr and exits 2, without the usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"oxychain: error: {message}\n")


class CommandFailed(Exception):
    """A command's clear refusal: printed as one line, with its exit code."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def failure_message(exc: BaseException) -> tuple[str, int]:
    """(one line a person can act on, exit code): 2 for what the operator can mend (a bad
    setting, a database that cannot be used or is not migrated, an unreadable file, input a
    rule refused), 1 for a failure of the program itself."""
    from pydantic import ValidationError
    from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

    from oxychain.core.errors import DomainError

    if isinstance(exc, ValidationError):
        problems = "; ".join(
            f"OXYCHAIN_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        return f"bad setting: {problems or exc}", 2
    if isinstance(exc, ValueError) and "OXYCHAIN_" in str(exc):
        return f"bad setting: {exc}", 2
    if isinstance(exc, OperationalError | ProgrammingError):
        text = str(exc.orig if isinstance(exc, DBAPIError) else exc).strip().splitlines()[0]
        if "no such table" in text or ("relation" in text and "does not exist" in text):
            return f"the database is not migrated ({text}); run `oxychain migrate` first", 2
        return f"cannot use the database: {text}", 2
    if isinstance(exc, DomainError):
        return exc.message, 2
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return f"cannot read or write{where}: {exc.strerror or exc}", 2
    return f"unexpected error ({type(exc).__name__}: {exc})", 1


def settings() -> CoreSettings:
    from oxychain.core.config import CoreSettings

    return CoreSettings()


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "migrate", help="create the database if needed and migrate it to the newest schema"
    )
    p.set_defaults(handler=_migrate)

    audit = sub.add_parser("audit", help="the audit trail").add_subparsers(
        dest="audit_command", required=True
    )
    p = audit.add_parser(
        "verify", help="recompute the hash chain; exit 1 at the first broken entry"
    )
    p.add_argument(
        "--file", type=Path, help="verify an exported JSON-lines file instead of the database"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_audit_verify)
    p = audit.add_parser(
        "export", help="write the audit trail as JSON lines, for offline verification"
    )
    p.add_argument("--output", type=Path, help="file to write (default: stdout)")
    p.set_defaults(handler=_audit_export)


def _migrate(_args: argparse.Namespace) -> int:
    from oxychain.core.db import migrate

    migrate(settings())
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    from oxychain.core import audit

    if args.file:
        try:
            rows = [
                json.loads(line)
                for line in args.file.read_text(encoding="utf-8").splitlines()
                if line
            ]
        except (OSError, ValueError) as exc:
            print(f"oxychain: cannot read {args.file}: {exc}", file=sys.stderr)
            return 2
        head = (rows[-1]["seq"], rows[-1]["hash"]) if rows else None
        broken, count = audit.verify_rows(rows, head), len(rows)
    else:
        from oxychain.core.bootstrap import bootstrap
        from oxychain.core.people import SYSTEM

        app = bootstrap(settings())
        try:
            with app.uow(SYSTEM) as uow:
                broken, count = uow.audit_log.verify(), uow.audit_log.count()
        finally:
            app.close()
    if args.json:
        print(
            json.dumps(
                {
                    "intact": broken is None,
                    "events": count,
                    "first_broken": broken and {"seq": broken.seq, "reason": broken.reason},
                }
            )
        )
    if broken:
        print(f"audit chain broken at entry {broken.seq}: {broken.reason}", file=sys.stderr)
        return 1
    if not args.json:
        print(f"audit chain intact: {count} events")
    return 0


def _audit_export(args: argparse.Namespace) -> int:
    from oxychain.core import audit
    from oxychain.core.bootstrap import bootstrap
    from oxychain.core.people import SYSTEM

    app = bootstrap(settings())
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        with app.uow(SYSTEM) as uow:
            for row in audit.export_rows(uow.session):
                out.write(audit.canonical(row) + "\n")
    finally:
        if args.output:
            out.close()
        app.close()
    return 0
