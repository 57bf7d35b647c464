"""Planning: case counts, scenarios, plans and loads, and the read-only queries that build
a scenario from the other areas' tables (stock, installed base, supplies on the way).

Nothing here writes another area's table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from sqlalchemy import delete, func, insert, or_, select, tuple_
from sqlalchemy.orm import Session

from oxychain.distribution.domain.lifecycle import ISSUABLE  # what dispatch loads
from oxychain.distribution.tables import Challan, ChallanLine, DevicePosition
from oxychain.inspection.tables import Device, Lot, Verdict
from oxychain.masterdata.tables import Facility
from oxychain.planning.domain.scenario import Scenario, parse_scenario
from oxychain.planning.tables import (
    CaseCount,
    CaseImport,
    GapRefresh,
    Plan,
    PlanLoad,
    PlanScenario,
)
from oxychain.tendering.tables import PoTranche, PurchaseOrder


class PlanDocuments:
    """A kept plan's JSON (ALLOCATION.md's plan, and its pro-rata baseline's) and its
    scenario's document and inputs; read-only, shared by every reader in the process."""

    def __init__(self, result: dict, prorata: dict, document: dict, inputs: dict) -> None:
        self.result, self.prorata, self.document, self.inputs = result, prorata, document, inputs

    @cached_property
    def scenario(self) -> Scenario:
        return parse_scenario(self.document)


_DOCUMENTS: dict[tuple, PlanDocuments] = {}
_DOCUMENTS_KEPT = 8


@dataclass(frozen=True)
class Truck:
    """A challan on the road: devices not yet received, from where to where."""

    number: str
    tranche_id: int | None
    from_warehouse_id: int | None
    to_warehouse_id: int | None
    to_facility_id: int | None
    to_district_id: int
    dispatched_at: datetime
    devices: int


@dataclass(frozen=True)
class TrancheLine:
    """An open tranche of the newest version of an issued purchase order."""

    id: int
    label: str  # "PO/… T1"
    consignee_warehouse_id: int
    quantity: int
    delivered: int
    due_date: date
    line_ids: tuple[int, ...]  # the same line in this and earlier versions


