"""What waits for a person: the items of work their home page lists, counted and linked.

Each area contributes its own items (``Area.home_queue``, "module:function"); the function
takes ``(uow, settings, now)`` and returns a list of :class:`WorkItem` for the principal in
the unit of work (nothing when the role has no work there). Core imports no area: it only
asks each installed area in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from oxychain.core import areas


@dataclass(frozen=True)
class WorkItem:
    label: str  # English msgid (marked with N_), the thing counted, its unit in the words
    count: int | None  # None: a figure, not a count (``figure`` says it)
    link: str  # where the work is done
    figure: str = ""  # a pre-formatted figure with its unit ("97.5 %"), when count is None
    note: str = ""  # English msgid: what the figure is compared with
    note_params: tuple[tuple[str, Any], ...] = ()
    urgent: bool = False  # overdue or past a deadline: shown first

    @property
    def waiting(self) -> bool:
        return self.count is None or self.count > 0


def queue(uow: Any, settings: Any, now: datetime) -> list[WorkItem]:  # noqa: ANN401
    """Every area's items for the principal, urgent first, in the areas' order otherwise."""
    items: list[WorkItem] = []
    for area in areas.installed():
        if area.home_queue:
            items += areas.load(area.home_queue)(uow, settings, now)
    return sorted(items, key=lambda item: not (item.urgent and item.waiting))
