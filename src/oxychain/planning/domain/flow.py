"""The allocation problem as one min-cost flow on a compact time-expanded network.

* Durable coverage. Devices delivered to a facility flow along a chain of its
  arrival days ("stops") into the sink; between two stops the chain carries the
  devices in service, D(t). On each day a reward arc of capacity need(f, t) (net of
  installed) and priority p sits beside a free arc, so the reward is
  p * min(D(t), need). Days between two stops share one flow, so their reward arcs
  merge into one arc per distinct need level (capacity = the step between levels,
  reward = p * days at or above it): a concave reward, filled in order.
* Dispatch capacity. Holding stock never helps: a device sent earlier on the same
  route arrives earlier and costs the same. So a warehouse's stock and daily
  capacity reduce to a release curve G(t) = min(stock(t), G(t-1) + capacity); each
  day's release (a "batch") is sent that day or never. No holding arcs, and any
  flow is a feasible plan as it stands (x(t) <= g(t) <= capacity, X <= G <= stock).
* Pruning. A warehouse releases no more than its facilities could ever use.
  Dispatches arriving after the horizon or after a facility's last need are
  dropped; one arriving on a day without need counts from the next day with need,
  so both share a stop; none carries more than its facility can still use.
* Lexicographic objective in integers: arc cost = paise - M * reward, with M above
  the transport change of any simple cycle, so no exchange trades shortfall for
  money; LEMON's network simplex (OR-Tools' cost scaling where it cannot run, `solve`)
  is exact on integers.

On the UP-scale bench scenario this network has under a third of the naive one's
arcs (bench/bench_allocation.py compares them); the small M alone saves a third
of the solver's time against the usual "M above any plan's cost".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

UNBOUNDED = -1  # capacity marker of the chains' free arcs


@dataclass(frozen=True)
class Candidates:
    """Every dispatch arc worth considering, with the batches and stops they join."""

    batch_qty: np.ndarray  # B: devices released
    batch_day: np.ndarray
    batch_cost: np.ndarray  # B: dearest route out of the batch's warehouse (paise)
    route: np.ndarray  # C: route index of each arc
    batch: np.ndarray  # C
    stop: np.ndarray  # C: index into the stops
    capacity: np.ndarray  # C
    cost: np.ndarray  # C: paise per device
    stop_fac: np.ndarray  # S: stops sorted by facility, then day
    stop_day: np.ndarray


@dataclass(frozen=True)
class Network:
    """Batches are nodes 0..B-1, then the stops, then the sink. The first arcs are the
    candidate dispatch arcs in order, then one unused-stock arc per batch, then the
    chains. `reward` is priority-days per device (0 off the reward arcs)."""

    tails: np.ndarray
    heads: np.ndarray
    capacities: np.ndarray
    transport: np.ndarray
    reward: np.ndarray
    supplies: np.ndarray


def release_curve(stock_in: np.ndarray, capacity: np.ndarray, useful: np.ndarray) -> np.ndarray:
    """Devices each warehouse can first send on each day (W x H), capacity applied.

    A warehouse never needs to send more than `useful`, the most all the facilities
    it reaches could ever use, so releases stop there: stock beyond it only adds arcs."""
    stock = np.cumsum(stock_in, axis=1)
    capacity = np.where(capacity < 0, np.iinfo(np.int64).max // 4, capacity)
    released = np.zeros_like(stock)
    previous = np.zeros(stock.shape[0], dtype=np.int64)
    for t in range(stock.shape[1]):
        previous = np.minimum(stock[:, t], previous + capacity)
        released[:, t] = np.minimum(previous, useful)
    return np.diff(released, axis=1, prepend=0)


def candidates(tables) -> Candidates | None:
    """Each route meets each batch of its warehouse; keep the arcs that can still help."""
    horizon, need = tables.horizon, tables.need
    days = np.arange(horizon)
    still_needed = np.maximum.accumulate(need[:, ::-1], axis=1)[:, ::-1]
    next_need = np.minimum.accumulate(np.where(need > 0, days, horizon)[:, ::-1], axis=1)[:, ::-1]
    in_time = tables.route_lead < horizon
    useful = np.bincount(
        tables.route_wh[in_time],
        minlength=tables.capacity.size,
        weights=still_needed[tables.route_fac[in_time], 0],
    ).astype(np.int64)
    release = release_curve(tables.stock_in, tables.capacity, useful)
    b_wh, b_day = np.nonzero(release)  # ordered by warehouse, then day
    b_qty = release[b_wh, b_day]
    per_wh = np.bincount(b_wh, minlength=tables.capacity.size)
    first = np.concatenate(([0], np.cumsum(per_wh)))
    per_route = per_wh[tables.route_wh]
    route = np.repeat(np.arange(per_route.size), per_route)
    batch = first[tables.route_wh[route]] + _rank_in_runs(per_route)
    arrive = b_day[batch] + tables.route_lead[route]
    keep = arrive < horizon
    route, batch, arrive = route[keep], batch[keep], arrive[keep]
    facility = tables.route_fac[route]
    usable = still_needed[facility, arrive]
    keep = usable > 0
    if not keep.any():
        return None
    route, batch, facility, usable = route[keep], batch[keep], facility[keep], usable[keep]
    arrive = next_need[facility, arrive[keep]]  # the first day it can cover
    stops, stop = np.unique(facility * horizon + arrive, return_inverse=True)
    cost = tables.route_cost[route]
    dearest = np.zeros(tables.capacity.size, dtype=np.int64)
    np.maximum.at(dearest, tables.route_wh[route], cost)
    return Candidates(
        b_qty,
        b_day,
        dearest[b_wh],
        route,
        batch,
        stop,
        np.minimum(b_qty[batch], usable),
        cost,
        stops // horizon,
        stops % horizon,
    )


def _rank_in_runs(lengths: np.ndarray) -> np.ndarray:
    """0, 1, ... within each run of the given lengths, concatenated."""
    return np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def chain(
    tables, stop_fac: np.ndarray, stop_day: np.ndarray, base: int, sink: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Tails, heads, capacities (UNBOUNDED for free arcs) and rewards of the arcs along
    each facility's stops (nodes base + position)."""
    horizon, n = tables.horizon, stop_fac.size
    same = np.zeros(n, dtype=bool)
    same[:-1] = stop_fac[1:] == stop_fac[:-1]
    end = np.where(same, np.roll(stop_day, -1), horizon)  # a stop's segment is [day, end)
    nxt = np.where(same, base + np.arange(n) + 1, sink)
    # one entry per (segment, day) with a need, by segment, then need, largest first
    length = end - stop_day
    seg = np.repeat(np.arange(n), length)
    level = tables.need[stop_fac[seg], stop_day[seg] + _rank_in_runs(length)]
    seg, level = seg[level > 0], level[level > 0]
    order = np.lexsort((-level, seg))
    seg, level = seg[order], level[order]
    new_seg = np.ones(seg.size, dtype=bool)
    new_seg[1:] = seg[1:] != seg[:-1]
    starts = np.flatnonzero(new_seg)
    days = _rank_in_runs(np.diff(np.append(starts, seg.size))) + 1  # days at or above level
    last = np.ones(seg.size, dtype=bool)  # last entry of a run of equal levels
    last[:-1] = new_seg[1:] | (level[1:] != level[:-1])
    below = np.zeros(seg.size, dtype=np.int64)
    below[:-1] = np.where(new_seg[1:], 0, level[1:])
    seg, step, days = seg[last], (level - below)[last], days[last]
    return (
        np.concatenate((base + np.arange(n), base + seg)),
        np.concatenate((nxt, nxt[seg])),
        np.concatenate((np.full(n, UNBOUNDED, dtype=np.int64), step)),
        np.concatenate((np.zeros(n, dtype=np.int64), tables.priority[stop_fac[seg]] * days)),
    )


