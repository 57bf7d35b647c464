"""Inspection figures: the dashboard (lots by status, pass rates) and supplier scorecards."""

from __future__ import annotations

from dataclasses import dataclass

from oxychain.core.access import Scope, require
from oxychain.core.errors import NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.domain.lot import LotStatus, is_decided
from oxychain.inspection.domain.reading import ELECTRICAL_SAFETY
from oxychain.inspection.domain.switching import SWITCHING, SwitchingStatus
from oxychain.masterdata.domain.catalogue import item_by_code
from oxychain.masterdata.domain.sampling import Severity
from oxychain.masterdata.tables import Supplier


@dataclass(frozen=True)
class Rate:
    """A share of passes (or rejections) with the counts behind it."""

    label: str
    label_hi: str
    total: int
    count: int  # the passes (pass rates) or the rejections (rejection rates)

    @property
    def pct(self) -> float:
        return 100.0 * self.count / self.total if self.total else 0.0


@dataclass(frozen=True)
class Dashboard:
    pending: int
    accepted: int
    rejected: int
    by_status: dict[str, int]
    supplier_pass: list[Rate]  # units that passed their test, per supplier
    parameter_pass: list[Rate]  # readings within their limit, per test parameter


def _parameter_label(key: str) -> tuple[str, str]:
    if key == ELECTRICAL_SAFETY.key:
        return ELECTRICAL_SAFETY.label, ELECTRICAL_SAFETY.label_hi
    try:
        limit = item_by_code("OC-5").limit(key)
    except NotFound:
        return key, key
    return limit.label, limit.label_hi


def dashboard(uow: UnitOfWork) -> Dashboard:
    require(uow.principal, "inspection.dashboard")
    with uow:
        by_status = uow.inspection.lot_counts()
        names = {s.id: s for s in _suppliers(uow)}
        per_supplier: dict[int, list[int]] = {}
        for supplier_id, _item, tested, failed in uow.inspection.unit_outcomes():
            totals = per_supplier.setdefault(supplier_id, [0, 0])
            totals[0] += tested
            totals[1] += tested - failed
        supplier_pass = [
            Rate(names[s].name, names[s].name, total, passed)
            for s, (total, passed) in sorted(per_supplier.items(), key=lambda kv: names[kv[0]].code)
        ]
        parameter_pass = [
            Rate(*_parameter_label(key), total, passed)
            for key, total, passed in uow.inspection.parameter_outcomes()
        ]
    pending = sum(n for status, n in by_status.items() if not is_decided(status))
    return Dashboard(
        pending,
        by_status.get(LotStatus.ACCEPTED, 0),
        by_status.get(LotStatus.REJECTED, 0),
        by_status,
        supplier_pass,
        parameter_pass,
    )


def _suppliers(uow: UnitOfWork) -> list[Supplier]:
    return list(uow.masterdata.suppliers())


@dataclass(frozen=True)
class ScorecardLine:
    item_code: str
    item_name: str
    item_name_hi: str
    lots_decided: int
    lots_rejected: int
    units_tested: int
    units_failed: int
    severity: Severity
    switching_score: int
    status: SwitchingStatus  # the severity, or discontinued
    actions: frozenset[str]  # what the switching state allows next ("resume" when discontinued)

    @property
    def rejection_rate_pct(self) -> float:
        return 100.0 * self.lots_rejected / self.lots_decided if self.lots_decided else 0.0

    @property
    def unit_failure_pct(self) -> float:
        return 100.0 * self.units_failed / self.units_tested if self.units_tested else 0.0


@dataclass(frozen=True)
class Scorecard:
    supplier: Supplier
    lines: list[ScorecardLine]
    suppliers: list[Supplier]  # whom the reader may choose from (one for a supplier)


def scorecard(uow: UnitOfWork, supplier_code: str | None) -> Scorecard:
    """A supplier's lots and units per item: rejection rate, failures, switching state."""
    scope = require(uow.principal, "supplier.scorecard")
    with uow:
        suppliers = _suppliers(uow)
        if supplier_code:
            supplier = next((s for s in suppliers if s.code == supplier_code), None)
        elif scope is Scope.OWN_SUPPLIER:
            supplier = next((s for s in suppliers if s.id == uow.principal.supplier_id), None)
        else:
            supplier = suppliers[0] if suppliers else None
        if supplier is None:
            raise NotFound("No supplier {supplier}.", supplier=supplier_code or "—")
        require(uow.principal, "supplier.scorecard", ObjectScope(supplier_id=supplier.id))
        if scope is Scope.OWN_SUPPLIER:
            suppliers = [supplier]
        return Scorecard(supplier, _lines(uow, supplier.id), suppliers)


def _lines(uow: UnitOfWork, supplier_id: int) -> list[ScorecardLine]:
    lots = {item: (a, r) for _s, item, a, r in uow.inspection.lot_outcomes(supplier_id)}
    units = {item: (n, f) for _s, item, n, f in uow.inspection.unit_outcomes(supplier_id)}
    lines = []
    for item_id in sorted(set(lots) | set(units)):
        item = uow.inspection.item(item_id)
        accepted, rejected = lots.get(item_id, (0, 0))
        tested, failed = units.get(item_id, (0, 0))
        state = uow.inspection.switching_state(supplier_id, item_id)
        lines.append(
            ScorecardLine(
                item.code,
                item.name,
                item.name_hi,
                accepted + rejected,
                rejected,
                tested,
                failed,
                state.severity,
                state.switching_score,
                state.status,
                SWITCHING.allowed_actions(state.status),
            )
        )
    return lines
