"""Backtest the forecast models on the real case series shipped with oxychain.

From each forecast origin (every ``--step`` days) each model forecasts the next 14 days
from the counts up to the origin only, through ``forecasting.forecast`` itself (so the
as-of cut-off and the band are the ones the CLI uses). The 7- and 14-day-ahead daily new
cases are compared with what was reported, per wave:

  2020 first wave  origins 2020-04-01 .. 2020-12-31  (rise, September peak, decline)
  Delta 2021       origins 2021-03-01 .. 2021-07-31
  Omicron 2022     origins 2021-12-01 .. 2022-02-28  (national series only)
  all              every origin from 2020-04-01 with 14 days of outcome

Series (bench/forecast_series.py): India; with ``--states`` the five states and district-
sized series drawn from them; with ``--cases FILE --level district`` a case file of one's
own (a corporation's districts, as imported).

Columns: n origins; MAE (cases/day); xnaive = MAE / MAE of the naive baseline (last week's
level carried forward), below 1 beats it; MAPE over days with at least one case; cov80 =
share of outcomes inside the 80 % band (0.80 is right); IS80 = interval score of the band
(width plus 10 x the miss), relative to naive's, lower is better. The last table sums up
per region size: MAE ratio and band coverage over all origins; then pooled over the region
sizes (the mean of their MAE ratios), also on the first and the second half of each region's
origins (a model chosen on the first half is judged on the second).

Reproduce: .venv/bin/python bench/backtest_forecast.py --step 7 --states
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from forecast_series import districts, national, states

from oxychain.planning.domain.cases import RegionSeries
from oxychain.planning.domain.forecasting import MODELS, forecast
from oxychain.planning.services.cases import read_cases

LEADS = (7, 14)
FIRST_ORIGIN = date(2020, 4, 1)
WAVES = {
    "2020 first wave": (date(2020, 4, 1), date(2020, 12, 31)),
    "Delta 2021": (date(2021, 3, 1), date(2021, 7, 31)),
    "Omicron 2022": (date(2021, 12, 1), date(2022, 2, 28)),
    "all": (FIRST_ORIGIN, date.max),
}


@dataclass(frozen=True)
class Outcome:
    region: str
    first_half: bool  # among the first half of this region's origins
    origin: date
    lead: int
    actual: float
    point: float
    low: float
    high: float


def outcomes(series: RegionSeries, model: str, step: int, level: str) -> list[Outcome]:
    rows = []
    first = max(FIRST_ORIGIN, series.start + timedelta(days=6))
    origins = [first + timedelta(days=d) for d in range(0, (series.end - first).days - 13, step)]
    for k, origin in enumerate(origins):
        path = forecast(series, origin, max(LEADS), model, level)
        for lead in LEADS:
            p = path[lead - 1]
            actual = float(series.new_cases[(p.date - series.start).days])
            early = k < len(origins) // 2
            rows.append(
                Outcome(series.region, early, origin, lead, actual, p.new_cases, p.low, p.high)
            )
    return rows


def scores(rows: list[Outcome]) -> dict[str, float]:
    a = np.array([r.actual for r in rows])
    p = np.array([r.point for r in rows])
    lo = np.array([r.low for r in rows])
    hi = np.array([r.high for r in rows])
    seen = a > 0
    interval = (hi - lo) + 10 * np.maximum(lo - a, 0) + 10 * np.maximum(a - hi, 0)
    return {
        "n": len(rows),
        "mae": float(np.mean(np.abs(p - a))),
        "mape": float(np.mean(np.abs(p[seen] - a[seen]) / a[seen]) * 100),
        "cov80": float(np.mean((a >= lo) & (a <= hi))),
        "is80": float(np.mean(interval)),
    }


def report(title: str, results: dict[str, list[Outcome]], models: list[str]) -> None:
    print(f"\n{title}")
    print(
        f"{'wave':16} {'lead':>4} {'model':7} {'n':>4} {'MAE':>10} {'xnaive':>7} "
        f"{'MAPE%':>7} {'cov80':>6} {'IS80':>6}"
    )
    for wave, (first, last) in WAVES.items():
        for lead in LEADS:
            table = {}
            for model in models:
                rows = [r for r in results[model] if r.lead == lead and first <= r.origin <= last]
                if rows:
                    table[model] = scores(rows)
            if not table:
                continue
            base = table.get("naive", next(iter(table.values())))
            for model, s in table.items():
                print(
                    f"{wave:16} {lead:>4} {model:7} {s['n']:>4} {s['mae']:>10,.0f} "
                    f"{s['mae'] / base['mae']:>7.2f} {s['mape']:>7.1f} {s['cov80']:>6.2f} "
                    f"{s['is80'] / base['is80']:>6.2f}"
                )


def summary(results: dict[str, dict[str, list[Outcome]]], models: list[str]) -> None:
    print("\nPer region size, all origins: MAE / naive's MAE, and 80 % band coverage")
    print(
        f"{'size':9} {'lead':>4} " + " ".join(f"{m + ' xnaive':>15} {'cov80':>5}" for m in models)
    )
    for size, by_model in results.items():
        for lead in LEADS:
            cells = []
            for model in models:
                s = scores([r for r in by_model[model] if r.lead == lead])
                ratio = _ratio(by_model, model, models[0], lead, lambda r: True)
                cells.append(f"{ratio:>15.3f} {s['cov80']:>5.2f}")
            print(f"{size:9} {lead:>4} " + " ".join(cells))
    if len(results) < 2:
        return
    print(
        "\nPooled: the mean over region sizes of MAE / naive's MAE; all origins, then the "
        "first and the second half of each region's origins"
    )
    print(f"{'origins':9} {'lead':>4} " + " ".join(f"{m:>15}" for m in models))
    for name, keep in (
        ("all", lambda r: True),
        ("1st half", lambda r: r.first_half),
        ("2nd half", lambda r: not r.first_half),
    ):
        for lead in LEADS:
            pooled = [
                np.mean([_ratio(by, model, models[0], lead, keep) for by in results.values()])
                for model in models
            ]
            print(f"{name:9} {lead:>4} " + " ".join(f"{v:>15.3f}" for v in pooled))


def _ratio(by_model: dict[str, list[Outcome]], model: str, base: str, lead: int, keep) -> float:
    def mae(name: str) -> float:
        return float(
            np.mean([abs(r.point - r.actual) for r in by_model[name] if r.lead == lead and keep(r)])
        )

    return mae(model) / mae(base)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", type=int, default=7, help="days between origins (7)")
    parser.add_argument(
        "--states",
        action="store_true",
        help="also the five states of covid_states_dev.csv (to Oct 2021) and districts drawn "
        "from them",
    )
    parser.add_argument("--cases", metavar="FILE", help="instead: a case file of one's own")
    parser.add_argument("--level", default="district", choices=["national", "state", "district"])
    parser.add_argument(
        "--models",
        default=",".join(MODELS),
        help=f"comma-separated, naive first (default {','.join(MODELS)})",
    )
    args = parser.parse_args(argv)
    models = args.models.split(",")
    started = time.perf_counter()
    sets: dict[str, tuple[str, list[RegionSeries]]] = {}
    if args.cases:
        own = list(read_cases(Path(args.cases).read_bytes()).regions)
        sets[args.level] = (f"{len(own)} regions of {args.cases}", own)
    else:
        sets["national"] = ("India, national (JHU CSSE), daily new cases", national())
        if args.states:
            st = states()
            names = ", ".join(s.region for s in st)
            sets["state"] = (f"{len(st)} states pooled (covid19india.org): {names}", st)
            drawn = districts(st)
            sets["district"] = (f"{len(drawn)} district-sized series drawn from them", drawn)
    results = {}
    for level, (title, series) in sets.items():
        results[level] = {
            m: [o for s in series for o in outcomes(s, m, args.step, level)] for m in models
        }
        report(title, results[level], models)
    summary(results, models)

    flags = f"--step {args.step}" + (" --states" if args.states else "")
    if args.cases:
        flags += f" --cases {args.cases} --level {args.level}"
    if args.models != ",".join(MODELS):
        flags += f" --models {args.models}"
    print(
        f"\n{time.perf_counter() - started:.0f} s. "
        f"Reproduce: .venv/bin/python bench/backtest_forecast.py {flags}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
