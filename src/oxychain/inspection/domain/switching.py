"""ISO 2859-1:1999 clause 9: switching between normal, tightened and reduced inspection.

A pure state machine over the lots of one product from one supplier, inspected on one AQL
and inspection level. ``next_state(state, lot)`` returns the new state and, when the
severity changed, the reason (a stable ``code`` and an English sentence).

* Normal -> tightened (9.3.2): 2 lots not accepted among 5 or fewer consecutive lots.
* Tightened -> normal (9.3.4): 5 consecutive lots accepted.
* Normal -> reduced (9.3.3): the switching score is at least 30, production is steady and
  the responsible authority approves reduced inspection (``reduced_approved``).
* Reduced -> normal (9.3.5): a lot not accepted, production irregular or delayed, or the
  responsible authority says other conditions warrant it (``reinstate_normal``).
* Discontinuation (9.4): 5 lots not accepted, in total, while on tightened inspection.
  No lot can be recorded until ``resume`` (after the supplier's corrective action), which
  restarts on tightened inspection.

The four places a supplier × item can be in (``SwitchingStatus``) and the moves between
them are one ``Lifecycle``; every switch above is one of its moves.

Only lots on original inspection count: a resubmitted lot (``original=False``) leaves the
state as it is. Every change of severity starts the new severity's counts from zero, as
the switching score is "set to zero at the start of normal inspection" (9.3.3.2).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.masterdata.domain.sampling import NORMAL_ACCEPTANCE_SERIES, Severity

REDUCED_AT_SCORE = 30
WINDOW = 5  # "2 out of 5 or fewer consecutive lots"
TIGHTENED_TO_NORMAL_AFTER = 5  # consecutive lots accepted
DISCONTINUE_AFTER = 5  # lots not accepted while on tightened inspection
MAX_NOTE_CHARS = 300


class SwitchingStatus(StrEnum):
    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"
    DISCONTINUED = "discontinued"  # no lot is inspected until the corporation resumes


W = SwitchingStatus
SWITCHING = Lifecycle(
    "supplier's item",
    SwitchingStatus,
    {
        "tighten": ((W.NORMAL,), W.TIGHTENED),  # 9.3.2
        "relax": ((W.TIGHTENED,), W.NORMAL),  # 9.3.4
        "reduce": ((W.NORMAL,), W.REDUCED),  # 9.3.3
        "reinstate_normal": ((W.REDUCED,), W.NORMAL),  # 9.3.5
        "discontinue": ((W.TIGHTENED,), W.DISCONTINUED),  # 9.4
        "resume": ((W.DISCONTINUED,), W.TIGHTENED),  # 9.4, after corrective action
    },
    message=N_("Inspection of this supplier's item is {status}: “{action}” does not apply."),
)


@dataclass(frozen=True)
class SwitchReason:
    code: str
    message: str
    severity: Severity | None  # where inspection goes; None when it is discontinued
    action: str  # the move of ``SWITCHING`` it is

    def __str__(self) -> str:
        return self.message


TO_TIGHTENED = SwitchReason(
    "normal_to_tightened",
    "2 of 5 or fewer consecutive lots were not accepted on normal inspection (9.3.2)",
    Severity.TIGHTENED,
    "tighten",
)
TIGHTENED_TO_NORMAL = SwitchReason(
    "tightened_to_normal",
    "5 consecutive lots were accepted on tightened inspection (9.3.4)",
    Severity.NORMAL,
    "relax",
)
TO_REDUCED = SwitchReason(
    "normal_to_reduced",
    "switching score reached 30 with steady production and approval (9.3.3)",
    Severity.REDUCED,
    "reduce",
)
REDUCED_NOT_ACCEPTED = SwitchReason(
    "reduced_to_normal_not_accepted",
    "a lot was not accepted on reduced inspection (9.3.5 a)",
    Severity.NORMAL,
    "reinstate_normal",
)
REDUCED_IRREGULAR = SwitchReason(
    "reduced_to_normal_irregular",
    "production became irregular or delayed (9.3.5 b)",
    Severity.NORMAL,
    "reinstate_normal",
)
REDUCED_WARRANTED = SwitchReason(
    "reduced_to_normal_warranted",
    "the responsible authority reinstated normal inspection (9.3.5 c)",
    Severity.NORMAL,
    "reinstate_normal",
)
DISCONTINUED = SwitchReason(
    "discontinued",
    "5 lots were not accepted on tightened inspection: inspection is discontinued (9.4)",
    None,
    "discontinue",
)
RESUMED = SwitchReason(
    "resumed_on_tightened",
    "the supplier's corrective action was accepted: inspection resumes on tightened (9.4)",
    Severity.TIGHTENED,
    "resume",
)


@dataclass(frozen=True)
class LotResult:
    """A lot's outcome on single sampling, as the switching rules need it.

    ``accepted`` may be False with ``nonconforming <= accept_number`` (a lot refused for
    another reason, e.g. a critical nonconformity); the reverse is impossible.
    """

    accepted: bool
    accept_number: int  # Ac of the plan the lot was judged with
    nonconforming: int  # nonconforming items (or nonconformities) found in the sample
    original: bool = True  # False for a resubmitted lot, which switching ignores
    production_steady: bool = True

    def __post_init__(self) -> None:
        for name in ("accept_number", "nonconforming"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidInput(
                    "Field {field} must be a whole number, 0 or more (got {value}).",
                    code="invalid_lot_result",
                    field=name,
                    value=repr(value),
                )
        if self.accepted and self.nonconforming > self.accept_number:
            raise InvalidInput(
                "A lot with {nonconforming} nonconforming in the sample cannot be accepted "
                "on Ac {accept_number}.",
                code="invalid_lot_result",
                field="accepted",
                nonconforming=self.nonconforming,
                accept_number=self.accept_number,
            )

    @classmethod
    def judged(cls, accept_number: int, nonconforming: int, **kwargs: bool) -> LotResult:
        """The lot accepted exactly when the sample's nonconforming count is at most Ac."""
        return cls(nonconforming <= accept_number, accept_number, nonconforming, **kwargs)


