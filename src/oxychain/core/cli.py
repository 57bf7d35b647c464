"""Core sub-commands: migrate, demo, serve, audit verify/export."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from oxychain.core.config import get_settings

DEMO_LOGINS_FILE = Path("var/demo-logins.txt")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "migrate", help="create the database if needed and migrate it to the newest schema"
    )
    p.set_defaults(handler=_migrate)

    p = sub.add_parser("demo", help="load the demo scenario (idempotent) and print the demo logins")
    p.add_argument("--json", action="store_true", help="print the logins as JSON")
    p.set_defaults(handler=_demo)

    p = sub.add_parser("serve", help="serve the web app")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(handler=_serve)

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

    migrate(get_settings())
    return 0


def _demo(args: argparse.Namespace) -> int:
    from oxychain.core.db import migrate
    from oxychain.core.bootstrap import bootstrap
    from oxychain.masterdata.demo import load_demo

    settings = get_settings()
    if settings.environment == "production":
        print(
            "oxychain: the demo scenario is not loaded into a production database", file=sys.stderr
        )
        return 2
    migrate(settings)
    app = bootstrap(settings)
    try:
        logins = load_demo(app)
    finally:
        app.close()
    new = [login for login in logins if login.password]
    if new:
        _save_logins(new)
    if args.json:
        print(json.dumps([login.__dict__ for login in logins], indent=2))
    else:
        _print_logins(new)
    return 0


def _save_logins(logins: list) -> None:
    DEMO_LOGINS_FILE.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{login.role:20} {login.username:28} {login.password}" for login in logins]
    fd = os.open(DEMO_LOGINS_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def _print_logins(new: list) -> None:
    if new:
        print("Demo logins (also saved in var/demo-logins.txt):")
        for login in new:
            print(f"  {login.role:20} {login.username:28} {login.password}")
    elif DEMO_LOGINS_FILE.exists():
        print("Demo scenario already loaded. Demo logins:")
        print(DEMO_LOGINS_FILE.read_text(encoding="utf-8"), end="")
    else:
        print("Demo scenario already loaded; its logins were printed when it was first loaded.")


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from oxychain.app import create_app

    settings = get_settings()
    host, port = args.host or settings.host, args.port or settings.port
    print(f"oxychain serving on http://{host}:{port}  (logins: var/demo-logins.txt)", flush=True)
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
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

        app = bootstrap()
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

    app = bootstrap()
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
