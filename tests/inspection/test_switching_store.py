"""The switching state survives its stored form, step by step through long sequences."""

from __future__ import annotations

import random

import pytest

from oxychain.inspection.domain import switching
from oxychain.inspection.domain.switching import LotResult
from oxychain.inspection.repository import state_of, stored_state
from oxychain.inspection.tables import SwitchingRecord
from oxychain.masterdata.domain.sampling import Severity


def _walk(results: list[LotResult], approved: bool) -> list[switching.SwitchingState]:
    state, states = switching.SwitchingState(), []
    for lot in results:
        if state.discontinued:
            state, _ = switching.resume(state)
        state, _ = switching.next_state(state, lot, reduced_approved=approved)
        states.append(state)
    return states


@pytest.mark.parametrize("seed", range(12))
def test_every_state_of_a_long_random_sequence_round_trips(seed: int) -> None:
    rng = random.Random(seed)
    results = []
    for _ in range(200):
        accept = rng.choice((0, 1, 2, 3, 5, 7))
        found = rng.choice((0, 0, 0, 1, accept, accept + 1, accept + 2))
        results.append(LotResult.judged(accept, found, original=rng.random() > 0.1))
    states = _walk(results, approved=seed % 2 == 0)
    assert {s.severity for s in states} >= {Severity.NORMAL, Severity.TIGHTENED}
    for state in states:
        assert state_of(SwitchingRecord(**stored_state(state))) == state


def test_no_record_means_normal_inspection() -> None:
    assert state_of(None) == switching.SwitchingState()
