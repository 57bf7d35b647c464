"""The pro-rata baseline: what a spreadsheet allocation does, for comparison.

Day by day, each warehouse (in scenario order) takes what it may send today (its
stock, up to its dispatch capacity) and splits it over the facilities it can still
reach within the horizon, in proportion to their unmet requirement: the most they
will need from the arrival day on, less what has already been sent to them. Whole
devices by largest remainder; it never sends more than the unmet requirement.
"""

from __future__ import annotations

import time

import numpy as np

from oxychain.planning.domain.allocation import Plan, Tables, build_plan, tabulate
from oxychain.planning.domain.scenario import Scenario
from oxychain.planning.domain.status import SolverStatus


def prorata(scenario: Scenario) -> Plan:
    start = time.perf_counter()
    tables = tabulate(scenario)
    route, day, qty = prorata_shipments(tables)
    return build_plan(tables, route, day, qty, SolverStatus.PRORATA, time.perf_counter() - start)


def prorata_shipments(tables: Tables) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Route index, dispatch day and quantity of each pro-rata dispatch."""
    horizon = tables.horizon
    still_needed = np.maximum.accumulate(tables.need[:, ::-1], axis=1)[:, ::-1]
    by_wh = np.argsort(tables.route_wh, kind="stable")
    bounds = np.searchsorted(tables.route_wh[by_wh], np.arange(tables.capacity.size + 1))
    sent = np.zeros(tables.priority.size, dtype=np.int64)
    stock = np.zeros(tables.capacity.size, dtype=np.int64)
    out_route, out_day, out_qty = [], [], []
    for d in range(horizon):
        stock += tables.stock_in[:, d]
        for w in np.flatnonzero(stock > 0):
            routes = by_wh[bounds[w] : bounds[w + 1]]
            routes = routes[d + tables.route_lead[routes] < horizon]
            fac = tables.route_fac[routes]
            unmet = np.maximum(still_needed[fac, d + tables.route_lead[routes]] - sent[fac], 0)
            wanted = int(unmet.sum())
            if wanted == 0:
                continue
            limit = (
                int(stock[w])
                if tables.capacity[w] < 0
                else min(int(stock[w]), int(tables.capacity[w]))
            )
            share = _largest_remainder(min(limit, wanted), unmet)
            given = share > 0
            sent[fac[given]] += share[given]
            stock[w] -= int(share.sum())
            out_route.append(routes[given])
            out_day.append(np.full(int(given.sum()), d, dtype=np.int64))
            out_qty.append(share[given])
    if not out_route:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(out_route), np.concatenate(out_day), np.concatenate(out_qty)


def _largest_remainder(amount: int, weights: np.ndarray) -> np.ndarray:
    """Split `amount` whole units in proportion to `weights`; ties go to the earlier row."""
    total = int(weights.sum())
    exact = amount * weights
    share = exact // total
    leftover = amount - int(share.sum())
    if leftover:
        order = np.argsort(-(exact % total), kind="stable")
        share[order[:leftover]] += 1
    return share
