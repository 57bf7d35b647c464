"""In-memory repositories for unit tests of planning's use cases, with tests/fakes.py's
unit of work: planning's rows as plain records, and the master data a scenario is built
from. No database, no ORM; what a use case stored is read back from plain lists."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from oxychain.planning.repository import PlanDocuments

Row = SimpleNamespace


class FakePlanning:
    def __init__(self) -> None:
        self.scenarios: dict[int, Row] = {}
        self.plans: dict[int, Row] = {}
        self.truck_loads: list[dict] = []
        self.case_imports: list[Row] = []
        self.case_counts: list[tuple[str, str, date, int]] = []  # level, region, day, count
        self.facility_rows: list[Row] = []
        self.stock: dict[int, int] = {}  # warehouse id → issuable devices

    # --- scenarios, plans and loads ---------------------------------------------------

    def new_scenario(self, **fields: object) -> Row:
        row = Row(id=len(self.scenarios) + 1, **fields)
        self.scenarios[row.id] = row
        return row

    def new_plan(self, **fields: object) -> Row:
        row = Row(id=len(self.plans) + 1, approved_by=None, approved_at=None, **fields)
        row.superseded_at = None
        self.plans[row.id] = row
        return row

    def scenario_by_id(self, scenario_id: int) -> Row | None:
        return self.scenarios.get(scenario_id)

    def scenario_choice(self, scenario_id: int) -> dict:
        return self.scenarios[scenario_id].choice

    def scenario_source(self, scenario_id: int) -> str:
        return self.scenarios[scenario_id].source

    def plan(self, reference: str, *, lock: bool = False) -> Row | None:
        return next((p for p in self.plans.values() if p.reference == reference), None)

    def plan_by_id(self, plan_id: int) -> Row | None:
        return self.plans.get(plan_id)

    def documents(self, plan: Row) -> PlanDocuments:
        scenario = self.scenarios[plan.scenario_id]
        return PlanDocuments(plan.result, plan.prorata, scenario.document, scenario.inputs)

    def plan_list(self, limit: int = 50) -> list[tuple[Row, Row]]:
        newest = sorted(self.plans.values(), key=lambda p: -p.id)[:limit]
        return [(p, self.scenarios[p.scenario_id]) for p in newest]

    def add_loads(self, rows: list[dict]) -> None:
        self.truck_loads += rows

    def loads(self, plan_id: int) -> list[Row]:
        return [Row(**r) for r in self.truck_loads if r["plan_id"] == plan_id]

    # --- case counts ------------------------------------------------------------------

    def new_import(self, **fields: object) -> Row:
        row = Row(id=len(self.case_imports) + 1, replaced=0, **fields)
        self.case_imports.append(row)
        return row

    def replace_counts(self, import_id: int, level: str, rows: list) -> int:
        keys = {(level, region, day) for region, day, _ in rows}
        kept = [c for c in self.case_counts if c[:3] not in keys]
        replaced = len(self.case_counts) - len(kept)
        self.case_counts = kept + [(level, region, day, count) for region, day, count in rows]
        return replaced

    def counts(self, level: str, regions: object = None, until: date | None = None) -> list:
        return sorted(
            (region, day, count)
            for lv, region, day, count in self.case_counts
            if lv == level and (until is None or day <= until)
        )

    # --- what a scenario is built from (other areas' rows, read only) ------------------

    def facilities(self) -> list[Row]:
        return self.facility_rows

    def warehouse_stock(self) -> dict[int, int]:
        return self.stock

    def installed_by_facility(self) -> dict[int, int]:
        return {}

    def on_loan_by_district(self) -> dict[int, int]:
        return {}

    def trucks(self) -> list:
        return []

    def open_tranches(self) -> list:
        return []

    def rejected_since(self, since: object) -> list:
        return []


class FakeMasterdata:
    def __init__(self, districts: list[Row], warehouses: list[Row]) -> None:
        self.district_rows, self.warehouse_rows = districts, warehouses

    def districts(self) -> list[Row]:
        return self.district_rows

    def warehouses(self) -> list[Row]:
        return self.warehouse_rows


def small_state(stock: int = 40, as_of: date = date(2022, 1, 10)) -> tuple:
    """(planning, masterdata): one district with a warehouse holding ``stock`` devices, a
    district hospital, and sixty days of a national wave (synthetic) up to ``as_of``."""
    planning = FakePlanning()
    lucknow = Row(
        id=1,
        code="LGD:157",
        name="Lucknow",
        name_hi="लखनऊ",
        lat=26.85,
        lon=80.95,
        population_2011=4_589_838,
    )
    warehouse = Row(id=1, code="WH-157", kind="district", district_id=1)
    planning.facility_rows = [
        Row(
            id=1,
            code="DH-157",
            name="District Hospital",
            name_hi="जिला अस्पताल",
            kind="district_hospital",
            district_id=1,
            beds=200,
            lat=None,
            lon=None,
        )
    ]
    planning.stock = {warehouse.id: stock}
    start, total = as_of - timedelta(days=59), 1_000_000
    for k in range(60):
        total += 2_000 * (k + 1)  # a rising wave
        planning.case_counts.append(("national", "India", start + timedelta(days=k), total))
    return planning, FakeMasterdata([lucknow], [warehouse])
