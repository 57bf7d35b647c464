"""`oxychain finance`: the ledger, the bills replayed from their records, Tally's XML.

    oxychain finance ledger [--json]          per order: delivered, deducted, paid, outstanding
    oxychain finance replay [--json]          every bill computed again; exit 1 on a difference
    oxychain finance tally [--masters] [--from D] [--to D] [--output F]

The command line reads as an auditor does (read-only). Exit codes: 0 done, 1 a bill that
does not replay, 2 bad arguments or an unwritable file.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from oxychain.core.people import Principal, Role

READER = Principal(user_id=0, username="cli", role=Role.AUDITOR, language="en")


def register(subparsers: Any) -> None:
    finance = subparsers.add_parser("finance", help="bills, payments, the ledger, Tally export")
    commands = finance.add_subparsers(dest="finance_command", required=True)
    book = commands.add_parser("ledger", help="the ledger per purchase order, in paise")
    book.add_argument("--json", action="store_true", help="print one JSON document")
    book.set_defaults(handler=ledger_command)
    replay = commands.add_parser("replay", help="compute every bill again from its records")
    replay.add_argument("--json", action="store_true", help="print one JSON document")
    replay.set_defaults(handler=replay_command)
    tally = commands.add_parser("tally", help="bills passed and payments as Tally XML vouchers")
    tally.add_argument("--masters", action="store_true", help="the ledgers to import first")
    tally.add_argument("--from", dest="start", type=date.fromisoformat, help="first day")
    tally.add_argument("--to", dest="end", type=date.fromisoformat, help="last day")
    tally.add_argument("--output", type=Path, help="write to FILE instead of stdout")
    tally.set_defaults(handler=tally_command)


def _with_app(work):  # noqa: ANN001, ANN202
    from oxychain.core.bootstrap import bootstrap

    app = bootstrap()
    try:
        return work(app)
    finally:
        app.close()


def ledger_command(args: argparse.Namespace) -> int:
    from oxychain.finance.services import ledger

    def run(app) -> dict:  # noqa: ANN001
        book = ledger.ledger(app.uow(READER), app.settings)
        return {
            "as_of": book.as_of.isoformat(),
            "orders": [
                {
                    "purchase_order": o.order.number,
                    "supplier": o.supplier.code,
                    **_figures(o.account),
                }
                for o in book.orders
            ],
            "total": _figures(book.total),
        }

    out = _with_app(run)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for o in [*out["orders"], {"purchase_order": "TOTAL", "supplier": "", **out["total"]}]:
        print(
            f"{o['purchase_order']:24} {o['supplier']:8} delivered {o['delivered_paise']:>14} "
            f"deducted {o['deducted_paise']:>12} paid {o['paid_paise']:>14} "
            f"outstanding {o['outstanding_paise']:>14} (paise)"
        )
    return 0


def _figures(a) -> dict:  # noqa: ANN001
    return {
        "delivered_paise": a.delivered,
        "billed_paise": a.billed,
        "deducted_paise": a.deducted,
        "paid_paise": a.paid,
        "outstanding_paise": a.outstanding,
        "ageing_paise": dict(a.ageing),
    }


def replay_command(args: argparse.Namespace) -> int:
    from oxychain.finance.services import replay

    found = _with_app(lambda app: replay.replay_bills(app.uow(READER), app.settings))
    wrong = [r for r in found if not r.matches]
    if args.json:
        rows = [
            {"bill": r.number, "status": r.status, "matches": r.matches, "problems": r.problems}
            for r in found
        ]
        print(json.dumps({"bills": rows, "replayed": len(found), "differ": len(wrong)}, indent=2))
    else:
        for r in wrong:
            print(f"{r.number}: stored {r.stored} but replayed {r.replayed} {r.problems}")
        print(f"{len(found) - len(wrong)} of {len(found)} bills replay to the paisa.")
    return 1 if wrong else 0


def tally_command(args: argparse.Namespace) -> int:
    from oxychain.finance.services import exports

    def run(app) -> bytes:  # noqa: ANN001
        if args.masters:
            return exports.tally_masters(app.uow(READER), app.settings)
        return exports.tally_vouchers(app.uow(READER), app.settings, args.start, args.end)

    body = _with_app(run)
    if args.output is None:
        sys.stdout.buffer.write(body)
        return 0
    try:
        args.output.write_bytes(body)
    except OSError as exc:
        print(f"oxychain finance tally: cannot write {args.output}: {exc}", file=sys.stderr)
        return 2
    return 0