class Planning:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- case counts --------------------------------------------------------------------

    def new_import(self, **fields: object) -> CaseImport:
        row = CaseImport(**fields)
        self.session.add(row)
        self.session.flush()
        return row

    def replace_counts(
        self, import_id: int, level: str, rows: Sequence[tuple[str, date, int]]
    ) -> int:
        """Store (region, day, cumulative count) rows; rows of the same region and day
        stored before are replaced. Returns how many were replaced."""
        replaced = 0
        for start in range(0, len(rows), 500):
            keys = [(region, day) for region, day, _ in rows[start : start + 500]]
            replaced += (
                self.session.execute(
                    delete(CaseCount).where(
                        CaseCount.level == level, tuple_(CaseCount.region, CaseCount.day).in_(keys)
                    )
                ).rowcount
                or 0
            )
        self.session.execute(
            insert(CaseCount),
            [
                {"import_id": import_id, "level": level, "region": r, "day": d, "confirmed": c}
                for r, d, c in rows
            ],
        )
        return replaced

    def counts(
        self, level: str, regions: Iterable[str] | None = None, until: date | None = None
    ) -> list[tuple[str, date, int]]:
        query = select(CaseCount.region, CaseCount.day, CaseCount.confirmed).where(
            CaseCount.level == level
        )
        if regions is not None:
            query = query.where(CaseCount.region.in_(list(regions)))
        if until is not None:
            query = query.where(CaseCount.day <= until)
        return [
            tuple(r) for r in self.session.execute(query.order_by(CaseCount.region, CaseCount.day))
        ]

    def regions(self) -> list[tuple[str, str, date, date, int]]:
        """(level, region, first day, last day, counts) of every stored series."""
        query = (
            select(
                CaseCount.level,
                CaseCount.region,
                func.min(CaseCount.day),
                func.max(CaseCount.day),
                func.count(),
            )
            .group_by(CaseCount.level, CaseCount.region)
            .order_by(CaseCount.level, CaseCount.region)
        )
        return [tuple(r) for r in self.session.execute(query)]

    def imports(self, limit: int = 50) -> Sequence[CaseImport]:
        return self.session.scalars(
            select(CaseImport).order_by(CaseImport.id.desc()).limit(limit)
        ).all()

    # --- scenarios, plans and loads -----------------------------------------------------

    def gap_refresh(self, day: date) -> GapRefresh | None:
        return self.session.scalar(select(GapRefresh).where(GapRefresh.day == day))

    def add_gap_refresh(self, row: GapRefresh) -> None:
        self.session.add(row)
        self.session.flush()

    def new_scenario(self, **fields: object) -> PlanScenario:
        row = PlanScenario(**fields)
        self.session.add(row)
        self.session.flush()
        return row

    def new_plan(self, **fields: object) -> Plan:
        row = Plan(**fields)
        self.session.add(row)
        self.session.flush()
        return row

    # Rows come without their large JSON columns; `documents` reads those (and keeps them:
    # a plan and its scenario are never edited, so what was read once stays true).

    def scenario(self, reference: str) -> PlanScenario | None:
        return self.session.scalar(select(PlanScenario).where(PlanScenario.reference == reference))

    def scenario_by_id(self, scenario_id: int) -> PlanScenario | None:
        return self.session.get(PlanScenario, scenario_id)

    def scenario_choice(self, scenario_id: int) -> dict:
        """Only what the planner chose (small), not the scenario's document."""
        return (
            self.session.scalar(select(PlanScenario.choice).where(PlanScenario.id == scenario_id))
            or {}
        )

    def scenario_source(self, scenario_id: int) -> str:
        return self.session.scalar(
            select(PlanScenario.source).where(PlanScenario.id == scenario_id)
        )

    def plan(self, reference: str, *, lock: bool = False) -> Plan | None:
        query = select(Plan).where(Plan.reference == reference)
        return self.session.scalar(query.with_for_update() if lock else query)

    def plan_by_id(self, plan_id: int) -> Plan | None:
        return self.session.get(Plan, plan_id)

    def documents(self, plan: Plan) -> PlanDocuments:
        """The plan's JSON, its pro-rata baseline's, and its scenario's document and inputs."""
        key = (str(self.session.get_bind().url), plan.id, plan.reference, plan.scenario_id)
        found = _DOCUMENTS.get(key)
        if found is None:
            row = self.session.execute(
                select(Plan.result, Plan.prorata, PlanScenario.document, PlanScenario.inputs)
                .join(PlanScenario, PlanScenario.id == Plan.scenario_id)
                .where(Plan.id == plan.id)
            ).one()
            found = PlanDocuments(*row)
            if len(_DOCUMENTS) >= _DOCUMENTS_KEPT:
                _DOCUMENTS.pop(next(iter(_DOCUMENTS)))
            _DOCUMENTS[key] = found
        return found

    def plans(self, limit: int = 50) -> Sequence[Plan]:
        return self.session.scalars(select(Plan).order_by(Plan.id.desc()).limit(limit)).all()

    def plan_list(self, limit: int = 50) -> list[tuple[Plan, PlanScenario]]:
        """The latest plans with their scenarios, without their documents."""
        query = (
            select(Plan, PlanScenario)
            .join(PlanScenario, PlanScenario.id == Plan.scenario_id)
            .order_by(Plan.id.desc())
            .limit(limit)
        )
        return [(p, s) for p, s in self.session.execute(query)]

    def plans_with_status(self, status: str, limit: int = 50) -> Sequence[Plan]:
        return self.session.scalars(
            select(Plan).where(Plan.status == status).order_by(Plan.id.desc()).limit(limit)
        ).all()

    def next_plan(self, plan_id: int) -> Plan | None:
        """The re-plan that replaced this plan, if any."""
        return self.session.scalar(select(Plan).where(Plan.previous_id == plan_id))

    def add_loads(self, rows: Sequence[dict]) -> None:
        if rows:
            self.session.execute(insert(PlanLoad), list(rows))

    def loads(self, plan_id: int) -> Sequence[PlanLoad]:
        return self.session.scalars(
            select(PlanLoad)
            .where(PlanLoad.plan_id == plan_id)
            .order_by(PlanLoad.day, PlanLoad.from_warehouse, PlanLoad.to_code, PlanLoad.truck)
        ).all()

    def load(self, load_id: int, *, lock: bool = False) -> PlanLoad | None:
        query = select(PlanLoad).where(PlanLoad.id == load_id)
        return self.session.scalar(query.with_for_update() if lock else query)

    # --- what a scenario is built from (other areas' tables, read only) -----------------

    def facilities(self) -> list:
        """Every facility as a light row (id, code, name, name_hi, kind, district_id, beds,
        lat, lon): a scenario reads thousands, and ORM objects cost ten times as much."""
        query = select(
            Facility.id,
            Facility.code,
            Facility.name,
            Facility.name_hi,
            Facility.kind,
            Facility.district_id,
            Facility.beds,
            Facility.lat,
            Facility.lon,
        ).order_by(Facility.code)
        return list(self.session.execute(query))

    def warehouse_stock(self) -> dict[int, int]:
        """Issuable devices per warehouse."""
        query = (
            select(DevicePosition.warehouse_id, func.count())
            .where(
                DevicePosition.place_kind == "warehouse",
                DevicePosition.state.in_(sorted(ISSUABLE)),
            )
            .group_by(DevicePosition.warehouse_id)
        )
        return {w: int(n) for w, n in self.session.execute(query)}

    def installed_by_facility(self) -> dict[int, int]:
        """Functional installed base: devices installed at each facility."""
        query = (
            select(DevicePosition.facility_id, func.count())
            .where(DevicePosition.place_kind == "facility", DevicePosition.state == "installed")
            .group_by(DevicePosition.facility_id)
        )
        return {f: int(n) for f, n in self.session.execute(query)}

    def on_loan_by_district(self) -> dict[int, int]:
        """Devices with home patients (on loan), per district."""
        query = (
            select(DevicePosition.district_id, func.count())
            .where(DevicePosition.place_kind == "home", DevicePosition.state == "on_loan")
            .group_by(DevicePosition.district_id)
        )
        return {d: int(n) for d, n in self.session.execute(query)}

    def trucks(self) -> list[Truck]:
        """Challans in transit, with their devices not yet received."""
        query = (
            select(
                Challan.number,
                Challan.tranche_id,
                Challan.from_warehouse_id,
                Challan.to_warehouse_id,
                Challan.to_facility_id,
                Challan.to_district_id,
                Challan.dispatched_at,
                func.count(ChallanLine.device_id),
            )
            .join(ChallanLine, ChallanLine.challan_id == Challan.id)
            .where(Challan.status == "in_transit", ChallanLine.received_at.is_(None))
            .group_by(Challan.id)
            .order_by(Challan.id)
        )
        return [Truck(*row) for row in self.session.execute(query)]

    def open_tranches(self) -> list[TrancheLine]:
        """Tranches of issued purchase orders still awaiting devices."""
        rows = self.session.execute(
            select(PurchaseOrder, PoTranche)
            .join(PoTranche, PoTranche.purchase_order_id == PurchaseOrder.id)
            .where(
                PurchaseOrder.status == "issued", PoTranche.delivered_quantity < PoTranche.quantity
            )
            .order_by(PoTranche.due_date, PoTranche.id)
        ).all()
        return [
            TrancheLine(
                t.id,
                f"{po.number} T{t.number}",
                t.consignee_warehouse_id,
                t.quantity,
                t.delivered_quantity,
                t.due_date,
                tuple(self._line_ids(po, t)),
            )
            for po, t in rows
        ]

    def _line_ids(self, po: PurchaseOrder, tranche: PoTranche) -> list[int]:
        ids = [tranche.id]
        while po.previous_id is not None:
            po = self.session.get(PurchaseOrder, po.previous_id)
            ids += self.session.scalars(
                select(PoTranche.id).where(
                    PoTranche.purchase_order_id == po.id,
                    PoTranche.number == tranche.number,
                    PoTranche.consignee_warehouse_id == tranche.consignee_warehouse_id,
                )
            ).all()
        return ids

    def lots(self, tranche_ids: Sequence[int]) -> list[tuple[Lot, datetime | None, bool]]:
        """Each lot of the tranches not replaced by a re-offer: (lot, verdict time,
        whether a newer version exists)."""
        newer = select(Lot.previous_id).where(Lot.previous_id.is_not(None))
        rows = self.session.execute(
            select(Lot, Verdict.decided_at, Lot.id.in_(newer))
            .outerjoin(Verdict, Verdict.lot_id == Lot.id)
            .where(Lot.tranche_id.in_(list(tranche_ids)))
            .order_by(Lot.id)
        ).all()
        return [(lot, decided, bool(replaced)) for lot, decided, replaced in rows]

    def ready_at_supplier(self, tranche_ids: Sequence[int]) -> int:
        """Accepted devices of the tranches still at the supplier's works."""
        query = (
            select(func.count())
            .select_from(Device)
            .join(Lot, Lot.id == Device.lot_id)
            .outerjoin(DevicePosition, DevicePosition.device_id == Device.id)
            .where(
                Lot.tranche_id.in_(list(tranche_ids)),
                Device.qa_status == "accepted",
                or_(DevicePosition.device_id.is_(None), DevicePosition.state == "accepted"),
            )
        )
        return int(self.session.scalar(query) or 0)

    def rejected_since(self, since: datetime) -> list[tuple[str, datetime]]:
        """Lots that failed inspection after a moment: (lot number, verdict time)."""
        query = (
            select(Lot.number, Verdict.decided_at)
            .join(Verdict, Verdict.lot_id == Lot.id)
            .where(Verdict.accepted.is_(False), Verdict.decided_at > since)
            .order_by(Verdict.decided_at)
        )
        return [tuple(r) for r in self.session.execute(query)]
