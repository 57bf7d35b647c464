"""Factories for distribution tests: accepted devices of a purchase order, the district they
go to (warehouse, facilities) and one person per role there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Principal, Role
from oxychain.core.services import users
from oxychain.inspection.tables import Device, Lot
from oxychain.masterdata.tables import Facility, Supplier, Warehouse
from tests.inspection.support import make_po

PASSWORD = "distribution-test-pw"


def ref() -> str:
    return uuid.uuid4().hex[:8].upper()


@dataclass
class World:
    po_id: int
    tranche_id: int
    supplier_id: int
    district_id: int
    district_code: str
    warehouse_code: str
    other_warehouse_code: str
    facility_code: str  # a district hospital
    phc_code: str
    serials: list[str]
    rejected: list[str]
    people: People = field(default_factory=lambda: People(None, None))


def make_world(oxy: Oxychain, count: int = 20, quantity: int | None = None) -> World:
    supplier_id = _add(oxy, Supplier(code="S-" + ref(), name="Test supplier (synthetic)"))
    po_id, tranche_id = make_po(oxy, supplier_id, quantity or count + 10)
    with oxy.uow(SYSTEM, write=True) as uow:
        tranche = uow.contracts.tranche(tranche_id)
        warehouse = uow.inspection.warehouse(tranche.consignee_warehouse_id)
        district = uow.masterdata.district_by_id(warehouse.district_id)
        other = Warehouse(
            code="WH2-" + ref(),
            name="Second store",
            name_hi="दूसरा भंडार",
            kind="district",
            district_id=district.id,
        )
        dh = _facility(district.id, "district_hospital", 200)
        phc = _facility(district.id, "phc", 6)
        for row in (other, dh, phc):
            uow.masterdata.add(row)
        uow.commit()
        codes = (district.id, district.code, warehouse.code, other.code, dh.code, phc.code)
    serials, rejected = _devices(oxy, po_id, tranche_id, supplier_id, count)
    world = World(po_id, tranche_id, supplier_id, *codes, serials, rejected)
    world.people = People(oxy, world)
    return world


def _facility(district_id: int, kind: str, beds: int) -> Facility:
    code = f"F-{kind[:3].upper()}-{ref()}"
    return Facility(
        code=code,
        name=f"Test {kind} {code} (synthetic)",
        name_hi=f"परीक्षण {code}",
        kind=kind,
        district_id=district_id,
        beds=beds,
        synthetic=True,
    )


def _devices(oxy: Oxychain, po_id: int, tranche_id: int, supplier_id: int, count: int):  # noqa: ANN202
    now = datetime.now(UTC)
    prefix = "OC" + ref()
    with oxy.uow(SYSTEM, write=True) as uow:
        po = uow.contracts.purchase_order(po_id)
        lot = Lot(
            number="LOT-" + ref(),
            purchase_order_id=po_id,
            tranche_id=tranche_id,
            supplier_id=supplier_id,
            item_id=po.item_id,
            quantity=count + 2,
            place="Works (synthetic)",
            ready_on=date.today() - timedelta(days=10),
            offered_at=now - timedelta(days=10),
            status="accepted",
            aql="2.5",
            inspection_level="II",
        )
        uow.session.add(lot)
        uow.session.flush()
        serials = [f"{prefix}-{n:04d}" for n in range(count)]
        rejected = [f"{prefix}-R{n}" for n in range(2)]
        for serial in serials + rejected:
            uow.session.add(
                Device(
                    serial=serial,
                    item_id=po.item_id,
                    supplier_id=supplier_id,
                    purchase_order_id=po_id,
                    lot_id=lot.id,
                    make="Ganga",
                    model="GX-5",
                    manufactured_on=date(2021, 1, 15),
                    qa_status="rejected" if serial in rejected else "accepted",
                    registered_at=now - timedelta(days=10),
                )
            )
        uow.commit()
    return serials, rejected


def _add(oxy: Oxychain, row: object) -> int:
    with oxy.uow(SYSTEM, write=True) as uow:
        uow.masterdata.add(row)
        uow.commit()
        return row.id  # type: ignore[attr-defined]


class People(dict):
    """One person per role in the world's district, created when first asked for (a password
    hash costs time; most tests need three or four people)."""

    def __init__(self, oxy: Oxychain | None, world: World | None) -> None:
        super().__init__()
        self.oxy, self.world = oxy, world

    def __missing__(self, role: str) -> Principal:
        self[role] = person(self.oxy, Role(role), self._organisation(Role(role)))
        return self[role]

    def _organisation(self, role: Role) -> int | None:
        world = self.world
        with self.oxy.uow(SYSTEM) as uow:
            return {
                Role.WAREHOUSE_KEEPER: lambda: (
                    uow.dispatch.warehouse_by_code(world.warehouse_code).id
                ),
                Role.FACILITY_INCHARGE: lambda: uow.masterdata.facility(world.facility_code).id,
                Role.DISTRICT_OFFICER: lambda: world.district_id,
                Role.SUPPLIER: lambda: world.supplier_id,
            }.get(role, lambda: None)()


def person(oxy: Oxychain, role: Role, org: int | None) -> Principal:
    user = users.create_user(
        oxy.uow(SYSTEM, write=True),
        users.CreateUser(
            username=f"{role.value[:8]}-{ref().lower()}",
            display_name=f"Test {role.value}",
            password=PASSWORD,
            role=role.value,
            language="en",
            organisation_id=org,
        ),
    )
    return Principal(
        user_id=user.id,
        username=user.username,
        role=role,
        language="en",
        district_id=user.district_id,
        warehouse_id=user.warehouse_id,
        facility_id=user.facility_id,
        supplier_id=user.supplier_id,
    )
