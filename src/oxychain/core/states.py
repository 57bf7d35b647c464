"""Statuses with their allowed moves: one mechanism for every aggregate that has a status.

An area's domain names its statuses (a ``StrEnum``) and its moves: each action a person or
a rule can take, the statuses it may start from and the status it leads to. Services move a
status only through ``Lifecycle.move``; pages ask ``allowed_actions`` what may be done next
instead of comparing status strings. A refused move is an ``IllegalTransition`` (a
``Conflict``: HTTP 409, exit code 2) everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from oxychain.core.errors import Conflict
from oxychain.core.i18n import N_

S = TypeVar("S", bound=StrEnum)

REFUSED = N_("A {thing} that is {status} cannot be moved by “{action}”.")


class IllegalTransition(Conflict):
    """The current status does not allow the action."""

    code = "illegal_transition"


@dataclass(frozen=True)
class Move(Generic[S]):
    sources: frozenset[S]
    target: S


class Lifecycle(Generic[S]):
    """The moves of one kind of record: action -> (statuses it starts from, status it ends in).

    ``thing`` names the record in messages ("tender", "lot"); ``message`` may replace the
    generic refusal with the area's own wording; it gets ``thing``, ``status``, ``action``
    and ``target`` as parameters.
    """

    def __init__(
        self,
        thing: str,
        statuses: type[S],
        moves: Mapping[str, tuple[Iterable[S], S]],
        message: str = REFUSED,
    ) -> None:
        self.thing = thing
        self.statuses = statuses
        self.message = message
        self.moves: dict[str, Move[S]] = {
            action: Move(frozenset(statuses(s) for s in sources), statuses(target))
            for action, (sources, target) in moves.items()
        }

    def allowed_actions(self, current: S | str) -> frozenset[str]:
        """The actions the current status allows."""
        status = self.statuses(current)
        return frozenset(a for a, m in self.moves.items() if status in m.sources)

    def can(self, current: S | str, action: str) -> bool:
        return action in self.allowed_actions(current)

    def targets(self, current: S | str) -> frozenset[S]:
        """The statuses reachable in one move."""
        status = self.statuses(current)
        return frozenset(m.target for m in self.moves.values() if status in m.sources)

    def move(self, current: S | str, action: str, **params: object) -> S:
        """The status after ``action``; IllegalTransition naming the current one otherwise."""
        status = self.statuses(current)
        move = self.moves[action]  # KeyError: a programming error, not a person's
        if status not in move.sources:
            raise IllegalTransition(
                self.message,
                thing=self.thing,
                status=status.value,
                action=action,
                target=move.target.value,
                **params,
            )
        return move.target

    def is_final(self, current: S | str) -> bool:
        return not self.allowed_actions(current)
