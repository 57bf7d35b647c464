"""`oxychain plan`: the allocation optimiser on a scenario file (ALLOCATION.md).

    oxychain plan allocate --scenario FILE [--json] [--time-limit SECONDS]

``--json`` prints exactly the plan JSON of ALLOCATION.md on stdout; without it, a short
summary. A bad scenario gets a message naming the field and the row on stderr, and no
plan. Exit codes: 0 a plan; 2 bad arguments, an unreadable file, bad JSON or a bad
scenario. The solver and numpy load only once a plan is asked for.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    plan = subparsers.add_parser("plan", help="plan the allocation of concentrators")
    commands = plan.add_subparsers(dest="plan_command", required=True)
    allocate = commands.add_parser(
        "allocate", help="the plan of least weighted shortfall, then least transport cost"
    )
    allocate.add_argument(
        "--scenario",
        required=True,
        metavar="FILE",
        help="scenario JSON (warehouses, facilities, routes; transfers and policy in version 2)",
    )
    allocate.add_argument("--json", action="store_true", help="print the plan as JSON")
    allocate.add_argument(
        "--time-limit",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="stop the solver after this long and return the best plan found (status time_limit)",
    )
    allocate.set_defaults(handler=allocate_command)


def allocate_command(args: argparse.Namespace) -> int:
    try:
        text = Path(args.scenario).read_bytes()
    except OSError as exc:
        return _refuse(f"cannot read {args.scenario}: {exc.strerror or exc}")
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _refuse(f"{args.scenario} is not valid JSON: {exc}")

    # the domain itself, not services.plans: no database or catalogues for a file's plan
    from oxychain.planning.domain.allocation import solve
    from oxychain.planning.domain.scenario import ScenarioError, parse_scenario

    try:
        scenario = parse_scenario(document)
    except ScenarioError as exc:
        return _refuse(f"invalid scenario {args.scenario}: {exc.message}")
    plan = solve(scenario, time_limit_s=args.time_limit)
    if args.json:
        sys.stdout.write(json.dumps(plan.as_dict(), ensure_ascii=False))
        sys.stdout.write("\n")
    else:
        _summary(scenario.name or args.scenario, plan)
    return 0


def _summary(name: str, plan: Any) -> None:
    doc = plan.as_dict()
    print(f"{name}: {doc['status']} in {doc['solve_seconds']:.2f} s")
    if "floor_shortfall" in doc:
        print(f"  floor shortfall     {doc['floor_shortfall']:.0f} priority-device-days")
    print(f"  weighted shortfall  {doc['weighted_shortfall']:.0f} priority-device-days")
    print(f"  transport cost      Rs {doc['transport_cost']:.2f}")
    print(f"  shipments           {len(doc['shipments'])}")
    if "transfers" in doc:
        print(f"  transfers           {len(doc['transfers'])}")
    worst = sorted(doc["district_fill"].items(), key=lambda kv: kv[1])[:10]
    for district, fill in worst:  # the ten districts left shortest
        print(f"  fill {fill:6.1%}  {district}")


def _refuse(message: str) -> int:
    print(f"oxychain plan: {message}", file=sys.stderr)
    return 2


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not (seconds > 0 and math.isfinite(seconds)):
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {value}")
    return seconds
