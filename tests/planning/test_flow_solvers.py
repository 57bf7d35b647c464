"""The min-cost flow under the optimiser (planning/flow.py): LEMON's network simplex on
costs shifted by node potentials, OR-Tools' cost scaling where that cannot run.

Each answer is checked as a min-cost flow on its own terms (capacities, conservation,
the potentials' complementary slackness) and against the other solver's cost.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from oxychain.planning.domain import allocation, echelon, flow
from oxychain.planning.domain.scenario import parse_scenario
from oxychain.planning.domain.scenario_gen import generate, generate_v2


def v1_network(seed: int) -> tuple[flow.Network, np.ndarray]:
    tables = allocation.tabulate(parse_scenario(generate(6, 150, 12, seed=seed)))
    cands = flow.candidates(tables)
    net = flow.assemble(tables, cands)
    return net, net.transport - flow.big_m(tables, cands) * net.reward


def assert_optimal(net: flow.Network, costs: np.ndarray, flows: np.ndarray, pi) -> None:
    assert ((flows >= 0) & (flows <= net.capacities)).all()
    balance = np.zeros(net.supplies.size, dtype=np.int64)
    np.add.at(balance, net.tails, flows)
    np.subtract.at(balance, net.heads, flows)
    assert (balance == net.supplies).all()
    reduced = costs + pi[net.tails] - pi[net.heads]
    # no arc with room could lower the cost, none carrying flow could lose it cheaper
    assert (reduced[flows < net.capacities] >= 0).all()
    assert (reduced[flows > 0] <= 0).all()


@pytest.mark.parametrize("seed", range(4))
def test_the_simplex_proves_its_flow_and_matches_cost_scaling(seed: int) -> None:
    net, costs = v1_network(seed)
    flows, pi = flow.solve(net, costs)
    assert pi is not None  # the network simplex answered, not the fallback
    assert_optimal(net, costs, flows, pi)
    reference, _ = flow.cost_scaling(net, costs)
    assert int(flows @ costs) == int(reference @ costs)


def assert_kept(net: flow.Network, flows: np.ndarray) -> None:
    """Within capacities, and no node sends on more than it has (its supply, if any, and
    what reaches it): a node may keep devices, the sink need not receive them all."""
    assert ((flows >= 0) & (flows <= net.capacities)).all()
    sent_on = np.zeros(net.supplies.size, dtype=np.int64)
    np.add.at(sent_on, net.tails, flows)
    np.subtract.at(sent_on, net.heads, flows)
    assert (sent_on <= np.maximum(net.supplies, 0)).all()


@pytest.mark.parametrize("seed", range(4))
def test_a_flow_free_to_keep_devices_costs_what_the_balanced_one_does(seed: int) -> None:
    net, costs = v1_network(seed)
    assert flow._keeping_simplex(net, costs) is not None  # the simplex, not the fallback
    kept, pi = flow.solve(net, costs, keep=True)
    assert pi is None  # its potentials would price the nodes' keeping too
    assert_kept(net, kept)
    balanced, _ = flow.solve(net, costs)
    reference, _ = flow.cost_scaling(net, costs)
    assert int(kept @ costs) == int(balanced @ costs) == int(reference @ costs)


def test_keeping_is_refused_where_costs_could_overflow() -> None:
    net, costs = v1_network(1)
    huge = costs * (2**62 // (int(np.abs(costs).max()) * (net.supplies.size + 1)) + 1)
    assert flow._keeping_simplex(net, huge) is None
    solved = flow.solve(net, huge, keep=True)
    assert solved is None or solved[1] is None  # cost scaling, balanced, or no answer


@pytest.mark.parametrize("seed", range(3))
def test_version_2_in_one_solve_matches_two_balanced_ones(seed: int) -> None:
    doc = generate_v2(6, 120, 12, seed=seed)
    tables = allocation.tabulate(parse_scenario(json.loads(json.dumps(doc))))
    net = echelon.build(tables).network
    status, flows = echelon.lexicographic(net)  # one solve, nodes free to keep devices
    ref_status, reference = echelon.lexicographic(net, staged=True, solve=flow.cost_scaling)
    assert status == ref_status == "optimal"
    assert_kept(net, flows)
    assert (int(flows @ net.reward), int(flows @ net.transport)) == (
        int(reference @ net.reward),
        int(reference @ net.transport),
    )


def test_a_version_2_network_with_transfers_and_the_floor_agrees() -> None:
    doc = generate_v2(6, 120, 12, seed=3, fairness={"kind": "fill_floor", "min_fill": 0.6})
    tables = allocation.tabulate(parse_scenario(json.loads(json.dumps(doc))))
    net = echelon.build(tables).network
    status, flows = echelon.lexicographic(net, staged=True)
    ref_status, reference = echelon.lexicographic(net, staged=True, solve=flow.cost_scaling)
    assert status == ref_status == "optimal"
    assert (int(flows @ net.reward), int(flows @ net.transport)) == (
        int(reference @ net.reward),
        int(reference @ net.transport),
    )


def test_a_negative_cycle_goes_to_cost_scaling() -> None:
    # 0 -> 1 -> 2 -> 0 costs -3 around: no potentials make every cost non-negative
    net = flow.Network(
        tails=np.array([0, 1, 2, 0], dtype=np.int32),
        heads=np.array([1, 2, 0, 3], dtype=np.int32),
        capacities=np.array([4, 4, 4, 5], dtype=np.int64),
        transport=np.zeros(4, dtype=np.int64),
        reward=np.zeros(4, dtype=np.int64),
        supplies=np.array([5, 0, 0, -5], dtype=np.int64),
    )
    costs = np.array([-1, -1, -1, 2], dtype=np.int64)
    flows, pi = flow.solve(net, costs)
    assert pi is None  # answered by the fallback
    assert flows.tolist() == [4, 4, 4, 5]  # the cycle runs full, the 5 devices go through
    assert int(flows @ costs) == -12 + 10


def test_costs_the_simplex_could_overflow_go_to_cost_scaling() -> None:
    net, costs = v1_network(0)
    huge = costs * (2**62 // (int(np.abs(costs).max()) * (net.supplies.size + 1)) + 1)
    solved = flow.solve(net, huge)
    assert solved is None or solved[1] is None  # never the simplex: it would overflow


def test_an_empty_network_has_the_empty_flow() -> None:
    none = np.zeros(0, dtype=np.int64)
    net = flow.Network(
        none.astype(np.int32), none.astype(np.int32), none, none, none, np.zeros(2, np.int64)
    )
    flows, pi = flow.solve(net, none)
    assert flows.size == 0 and pi.tolist() == [0, 0]