def big_m(tables, cands: Candidates) -> int:
    """Weight of one priority-day. A simple cycle of the residual graph passes each
    batch once, entering and leaving it by at most one dispatch arc each, so its
    transport change stays below the sum of each batch's dearest route: a priority-day
    worth more than that is never traded for money. (The transport cost of a plan that
    sends nothing where it helps nobody bounds it too.)"""
    by_cycle = int(cands.batch_cost.astype(object).sum())
    dearest = np.zeros(tables.priority.size, dtype=np.int64)
    np.maximum.at(dearest, tables.route_fac[cands.route], cands.cost)
    by_need = int(np.dot(tables.need.max(axis=1).astype(object), dearest.astype(object)))
    return 1 + min(by_cycle, by_need)


def assemble(tables, cands: Candidates) -> Network:
    n_batch, n_stop = cands.batch_qty.size, cands.stop_fac.size
    sink = n_batch + n_stop
    c_tails, c_heads, c_caps, c_reward = chain(
        tables, cands.stop_fac, cands.stop_day, n_batch, sink
    )
    total = int(cands.batch_qty.sum())
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_batch] = cands.batch_qty
    supplies[sink] = -total
    n_free = cands.route.size + n_batch
    return Network(
        tails=np.concatenate((cands.batch, np.arange(n_batch), c_tails)).astype(np.int32),
        heads=np.concatenate((n_batch + cands.stop, np.full(n_batch, sink), c_heads)).astype(
            np.int32
        ),
        capacities=np.concatenate(
            (cands.capacity, cands.batch_qty, np.where(c_caps == UNBOUNDED, total, c_caps))
        ),
        transport=np.concatenate((cands.cost, np.zeros(n_batch + c_tails.size, dtype=np.int64))),
        reward=np.concatenate((np.zeros(n_free, dtype=np.int64), c_reward)),
        supplies=supplies,
    )


