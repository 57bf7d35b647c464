"""Benchmark a plan built from the database: the demo (UP's 75 districts, about 4,500
facilities and 75 home pools, 76 warehouses) → scenario → optimal plan (issue 6).

Times, each the median of --repeats runs on a demo database loaded once (SQLite by
default, or --database-url): building the scenario from the data (forecast, requirement,
stock, supplies, routes), solving it, the pro-rata baseline, replaying both, the whole
`plan_from_database` use case (build, solve, check, keep), and explaining one facility
(the exact price of one device more). Horizons 14 and 30 days.

    .venv/bin/python bench/bench_planning_db.py
    .venv/bin/python bench/bench_planning_db.py --database-url postgresql+psycopg://…/db
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    runs, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database to load the demo into")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--central",
        type=int,
        default=5000,
        help="also plan with this many devices more at the central warehouse "
        "on day 0 (a what-if): who gets the next N concentrators",
    )
    args = parser.parse_args()
    from oxychain.app import Settings, bootstrap
    from oxychain.core.db import migrate
    from oxychain.core.people import SYSTEM
    from oxychain.core.services import auth
    from oxychain.masterdata import demo
    from oxychain.planning.domain import explain, replay
    from oxychain.planning.domain.allocation import solve
    from oxychain.planning.domain.plan import ExtraArrival, ScenarioChoice, WhatIf
    from oxychain.planning.domain.prorata import prorata
    from oxychain.planning.domain.scenario import parse_scenario
    from oxychain.planning.services import inputs as planning_inputs
    from oxychain.planning.services import plans as planning
    from oxychain.planning.services.parameters import default_demand

    workdir = tempfile.mkdtemp(prefix="oxy-bench-")
    url = args.database_url or f"sqlite:///{workdir}/demo.db"
    settings = Settings(database_url=url, environment="test", demo_keys_dir=f"{workdir}/keys")
    migrate(settings)
    app = bootstrap(settings)
    start = time.perf_counter()
    demo.load_demo(app)
    print(
        f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; load average "
        f"{os.getloadavg()[0]:.2f}; database {url.split(':')[0]}"
    )
    print(f"demo loaded in {time.perf_counter() - start:.1f} s (not counted below)")
    with app.uow(SYSTEM) as uow:
        planner = auth.principal_of(uow.people.user_by_username("demo.planner"))
    today = date.today()
    cases = [(h, 0) for h in (14, 30)] + [(h, args.central) for h in (14, 30) if args.central]
    for horizon, central in cases:
        extra = (ExtraArrival("WH-CENTRAL-LKO", 0, central),) if central else ()
        choice = ScenarioChoice(
            f"bench {horizon} days",
            date(2022, 1, 10),
            today,
            horizon,
            demand=default_demand(settings),
            what_if=WhatIf(extra_arrivals=extra),
        )
        t_build, built = timed(
            lambda c=choice: planning_inputs.build(app.uow(planner), settings, c), args.repeats
        )
        doc = built.document
        scenario = parse_scenario(doc)
        t_solve, plan = timed(lambda s=scenario: solve(s), args.repeats)
        t_base, base = timed(lambda s=scenario: prorata(s), args.repeats)
        result = plan.as_dict()
        t_replay, _ = timed(
            lambda s=scenario, r=result, b=base.as_dict(): (replay.check(s, r), replay.check(s, b)),
            args.repeats,
        )
        t_case, kept = timed(
            lambda c=choice: planning.plan_from_database(app.uow(planner, write=True), settings, c),
            args.repeats,
        )
        origin = result["shipments"][0]["from"] if result["shipments"] else None
        site = next(
            (r["to"] for r in doc["routes"] if r["from"] == origin and r["lead_days"] == 0),
            scenario.facilities[0].id,
        )  # its home pool
        t_explain, unit = timed(
            lambda s=scenario, r=result, f=site: explain.next_unit(s, r, f), args.repeats
        )
        more = f", {central} more at the central warehouse" if central else ""
        print(
            f"\nhorizon {horizon} days{more}: {len(doc['warehouses'])} warehouses x "
            f"{len(doc['facilities'])} facilities and home pools, {len(doc['routes'])} routes; "
            f"stock {sum(w['on_hand'] for w in doc['warehouses'])}, arrivals "
            f"{sum(a['quantity'] for w in doc['warehouses'] for a in w['arrivals'])} devices"
        )
        print(f"  build scenario from the database  {t_build:6.2f} s")
        print(
            f"  solve (proven optimal: {plan.status})  {t_solve:6.2f} s; weighted shortfall "
            f"{plan.weighted_shortfall}, pro-rata {base.weighted_shortfall} "
            f"({base.weighted_shortfall - plan.weighted_shortfall} more priority-device-days)"
        )
        print(f"  pro-rata baseline                 {t_base:6.2f} s")
        print(f"  replay both                       {t_replay:6.2f} s")
        print(
            f"  plan_from_database, end to end    {t_case:6.2f} s ({kept.reference}, "
            f"replay {'clean' if kept.replay_ok else 'FAILED'})"
        )
        print(
            f"  explain {site} (one device more)  {t_explain:6.2f} s: {unit.outcome}, "
            f"gain {unit.gain}, loss {unit.loss}"
        )
    print(f"\nreproduce: .venv/bin/python bench/bench_planning_db.py --repeats {args.repeats}")
    app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
