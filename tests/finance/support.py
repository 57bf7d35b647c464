"""Helpers for finance's tests on the demo: the app on a demo database, the people who act,
and the demo's devices in each situation a bill must refuse."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from oxychain.app import Settings, bootstrap
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Principal, Role
from oxychain.core.services import auth, users
from oxychain.distribution.domain.challan import DiscrepancyKind
from oxychain.distribution.tables import Challan, ChallanDiscrepancy, ChallanLine
from oxychain.finance.tables import Bill
from oxychain.inspection.tables import Device


def open_app(url: str) -> Oxychain:
    return bootstrap(Settings(database_url=url, environment="test"))


def person(app: Oxychain, username: str) -> Principal:
    with app.uow(SYSTEM) as uow:
        return auth.principal_of(uow.people.user_by_username(username))


def new_officer(app: Oxychain) -> Principal:
    """A second finance officer (maker-checker needs two)."""
    name = f"finance.{uuid.uuid4().hex[:6]}"
    users.create_user(
        app.uow(SYSTEM, write=True),
        users.CreateUser(
            name, "Second finance officer", "a long password 12", "finance_officer", "en"
        ),
    )
    return person(app, name)


def supplier_of(supplier_id: int) -> Principal:
    return Principal(
        0, f"test:supplier-{supplier_id}", Role.SUPPLIER, "en", supplier_id=supplier_id
    )


def bills_by_status(app: Oxychain) -> dict[str, list[Bill]]:
    out: dict[str, list[Bill]] = {}
    with app.uow(SYSTEM) as uow:
        for bill in uow.finance.bills():
            out.setdefault(bill.status, []).append(bill)
    return out


def serials(app: Oxychain, **where) -> list[str]:  # noqa: ANN003
    with app.uow(SYSTEM) as uow:
        query = select(Device.serial).order_by(Device.serial)
        for column, value in where.items():
            query = query.where(getattr(Device, column) == value)
        return list(uow.session.scalars(query))


def missing_serial(app: Oxychain) -> str:
    with app.uow(SYSTEM) as uow:
        return uow.session.scalar(
            select(ChallanDiscrepancy.serial).where(
                ChallanDiscrepancy.kind == DiscrepancyKind.MISSING.value
            )
        )


def in_transit_serials(app: Oxychain) -> list[str]:
    with app.uow(SYSTEM) as uow:
        return list(
            uow.session.scalars(
                select(Device.serial)
                .join(ChallanLine, ChallanLine.device_id == Device.id)
                .join(Challan, Challan.id == ChallanLine.challan_id)
                .where(Challan.status == "in_transit")
            )
        )


def device_order(app: Oxychain, serial: str) -> tuple[int, int]:
    """(purchase order id, supplier id) of a device."""
    with app.uow(SYSTEM) as uow:
        device = uow.session.scalar(select(Device).where(Device.serial == serial))
        return device.purchase_order_id, device.supplier_id
