"""The red-flags report: reasons to look closer at a tender, with their sources."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from oxychain.core.i18n import N_
from oxychain.core.web.deps import app_of, guarded, reader
from oxychain.core.web.templating import render, translate
from oxychain.transparency import services as transparency
from oxychain.transparency.domain.redflags import INDICATORS

router = APIRouter()
THRESHOLDS = N_(
    "Thresholds: a bid period under {days} days; a runner-up within {close} % of the winner, "
    "or more than {discount} % above; a price more than {over} % above the reference; a "
    "frequent bidder with {bids} bids or more who wins at most {wins} % of them; the same "
    "group of bidders winning in turn over {rotation} tenders."
)


@router.get("/redflags")
def redflags_page(request: Request, principal: guarded("redflags.read")) -> Response:
    settings = app_of(request).settings
    flags = transparency.red_flag_report(reader(request, principal), settings)
    rows = [
        {
            "flag": flag,
            "title": translate(request, flag.indicator.title),
            "reason": translate(request, flag.message, flag.params),
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
