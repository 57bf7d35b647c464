"""The `oxychain` command.

Each area registers its sub-commands from its own modules (``Area.commands``) through
``register(subparsers)``; a handler takes the parsed arguments and returns the exit code.
Read commands take ``--json`` and print one JSON document on stdout; errors go to stderr
as one line with a non-zero exit, never a traceback: 2 for bad arguments, bad input, a bad
setting, an unreadable file or a database that cannot be used (or is not migrated); 1 for a
failure of the program itself.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from oxychain.core.cli import ArgumentParser, CommandFailed, failure_message

DEMO_LOGINS_FILE = Path("var/demo-logins.txt")
# Commands timed from process start to output (a plan's solve: bench/bench_allocation.py)
# are parsed from their own module, without assembling the app: no web framework, ORM,
# migrations or catalogues load for them. Their `--help` and errors read the same.
LIGHT_COMMANDS = {("plan", "allocate"): "oxychain.planning.cli.plan"}


def build_parser() -> argparse.ArgumentParser:
    from oxychain import app
    from oxychain.core import areas

    parser = ArgumentParser(prog="oxychain", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    app.install()
    p = sub.add_parser("demo", help="load the demo scenario (idempotent) and print the demo logins")
    p.add_argument("--json", action="store_true", help="print the logins as JSON")
    p.set_defaults(handler=_demo)
    p = sub.add_parser("serve", help="serve the web app")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="web server processes (1-64); more than one wants PostgreSQL (see README)",
    )
    p.set_defaults(handler=_serve)
    for module in areas.modules("commands"):
        module.register(sub)
    return parser


def _light_parser(module: str) -> argparse.ArgumentParser:
    import importlib

    parser = ArgumentParser(prog="oxychain", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    importlib.import_module(module).register(sub)
    return parser


def _demo(args: argparse.Namespace) -> int:
    from oxychain import app
    from oxychain.core.db import migrate

    settings = app.get_settings()
    if settings.environment == "production":
        print(
            "oxychain: the demo scenario is not loaded into a production database", file=sys.stderr
        )
        return 2
    migrate(settings)
    # The demo's hundreds of small commits need not each wait for the disk: in WAL mode a
    # crash loses at most the last of them, never the database.
    oxy = app.bootstrap(settings.model_copy(update={"sqlite_synchronous": "NORMAL"}))
    try:
        logins = app.load_demo(oxy)
    finally:
        oxy.close()
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

    from oxychain import app

    settings = app.get_settings()
    host, port = args.host or settings.host, args.port or settings.port
    if not 1 <= args.workers <= 64:
        print("oxychain: --workers is 1-64", file=sys.stderr)
        return 2
    print(f"oxychain serving on http://{host}:{port}  (logins: var/demo-logins.txt)", flush=True)
    if args.workers == 1:
        uvicorn.run(app.create_app(), host=host, port=port, log_level="warning")
        return 0
    # N processes, each with its own app (built from the same environment); nothing they
    # share lives in a process: sessions, throttling, scans and jobs are in the database.
    uvicorn.run(
        "oxychain.app:create_app",
        factory=True,
        workers=args.workers,
        host=host,
        port=port,
        log_level="warning",
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    light = LIGHT_COMMANDS.get(tuple(words[:2]))
    parser = _light_parser(light) if light else build_parser()
    args = parser.parse_args(words)
    try:
        return int(args.handler(args) or 0)
    except CommandFailed as exc:
        print(f"oxychain: {exc}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - one clear line instead of a traceback
        message, code = failure_message(exc)
        print(f"oxychain: {message}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
