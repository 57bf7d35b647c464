"""Counts for the inspection dashboard and the supplier scorecards."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from oxychain.inspection.tables import Lot, Reading, UnitTest, Verdict


class Figures:
    session: Session

    # --- figures ---------------------------------------------------------------------------

    def lot_counts(self, supplier_id: int | None = None) -> dict[str, int]:
        query = select(Lot.status, func.count()).group_by(Lot.status)
        if supplier_id is not None:
            query = query.where(Lot.supplier_id == supplier_id)
        return {status: n for status, n in self.session.execute(query)}

    def lot_outcomes(self, supplier_id: int | None = None) -> list[tuple[int, int, int, int]]:
        """(supplier id, item id, lots accepted, lots rejected) from the verdicts."""
        query = (
            select(
                Lot.supplier_id,
                Lot.item_id,
                func.sum(case((Verdict.accepted.is_(True), 1), else_=0)),
                func.sum(case((Verdict.accepted.is_(False), 1), else_=0)),
            )
            .join(Verdict, Verdict.lot_id == Lot.id)
            .group_by(Lot.supplier_id, Lot.item_id)
        )
        if supplier_id is not None:
            query = query.where(Lot.supplier_id == supplier_id)
        return [(s, i, int(a or 0), int(r or 0)) for s, i, a, r in self.session.execute(query)]

    def _latest_test_ids(self):  # noqa: ANN202 - a SQL subquery
        superseded = select(UnitTest.previous_id).where(UnitTest.previous_id.is_not(None))
        return select(UnitTest.id).where(UnitTest.id.not_in(superseded))

    def unit_outcomes(self, supplier_id: int | None = None) -> list[tuple[int, int, int, int]]:
        """(supplier id, item id, units tested, units failed), newest test versions only."""
        query = (
            select(
                Lot.supplier_id,
                Lot.item_id,
                func.count(UnitTest.id),
                func.sum(case((UnitTest.passed.is_(False), 1), else_=0)),
            )
            .join(Lot, Lot.id == UnitTest.lot_id)
            .where(UnitTest.id.in_(self._latest_test_ids()))
            .group_by(Lot.supplier_id, Lot.item_id)
        )
        if supplier_id is not None:
            query = query.where(Lot.supplier_id == supplier_id)
        return [(s, i, int(n), int(f or 0)) for s, i, n, f in self.session.execute(query)]

    def parameter_outcomes(self) -> list[tuple[str, int, int]]:
        """(parameter, readings, readings passed), newest test versions only."""
        query = (
            select(
                Reading.parameter,
                func.count(Reading.id),
                func.sum(case((Reading.passed.is_(True), 1), else_=0)),
            )
            .where(Reading.unit_test_id.in_(self._latest_test_ids()))
            .group_by(Reading.parameter)
            .order_by(Reading.parameter)
        )
        return [(p, int(n), int(ok or 0)) for p, n, ok in self.session.execute(query)]
