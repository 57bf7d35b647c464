"""Version 2 of the optimiser: warehouse-to-warehouse transfers and the fill floor
(ALLOCATION.md, "Version 2"), as one time-expanded min-cost flow.

* Warehouses. With transfers, holding stock can help (the central warehouse waits for
  the wave), so version 1's release curve no longer holds: each warehouse has a stock
  node per day (supply: what arrives that day; a holding arc to the next day, the last
  day's to the sink) and a dock node per day behind an arc of its dispatch capacity.
  Shipments and transfers leave from the dock, so together they stay within it.
  A transfer of lead L >= 1 goes from the dock on day d to the stock node on day d + L;
  time only moves forward, so the network has no cycle and transfers cannot circle.
* Facilities: version 1's chain of arrival days ("stops") and reward arcs
  (planning/flow.py), each reward arc now with two rewards per device: priority x
  days at or above its level for the shortfall, and the same for the floor.
* Three tiers, exact in integers: floor reward (x K, K above the shortfall reward of
  any simple residual cycle),
  then shortfall reward, then transport cost. When cost - M x reward fits int64 one
  solve does; otherwise (usually with the floor) two: the rewards first, then the
  cheapest transport among the arcs free at every reward optimum, found from the
  first solve's node potentials (complementary slackness: arcs of positive reduced
  cost carry nothing, of negative reduced cost their capacity, at every optimum).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from oxychain.planning.domain import flow
from oxychain.planning.domain.allocation import (
    _INT64_HEADROOM,
    Plan,
    Tables,
    _trim_free_surplus,
    build_plan,
)
from oxychain.planning.domain.status import SolverStatus


@dataclass(frozen=True)
class Echelon:
    """The network: route arcs first (route index, dispatch day), then transfer arcs
    (link index, day), then the rest. `short`/`floor` are priority-days per device."""

    network: flow.Network  # reward = the combined reward K x floor + short
    short: np.ndarray
    floor: np.ndarray
    route: np.ndarray
    route_day: np.ndarray
    link: np.ndarray
    link_day: np.ndarray


def solve_tables(tables: Tables, *, time_limit_s: float | None, start: float) -> Plan:
    ech = build(tables)
    if ech is None:  # nothing can reach a need in time: doing nothing is optimal
        empty = np.zeros(0, dtype=np.int64)
        return build_plan(
            tables, empty, empty, empty, SolverStatus.OPTIMAL, time.perf_counter() - start
        )
    if time_limit_s is not None:
        status, flows = _in_child(ech.network, time_limit_s)
    else:
        status, flows = lexicographic(ech.network)
    if flows is None:
        from oxychain.planning.domain.prorata import prorata_shipments

        route, day, qty = prorata_shipments(tables)
        return build_plan(tables, route, day, qty, status, time.perf_counter() - start)
    n_route, n_link = ech.route.size, ech.link.size
    qty = _trim_free_surplus(tables, ech.route, ech.route_day, flows[:n_route])
    moved = (ech.link, ech.link_day, flows[n_route : n_route + n_link])
    return build_plan(
        tables, ech.route, ech.route_day, qty, status, time.perf_counter() - start, moved
    )


def build(tables: Tables) -> Echelon | None:
    horizon, need = tables.horizon, tables.need
    n_wh = tables.capacity.size
    days = np.arange(horizon)
    still_needed = np.maximum.accumulate(need[:, ::-1], axis=1)[:, ::-1]
    next_need = np.minimum.accumulate(np.where(need > 0, days, horizon)[:, ::-1], axis=1)[:, ::-1]
    stock_node = (np.arange(n_wh)[:, None] * horizon + days).reshape(-1)
    dock_node = n_wh * horizon + stock_node
    stop_base = 2 * n_wh * horizon

    # route arcs: each route on each day whose arrival can still cover a need
    n_routes = tables.route_wh.size
    route = np.repeat(np.arange(n_routes), horizon)
    day = np.tile(days, n_routes)
    arrive = day + tables.route_lead[route]
    keep = arrive < horizon
    route, day, arrive = route[keep], day[keep], arrive[keep]
    fac = tables.route_fac[route]
    usable = still_needed[fac, arrive]
    keep = usable > 0
    if not keep.any():
        return None
    route, day, fac, usable = route[keep], day[keep], fac[keep], usable[keep]
    stops, stop = np.unique(fac * horizon + next_need[fac, arrive[keep]], return_inverse=True)
    n_stop = stops.size
    sink = stop_base + n_stop
    total = int(tables.stock_in.sum())

    # transfer arcs: each link on each day whose arrival is inside the horizon
    n_links = tables.link_from.size
    link = np.repeat(np.arange(n_links), horizon)
    l_day = np.tile(days, n_links)
    keep = l_day + tables.link_lead[link] < horizon
    link, l_day = link[keep], l_day[keep]

    hold_tail = stock_node
    hold_head = np.where(
        np.tile(days, n_wh) < horizon - 1, stock_node + 1, sink
    )  # the last day's stock goes unused
    dock_cap = np.repeat(np.where(tables.capacity < 0, total, tables.capacity), horizon)
    c_tails, c_heads, c_caps, r_short, r_floor = chain(
        tables, stops // horizon, stops % horizon, stop_base, sink
    )
    n_fixed = route.size + link.size + 2 * stock_node.size
    tails = np.concatenate(
        (
            dock_node[tables.route_wh[route] * horizon + day],
            dock_node[tables.link_from[link] * horizon + l_day],
            hold_tail,
            stock_node,
            c_tails,
        )
    )
    heads = np.concatenate(
        (
            stop_base + stop,
            stock_node[tables.link_to[link] * horizon + l_day + tables.link_lead[link]],
            hold_head,
            dock_node,
            c_heads,
        )
    )
    caps = np.concatenate(
        (
            usable,
            np.full(link.size, total, dtype=np.int64),
            np.full(stock_node.size, total, dtype=np.int64),
            dock_cap,
            np.where(c_caps == flow.UNBOUNDED, total, c_caps),
        )
    )
    transport = np.concatenate(
        (
            tables.route_cost[route],
            tables.link_cost[link],
            np.zeros(2 * stock_node.size + c_tails.size, dtype=np.int64),
        )
    )
    zeros = np.zeros(n_fixed, dtype=np.int64)
    short = np.concatenate((zeros, r_short))
    floor = np.concatenate((zeros, r_floor))
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[: n_wh * horizon] = tables.stock_in.reshape(-1)
    supplies[sink] = -total
    tails, heads = tails.astype(np.int32), heads.astype(np.int32)
    weight = 0
    if tables.floor is not None:  # one floor priority-day outweighs any shortfall exchange
        whole = int((tables.need.sum(axis=1) * tables.priority).sum())
        weight = 1 + min(whole, _cycle_bound(tails, heads, short, sink + 1))
    network = flow.Network(
        tails=tails,
        heads=heads,
        capacities=caps.astype(np.int64),
        transport=transport.astype(np.int64),
        reward=weight * floor + short,
        supplies=supplies,
    )
    return Echelon(network, short, floor, route, day, link, l_day)


def chain(
    tables: Tables, stop_fac: np.ndarray, stop_day: np.ndarray, base: int, sink: int
) -> tuple[np.ndarray, ...]:
    """Tails, heads, capacities (UNBOUNDED for free arcs), shortfall and floor rewards
    of the arcs along each facility's stops, as in `flow.chain`. Over a segment of days
    the u-th device in service earns priority x (days whose need is >= u) and priority
    x (days whose floor is >= u): both fall as u grows, so one arc per distinct level
    (need or floor), filled in order, is exact."""
    horizon, n = tables.horizon, stop_fac.size
    floor = tables.floor if tables.floor is not None else np.zeros_like(tables.need)
    same = np.zeros(n, dtype=bool)
    same[:-1] = stop_fac[1:] == stop_fac[:-1]
    end = np.where(same, np.roll(stop_day, -1), horizon)  # a stop's segment is [day, end)
    nxt = np.where(same, base + np.arange(n) + 1, sink)
    length = end - stop_day
    seg = np.repeat(np.arange(n), length)
    on = stop_day[seg] + flow._rank_in_runs(length)
    f = stop_fac[seg]
    # one entry per (segment, day, tier) with a positive level
    level = np.concatenate((tables.need[f, on], floor[f, on]))
    is_floor = np.concatenate((np.zeros(seg.size, dtype=np.int64), np.ones(seg.size, np.int64)))
    seg = np.concatenate((seg, seg))
    pos = level > 0
    seg, level, is_floor = seg[pos], level[pos], is_floor[pos]
    order = np.lexsort((-level, seg))  # by segment, then level, largest first
    seg, level, is_floor = seg[order], level[order], is_floor[order]
    new_seg = np.ones(seg.size, dtype=bool)
    new_seg[1:] = seg[1:] != seg[:-1]
    starts = np.flatnonzero(new_seg)
    first_of = np.repeat(starts, np.diff(np.append(starts, seg.size)))
    n_floor = np.cumsum(is_floor)
    n_all = np.arange(1, seg.size + 1)
    before = np.where(first_of > 0, first_of, 0)
    floor_days = n_floor - np.where(first_of > 0, n_floor[before - 1], 0)
    all_days = n_all - first_of
    last = np.ones(seg.size, dtype=bool)  # last entry of a run of equal levels
    last[:-1] = new_seg[1:] | (level[1:] != level[:-1])
    below = np.zeros(seg.size, dtype=np.int64)
    below[:-1] = np.where(new_seg[1:], 0, level[1:])
    seg, step = seg[last], (level - below)[last]
    floor_days, short_days = floor_days[last], (all_days - floor_days)[last]
    prio = tables.priority[stop_fac[seg]]
    zeros = np.zeros(n, dtype=np.int64)
    return (
        np.concatenate((base + np.arange(n), base + seg)),
        np.concatenate((nxt, nxt[seg])),
        np.concatenate((np.full(n, flow.UNBOUNDED, dtype=np.int64), step)),
        np.concatenate((zeros, prio * short_days)),
        np.concatenate((zeros, prio * floor_days)),
    )


def lexicographic(net: flow.Network, *, staged: bool = False) -> tuple[str, np.ndarray | None]:
    """Most reward, then least transport. One solve when cost - M x reward fits in int64
    (unless `staged` asks for two, as tests do), else two; HiGHS if even the rewards
    alone would not fit."""
    weight = _transport_bound(net) + 1
    if not staged and _fits(net.reward, weight, net):
        flows = flow.min_cost_flow(net, net.transport - weight * net.reward)
        if flows is not None:
            return SolverStatus.OPTIMAL, flows
    if not _fits(net.reward, 1, net):
        from oxychain.planning.domain.allocation import _two_stage_milp

        return _two_stage_milp(net, None)
    first_costs = -net.reward
    first = flow.min_cost_flow(net, first_costs)
    if first is None:
        return SolverStatus.ERROR, None
    pi = potentials(net, first_costs, first)
    reduced = first_costs + pi[net.tails] - pi[net.heads]
    full, free = reduced < 0, reduced == 0
    supplies = net.supplies.copy()
    np.subtract.at(supplies, net.tails[full], net.capacities[full])
    np.add.at(supplies, net.heads[full], net.capacities[full])
    rest = flow.Network(
        net.tails[free],
        net.heads[free],
        net.capacities[free],
        net.transport[free],
        net.reward[free],
        supplies,
    )
    second = flow.min_cost_flow(rest, rest.transport)
    if second is None:
        return SolverStatus.ERROR, None
    flows = np.where(full, net.capacities, 0)
    flows[free] = second
    return SolverStatus.OPTIMAL, flows


def potentials(net: flow.Network, costs: np.ndarray, flows: np.ndarray) -> np.ndarray:
    """Node potentials proving `flows` optimal for `costs`: shortest distances in the
    residual graph from a root joined to every node at cost 0 (Bellman-Ford, each
    round over all arcs at once; an optimal flow leaves no negative cycle)."""
    fwd = flows < net.capacities
    back = flows > 0
    tails = np.concatenate((net.tails[fwd], net.heads[back])).astype(np.int64)
    heads = np.concatenate((net.heads[fwd], net.tails[back])).astype(np.int64)
    cost = np.concatenate((costs[fwd], -costs[back]))
    order = np.argsort(heads, kind="stable")
    tails, heads, cost = tails[order], heads[order], cost[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
    targets = heads[starts]
    dist = np.zeros(net.supplies.size, dtype=np.int64)
    for _ in range(net.supplies.size + 1):
        best = np.minimum.reduceat(dist[tails] + cost, starts)
        better = best < dist[targets]
        if not better.any():
            return dist
        dist[targets[better]] = best[better]
    raise ArithmeticError("negative cycle: the flow was not optimal")


def _transport_bound(net: flow.Network) -> int:
    return _cycle_bound(net.tails, net.heads, net.transport, net.supplies.size)


def _cycle_bound(tails: np.ndarray, heads: np.ndarray, values: np.ndarray, n_nodes: int) -> int:
    """At least the change of `values` along any simple residual cycle: it leaves each
    node once, by an arc incident to it, so the sum over nodes of the largest incident
    |value|. A tier weighted above it is never traded for the tier below: a flow that
    is not lexicographically optimal has such a cycle of gain (the textbook exchange)."""
    paid = values != 0
    dearest = np.zeros(n_nodes, dtype=np.int64)
    size = np.abs(values[paid])
    np.maximum.at(dearest, tails[paid], size)
    np.maximum.at(dearest, heads[paid], size)
    return int(dearest.astype(object).sum())


def _fits(reward: np.ndarray, weight: int, net: flow.Network) -> bool:
    """OR-Tools scales costs by the node count; keep that, and the total, in int64."""
    top = int(reward.max(initial=0)) * weight + int(net.transport.max(initial=0))
    caps = net.capacities.astype(float)
    total = float(np.dot(caps, reward)) * weight + float(np.dot(caps, net.transport))
    return top * (net.supplies.size + 1) < _INT64_HEADROOM and total < _INT64_HEADROOM


def _in_child(net: flow.Network, time_limit_s: float) -> tuple[str, np.ndarray | None]:
    """The flow solver cannot be interrupted, so it runs in a forked child we can stop."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(net, send), daemon=True)
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


def _child(net: flow.Network, send) -> None:
    send.send(lexicographic(net))
