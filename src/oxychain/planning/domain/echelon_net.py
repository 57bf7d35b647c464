"""Version 2's network (ALLOCATION.md, "Version 2"): warehouses, transfers, facilities.

* Sending earlier never hurts: a device shipped or transferred a day earlier on the
  same route or link costs the same and arrives earlier, where a facility keeps it in
  service and a warehouse can hold it. So a warehouse that no link feeds (a "source",
  usually the central one) keeps version 1's release curve: its stock and daily
  capacity reduce to batches, each sent on its day or never (planning/flow.py; any
  plan's dispatches X(t) <= G(t) can be moved onto batch days no later than their own,
  Hall's condition). Its sends need no stock or dock nodes, and the arcs out of it one
  per batch day instead of one per day.
* A warehouse that a link feeds (a "hub") has a stock node per day (supply: what
  arrives that day; a holding arc to the next day, the last day's to the sink) and a
  dock node per day behind an arc of its dispatch capacity; shipments and transfers
  leave from the dock, so together they stay within it. A transfer of lead L >= 1 goes
  from the sending batch or dock on day d to the stock node on day d + L: time only
  moves forward, so the network has no cycle and transfers cannot circle.
* Facilities: version 1's chain of arrival days ("stops") and reward arcs, each reward
  arc with two rewards per device: priority x days at or above its level for the
  shortfall, and the same for the floor.

* Shortcuts: every stock and dock node of a hub also has an arc to the sink (free, of
  ample capacity). They change no optimum (a hub's devices could be held to the end
  anyway; a dock's could have stayed in stock), but the simplex, which starts from the
  sink, reaches the hubs in one step: 4-16 % less time on the version 2 benches (the
  balanced solve, as for the floor's two stages).

Size: a hub may ship on any day (its dock capacity spreads shipments, and its neighbours'
transfers arrive any day), so its facilities get a stop on nearly every day with need: on
the UP version 2 bench, 126k of the 131k nodes, of which about 12k carry flow. The simplex's
time follows the node count; no exact rule found so far drops the idle stops up front (issue
15's notes list the ones measured: restricted route sets with a Bellman-Ford certificate,
warm restarts, staged tiers, node orders, shifts by estimated potentials).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from oxychain.planning.domain import flow
from oxychain.planning.domain.allocation import Tables


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


def build(tables: Tables) -> Echelon | None:
    horizon, need = tables.horizon, tables.need
    n_wh = tables.capacity.size
    days = np.arange(horizon)
    still_needed = np.maximum.accumulate(need[:, ::-1], axis=1)[:, ::-1]
    next_need = np.minimum.accumulate(np.where(need > 0, days, horizon)[:, ::-1], axis=1)[:, ::-1]
    total = int(tables.stock_in.sum())
    hub = np.zeros(n_wh, dtype=bool)
    hub[tables.link_to] = True
    hubs = np.flatnonzero(hub)
    hub_rank = np.cumsum(hub) - 1
    b_wh, b_day, b_qty = _batches(tables, hub, still_needed[:, 0])
    n_batch, n_hub_days = b_wh.size, hubs.size * horizon
    stock_node = n_batch + np.arange(n_hub_days)  # hub rank x horizon + day
    dock_node = n_hub_days + stock_node
    stop_base = n_batch + 2 * n_hub_days
    # the ways out of each warehouse: its batches, or its dock on every day
    slot_wh = np.concatenate((b_wh, np.repeat(hubs, horizon)))
    slot_day = np.concatenate((b_day, np.tile(days, hubs.size)))
    slot_node = np.concatenate((np.arange(n_batch), dock_node))
    slot_cap = np.concatenate((b_qty, np.full(n_hub_days, total, dtype=np.int64)))

    # route arcs: each route on each of its warehouse's sending days that can still help
    route, slot = _meet(tables.route_wh, slot_wh, n_wh)
    day = slot_day[slot]
    arrive = day + tables.route_lead[route]
    keep = arrive < horizon
    route, slot, day, arrive = route[keep], slot[keep], day[keep], arrive[keep]
    fac = tables.route_fac[route]
    usable = still_needed[fac, arrive]
    keep = usable > 0
    if not keep.any():
        return None
    route, slot, day, fac = route[keep], slot[keep], day[keep], fac[keep]
    usable = np.minimum(usable[keep], slot_cap[slot])
    stops, stop = np.unique(fac * horizon + next_need[fac, arrive[keep]], return_inverse=True)
    sink = stop_base + stops.size

    # transfer arcs: each link on each sending day whose arrival is inside the horizon
    link, l_slot = _meet(tables.link_from, slot_wh, n_wh)
    l_day = slot_day[l_slot]
    l_arrive = l_day + tables.link_lead[link]
    keep = l_arrive < horizon
    link, l_slot, l_day, l_arrive = link[keep], l_slot[keep], l_day[keep], l_arrive[keep]

    hold_head = np.where(np.tile(days, hubs.size) < horizon - 1, stock_node + 1, sink)
    dock_cap = np.repeat(np.where(tables.capacity < 0, total, tables.capacity)[hubs], horizon)
    c_tails, c_heads, c_caps, r_short, r_floor = chain(
        tables, stops // horizon, stops % horizon, stop_base, sink
    )
    n_fixed = route.size + link.size + n_batch + 4 * n_hub_days
    hub_nodes = np.concatenate((stock_node, dock_node))
    tails = np.concatenate(
        (
            slot_node[slot],
            slot_node[l_slot],
            np.arange(n_batch),
            stock_node,
            stock_node,
            hub_nodes,
            c_tails,
        )
    )
    heads = np.concatenate(
        (
            stop_base + stop,
            stock_node[hub_rank[tables.link_to[link]] * horizon + l_arrive],
            np.full(n_batch, sink),  # a batch's devices left unsent
            hold_head,
            dock_node,
            np.full(hub_nodes.size, sink),  # shortcuts (module doc)
            c_heads,
        )
    )
    caps = np.concatenate(
        (
            usable,
            slot_cap[l_slot],
            b_qty,
            np.full(n_hub_days, total, dtype=np.int64),
            dock_cap,
            np.full(hub_nodes.size, total, dtype=np.int64),
            np.where(c_caps == flow.UNBOUNDED, total, c_caps),
        )
    )
    transport = np.concatenate(
        (
            tables.route_cost[route],
            tables.link_cost[link],
            np.zeros(n_batch + 4 * n_hub_days + c_tails.size, dtype=np.int64),
        )
    )
    zeros = np.zeros(n_fixed, dtype=np.int64)
    short = np.concatenate((zeros, r_short))
    floor = np.concatenate((zeros, r_floor))
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_batch] = b_qty
    supplies[stock_node] = tables.stock_in[hubs].reshape(-1)
    supplies[sink] = -int(supplies.sum())
    tails, heads = tails.astype(np.int32), heads.astype(np.int32)
    weight = 0
    if tables.floor is not None:  # one floor priority-day outweighs any shortfall exchange
        whole = int((tables.need.sum(axis=1) * tables.priority).sum())
        weight = 1 + min(whole, cycle_bound(tails, short, sink + 1))
    network = flow.Network(
        tails=tails,
        heads=heads,
        capacities=caps.astype(np.int64),
        transport=transport.astype(np.int64),
        reward=weight * floor + short,
        supplies=supplies,
    )
    return Echelon(network, short, floor, route, day, link, l_day)


def _batches(
    tables: Tables, hub: np.ndarray, first_need: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(warehouse, day, devices) of the sources' batches, by warehouse then day. A source
    without links out releases no more than its facilities could ever use."""
    in_time = tables.route_lead < tables.horizon
    useful = np.bincount(
        tables.route_wh[in_time],
        minlength=hub.size,
        weights=first_need[tables.route_fac[in_time]],
    ).astype(np.int64)
    useful[tables.link_from] = np.iinfo(np.int64).max // 4
    release = flow.release_curve(tables.stock_in, tables.capacity, useful)
    release[hub] = 0
    b_wh, b_day = np.nonzero(release)
    return b_wh, b_day, release[b_wh, b_day]


