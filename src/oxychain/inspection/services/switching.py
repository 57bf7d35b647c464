"""The corporation's own switching decision: resuming a discontinued supplier × item.

ISO 2859-1 clause 9.4: after 5 lots not accepted on tightened inspection, no lot of the
supplier's item is inspected "until the supplier has taken action to improve the quality
of the submitted product"; the responsible authority (the procurement officer) decides
that the corrective action is enough, and inspection restarts on tightened inspection.
The resumption is the next row of the switching history and an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import NotFound
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.domain import switching
from oxychain.inspection.domain.switching import SwitchingState
from oxychain.inspection.repository import stored_state


@dataclass(frozen=True)
class ResumeInspection:
    supplier_code: str
    item_code: str
    corrective_action: str  # what the supplier did, as the corporation accepted it


def resume_inspection(uow: UnitOfWork, cmd: ResumeInspection) -> SwitchingState:
    """A discontinued supplier × item inspected again, on tightened inspection."""
    require(uow.principal, "switching.resume")
    with uow:
        supplier = uow.inspection.supplier_by_code(cmd.supplier_code)
        item = uow.inspection.item_by_code(cmd.item_code)
        if supplier is None or item is None:
            raise NotFound(
                "No supplier {supplier} with item {item}.",
                supplier=cmd.supplier_code,
                item=cmd.item_code,
            )
        before = uow.inspection.switching_state(supplier.id, item.id, for_update=True)
        state, reason = switching.resume(before)
        note = switching.corrective_action(cmd.corrective_action)
        seq = uow.inspection.append_switching(
            supplier.id, item.id, state, reason.code, lot_id=None, at=clock.now()
        )
        after = {**stored_state(state), "seq": seq, "reason": reason.code, "note": note}
        key = f"{supplier.code}/{item.code}"
        uow.record("switching.resume", "switching", key, stored_state(before), after)
        uow.commit()
        return state
