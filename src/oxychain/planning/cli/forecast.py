"""`oxychain forecast`: daily new cases per region for the days after a date.

    oxychain forecast --cases FILE --as-of DATE --horizon DAYS [--model NAME]
                      [--region-name NAME] [--json]

FILE is a CSV (or .xlsx) of cumulative counts with columns ``date``, ``confirmed`` and a
region column (``district``, ``region`` or ``state``); a file without one is a single
region (``--region-name``, default India). Only rows up to DATE are used; the band is
the one calibrated for the file's level (district, state or national). ``--json``
prints exactly {"as_of", "model", "regions": [{"region", "forecast": [{"date",
"new_cases", "low", "high"}]}]} with an 80 % band. Exit codes: 0 done; 2 bad arguments
or file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from oxychain.core.errors import InvalidInput
from oxychain.planning.domain.forecasting import (
    DEFAULT_MODEL,
    MAX_HORIZON_DAYS,
    MODELS,
    ForecastPoint,
    forecast,
)


def register(subparsers: Any) -> None:
    command = subparsers.add_parser(
        "forecast", help="forecast daily new cases per region, with an 80 %% band"
    )
    command.add_argument(
        "--cases", required=True, metavar="FILE", help="CSV or .xlsx of cumulative confirmed cases"
    )
    command.add_argument(
        "--as-of",
        required=True,
        type=_iso_date,
        metavar="DATE",
        help="last day whose counts are used (YYYY-MM-DD)",
    )
    command.add_argument(
        "--horizon",
        required=True,
        type=_horizon,
        metavar="DAYS",
        help=f"days to forecast after DATE (1 to {MAX_HORIZON_DAYS})",
    )
    command.add_argument(
        "--model",
        default=None,
        choices=list(MODELS),
        help="forecast model (default: the OXYCHAIN_FORECAST_MODEL setting, "
        f"{DEFAULT_MODEL}, best in the backtest)",
    )
    command.add_argument(
        "--region-name",
        default="India",
        help="region name for a file without a region column (India)",
    )
    command.add_argument("--json", action="store_true", help="print the forecast as JSON")
    command.set_defaults(handler=forecast_command)


def forecast_command(args: argparse.Namespace) -> int:
    if args.model is None:
        from oxychain.planning.settings import PlanningSettings

        args.model = PlanningSettings().forecast_model
    from oxychain.planning.services.cases import read_cases

    try:
        content = Path(args.cases).read_bytes()
    except OSError as exc:
        print(f"oxychain forecast: cannot read {args.cases}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        cases = read_cases(content, until=args.as_of, default_region=args.region_name)
        level = _LEVEL_OF_COLUMN.get(cases.region_column or "", "national")
        if not cases.regions:
            raise InvalidInput(f"no region has two or more counts on or before {args.as_of}")
        regions = [
            (series.region, forecast(series, args.as_of, args.horizon, args.model, level))
            for series in cases.regions
        ]
    except InvalidInput as exc:
        print(f"oxychain forecast: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        print(
            json.dumps(
                {
                    "as_of": args.as_of.isoformat(),
                    "model": args.model,
                    "regions": [
                        {"region": region, "forecast": [_point(p) for p in points]}
                        for region, points in regions
                    ],
                }
            )
        )
        return 0
    print(f"New cases after {args.as_of} ({args.model} model, 80 % band)")
    for region, points in regions:
        for p in points:
            print(f"{region}\t{p.date}\t{p.new_cases:,.0f}\t({p.low:,.0f} - {p.high:,.0f})")
    return 0


# The band is calibrated per level: a file's region column says which (case_file.py).
_LEVEL_OF_COLUMN = {"district": "district", "state": "state", "region": "state"}


def _point(p: ForecastPoint) -> dict[str, object]:
    # One decimal: a district's expected 0.4 cases a day should not read as 0.
    return {
        "date": p.date.isoformat(),
        "new_cases": round(p.new_cases, 1),
        "low": round(p.low, 1),
        "high": round(p.high, 1),
    }


def _iso_date(text: str) -> date:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"'{text}' is not a date in YYYY-MM-DD form")


def _horizon(text: str) -> int:
    if text.strip().isdigit() and 1 <= int(text) <= MAX_HORIZON_DAYS:
        return int(text)
    raise argparse.ArgumentTypeError(
        f"'{text}' is not a whole number of days from 1 to {MAX_HORIZON_DAYS}"
    )