def min_cost_flow(net: Network, costs: np.ndarray, *, keep: bool = False) -> np.ndarray | None:
    """An exact integer min-cost flow of `net` under `costs`; None if no solver proved one.
    `keep` as in `solve`."""
    solved = solve(net, costs, keep=keep)
    return None if solved is None else solved[0]


def solve(
    net: Network, costs: np.ndarray, *, keep: bool = False
) -> tuple[np.ndarray, np.ndarray | None] | None:
    """(flows, node potentials proving them optimal, or None if the solver gave none).

    `keep` lets every node keep what reaches it rather than pass it on to the sink. The
    allocation networks mean the same by that: a stop's devices could run down its free
    chain arcs to the sink, a hub could hold its stock to the end, a batch could stay
    unsent, a dock could have left its devices in stock; so the optimum is the same, and
    LEMON solves it in a sixth to a third less time on the benches (`_keeping_simplex`).
    Then only the dispatch and transfer arcs' flows are the plan's (a chain's flows may
    stop short of the sink) and no potentials are given.

    LEMON's network simplex (pylmcf) takes costs that are not negative, so they are first
    shifted by shortest distances d from a root joined to every node at cost 0: the
    reduced cost c + d(tail) - d(head) is never negative, and since supplies balance,
    every flow's cost moves by the same constant, so the optimal flows are the same.
    Those distances are also good starting prices: on the UP bench the simplex takes a
    third of the time it takes on the saturated, reversed reward arcs. Where the
    distances do not settle in `_ROUNDS` rounds (a long or cyclic network) or the
    shifted costs could overflow its int64 arithmetic, OR-Tools' cost scaling solves."""
    if keep:
        flows = _keeping_simplex(net, costs)
        if flows is not None:
            return flows, None
    shift = _distances(net, costs)
    if shift is not None:
        reduced = costs + shift[net.tails] - shift[net.heads]
        if _fits(net, reduced):
            found = _network_simplex(net, reduced)
            if found is not None:
                return found[0], shift + found[1]
    flows = _cost_scaling(net, costs)
    return None if flows is None else (flows, None)


_ROUNDS = 512  # the time-expanded networks are acyclic, their longest paths ~3 x horizon
_HEADROOM = 2**62


def _distances(net: Network, costs: np.ndarray) -> np.ndarray | None:
    """Shortest distances from a root joined to every node at cost 0 (so never above 0),
    Bellman-Ford with each round over all arcs at once; None if they have not settled
    after `_ROUNDS` rounds."""
    order = np.argsort(net.heads, kind="stable")
    tails, heads, cost = net.tails[order], net.heads[order], costs[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]]) if heads.size else heads
    targets = heads[starts]
    dist = np.zeros(net.supplies.size, dtype=np.int64)
    for _ in range(_ROUNDS):
        if not heads.size:
            return dist
        best = np.minimum.reduceat(dist[tails] + cost, starts)
        better = best < dist[targets]
        if not better.any():
            return dist
        dist[targets[better]] = best[better]
    return None


