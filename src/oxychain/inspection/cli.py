"""`oxychain qa`: sampling plans for the inspection of delivered lots (ISO 2859-1).

    oxychain qa plan --lot-size N --aql A [--level I|II|III|S-1|S-2|S-3|S-4]
                     [--severity normal|tightened|reduced] [--json]

``--json`` prints exactly {"code_letter", "plan_letter", "sample_size", "accept",
"reject"}; without it, one line for people. Exit codes: 0 done; 2 bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from oxychain.core.errors import InvalidInput
from oxychain.masterdata.domain.sampling import LEVELS, Severity, single_sampling_plan


def register(subparsers: Any) -> None:
    qa = subparsers.add_parser("qa", help="quality assurance: sampling plans for lots")
    commands = qa.add_subparsers(dest="qa_command", required=True)

    plan = commands.add_parser(
        "plan", help="the ISO 2859-1 single sampling plan for a lot (sample size, Ac, Re)"
    )
    plan.add_argument("--lot-size", required=True, type=int, help="items in the lot (2 or more)")
    plan.add_argument("--aql", required=True, help="acceptance quality limit, e.g. 2.5")
    plan.add_argument("--level", default="II", choices=LEVELS, help="inspection level")
    plan.add_argument(
        "--severity",
        default=Severity.NORMAL.value,
        choices=[severity.value for severity in Severity],
        help="normal, tightened or reduced inspection (ISO 2859-1, clause 9)",
    )
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.set_defaults(handler=plan_command)


def plan_command(args: argparse.Namespace) -> int:
    try:
        plan = single_sampling_plan(args.lot_size, args.aql, args.level, args.severity)
    except InvalidInput as exc:
        print(f"oxychain qa plan: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(plan.as_dict()))
        return 0
    letters = plan.code_letter
    if plan.plan_letter != plan.code_letter:
        letters += f" -> {plan.plan_letter}"
    sample = (
        f"inspect all {plan.sample_size} items (100 %)"
        if plan.full_inspection
        else f"sample {plan.sample_size} items"
    )
    print(
        f"Lot of {args.lot_size}, AQL {args.aql}, level {args.level}, {args.severity}: "
        f"code letter {letters}; {sample}; accept if at most {plan.accept} "
        f"nonconforming, reject at {plan.reject}."
    )
    return 0
