"""In-memory distribution repositories for unit tests of the use cases (with
``tests.fakes.FakeUnitOfWork``).

They hold the area's table objects as plain data, the way ``distribution.repositories``
return them, and answer only what the use cases under test ask: returning a loan, moving
a fault ticket, closing a challan's receipt. The ledger hands out copies of its devices,
as a database would, and takes their new state back only when the moves are written.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import count

from oxychain.core.people import Principal, Role
from oxychain.distribution.domain.challan import DiscrepancyKind
from oxychain.distribution.domain.device import Located
from oxychain.distribution.domain.lifecycle import DeviceState, Place, PlaceKind, Position
from oxychain.distribution.tables import Challan, ChallanDiscrepancy, FaultTicket, Loan
from oxychain.masterdata.tables import Warehouse

NOW = datetime(2021, 5, 20, 10, 30, tzinfo=UTC)
DISTRICT, WAREHOUSE, FACILITY, SUPPLIER = 7, 70, 700, 9

OFFICER = Principal(1, "officer", Role.DISTRICT_OFFICER, "en", district_id=DISTRICT)
KEEPER = Principal(
    2, "keeper", Role.WAREHOUSE_KEEPER, "en", district_id=DISTRICT, warehouse_id=WAREHOUSE
)
SUPPLIER_STAFF = Principal(3, "supplier", Role.SUPPLIER, "en", supplier_id=SUPPLIER)

_ids = count(1)


def device(state: DeviceState, kind: PlaceKind, place_id: int, **links: int) -> Located:
    """A device at a place of the district, in a state (with its open challan, loan, ticket)."""
    ident = next(_ids)
    place = Place(kind, place_id, DISTRICT)
    return Located(
        device_id=ident,
        serial=f"OC-{ident:05d}",
        supplier_id=SUPPLIER,
        purchase_order_id=1,
        qa_status="accepted",
        position=Position(state, place, NOW - timedelta(days=3), 2),
        has_state=True,
        **links,
    )


class FakeLedger:
    """Devices by serial, and the events and states the use cases wrote."""

    def __init__(self, *devices: Located) -> None:
        self.devices = {d.serial: d for d in devices}
        self.events: list[dict] = []

    def locate(self, serials: Sequence[str], *, lock: bool = True) -> dict[str, Located]:
        return {s: copy.copy(self.devices[s]) for s in serials if s in self.devices}

    def append(self, events: list[dict]) -> None:
        self.events += events

    def save(self, states: list[dict]) -> None:
        by_id = {d.device_id: d for d in self.devices.values()}
        for row in states:
            stored = by_id[row["device_id"]]
            kind = PlaceKind(row["place_kind"])
            ident = {
                PlaceKind.WAREHOUSE: row["warehouse_id"],
                PlaceKind.FACILITY: row["facility_id"],
                PlaceKind.HOME: row["district_id"],
            }[kind]
            place = Place(kind, ident, row["district_id"])
            stored.position = Position(
                DeviceState(row["state"]), place, row["since"], row["version"]
            )
            stored.challan_id, stored.loan_id = row["challan_id"], row["loan_id"]
            stored.ticket_id = row["ticket_id"]


class FakeDispatch:
    """Challans with their lines and discrepancies, and loans."""

    def __init__(self, ledger: FakeLedger) -> None:
        self.ledger = ledger
        self.challans: dict[str, Challan] = {}
        self.received: dict[int, dict[str, datetime | None]] = {}  # challan → serial → when
        self.found: list[ChallanDiscrepancy] = []
        self.loans: dict[str, Loan] = {}

    def serials(self, device_ids: Sequence[int]) -> dict[int, str]:
        wanted = set(device_ids)
        devices = self.ledger.devices.values()
        return {d.device_id: d.serial for d in devices if d.device_id in wanted}

    def loan(self, number: str, *, lock: bool = False) -> Loan | None:
        return self.loans.get(number)

    def challan(self, number: str, *, lock: bool = False) -> Challan | None:
        return self.challans.get(number)

    def lines(self, challan_id: int) -> list[tuple[str, datetime | None]]:
        return sorted(self.received[challan_id].items())

    def last_receipt(self, challan_id: int) -> datetime | None:
        return max((at for at in self.received[challan_id].values() if at), default=None)

    def discrepancies(self, challan_id: int) -> list[ChallanDiscrepancy]:
        return [d for d in self.found if d.challan_id == challan_id]

    def add_discrepancy(
        self,
        challan_id: int,
        serial: str,
        kind: DiscrepancyKind,
        at: datetime,
        by: str,
        device_id: int | None = None,
    ) -> None:
        self.found.append(
            ChallanDiscrepancy(
                challan_id=challan_id,
                serial=serial,
                kind=kind.value,
                device_id=device_id,
                recorded_at=at,
                recorded_by=by,
            )
        )


class FakeService:
    """Fault tickets."""

    def __init__(self) -> None:
        self.tickets: dict[str, FaultTicket] = {}

    def ticket(self, number: str, *, lock: bool = False) -> FaultTicket | None:
        return self.tickets.get(number)

    def update(self, row: object, **columns: object) -> None:
        for column, value in columns.items():
            setattr(row, column, value)


class FakeMasterdata:
    """The district's warehouse."""

    def __init__(self) -> None:
        self.store = Warehouse(
            id=WAREHOUSE, code="WH-7", name="District store", kind="district", district_id=DISTRICT
        )

    def warehouse_by_id(self, warehouse_id: int) -> Warehouse | None:
        return self.store if warehouse_id == WAREHOUSE else None


class Repositories:
    """One set of fakes, as a unit of work's keyword arguments (``FakeUnitOfWork(who,
    **repos.all())``)."""

    def __init__(self, *devices: Located) -> None:
        self.ledger = FakeLedger(*devices)
        self.dispatch = FakeDispatch(self.ledger)
        self.service = FakeService()
        self.masterdata = FakeMasterdata()

    def all(self) -> dict[str, object]:
        return dict(vars(self))


def loan(held: Located, status: str = "open") -> Loan:
    """A loan of a device lent from the district's store."""
    ident = next(_ids)
    return Loan(
        id=ident,
        number=f"LN-7-{ident:05d}",
        device_id=held.device_id,
        district_id=DISTRICT,
        warehouse_id=WAREHOUSE,
        status=status,
        issued_on=date(2021, 5, 1),
        due_on=date(2021, 5, 31),
        returned_on=date(2021, 5, 10) if status == "returned" else None,
    )


def ticket(broken: Located, status: str = "open") -> FaultTicket:
    """A ticket opened on a device where it broke down."""
    ident = next(_ids)
    return FaultTicket(
        id=ident,
        number=f"FT-2021-{ident:06d}",
        device_id=broken.device_id,
        place_kind=broken.position.place.kind.value,
        facility_id=broken.position.place.id,
        district_id=DISTRICT,
        supplier_id=SUPPLIER,
        coverage="warranty",
        sla_hours=24,
        due_at=NOW + timedelta(hours=20),
        status=status,
        opened_at=NOW - timedelta(hours=4),
    )


def challan(status: str = "in_transit") -> Challan:
    """A challan from a warehouse of the district to the district's store."""
    ident = next(_ids)
    return Challan(
        id=ident,
        number=f"DC-2021-{ident:06d}",
        source="allocation",
        to_warehouse_id=WAREHOUSE,
        to_district_id=DISTRICT,
        status=status,
    )
