"""The allocation optimiser: the plan of least weighted shortfall, then least transport
cost, in whole devices (ALLOCATION.md).

`solve` builds the compact time-expanded network of `planning.flow` and hands it to
an exact integer min-cost flow (LEMON's network simplex, or OR-Tools' cost scaling
where that cannot run: `flow.solve`), which proves optimality: status "optimal"
means proved. If the big-M weight would overflow int64 (absurd
priorities or prices), a two-stage MILP (HiGHS) on the same network takes over; with
a time limit the solver runs in a child process that is stopped when time is up, and
the plan falls back to the pro-rata baseline, with status "time_limit".
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from oxychain.planning.domain import flow
from oxychain.planning.domain.scenario import Scenario
from oxychain.planning.domain.status import SolverStatus

_INT64_HEADROOM = 2.0**61  # compared in floating point, so with a margin


class Shipment(NamedTuple):
    warehouse: str
    facility: str
    day: int
    quantity: int


class Shortfall(NamedTuple):
    facility: str
    day: int
    quantity: int


class Transfer(NamedTuple):
    source: str
    target: str
    day: int
    quantity: int


@dataclass(frozen=True)
class Plan:
    """A plan in the contract's terms; money in paise, shortfall in priority-device-days."""

    status: SolverStatus
    weighted_shortfall: int
    transport_cost_paise: int
    shipments: tuple[Shipment, ...]
    shortfall: tuple[Shortfall, ...]
    district_fill: dict[str, float]
    solve_seconds: float
    transfers: tuple[Transfer, ...] | None = None  # None: the scenario has no links
    floor_shortfall: int | None = None  # None: the scenario sets no fill floor

    def as_dict(self) -> dict:
        """The plan JSON of ALLOCATION.md (version 2's fields only where the scenario
        uses version 2, so a version 1 plan reads exactly as before)."""
        doc: dict = {"status": SolverStatus(self.status).value}
        if self.floor_shortfall is not None:
            doc["floor_shortfall"] = float(self.floor_shortfall)
        doc |= {
            "weighted_shortfall": float(self.weighted_shortfall),
            "transport_cost": self.transport_cost_paise / 100,
            "shipments": [
                {"from": w, "to": f, "day": d, "quantity": q} for w, f, d, q in self.shipments
            ],
            "shortfall": [{"facility": f, "day": d, "quantity": q} for f, d, q in self.shortfall],
            "district_fill": dict(self.district_fill),
            "solve_seconds": round(self.solve_seconds, 3),
        }
        if self.transfers is not None:
            doc["transfers"] = [
                {"from": a, "to": b, "day": d, "quantity": q} for a, b, d, q in self.transfers
            ]
        return doc


@dataclass(frozen=True)
class Tables:
    """A scenario as arrays indexed by position (W warehouses, F facilities, H days)."""

    horizon: int
    warehouse_ids: tuple[str, ...]
    facility_ids: tuple[str, ...]
    stock_in: np.ndarray  # W x H: devices that become available on each day
    capacity: np.ndarray  # W: dispatch capacity, -1 for no limit
    priority: np.ndarray  # F
    need: np.ndarray  # F x H: requirement net of installed devices
    districts: tuple[str, ...]
    district_of: np.ndarray  # F: index into districts
    route_wh: np.ndarray  # R
    route_fac: np.ndarray
    route_lead: np.ndarray
    route_cost: np.ndarray  # paise
    link_from: np.ndarray | None = None  # L warehouse-to-warehouse links (version 2)
    link_to: np.ndarray | None = None
    link_lead: np.ndarray | None = None
    link_cost: np.ndarray | None = None  # paise
    floor: np.ndarray | None = None  # F x H: the fill floor net of installed; None: no floor


