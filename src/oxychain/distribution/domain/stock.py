"""Stock: devices counted by state, and the states a summary puts together."""

from __future__ import annotations

from collections.abc import Mapping

from oxychain.core.errors import InvalidInput
from oxychain.distribution.domain.lifecycle import DOWN, DeviceState

S = DeviceState
#: In a store: received, or back from a loan or a repair on the way to being issued again.
IN_STORE = frozenset({S.RECEIVED, S.AVAILABLE, S.RETURNED, S.SANITISED, S.RETESTED})
#: Days in the current state at which ageing buckets end (≤ 7, 8-30, 31-90, > 90).
AGES = (7, 30, 90)


def check_state(state: str) -> DeviceState | None:
    """A state to list devices by, as asked ('' for every state)."""
    if not state:
        return None
    try:
        return DeviceState(state)
    except ValueError:
        raise InvalidInput("Unknown state {state}.", state=state[:20]) from None


def in_lifecycle_order(state: str) -> int:
    """Rows of a stock view follow a device's life."""
    return list(DeviceState).index(DeviceState(state))


def summary(counts: Mapping[str, int]) -> dict[str, int]:
    """A district's devices as the state-wide table shows them."""

    def total(states: frozenset[DeviceState]) -> int:
        return sum(counts.get(s.value, 0) for s in states)

    return {
        "dispatched": counts.get(S.DISPATCHED.value, 0),
        "in_stores": total(IN_STORE),
        "installed": counts.get(S.INSTALLED.value, 0),
        "on_loan": counts.get(S.ON_LOAN.value, 0),
        "down": total(DOWN),
        "all": sum(counts.values()),
    }
