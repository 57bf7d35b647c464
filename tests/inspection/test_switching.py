"""ISO 2859-1:1999 clause 9 switching rules, driven through long sequences of lots.

A sequence is written one character per lot, and the expected severity after each lot
one character per lot (N normal, T tightened, R reduced, D discontinued):

    a  accepted, Ac 5 and 0 found: also accepted one AQL step tighter (Ac 3), score +3
    m  accepted, Ac 5 and 4 found: not within Ac 3 one step tighter, score back to 0
    z  accepted on a plan with Ac 1 (1 found), score +2
    o  accepted on a plan with Ac 0, score +2
    r  not accepted (Ac 5, 6 found)
    s  a resubmitted lot, not accepted: ignored by the switching rules
    i  accepted (Ac 5, 0 found) while production is irregular
"""

from __future__ import annotations

import pytest

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.inspection.domain.switching import (
    DISCONTINUED,
    REDUCED_IRREGULAR,
    REDUCED_NOT_ACCEPTED,
    REDUCED_WARRANTED,
    RESUMED,
    TIGHTENED_TO_NORMAL,
    TO_REDUCED,
    TO_TIGHTENED,
    LotResult,
    SwitchingState,
    next_state,
    reinstate_normal,
    replay,
    resume,
    switching_score_after,
)
from oxychain.masterdata.domain.sampling import AQLS, CODE_LETTERS, Severity, master_plan

LOTS = {
    "a": LotResult(True, 5, 0),
    "m": LotResult(True, 5, 4),
    "z": LotResult(True, 1, 1),
    "o": LotResult(True, 0, 0),
    "r": LotResult(False, 5, 6),
    "s": LotResult(False, 5, 6, original=False),
    "i": LotResult(True, 5, 0, production_steady=False),
}
SEVERITY_CODE = {Severity.NORMAL: "N", Severity.TIGHTENED: "T", Severity.REDUCED: "R"}


def trace(lots: str, *, approved: bool, state: SwitchingState | None = None) -> str:
    state = state or SwitchingState()
    out = []
    for char in lots.replace(" ", ""):
        state, _ = next_state(state, LOTS[char], reduced_approved=approved)
        out.append("D" if state.discontinued else SEVERITY_CODE[state.severity])
    return "".join(out)


SEQUENCES = [
    # (name, lots, expected severities, reduced inspection approved)
    (
        "rejections five lots apart never make 2 of 5",
        "aaaar aaaar aaaar aaaar",
        "NNNNN NNNNN NNNNN NNNNN",
        False,
    ),
    ("2 of 5 at the edge of the window", "raaar", "NNNNT", False),
    ("2 of 6 is not 2 of 5", "raaaar", "NNNNNN", False),
    ("2 of 2", "rr", "NT", False),
    (
        "tightened needs 5 accepted in a row to go back",
        "rr aaaa r aaaa a aaaaa",
        "NT TTTT T TTTT N NNNNN",
        False,
    ),
    (
        "5 not accepted on tightened, even spread out, discontinue",
        "rr raaaa raaaa raaaa raaaa r",
        "NT TTTTT TTTTT TTTTT TTTTT D",
        False,
    ),
    (
        "score 30 after 10 lots at +3, then back to normal on a rejection",
        "aaaaaaaaaa aaa r aaaaaaaaa a",
        "NNNNNNNNNR RRR N NNNNNNNNN R",
        True,
    ),
    ("Ac 0 or 1 plans score +2: 15 lots", "zozozozozozozoz", "NNNNNNNNNNNNNNR", True),
    (
        "a lot not accepted one step tighter resets the score",
        "aaaaaaaaa m aaaaaaaaa a",
        "NNNNNNNNN N NNNNNNNNN R",
        True,
    ),
    ("without approval normal stays normal", "aaaaaaaaaa aaaaaaaaaa", "N" * 20, False),
    (
        "irregular production holds off reduced, and ends it",
        "aaaaaaaaa i a aa i",
        "NNNNNNNNN N R RR N",
        True,
    ),
    ("resubmitted lots do not count", "rsssssr", "NNNNNNT", False),
    ("resubmitted lots do not break a tightened run", "rr aasaaa", "NT TTTTTN", False),
    (
        "a long history: normal, reduced, normal, tightened, normal, tightened, discontinued",
        "aaaaaaaaaa aaaar aaraaar aaaaa mzrzr raaaaraarr aar",
        "NNNNNNNNNR RRRRN NNNNNNT TTTTN NNNNT TTTTTTTTTT TTD",
        True,
    ),
]