def tabulate(scenario: Scenario) -> Tables:
    horizon, warehouses, facilities = (
        scenario.horizon_days,
        scenario.warehouses,
        scenario.facilities,
    )
    wh_index = {w.id: i for i, w in enumerate(warehouses)}
    fac_index = {f.id: i for i, f in enumerate(facilities)}
    stock_in = np.zeros((len(warehouses), horizon), dtype=np.int64)
    for i, w in enumerate(warehouses):
        stock_in[i, 0] += w.on_hand
        for a in w.arrivals:
            stock_in[i, a.day] += a.quantity
    required = np.array([f.requirement for f in facilities], dtype=np.int64).reshape(-1, horizon)
    installed = np.array([f.installed for f in facilities], dtype=np.int64)
    districts = tuple(sorted({f.district for f in facilities}))
    district_index = {d: i for i, d in enumerate(districts)}
    routes = scenario.routes
    links, floor = scenario.transfers, None
    if scenario.fairness is not None:
        # floor(f, t) = ceil(P_f * requirement(f, t) / 100), in integers (ALLOCATION.md)
        pct = np.array([scenario.fairness.percent(f.kind) for f in facilities], dtype=np.int64)
        floor = np.maximum((pct[:, None] * required + 99) // 100 - installed[:, None], 0)
    return Tables(
        horizon=horizon,
        warehouse_ids=tuple(wh_index),
        facility_ids=tuple(fac_index),
        stock_in=stock_in,
        capacity=np.array(
            [-1 if w.dispatch_capacity is None else w.dispatch_capacity for w in warehouses],
            dtype=np.int64,
        ),
        priority=np.array([f.priority for f in facilities], dtype=np.int64),
        need=np.maximum(required - installed[:, None], 0),
        districts=districts,
        district_of=np.array([district_index[f.district] for f in facilities], dtype=np.int64),
        route_wh=np.array([wh_index[r.warehouse] for r in routes], dtype=np.int64),
        route_fac=np.array([fac_index[r.facility] for r in routes], dtype=np.int64),
        route_lead=np.array([r.lead_days for r in routes], dtype=np.int64),
        route_cost=np.array([r.cost_paise for r in routes], dtype=np.int64),
        link_from=np.array([wh_index[k.source] for k in links], dtype=np.int64),
        link_to=np.array([wh_index[k.target] for k in links], dtype=np.int64),
        link_lead=np.array([k.lead_days for k in links], dtype=np.int64),
        link_cost=np.array([k.cost_paise for k in links], dtype=np.int64),
        floor=floor,
    )


def build_plan(
    tables: Tables,
    route: np.ndarray,
    day: np.ndarray,
    qty: np.ndarray,
    status: SolverStatus,
    seconds: float,
    moved: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> Plan:
    """The plan of the given dispatches (route index, day, quantity) and transfers
    (`moved`: link index, day, quantity), with its shortfall, objectives and district
    fill worked out from the scenario."""
    keep = qty > 0
    route, day, qty = route[keep], day[keep], qty[keep]
    fac = tables.route_fac[route]
    delivered = np.zeros(tables.need.shape, dtype=np.int64)
    np.add.at(delivered, (fac, day + tables.route_lead[route]), qty)
    in_service = np.cumsum(delivered, axis=1)
    short = np.maximum(tables.need - in_service, 0)
    weighted = short.sum(axis=1) * tables.priority
    wanted = tables.need.sum(axis=1) * tables.priority
    district_short = np.zeros(len(tables.districts), dtype=np.int64)
    district_need = np.zeros(len(tables.districts), dtype=np.int64)
    np.add.at(district_short, tables.district_of, weighted)  # integers, so exact
    np.add.at(district_need, tables.district_of, wanted)
    fill = {
        d: 1.0 if not need else 1.0 - short_d / need
        for d, short_d, need in zip(
            tables.districts, district_short.tolist(), district_need.tolist(), strict=True
        )
    }
    wh = tables.route_wh[route]
    order = np.lexsort((fac, wh, day))
    w_ids, f_ids = tables.warehouse_ids, tables.facility_ids
    shipments = tuple(
        Shipment(w_ids[w], f_ids[f], d, q)
        for w, f, d, q in zip(
            wh[order].tolist(),
            fac[order].tolist(),
            day[order].tolist(),
            qty[order].tolist(),
            strict=True,
        )
    )
    sf, sd = np.nonzero(short)
    shortfall = tuple(
        Shortfall(f_ids[f], d, q)
        for f, d, q in zip(sf.tolist(), sd.tolist(), short[sf, sd].tolist(), strict=True)
    )
    cost = int(np.dot(tables.route_cost[route], qty))
    transfers = None
    if tables.link_from is not None and tables.link_from.size:
        link, l_day, l_qty = moved if moved is not None else (route[:0], day[:0], qty[:0])
        keep = l_qty > 0
        link, l_day, l_qty = link[keep], l_day[keep], l_qty[keep]
        cost += int(np.dot(tables.link_cost[link], l_qty))
        src, dst = tables.link_from[link], tables.link_to[link]
        order = np.lexsort((dst, src, l_day))
        w_ids = tables.warehouse_ids
        transfers = tuple(
            Transfer(w_ids[a], w_ids[b], d, q)
            for a, b, d, q in zip(
                src[order].tolist(),
                dst[order].tolist(),
                l_day[order].tolist(),
                l_qty[order].tolist(),
                strict=True,
            )
        )
    floor_short = None
    if tables.floor is not None:
        below = np.maximum(tables.floor - in_service, 0)
        floor_short = int((below.sum(axis=1) * tables.priority).sum())
    return Plan(
        status,
        int(weighted.sum()),
        cost,
        shipments,
        shortfall,
        fill,
        seconds,
        transfers,
        floor_short,
    )


def solve(scenario: Scenario, *, time_limit_s: float | None = None) -> Plan:
    """The plan minimising weighted shortfall, then transport cost (ALLOCATION.md)."""
    start = time.perf_counter()
    tables = tabulate(scenario)
    if scenario.version == 2:
        from oxychain.planning.domain.echelon import solve_tables

        return solve_tables(tables, time_limit_s=time_limit_s, start=start)
    cands = flow.candidates(tables)
    if cands is None:  # nothing can reach a need in time: doing nothing is optimal
        empty = np.zeros(0, dtype=np.int64)
        return build_plan(
            tables, empty, empty, empty, SolverStatus.OPTIMAL, time.perf_counter() - start
        )
    network = flow.assemble(tables, cands)
    weight = flow.big_m(tables, cands)
    if time_limit_s is not None:
        status, flows = _in_child(network, weight, time_limit_s)
    else:
        status, flows = _optimise(network, weight, None)
    if flows is None:
        from oxychain.planning.domain.prorata import prorata_shipments

        route, day, qty = prorata_shipments(tables)
        return build_plan(tables, route, day, qty, status, time.perf_counter() - start)
    qty = flows[: cands.route.size]
    day = cands.batch_day[cands.batch]
    qty = _trim_free_surplus(tables, cands.route, day, qty)
    return build_plan(tables, cands.route, day, qty, status, time.perf_counter() - start)


def _optimise(
    network: flow.Network, weight: int, time_limit_s: float | None
) -> tuple[str, np.ndarray | None]:
    if _fits_int64(network, weight):
        flows = flow.min_cost_flow(network, network.transport - weight * network.reward, keep=True)
        if flows is not None:
            return SolverStatus.OPTIMAL, flows
    # overflow, or a solver failure that a valid scenario should never cause
    return _two_stage_milp(network, time_limit_s)


def _fits_int64(network: flow.Network, weight: int) -> bool:
    """Both solvers sum costs along paths of up to every node (OR-Tools also scales them
    by the node count): keep that, and the total, in int64."""
    top = int(network.reward.max(initial=0)) * weight + int(network.transport.max(initial=0))
    caps = network.capacities.astype(float)
    total = float(np.dot(caps, network.reward)) * weight + float(np.dot(caps, network.transport))
    return top * (network.supplies.size + 1) < _INT64_HEADROOM and total < _INT64_HEADROOM


def _in_child(
    network: flow.Network, weight: int, time_limit_s: float
) -> tuple[str, np.ndarray | None]:
    """The flow solver cannot be interrupted, so it runs in a forked child we can stop."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(network, weight, time_limit_s, send), daemon=True)
    deadline = time.perf_counter() + max(time_limit_s, 0.0)
    child.start()
    send.close()
    try:
        if receive.poll(max(deadline - time.perf_counter(), 0.0)):
            return receive.recv()
        return SolverStatus.TIME_LIMIT, None
    except EOFError:  # the child died without an answer
        return SolverStatus.ERROR, None
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def _child(network: flow.Network, weight: int, time_limit_s: float, send) -> None:
    send.send(_optimise(network, weight, time_limit_s))


def _two_stage_milp(
    network: flow.Network, time_limit_s: float | None
) -> tuple[str, np.ndarray | None]:
    """Exact lexicographic solve with HiGHS: stage 1 fixes the best reward, stage 2 the
    cheapest transport among plans that keep it."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    n_nodes, n_arcs = network.supplies.size, network.tails.size
    cols = np.arange(n_arcs)
    incidence = csr_array(
        (
            np.concatenate((np.ones(n_arcs), -np.ones(n_arcs))),
            (np.concatenate((network.tails, network.heads)), np.concatenate((cols, cols))),
        ),
        shape=(n_nodes, n_arcs),
    )
    balance = LinearConstraint(incidence, network.supplies, network.supplies)
    bounds = Bounds(0, network.capacities)
    options = {"mip_rel_gap": 0.0, "time_limit": time_limit_s or 1e9}
    whole = np.ones(n_arcs)
    first = milp(
        -network.reward.astype(float),
        constraints=[balance],
        bounds=bounds,
        integrality=whole,
        options=options,
    )
    if first.status != 0:
        failed = SolverStatus.TIME_LIMIT if first.status == 1 else SolverStatus.ERROR
        return failed, None
    best = round(-first.fun)
    keep = LinearConstraint(network.reward.astype(float)[None, :], best, np.inf)
    second = milp(
        network.transport.astype(float),
        constraints=[balance, keep],
        bounds=bounds,
        integrality=whole,
        options=options,
    )
    if second.status != 0:
        return SolverStatus.TIME_LIMIT, np.rint(first.x).astype(np.int64)
    return SolverStatus.OPTIMAL, np.rint(second.x).astype(np.int64)


def _trim_free_surplus(
    tables: Tables, route: np.ndarray, day: np.ndarray, qty: np.ndarray
) -> np.ndarray:
    """Drop devices sent over zero-cost routes where they cover nothing.

    Such shipments tie with not sending at all, so the solver may keep them; removing
    the latest ones first changes neither objective and keeps plans free of noise."""
    qty = qty.copy()
    used = np.flatnonzero(qty > 0)
    fac = tables.route_fac[route[used]]
    free_to = np.zeros(tables.priority.size, dtype=bool)
    free_to[fac[tables.route_cost[route[used]] == 0]] = True
    pick = used[free_to[fac]]
    if pick.size == 0:
        return qty
    arrive = day + tables.route_lead[route]
    pick = pick[np.lexsort((-arrive[pick], tables.route_fac[route[pick]]))]
    fac = tables.route_fac[route[pick]]
    for group in np.split(pick, np.flatnonzero(fac[1:] != fac[:-1]) + 1):
        f = tables.route_fac[route[group[0]]]
        delivered = np.bincount(arrive[group], weights=qty[group], minlength=tables.horizon)
        surplus = np.cumsum(delivered).astype(np.int64) - tables.need[f]
        for i in group:  # latest arrival first
            if tables.route_cost[route[i]] == 0:
                cut = min(int(qty[i]), int(surplus[arrive[i] :].min()))
                if cut > 0:
                    qty[i] -= cut
                    surplus[arrive[i] :] -= cut
    return qty
