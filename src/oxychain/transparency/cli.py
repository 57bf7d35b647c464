"""`oxychain export`: open-contracting data and the red-flags report.

    oxychain export ocds [--output FILE]     one OCDS 1.1 release package (DESIGN.md contract)
    oxychain export redflags [--json]        every red flag over all tenders

Both read the database that OXYCHAIN_DATABASE_URL names; the command line reads as an
auditor does (read-only). Exit codes: 0 done; 2 bad arguments or an unwritable file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from oxychain.core.people import Principal, Role

# The command line reads as an auditor: everything, and writes nothing.
READER = Principal(user_id=0, username="cli", role=Role.AUDITOR, language="en")


def register(subparsers: Any) -> None:
    export = subparsers.add_parser("export", help="open-contracting data and red flags")
    commands = export.add_subparsers(dest="export_command", required=True)

    ocds = commands.add_parser(
        "ocds", help="print one OCDS 1.1 release package (tender, award, contract releases)"
    )
    ocds.add_argument("--output", type=Path, help="write the package to FILE instead of stdout")
    ocds.set_defaults(handler=ocds_command)

    flags = commands.add_parser("redflags", help="red flags over all tenders, with their sources")
    flags.add_argument("--json", action="store_true", help="print the flags as JSON")
    flags.set_defaults(handler=redflags_command)


def _with_app(work):  # noqa: ANN001, ANN202
    from oxychain.core.bootstrap import bootstrap

    app = bootstrap()
    try:
        return work(app)
    finally:
        app.close()


def ocds_command(args: argparse.Namespace) -> int:
    from oxychain.transparency import services as transparency

    package = _with_app(lambda app: transparency.ocds_package(app.uow(READER), app.settings))
    text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    if not package["releases"]:
        print("oxychain export ocds: no tender has been published yet", file=sys.stderr)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"oxychain export ocds: cannot write {args.output}: {exc}", file=sys.stderr)
        return 2
    return 0


def redflags_command(args: argparse.Namespace) -> int:
    from oxychain.transparency import services as transparency

    flags = _with_app(lambda app: transparency.red_flag_report(app.uow(READER), app.settings))
    if args.json:
        print(json.dumps({"flags": [f.as_dict() for f in flags]}, ensure_ascii=False, indent=2))
        return 0
    if not flags:
        print("No red flags.")
    for flag in flags:
        where = flag.tender or ", ".join(flag.bidders)
        print(f"{where}: {flag.indicator.title} ({flag.indicator.source}). {flag.text}")
    return 0
