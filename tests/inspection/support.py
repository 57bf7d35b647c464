"""Factories for inspection tests: a purchase order with a tranche, people, serial files."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from oxychain.core.bootstrap import Oxychain
from oxychain.core.passwords import hash_password
from oxychain.core.people import ROLE_ORGANISATION, SYSTEM, Principal, Role
from oxychain.core.tables import User
from oxychain.masterdata.domain.catalogue import CATALOGUE
from oxychain.masterdata.tables import InspectionAgency, Item, Supplier, Warehouse
from oxychain.tendering.tables import Award, Bid, PoTranche, PurchaseOrder, Tender

PASSWORD = "inspection-test-pw"


def _ref() -> str:
    return uuid.uuid4().hex[:8].upper()


@dataclass(frozen=True)
class World:
    supplier_id: int
    other_supplier_id: int
    agency_id: int
    other_agency_id: int
    tranche_id: int
    po_id: int
    supplier: Principal
    other_supplier: Principal
    officer: Principal
    inspector: Principal
    other_inspector: Principal
    auditor: Principal


def _warehouse(oxy: Oxychain) -> int:
    from oxychain.masterdata.tables import District

    with oxy.uow(SYSTEM, write=True) as uow:
        for item in CATALOGUE:
            if uow.masterdata.item(item.code) is None:
                uow.masterdata.add(
                    Item(
                        code=item.code,
                        name=item.name,
                        name_hi=item.name_hi,
                        rated_flow_lpm=item.rated_flow_lpm,
                    )
                )
        district = District(
            code="T" + _ref()[:6],
            name="Test district " + _ref(),
            name_hi="परीक्षण",
            division="Test",
            lat=26.8,
            lon=80.9,
        )
        uow.masterdata.add(district)
        uow.masterdata.flush()
        warehouse = Warehouse(
            code="WH-" + _ref(),
            name="Test warehouse",
            name_hi="परीक्षण भंडार",
            kind="district",
            district_id=district.id,
        )
        uow.masterdata.add(warehouse)
        uow.commit()
        return warehouse.id


def make_po(
    oxy: Oxychain,
    supplier_id: int,
    quantity: int = 1000,
    aql: str = "2.5",
    level: str = "II",
    item_code: str = "OC-5",
    due: date | None = None,
    warehouse_id: int | None = None,
) -> tuple[int, int]:
    """(purchase order id, tranche id): an awarded tender's PO with one tranche (to a new
    test warehouse unless one is given)."""
    warehouse_id = warehouse_id or _warehouse(oxy)
    now = datetime.now(UTC)
    with oxy.uow(SYSTEM, write=True) as uow:
        item = uow.masterdata.item(item_code)
        tender = Tender(
            reference="T-" + _ref(),
            title="Test tender",
            title_hi="परीक्षण निविदा",
            item_id=item.id,
            quantity=quantity,
            estimated_value_paise=quantity * 5_000_000,
            emd_bp=200,
            emd_paise=0,
            performance_security_bp=300,
            ld_bp_per_week=50,
            ld_cap_bp=1000,
            warranty_months=24,
            bid_validity_days=90,
            mii_l1_share_bp=5000,
            mii_margin_bp=2000,
            mse_share_bp=2500,
            mse_margin_bp=1500,
            openers_required=2,
            aql=aql,
            inspection_level=level,
            status="awarded",
            created_at=now,
            deadline=now - timedelta(days=20),
            opening_at=now - timedelta(days=19),
        )
        uow.session.add(tender)
        uow.session.flush()
        bid = Bid(
            tender_id=tender.id,
            supplier_id=supplier_id,
            bidder="B-" + _ref(),
            receipt_sha256=uuid.uuid4().hex + uuid.uuid4().hex,
            received_at=now - timedelta(days=21),
        )
        uow.session.add(bid)
        uow.session.flush()
        award = Award(
            tender_id=tender.id,
            bid_id=bid.id,
            supplier_id=supplier_id,
            quantity=quantity,
            unit_price_paise=4_500_000,
            basis="l1",
            letter_number="LOA-" + _ref(),
            awarded_at=now,
            performance_security_bp=300,
            performance_security_paise=0,
        )
        uow.session.add(award)
        uow.session.flush()
        po = PurchaseOrder(
            number="PO/TEST/" + _ref(),
            tender_id=tender.id,
            award_id=award.id,
            supplier_id=supplier_id,
            item_id=item.id,
            quantity=quantity,
            unit_price_paise=4_500_000,
            issued_at=now,
        )
        uow.session.add(po)
        uow.session.flush()
        tranche = PoTranche(
            purchase_order_id=po.id,
            number=1,
            consignee_warehouse_id=warehouse_id,
            quantity=quantity,
            due_date=due or date.today() + timedelta(days=30),
        )
        uow.session.add(tranche)
        uow.commit()
        return po.id, tranche.id


def _org(oxy: Oxychain, row: object) -> int:
    with oxy.uow(SYSTEM, write=True) as uow:
        uow.masterdata.add(row)
        uow.commit()
        return row.id  # type: ignore[attr-defined]


@functools.cache
def _password_hash() -> str:
    """One argon2 hash for every test user (hashing is slow on purpose)."""
    return hash_password(PASSWORD)


def _user(oxy: Oxychain, role: Role, org: int | None) -> Principal:
    """A user with the test password, stored directly (users.create_user hashes each time)."""
    org_field = ROLE_ORGANISATION[role]
    with oxy.uow(SYSTEM, write=True) as uow:
        user = User(
            username=f"{role.value[:8]}-{_ref().lower()}",
            display_name=f"Test {role.value}",
            password_hash=_password_hash(),
            role=role.value,
            language="en",
            created_at=datetime.now(UTC),
        )
        if org_field:
            setattr(user, org_field, org)
        uow.people.add(user)
        uow.commit()
    return Principal(
        user_id=user.id,
        username=user.username,
        role=role,
        language="en",
        supplier_id=user.supplier_id,
        agency_id=user.agency_id,
    )


def make_world(oxy: Oxychain, quantity: int = 1000, aql: str = "2.5") -> World:
    supplier_id = _org(oxy, Supplier(code="S-" + _ref(), name="Test supplier (synthetic)"))
    other_id = _org(oxy, Supplier(code="S-" + _ref(), name="Other supplier (synthetic)"))
    agency_id = _org(oxy, InspectionAgency(code="A-" + _ref(), name="Test agency (synthetic)"))
    other_agency = _org(oxy, InspectionAgency(code="A-" + _ref(), name="Other agency"))
    po_id, tranche_id = make_po(oxy, supplier_id, quantity, aql)
    return World(
        supplier_id=supplier_id,
        other_supplier_id=other_id,
        agency_id=agency_id,
        other_agency_id=other_agency,
        tranche_id=tranche_id,
        po_id=po_id,
        supplier=_user(oxy, Role.SUPPLIER, supplier_id),
        other_supplier=_user(oxy, Role.SUPPLIER, other_id),
        officer=_user(oxy, Role.PROCUREMENT_OFFICER, None),
        inspector=_user(oxy, Role.INSPECTOR, agency_id),
        other_inspector=_user(oxy, Role.INSPECTOR, other_agency),
        auditor=_user(oxy, Role.AUDITOR, None),
    )


def serial_csv(count: int, prefix: str | None = None, made: str = "2026-01-15") -> bytes:
    prefix = prefix or "SN" + _ref()
    rows = [f"{prefix}-{n:05d},Ganga,GX-5,{made}" for n in range(count)]
    return ("serial,make,model,manufactured_on\n" + "\n".join(rows) + "\n").encode()


GOOD_UNIT = {
    "o2_purity_pct@1": "93",
    "flow_lpm@1": "1.0",
    "o2_purity_pct@3": "93.5",
    "flow_lpm@3": "3.05",
    "o2_purity_pct@5": "92",
    "flow_lpm@5": "5",
    "output_pressure_kpa": "60",
    "noise_dba": "45",
    "alarm_power_failure": "yes",
    "alarm_low_o2": "yes",
    "alarm_no_flow": "yes",
    "hour_meter": "0.2",
    "electrical_safety": "pass",
}
BAD_UNIT = {**GOOD_UNIT, "noise_dba": "55", "alarm_no_flow": "no"}