@dataclass(frozen=True)
class SwitchingState:
    severity: Severity = Severity.NORMAL
    recent: tuple[bool, ...] = ()  # accepted?, last 5 original lots on this severity
    consecutive_accepted: int = 0  # run of accepted lots on this severity
    switching_score: int = 0  # counts on normal inspection only
    not_accepted_on_tightened: int = 0
    discontinued: bool = False

    @property
    def status(self) -> SwitchingStatus:
        return W.DISCONTINUED if self.discontinued else W(self.severity.value)


def _switched(
    before: SwitchingState, reason: SwitchReason, after: SwitchingState
) -> tuple[SwitchingState, SwitchReason]:
    """``after``, reached by the lifecycle's move for ``reason`` (never refused: the rules
    above switch only from where the move starts)."""
    SWITCHING.move(before.status, reason.action)
    return after, reason


@dataclass(frozen=True)
class Switch:
    lot_index: int  # position of the lot, in the sequence replayed, that caused it
    reason: SwitchReason


def next_state(
    state: SwitchingState, lot: LotResult, *, reduced_approved: bool = False
) -> tuple[SwitchingState, SwitchReason | None]:
    """The state after one more lot, and the reason when the severity changed."""
    if state.discontinued:
        raise Conflict(
            "Sampling inspection is discontinued (ISO 2859-1, 9.4): resume it after the "
            "supplier's corrective action.",
            code="sampling_discontinued",
        )
    if not lot.original:
        return state, None
    recent = (*state.recent, lot.accepted)[-WINDOW:]
    run = state.consecutive_accepted + 1 if lot.accepted else 0
    moved = replace(state, recent=recent, consecutive_accepted=run)

    if state.severity is Severity.NORMAL:
        if not lot.accepted and recent.count(False) >= 2:
            return _switched(state, TO_TIGHTENED, SwitchingState(Severity.TIGHTENED))
        score = switching_score_after(state.switching_score, lot)
        if score >= REDUCED_AT_SCORE and lot.production_steady and reduced_approved:
            return _switched(state, TO_REDUCED, SwitchingState(Severity.REDUCED))
        return replace(moved, switching_score=score), None

    if state.severity is Severity.TIGHTENED:
        if run >= TIGHTENED_TO_NORMAL_AFTER:
            return _switched(state, TIGHTENED_TO_NORMAL, SwitchingState(Severity.NORMAL))
        if lot.accepted:
            return moved, None
        count = state.not_accepted_on_tightened + 1
        moved = replace(moved, not_accepted_on_tightened=count)
        if count >= DISCONTINUE_AFTER:
            return _switched(state, DISCONTINUED, replace(moved, discontinued=True))
        return moved, None

    if not lot.accepted:
        return _switched(state, REDUCED_NOT_ACCEPTED, SwitchingState(Severity.NORMAL))
    if not lot.production_steady:
        return _switched(state, REDUCED_IRREGULAR, SwitchingState(Severity.NORMAL))
    return moved, None


