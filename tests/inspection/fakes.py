"""An in-memory inspection repository for unit tests of the use cases (with
``tests.fakes.FakeUnitOfWork``).

It holds the area's table objects as plain data, the way ``inspection.repository`` returns
them, and answers only what the use cases under test ask: assigning a lot, recording a
unit's readings (with the verdict and switching step that follow) and resuming a
discontinued supplier × item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import count

from oxychain.core.people import Principal, Role
from oxychain.core.tables import User
from oxychain.inspection.domain.device import QaStatus
from oxychain.inspection.domain.lot import LotStatus, Tally
from oxychain.inspection.domain.reading import UnitTest as JudgedUnit
from oxychain.inspection.domain.switching import SwitchingState
from oxychain.inspection.repository import SampleRow
from oxychain.inspection.tables import Device, Lot, LotSample, UnitTest, Verdict
from oxychain.masterdata.tables import InspectionAgency, Item, Supplier

NOW = datetime(2026, 3, 2, 4, 30, tzinfo=UTC)
_ids = count(1)

OFFICER = Principal(1, "officer", Role.PROCUREMENT_OFFICER, "en")
AUDITOR = Principal(2, "auditor", Role.AUDITOR, "en")
INSPECTOR = Principal(3, "inspector", Role.INSPECTOR, "en", agency_id=7)


@dataclass(frozen=True)
class Step:
    """One row of a supplier × item's switching history."""

    supplier_id: int
    item_id: int
    seq: int
    state: SwitchingState
    reason: str | None
    lot_id: int | None


def lot(status: LotStatus = LotStatus.OFFERED, **fields: object) -> Lot:
    values: dict[str, object] = {
        "id": next(_ids),
        "number": f"PO/UNIT/{next(_ids)}/L1",
        "version": 1,
        "supplier_id": 11,
        "item_id": 21,
        "quantity": 5,
        "status": status.value,
        "agency_id": 7 if status is not LotStatus.OFFERED else None,
        "aql": "2.5",
        "inspection_level": "II",
    }
    return Lot(**{**values, **fields})


class FakeInspection:
    def __init__(self, lots: Sequence[Lot] = ()) -> None:
        self.lots = {x.id: x for x in lots}
        self.devices: dict[str, Device] = {}
        self.rows: list[SampleRow] = []  # samples, with their newest test
        self.tests: list[UnitTest] = []
        self.verdicts: list[Verdict] = []
        self.history: list[Step] = []
        self.agencies = {7: InspectionAgency(id=7, code="IA-07", name="Test house")}
        self.users = {
            31: User(id=31, username="insp", display_name="Inspector", role="inspector"),
        }
        self.users[31].agency_id, self.users[31].active = 7, True
        self.items = {21: Item(id=21, code="OC-5", name="Concentrator 5 LPM")}
        self.suppliers = {11: Supplier(id=11, code="SUP-11", name="Test supplier")}

    # --- what the use cases read -------------------------------------------------------

    def lot(self, lot_id: int, *, for_update: bool = False) -> Lot | None:
        return self.lots.get(lot_id)

    def agency(self, agency_id: int) -> InspectionAgency | None:
        return self.agencies.get(agency_id)

    def user(self, user_id: int) -> User | None:
        return self.users.get(user_id)

    def item(self, item_id: int) -> Item | None:
        return self.items.get(item_id)

    def item_by_code(self, code: str) -> Item | None:
        return next((i for i in self.items.values() if i.code == code), None)

    def supplier_by_code(self, code: str) -> Supplier | None:
        return next((s for s in self.suppliers.values() if s.code == code), None)

    def samples(self, lot_id: int) -> list[SampleRow]:
        return [r for r in self.rows if r.sample.lot_id == lot_id]

    def sample_at(self, lot_id: int, position: int) -> SampleRow | None:
        return next((r for r in self.samples(lot_id) if r.sample.position == position), None)

    def latest_tests(self, lot_id: int) -> dict[int, UnitTest]:
        return {r.sample.id: r.test for r in self.samples(lot_id) if r.test is not None}

    def qa_statuses(self, lot_id: int) -> dict[str, str]:
        return {s: d.qa_status for s, d in self.devices.items() if d.lot_id == lot_id}

    def switching_state(
        self, supplier_id: int, item_id: int, *, for_update: bool = False
    ) -> SwitchingState:
        mine = [s for s in self.history if (s.supplier_id, s.item_id) == (supplier_id, item_id)]
        return mine[-1].state if mine else SwitchingState()

    # --- what they write ---------------------------------------------------------------

    def flush(self) -> None:
        pass

    def add_unit_test(
        self,
        row: SampleRow,
        version: int,
        judged: JudgedUnit,
        *,
        note: str | None,
        copied_from_id: int | None,
        by: int | None,
        at: datetime,
    ) -> UnitTest:
        stored = UnitTest(
            id=next(_ids),
            sample_id=row.sample.id,
            lot_id=row.sample.lot_id,
            version=version,
            previous_id=row.test.id if row.test else None,
            warm_up_min=judged.warm_up_min,
            passed=judged.passed,
            recorded_at=at,
            copied_from_id=copied_from_id,
            note=note,
        )
        self.tests.append(stored)
        self.rows[self.rows.index(row)] = SampleRow(row.sample, row.device, stored)
        return stored

    def add_verdict(self, lot: Lot, counts: Tally, *, by: int | None, at: datetime) -> None:
        accepted = lot.status == LotStatus.ACCEPTED
        self.verdicts.append(Verdict(lot_id=lot.id, accepted=accepted, failures=counts.failures))

    def set_qa_statuses(self, lot_id: int, statuses: Mapping[str, str]) -> None:
        for serial, status in statuses.items():
            self.devices[serial].qa_status = str(status)

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
        seq = 1 + sum(
            1 for s in self.history if (s.supplier_id, s.item_id) == (supplier_id, item_id)
        )
        self.history.append(Step(supplier_id, item_id, seq, state, reason, lot_id))
        return seq

    # --- building a lot under inspection -------------------------------------------------

    def sampled(self, of: Lot, sample_size: int, accept: int, reject: int) -> Lot:
        """The lot sampled on a plan (n, Ac, Re): its devices, offered, the first n drawn."""
        of.status, of.severity, of.seed = LotStatus.SAMPLED.value, "normal", "1"
        of.sample_size, of.accept_number, of.reject_number = sample_size, accept, reject
        self.lots[of.id] = of
        for n in range(1, of.quantity + 1):
            device = Device(
                id=next(_ids),
                serial=f"U{of.id}-{n:03d}",
                lot_id=of.id,
                qa_status=QaStatus.OFFERED.value,
                manufactured_on=date(2026, 1, 1),
            )
            self.devices[device.serial] = device
            if n <= sample_size:
                sample = LotSample(id=next(_ids), lot_id=of.id, device_id=device.id, position=n)
                self.rows.append(SampleRow(sample, device, None))
        return of
