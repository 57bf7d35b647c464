"""``oxychain worker`` runs due jobs and sends the outbox; ``oxychain jobs`` shows them."""

from __future__ import annotations

import argparse
import json
import logging
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "worker", help="run due jobs and send notices until stopped (SIGTERM/SIGINT)"
    )
    p.add_argument("--once", action="store_true", help="do what is due now, then exit")
    p.add_argument("--name", help="this worker's name in the job runs (default host:pid)")
    p.set_defaults(handler=_worker)
    p = sub.add_parser("jobs", help="the worker's jobs: counts, recent runs, failures")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=20, help="how many recent runs (1-500)")
    p.set_defaults(handler=_jobs)


def _app():  # noqa: ANN202
    from oxychain.core.bootstrap import bootstrap
    from oxychain.core.config import get_settings  # the composed Settings: areas are installed

    return bootstrap(get_settings())


def _worker(args: argparse.Namespace) -> int:
    from oxychain.core.worker.loop import Worker

    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s"
    )
    app = _app()
    try:
        worker = Worker(app, args.name)
        worker.stop_on_signals()
        print(f"oxychain worker {worker.name} running due jobs", file=sys.stderr, flush=True)
        worker.run(once=args.once)
    finally:
        app.close()
    return 0


def _jobs(args: argparse.Namespace) -> int:
    from oxychain.core.people import SYSTEM
    from oxychain.core.services import operations

    if not 1 <= args.limit <= 500:
        print("oxychain: --limit is 1-500", file=sys.stderr)
        return 2
    app = _app()
    try:
        board = operations.board(app.uow(SYSTEM), runs=args.limit)
    finally:
        app.close()
    if args.json:
        print(json.dumps(board.as_json(), ensure_ascii=False, indent=2))
        return 0
    print("jobs: " + ", ".join(f"{k} {v}" for k, v in sorted(board.jobs.items())))
    print("deliveries: " + ", ".join(f"{k} {v}" for k, v in sorted(board.deliveries.items())))
    for run in board.runs:
        line = f"{run['started_at']}  {run['kind']:32} {run['outcome']:11} {run['worker']}"
        print(line + (f"  {run['error'].splitlines()[-1]}" if run["error"] else ""))
    return 0