def _fits(net: Network, reduced: np.ndarray) -> bool:
    """The simplex starts from artificial arcs costing 2^62 and sums costs along tree
    paths (at most every node), all in int64. (It never sums cost x flow unless asked
    for the objective, which is worked out here from the flows.)"""
    return int(reduced.max(initial=0)) * (net.supplies.size + 1) < _HEADROOM


def _network_simplex(net: Network, costs: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """LEMON's network simplex on costs that are not negative: (flows, potentials with
    reduced cost c + pi(tail) - pi(head)). Its arcs go in sorted by (tail, head)."""
    import pylmcf

    order = np.lexsort((net.heads, net.tails))
    graph = pylmcf.Graph(
        int(net.supplies.size),
        net.tails[order].astype(np.int64),
        net.heads[order].astype(np.int64),
    )
    graph.set_node_supply(net.supplies.astype(np.int64))
    graph.set_edge_capacities(net.capacities[order].astype(np.int64))
    graph.set_edge_costs(costs[order].astype(np.int64))
    # the candidate list beat block search on the India and version 2 benches (2x, 1.2x)
    graph.set_pivot_rule("candidate_list")
    try:
        graph.solve()
    except (RuntimeError, ValueError, OverflowError):  # infeasible, or out of its range:
        return None  # never for our networks, and cost scaling still answers
    flows = np.empty(order.size, dtype=np.int64)
    flows[order] = graph.result()
    return flows, np.asarray(graph.potentials(), dtype=np.int64)


def _keeping_simplex(net: Network, costs: np.ndarray) -> np.ndarray | None:
    """LEMON's network simplex with "leq" supplies (a node sends out at most its supply
    more than it receives), the sink's demand left out. The simplex takes no negative
    cost, and shifting by potentials would change the problem once nodes may keep
    devices, so an arc of negative cost starts full and its reverse, at the opposite
    cost, may give its devices back: every cost is then not negative, and taking none of
    them back is feasible. An optimum of the same cost as the balanced solve's, in less
    time: the simplex alone on the benches' networks, this machine, 2026-12-07: UP 0.57 s
    to 0.40 s, India 6.7 s to 5.5 s, version 2 UP 3.7 s to 3.0 s."""
    import pylmcf

    magnitude = np.abs(costs)
    if int(magnitude.max(initial=0)) * (net.supplies.size + 1) >= _HEADROOM:
        return None
    full = costs < 0
    tails = np.where(full, net.heads, net.tails).astype(np.int64)
    heads = np.where(full, net.tails, net.heads).astype(np.int64)
    supplies = np.maximum(net.supplies, 0).astype(np.int64)
    np.subtract.at(supplies, net.tails[full], net.capacities[full])
    np.add.at(supplies, net.heads[full], net.capacities[full])
    order = np.lexsort((heads, tails))
    graph = pylmcf.Graph(int(supplies.size), tails[order], heads[order])
    graph.set_supply_type("leq")
    graph.set_node_supply(supplies)
    graph.set_edge_capacities(net.capacities[order].astype(np.int64))
    graph.set_edge_costs(magnitude[order].astype(np.int64))
    graph.set_pivot_rule("candidate_list")
    try:
        graph.solve()
    except (RuntimeError, ValueError, OverflowError):  # as in `_network_simplex`
        return None
    moved = np.empty(order.size, dtype=np.int64)
    moved[order] = graph.result()
    return np.where(full, net.capacities - moved, moved)


def cost_scaling(
    net: Network, costs: np.ndarray, *, keep: bool = False
) -> tuple[np.ndarray, None] | None:
    """OR-Tools' cost scaling alone, in `solve`'s terms: the benches' reference solver
    (a flow that keeps nothing is one that `keep` allows, so it changes nothing here)."""
    flows = _cost_scaling(net, costs)
    return None if flows is None else (flows, None)


def _cost_scaling(net: Network, costs: np.ndarray) -> np.ndarray | None:
    """OR-Tools' exact integer min-cost flow; None unless it reports optimal."""
    from ortools.graph.python import min_cost_flow as ortools_mcf

    solver = ortools_mcf.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(net.tails, net.heads, net.capacities, costs)
    solver.set_nodes_supplies(np.arange(net.supplies.size, dtype=np.int32), net.supplies)
    if solver.solve() != solver.OPTIMAL:
        return None
    return np.asarray(solver.flows(arcs), dtype=np.int64)
