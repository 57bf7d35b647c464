"""The switching history of each supplier × item (ISO 2859-1 clause 9): one row per step,
the newest is the state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from oxychain.inspection.domain.switching import SwitchingState
from oxychain.inspection.tables import SwitchingRecord
from oxychain.masterdata.domain.sampling import Severity


class Switching:
    session: Session

    def switching_history(self, supplier_id: int, item_id: int) -> Sequence[SwitchingRecord]:
        return self.session.scalars(
            select(SwitchingRecord)
            .where(SwitchingRecord.supplier_id == supplier_id, SwitchingRecord.item_id == item_id)
            .order_by(SwitchingRecord.seq)
        ).all()

    def switching_latest(
        self, supplier_id: int, item_id: int, *, for_update: bool = False
    ) -> SwitchingRecord | None:
        query = (
            select(SwitchingRecord)
            .where(SwitchingRecord.supplier_id == supplier_id, SwitchingRecord.item_id == item_id)
            .order_by(SwitchingRecord.seq.desc())
            .limit(1)
        )
        return self.session.scalar(query.with_for_update() if for_update else query)

    def switching_state(
        self, supplier_id: int, item_id: int, *, for_update: bool = False
    ) -> SwitchingState:
        """The supplier × item's state now (normal inspection when nothing is recorded)."""
        return state_of(self.switching_latest(supplier_id, item_id, for_update=for_update))

    def append_switching(
        self,
        supplier_id: int,
        item_id: int,
        state: SwitchingState,
        reason: str | None,
        *,
        lot_id: int | None,
        at: datetime,
    ) -> int:
        """The state after a lot (or a resumption: no lot) as the next row of the history;
        its sequence number."""
        latest = self.switching_latest(supplier_id, item_id)
        seq = latest.seq + 1 if latest else 1
        self.session.add(
            SwitchingRecord(
                supplier_id=supplier_id,
                item_id=item_id,
                seq=seq,
                lot_id=lot_id,
                reason=reason,
                at=at,
                **stored_state(state),
            )
        )
        return seq


def state_of(row: SwitchingRecord | None) -> SwitchingState:
    """A stored switching row as the domain's state (none: normal inspection)."""
    if row is None:
        return SwitchingState()
    return SwitchingState(
        severity=Severity(row.severity),
        recent=tuple(mark == "A" for mark in row.recent),
        consecutive_accepted=row.consecutive_accepted,
        switching_score=row.switching_score,
        not_accepted_on_tightened=row.not_accepted_on_tightened,
        discontinued=row.discontinued,
    )


def stored_state(state: SwitchingState) -> dict[str, object]:
    """The columns of ``switching_records`` that hold a state (``state_of`` reads them back)."""
    return {
        "severity": state.severity.value,
        "recent": "".join("A" if ok else "R" for ok in state.recent),
        "consecutive_accepted": state.consecutive_accepted,
        "switching_score": state.switching_score,
        "not_accepted_on_tightened": state.not_accepted_on_tightened,
        "discontinued": state.discontinued,
    }