@pytest.mark.parametrize(
    ("lots", "expected", "approved"),
    [case[1:] for case in SEQUENCES],
    ids=[case[0] for case in SEQUENCES],
)
def test_sequence(lots, expected, approved):
    assert trace(lots, approved=approved) == expected.replace(" ", "")


def test_replay_names_each_switch_and_its_lot():
    lots = "aaaaaaaaaa aaaar aaraaar aaaaa mzrzr raaaaraarr aar".replace(" ", "")
    state, switches = replay([LOTS[c] for c in lots], reduced_approved=True)
    assert [(s.lot_index, s.reason.code) for s in switches] == [
        (9, "normal_to_reduced"),
        (14, "reduced_to_normal_not_accepted"),
        (21, "normal_to_tightened"),
        (26, "tightened_to_normal"),
        (31, "normal_to_tightened"),
        (44, "discontinued"),
    ]
    assert state.discontinued and state.severity is Severity.TIGHTENED
    assert state.not_accepted_on_tightened == 5


def test_counts_start_again_at_every_switch():
    state, _ = replay([LOTS[c] for c in "aaaaaaaaar"], reduced_approved=False)
    assert (state.severity, state.switching_score) == (Severity.NORMAL, 0)
    state, reason = next_state(SwitchingState(recent=(False,)), LOTS["r"])
    assert reason is TO_TIGHTENED
    assert state == SwitchingState(Severity.TIGHTENED)
    state, reason = next_state(
        SwitchingState(Severity.TIGHTENED, consecutive_accepted=4, not_accepted_on_tightened=3),
        LOTS["a"],
    )
    assert reason is TIGHTENED_TO_NORMAL
    assert state == SwitchingState(Severity.NORMAL)


def test_the_state_keeps_what_the_rules_need():
    state, _ = replay([LOTS[c] for c in "aarzaa"])
    assert state.recent == (True, False, True, True, True)  # the last 5 only
    assert state.consecutive_accepted == 3
    assert state.switching_score == 2 + 3 + 3


@pytest.mark.parametrize(
    ("score", "accept_number", "found", "accepted", "expected"),
    [
        (0, 0, 0, True, 2),
        (4, 1, 1, True, 6),
        (4, 1, 0, True, 6),
        (9, 1, 2, False, 0),
        (9, 0, 0, False, 0),  # refused for another reason: not accepted all the same
        (9, 2, 1, True, 12),  # one step tighter than Ac 2 is Ac 1
        (9, 2, 2, True, 0),
        (9, 3, 2, True, 12),
        (9, 3, 3, True, 0),
        (9, 5, 3, True, 12),
        (9, 5, 4, True, 0),
        (9, 7, 5, True, 12),
        (9, 10, 8, True, 0),
        (9, 14, 10, True, 12),
        (9, 21, 14, True, 12),
        (9, 21, 15, True, 0),
        (9, 30, 21, True, 12),
        (9, 44, 30, True, 12),
        (9, 44, 31, True, 0),
        (9, 5, 6, False, 0),
    ],
)
def test_switching_score(score, accept_number, found, accepted, expected):
    lot = LotResult(accepted, accept_number, found)
    assert switching_score_after(score, lot) == expected


