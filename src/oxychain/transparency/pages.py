"""The red-flags report: reasons to look closer at a tender, with their sources."""

from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from oxychain.core.i18n import N_
from oxychain.core.web.deps import app_of, guarded, reader
from oxychain.core.web.templating import language_of, proper_name, render, translate
from oxychain.transparency import services as transparency
from oxychain.transparency.domain.mse_report import (
    MSE_TARGET_PCT,
    SC_ST_TARGET_PCT,
    WOMEN_TARGET_PCT,
)
from oxychain.transparency.domain.redflags import INDICATORS

router = APIRouter()
THRESHOLDS = N_(
    "Thresholds: a bid period under {days} days; a runner-up within {close} % of the winner, "
    "or more than {discount} % above; a price more than {over} % above the reference; a "
    "frequent bidder with {bids} bids or more who wins at most {wins} % of them; the same "
    "group of bidders winning in turn over {rotation} tenders."
)


#: The parameters that name firms: registered names, marked English on a Hindi page.
NAMES = ("bidders", "bidder", "supplier", "names", "disqualified")


def _reason(request: Request, message: str, params: dict) -> Markup:
    lang = language_of(request)
    marked = {k: proper_name(str(v), lang) if k in NAMES else escape(v) for k, v in params.items()}
    return Markup(translate(request, message, marked))  # noqa: S704 - params escaped


@router.get("/redflags")
def redflags_page(request: Request, principal: guarded("redflags.read")) -> Response:
    settings = app_of(request).settings
    flags = transparency.red_flag_report(reader(request, principal), settings)
    rows = [
        {
            "flag": flag,
            "title": translate(request, flag.indicator.title),
            "reason": _reason(request, flag.message, flag.params),
        }
        for flag in flags
    ]
    counts = Counter(flag.code for flag in flags)
    return render(
        request,
        "transparency/redflags.html",
        rows=rows,
        counts=[(INDICATORS[code], counts.get(code, 0)) for code in INDICATORS],
        thresholds=_thresholds(request, transparency.rules(settings)),
    )


@router.get("/reports/mse")
def mse_report_page(request: Request, principal: guarded("mse.report")) -> Response:
    rows = transparency.mse_report(reader(request, principal))
    targets = {"mse": MSE_TARGET_PCT, "sc_st": SC_ST_TARGET_PCT, "women": WOMEN_TARGET_PCT}
    return render(request, "transparency/mse_report.html", rows=rows, targets=targets)


CSV_COLUMNS = (
    "financial_year", "orders", "total_rupees", "mse_rupees", "mse_pct", "sc_st_rupees",
    "sc_st_pct", "women_rupees", "women_pct",
)  # fmt: skip


@router.get("/reports/mse.csv")
def mse_report_csv(request: Request, principal: guarded("mse.report")) -> Response:
    """The same figures as CSV (UTF-8): rupees with two decimals, shares in % of the total."""
    rows = transparency.mse_report(reader(request, principal))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = row.as_dict()
        writer.writerow([values[c] for c in CSV_COLUMNS])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="mse-procurement.csv"'},
    )


def _thresholds(request: Request, rules) -> str:  # noqa: ANN001
    params = {
        "days": rules.min_bid_period_days,
        "close": _pct(rules.close_bid_pct),
        "discount": _pct(rules.discount_pct),
        "over": _pct(rules.over_reference_pct),
        "bids": rules.frequent_bidder_min_bids,
        "wins": _pct(rules.frequent_bidder_max_win_pct),
        "rotation": rules.rotation_min_tenders,
    }
    return translate(request, THRESHOLDS, params)


def _pct(value: Decimal) -> str:
    """1.0 → "1", 2.50 → "2.5"."""
    return f"{value.normalize():f}"
