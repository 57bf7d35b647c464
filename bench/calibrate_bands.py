"""Calibrate the 80 % band of every forecast model (split-conformal); write the table.

The table is src/oxychain/planning/data/forecast_bands.json.

From origins every ``--step`` days on the development series (bench/forecast_series.py:
India, five states, district-sized series) each model forecasts 42 days with the counts up
to the origin only. Its errors on the log scale, log(1 + actual) - log(1 + forecast), are
grouped by the region's level (India, a state, a district), its size (mean daily cases of
the last 7 days) and the lead; the 10th
and 90th percentiles of each group become the band (domain/bands.py).

Printed: coverage of the written table on the same errors, and out of sample: each region
(a state with its districts, or India) forecast with the band calibrated on the others.

Reproduce: .venv/bin/python bench/calibrate_bands.py --step 3
(``--models robust,blend`` recalibrates those two and keeps the other models' rows)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from forecast_series import development

from oxychain.planning.domain import bands
from oxychain.planning.domain.cases import RegionSeries
from oxychain.planning.domain.forecasting import MAX_HORIZON_DAYS, MODELS, point_path

LEADS = (1, 3, 7, 14, 21, 28, 42)
SIZE_EDGES = (10.0, 100.0, 1000.0, 10000.0)
FIRST_ORIGIN = date(2020, 4, 1)
MIN_ERRORS = 40  # fewer in a size class: that class borrows its neighbour's errors
TABLE = Path(__file__).parents[1] / "src/oxychain/planning/data/forecast_bands.json"

Error = tuple[str, int, int, float]  # family, size class, lead, log error
LEVELS = ("national", "state", "district")


def errors_of(series: RegionSeries, family: str, model: str, step: int) -> list[Error]:
    out = []
    origin = FIRST_ORIGIN
    log_y = np.log1p(series.new_cases)
    while origin + timedelta(days=1) <= series.end:
        known = series.until(origin).new_cases
        if len(known) >= 7:
            size = int(np.searchsorted(SIZE_EDGES, known[-7:].mean(), side="right"))
            path = np.log1p(point_path(series, origin, MAX_HORIZON_DAYS, model))
            for lead in LEADS:
                i = len(known) - 1 + lead
                if i < len(log_y):
                    out.append((family, size, lead, float(log_y[i] - path[lead - 1])))
        origin += timedelta(days=step)
    return out


def table(errors: list[Error]) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
    grouped: dict[tuple[int, int], list[float]] = defaultdict(list)
    for _family, size, lead, e in errors:
        grouped[size, lead].append(e)
    rows = []
    for size in range(len(SIZE_EDGES) + 1):
        lows, highs = [], []
        for lead in LEADS:
            pool, reach = list(grouped[size, lead]), 1
            while len(pool) < MIN_ERRORS and reach <= len(SIZE_EDGES):
                for other in (size - reach, size + reach):
                    pool += grouped.get((other, lead), [])
                reach += 1
            low, high = bands.quantiles(pool)
            lows.append(round(low, 3))
            highs.append(round(high, 3))
        # A band never narrows further ahead.
        rows.append((_monotone(lows, min), _monotone(highs, max)))
    return rows


def _monotone(values: list[float], pick) -> tuple[float, ...]:
    out = [values[0]]
    for v in values[1:]:
        out.append(pick(out[-1], v))
    return tuple(out)


def coverage(errors: list[Error], rows) -> float:
    inside = [
        np.interp(lead, LEADS, rows[size][0]) <= e <= np.interp(lead, LEADS, rows[size][1])
        for _f, size, lead, e in errors
        if lead in (7, 14)
    ]
    return float(np.mean(inside)) if inside else float("nan")


def write(tables: dict[str, dict[str, list]]) -> None:
    """Write the table; models not calibrated in this run keep their rows."""
    kept = json.loads(TABLE.read_text())["bands"] if TABLE.exists() else {}
    kept = {m: levels for m, levels in kept.items() if m in MODELS and m not in tables}
    doc = {
        "about": "80 % band of each forecast model: log-error percentiles (10th, 90th) by "
        "region level, size class and lead. Written by bench/calibrate_bands.py "
        "(split-conformal, planning/domain/bands.py); do not edit.",
        "leads_days": list(LEADS),
        "size_edges_cases_per_day": list(SIZE_EDGES),
        "bands": {
            **kept,
            **{
                model: {
                    level: [[list(lows), list(highs)] for lows, highs in rows]
                    for level, rows in levels.items()
                }
                for model, levels in tables.items()
            },
        },
    }
    TABLE.write_text(json.dumps(doc, indent=1) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", type=int, default=3, help="days between origins (3)")
    parser.add_argument(
        "--models",
        default=",".join(MODELS),
        help="comma-separated; the table's rows of other models are kept (default: all)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the table")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sets = development()
    tables = {}
    print(f"{'model':9} {'size':9} {'in-sample cov80':>16} {'out-of-sample':>14}  (leads 7, 14)")
    for model in args.models.split(","):
        tables[model] = {}
        for level, series in sets.items():
            # family: a state with the districts drawn from it, left out together
            mine = [
                e for s in series for e in errors_of(s, s.region.split(" 1/")[0], model, args.step)
            ]
            rows = tables[model][level] = table(mine)
            families = sorted({e[0] for e in mine})
            held = [
                coverage([e for e in mine if e[0] == f], table([e for e in mine if e[0] != f]))
                for f in families
                if len(families) > 1
            ]
            print(
                f"{model:9} {level:9} {coverage(mine, rows):>16.2f} "
                f"{np.mean(held) if held else float('nan'):>14.2f}"
            )
    if not args.dry_run:
        write(tables)
    print(
        f"\n{time.perf_counter() - started:.0f} s. "
        f"Reproduce: .venv/bin/python bench/calibrate_bands.py --step {args.step}"
        + (f" --models {args.models}" if args.models != ",".join(MODELS) else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