def test_one_step_tighter_is_the_next_smaller_acceptance_number_of_table_2a():
    """The score's rule read off table 2-A itself: for every normal plan with Ac >= 2, the
    plan one AQL column tighter, on the same letter's row, has the same sample size and
    the acceptance number switching_score_after uses."""
    checked = 0
    for letter in CODE_LETTERS:
        for column, aql in enumerate(AQLS):
            plan = master_plan(letter, aql)
            if plan.accept < 2:
                continue
            tighter = master_plan(plan.plan_letter, AQLS[column - 1])
            assert tighter.plan_letter == plan.plan_letter, (letter, aql)
            assert tighter.sample_size == plan.sample_size
            found = tighter.accept
            assert switching_score_after(0, LotResult(True, plan.accept, found)) == 3
            assert switching_score_after(0, LotResult(True, plan.accept, found + 1)) == 0
            checked += 1
    assert checked > 200


def test_an_acceptance_number_not_in_table_2a_is_refused_on_normal():
    with pytest.raises(InvalidInput) as raised:
        next_state(SwitchingState(), LotResult(True, 4, 0))
    assert raised.value.code == "invalid_lot_result"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"accepted": True, "accept_number": 1, "nonconforming": 2},
        {"accepted": False, "accept_number": -1, "nonconforming": 0},
        {"accepted": False, "accept_number": 1, "nonconforming": -3},
        {"accepted": True, "accept_number": True, "nonconforming": 0},
        {"accepted": True, "accept_number": 1.0, "nonconforming": 0},
    ],
)
def test_impossible_lot_results(kwargs):
    with pytest.raises(InvalidInput) as raised:
        LotResult(**kwargs)
    assert raised.value.code == "invalid_lot_result"


def test_judged_lots():
    assert LotResult.judged(3, 3) == LotResult(True, 3, 3)
    assert LotResult.judged(3, 4) == LotResult(False, 3, 4)
    assert LotResult.judged(0, 1, original=False) == LotResult(False, 0, 1, original=False)


def test_reduced_inspection_ends_on_a_rejection_or_irregular_production():
    reduced = SwitchingState(Severity.REDUCED)
    assert next_state(reduced, LOTS["r"]) == (SwitchingState(), REDUCED_NOT_ACCEPTED)
    assert next_state(reduced, LOTS["i"]) == (SwitchingState(), REDUCED_IRREGULAR)
    assert next_state(reduced, LOTS["a"])[1] is None


def test_the_authority_can_reinstate_normal_only_from_reduced():
    assert reinstate_normal(SwitchingState(Severity.REDUCED)) == (
        SwitchingState(),
        REDUCED_WARRANTED,
    )
    with pytest.raises(Conflict):
        reinstate_normal(SwitchingState(Severity.TIGHTENED))


def test_nothing_is_recorded_while_discontinued_until_resumed():
    state, switches = replay([LOTS[c] for c in "rr rrrrr".replace(" ", "")])
    assert state.discontinued and switches[-1].reason is DISCONTINUED
    with pytest.raises(Conflict) as raised:
        next_state(state, LOTS["a"])
    assert raised.value.code == "sampling_discontinued"
    resumed, reason = resume(state)
    assert (resumed, reason) == (SwitchingState(Severity.TIGHTENED), RESUMED)
    assert trace("aaaaa", approved=False, state=resumed) == "TTTTN"
    with pytest.raises(Conflict):
        resume(resumed)


def test_a_resubmitted_lot_leaves_the_state_alone():
    state = SwitchingState(Severity.TIGHTENED, (False,), 0, 0, 4)
    assert next_state(state, LOTS["s"]) == (state, None)


def test_reasons_have_stable_codes_and_say_where_inspection_goes():
    reasons = [
        TO_TIGHTENED,
        TIGHTENED_TO_NORMAL,
        TO_REDUCED,
        REDUCED_NOT_ACCEPTED,
        REDUCED_IRREGULAR,
        REDUCED_WARRANTED,
        DISCONTINUED,
        RESUMED,
    ]
    assert [r.code for r in reasons] == [
        "normal_to_tightened",
        "tightened_to_normal",
        "normal_to_reduced",
        "reduced_to_normal_not_accepted",
        "reduced_to_normal_irregular",
        "reduced_to_normal_warranted",
        "discontinued",
        "resumed_on_tightened",
    ]
    assert str(TO_TIGHTENED) == TO_TIGHTENED.message
    assert TO_REDUCED.severity is Severity.REDUCED and DISCONTINUED.severity is None
