"""A lot, or one of its sampled units, loaded in the principal's scope; who acts."""

from __future__ import annotations

from oxychain.core.access import require
from oxychain.core.errors import NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.repository import SampleRow
from oxychain.inspection.tables import Lot


def lot_scope(lot: Lot) -> ObjectScope:
    return ObjectScope(supplier_id=lot.supplier_id, agency_id=lot.agency_id)


def load_lot(
    uow: UnitOfWork, lot_id: int, permission: str = "lot.read", *, for_update: bool = False
) -> Lot:
    """The lot; NotFound when there is none, Forbidden when it is outside the scope.
    ``for_update`` locks it (PostgreSQL) for a change."""
    lot = uow.inspection.lot(lot_id, for_update=for_update)
    if lot is None:
        raise NotFound("No lot {lot}.", lot=lot_id)
    require(uow.principal, permission, lot_scope(lot))
    return lot


def sample_at(uow: UnitOfWork, lot: Lot, position: int) -> SampleRow:
    row = uow.inspection.sample_at(lot.id, position)
    if row is None:
        raise NotFound(
            "Lot {lot} has no sampled unit {position}.", lot=lot.number, position=position
        )
    return row


def user_id(uow: UnitOfWork) -> int | None:
    """The acting user's id; None for the system (demo loader, migrations)."""
    return uow.principal.user_id or None