def switching_score_after(score: int, lot: LotResult) -> int:
    """Clause 9.3.3.2 for single sampling on normal inspection.

    Ac 0 or 1: +2 if the lot is accepted. Ac 2 or more: +3 if the lot would have been
    accepted had the AQL been one step tighter, i.e. with the next smaller acceptance
    number of table 2-A at the same sample size. Anything else resets the score to 0.
    """
    if not lot.accepted:
        return 0
    if lot.accept_number <= 1:
        return score + 2
    if lot.accept_number not in NORMAL_ACCEPTANCE_SERIES:
        raise InvalidInput(
            "Field {field} must be one of {allowed} (got {value}).",
            code="invalid_lot_result",
            field="accept_number",
            allowed=", ".join(map(str, NORMAL_ACCEPTANCE_SERIES)),
            value=repr(lot.accept_number),
        )
    tighter = NORMAL_ACCEPTANCE_SERIES[NORMAL_ACCEPTANCE_SERIES.index(lot.accept_number) - 1]
    return score + 3 if lot.nonconforming <= tighter else 0


def reinstate_normal(state: SwitchingState) -> tuple[SwitchingState, SwitchReason]:
    """9.3.5 c): the responsible authority ends reduced inspection for other reasons."""
    SWITCHING.move(state.status, REDUCED_WARRANTED.action)
    return SwitchingState(Severity.NORMAL), REDUCED_WARRANTED


def resume(state: SwitchingState) -> tuple[SwitchingState, SwitchReason]:
    """9.4: after the supplier's corrective action, inspection restarts on tightened, its
    counts from zero."""
    SWITCHING.move(state.status, RESUMED.action)
    return SwitchingState(Severity.TIGHTENED), RESUMED


def corrective_action(note: str) -> str:
    """What the corporation accepted from the supplier before inspection resumes (9.4):
    the reason recorded with the resumption."""
    note = " ".join(note.split())[:MAX_NOTE_CHARS]
    if not note:
        raise InvalidInput("Say which corrective action of the supplier was accepted.")
    return note


def replay(
    lots: Iterable[LotResult],
    state: SwitchingState | None = None,
    *,
    reduced_approved: bool = False,
) -> tuple[SwitchingState, tuple[Switch, ...]]:
    """Fold a sequence of lots from ``state`` (normal inspection by default)."""
    current = state or SwitchingState()
    switches = []
    for index, lot in enumerate(lots):
        current, reason = next_state(current, lot, reduced_approved=reduced_approved)
        if reason is not None:
            switches.append(Switch(index, reason))
    return current, tuple(switches)