def _meet(arc_wh: np.ndarray, slot_wh: np.ndarray, n_wh: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (arc, slot) pair of the same warehouse: arc indices and slot indices, by arc."""
    order = np.argsort(slot_wh, kind="stable")
    per_wh = np.bincount(slot_wh, minlength=n_wh)
    first = np.concatenate(([0], np.cumsum(per_wh)))
    per_arc = per_wh[arc_wh]
    arc = np.repeat(np.arange(arc_wh.size), per_arc)
    return arc, order[first[arc_wh[arc]] + flow._rank_in_runs(per_arc)]


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


def cycle_bound(tails: np.ndarray, values: np.ndarray, n_nodes: int) -> int:
    """At least the change of `values` along any simple cycle of a residual graph. Such
    a cycle meets each node once, through two arcs; count each arc of the cycle at its
    tail v (in the network): leaving v forward it adds its value, entering v backward it
    subtracts it, so v's arcs add at most hi(v) - lo(v), the largest value of an arc out
    of v (or 0) less the smallest (or 0). A tier weighted above the sum is never traded
    for the tier below: a flow that is not lexicographically optimal has such a cycle of
    gain (the textbook exchange)."""
    paid = values != 0
    hi = np.zeros(n_nodes, dtype=np.int64)
    lo = np.zeros(n_nodes, dtype=np.int64)
    np.maximum.at(hi, tails[paid], values[paid])
    np.minimum.at(lo, tails[paid], values[paid])
    return int((hi - lo).astype(object).sum())
