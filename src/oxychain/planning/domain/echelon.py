"""Version 2 of the optimiser: warehouse-to-warehouse transfers and the fill floor
(ALLOCATION.md, "Version 2"), as one time-expanded min-cost flow.

* The network (planning/echelon_net.py): sources release in batches as in version 1,
  warehouses that links feed have a stock and a dock node per day, facilities version
  1's chain of stops, each reward arc with a shortfall and a floor reward.
* Three tiers, exact in integers: floor reward (x K, K above the shortfall change of
  any simple residual cycle), then shortfall reward, then transport cost (x 1, M above
  its change on such a cycle: `echelon_net.cycle_bound`). When cost - M x reward fits
  int64 one solve does, with every node free to keep what reaches it (`flow.solve`'s
  `keep`: the same optimum, found faster); otherwise (usually with the floor) two
  balanced solves: the rewards first, then the cheapest transport over the arcs whose
  flow can differ between reward optima (reduced cost 0 under the first solve's node
  potentials); every other arc keeps its flow.
"""

from __future__ import annotations

import time

import numpy as np

from oxychain.planning.domain import flow
from oxychain.planning.domain.allocation import (
    _INT64_HEADROOM,
    Plan,
    Tables,
    _trim_free_surplus,
    build_plan,
)
from oxychain.planning.domain.echelon_net import Echelon, build, cycle_bound
from oxychain.planning.domain.status import SolverStatus

__all__ = ["Echelon", "build", "lexicographic", "potentials", "solve_tables"]


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


def lexicographic(
    net: flow.Network, *, staged: bool = False, solve=flow.solve
) -> tuple[str, np.ndarray | None]:
    """Most reward, then least transport. One solve when cost - M x reward fits in int64
    (unless `staged` asks for two, as tests do), else two; HiGHS if even the rewards
    alone would not fit. `solve` is `flow.solve` or, for a reference, another solver
    with its answer: (flows, potentials or None) or None."""
    weight = _transport_bound(net) + 1
    if not staged and _fits(net.reward, weight, net):
        solved = solve(net, net.transport - weight * net.reward, keep=True)
        if solved is not None:
            return SolverStatus.OPTIMAL, solved[0]
    if not _fits(net.reward, 1, net):
        from oxychain.planning.domain.allocation import _two_stage_milp

        return _two_stage_milp(net, None)
    first_costs = -net.reward
    solved = solve(net, first_costs)
    if solved is None:
        return SolverStatus.ERROR, None
    first, pi = solved
    if pi is None:  # the fallback solver gives flows only
        pi = potentials(net, first_costs, first)
    # Complementary slackness: every reward optimum leaves an arc of reduced cost > 0
    # empty and one of reduced cost < 0 full, so only arcs of reduced cost 0 may differ.
    free = first_costs + pi[net.tails] - pi[net.heads] == 0
    fixed = ~free
    supplies = net.supplies.copy()
    np.subtract.at(supplies, net.tails[fixed], first[fixed])
    np.add.at(supplies, net.heads[fixed], first[fixed])
    rest = flow.Network(
        net.tails[free],
        net.heads[free],
        net.capacities[free],
        net.transport[free],
        net.reward[free],
        supplies,
    )
    second = solve(rest, rest.transport)
    if second is None:
        return SolverStatus.ERROR, None
    flows = first.copy()
    flows[free] = second[0]
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
    return cycle_bound(net.tails, net.transport, net.supplies.size)


def _fits(reward: np.ndarray, weight: int, net: flow.Network) -> bool:
    """Both solvers sum costs along paths of up to every node (OR-Tools also scales them
    by the node count): keep that, and the total, in int64."""
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
