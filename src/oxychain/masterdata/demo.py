"""The demo scenario's foundation: UP's districts and warehouses, synthetic facilities and
suppliers, and one user per role. Loading it twice changes nothing; the other areas' demo
steps follow (``oxychain.app.load_demo``).

The story runs on its own calendar, the Omicron wave in Uttar Pradesh from December 2021
to March 2022: every area's step dates its events with ``on(day)`` (the clock set to that
moment), all of them before ``TODAY``, the day the served demo's clock runs from
(``OXYCHAIN_TODAY``, set by ``make run``); what lies after it (tranches due, loans due back,
the plan's horizon) is what the people in the story wait for."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Role
from oxychain.core.services import users
from oxychain.core.uow import UnitOfWork
from oxychain.masterdata import services as masterdata
from oxychain.masterdata.domain import geography
from oxychain.masterdata.domain.facilities import generate_facilities
from oxychain.masterdata.domain.suppliers import gstin_check_character
from oxychain.masterdata.tables import InspectionAgency, Supplier

#: The demo's "today": the planning day, the day its case series ends and the day the
#: served demo's clock runs from (the Makefile's DEMO_TODAY says the same).
TODAY = date(2022, 1, 20)
#: The users, organisations and master data are made before the story starts.
SETUP_DAY = date(2021, 11, 25)


def on(day: date, hours: float = 10.0) -> datetime:
    """A moment of the story: ``day`` at ``hours`` o'clock in India (10.5 is 10:30), in UTC
    as the clock gives it."""
    return (datetime.combine(day, time(0), clock.IST) + timedelta(hours=hours)).astimezone(UTC)


# Synthetic suppliers, labelled so wherever a person sees them.
SUPPLIERS = (
    ("SUP-01", "Ganga Medical Devices Pvt Ltd (synthetic)", True, False, "class-i"),
    ("SUP-02", "Awadh Healthcare Equipments (synthetic)", True, True, "class-i"),
    ("SUP-03", "Bharat Oxy Systems Ltd (synthetic)", False, False, "class-i"),
    ("SUP-04", "Northern Respiratory Imports (synthetic)", False, False, "non-local"),
    ("SUP-05", "Purvanchal Surgicals (synthetic)", True, False, "class-ii"),
)
# Synthetic identities (format-valid, registered to no one): PAN, GST state code, Udyam
# number, SC/ST-owned, women-owned, address.
IDENTITIES = {
    "SUP-01": ("AAACG4821C", "09", "UDYAM-UP-50-0004821", False, False, "Kanpur Road, Lucknow"),
    "SUP-02": ("AAFFA7310D", "09", "UDYAM-UP-50-0007310", False, True, "Aminabad, Lucknow"),
    "SUP-03": ("AAACB5102E", "07", "", False, False, "Okhla Phase II, New Delhi"),
    "SUP-04": ("AAACN6633F", "27", "", False, False, "Andheri East, Mumbai"),
    "SUP-05": ("AAFFP2954G", "09", "UDYAM-UP-74-0002954", True, False, "Lanka, Varanasi"),
}
AGENCIES = (
    ("IA-01", "Shriram Test House (synthetic)"),
    ("IA-02", "National Biomedical Inspection Services (synthetic)"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str | None  # None when the user existed before this run


def _organisation(uow: UnitOfWork, role: Role) -> int | None:
    with uow:
        lucknow = uow.masterdata.district(
            next(d.code for d in geography.load_up_districts() if d.name == "Lucknow")
        )
        match role:
            case Role.SUPPLIER:
                return uow.masterdata.supplier_by_code("SUP-01").id
            case Role.INSPECTOR:
                return uow.masterdata.agency_by_code("IA-01").id
            case Role.WAREHOUSE_KEEPER:
                return next(
                    w.id
                    for w in uow.masterdata.warehouses()
                    if w.district_id == lucknow.id and w.kind == "district"
                )
            case Role.FACILITY_INCHARGE:
                rows, _ = uow.masterdata.facilities(
                    masterdata.FacilityFilter(district_id=lucknow.id, kind="district_hospital")
                )
                return rows[0].id
            case Role.DISTRICT_OFFICER:
                return lucknow.id
    return None


def load(app: Oxychain) -> list[DemoLogin]:
    with clock.at(on(SETUP_DAY)):
        return _load(app)


def _load(app: Oxychain) -> list[DemoLogin]:
    masterdata.load_districts_and_warehouses(app.uow(SYSTEM, write=True))
    with app.uow(SYSTEM) as uow:
        has_facilities = uow.masterdata.count_facilities() > 0
    if not has_facilities:
        specs = generate_facilities(geography.load_up_districts())
        masterdata.add_facilities(app.uow(SYSTEM, write=True), specs, "facility.generate")
    with app.uow(SYSTEM, write=True) as uow:
        for code, name, mse, startup, local in SUPPLIERS:
            if uow.masterdata.supplier_by_code(code) is None:
                pan, state, udyam, sc_st, women, address = IDENTITIES[code]
                uow.masterdata.add(
                    Supplier(
                        code=code,
                        name=name,
                        pan=pan,
                        gstin=_gstin(state, pan),
                        udyam=udyam,
                        sc_st_owned=sc_st,
                        women_owned=women,
                        address=address,
                        is_mse=mse,
                        is_startup=startup,
                        local_content_class=local,
                        synthetic=True,
                    )
                )
                uow.record("supplier.create", "supplier", code, None, {"name": name})
        for code, name in AGENCIES:
            if uow.masterdata.agency_by_code(code) is None:
                uow.masterdata.add(InspectionAgency(code=code, name=name, synthetic=True))
                uow.record("agency.create", "inspection_agency", code, None, {"name": name})
        uow.commit()
    logins = []
    for role in Role:
        username = f"demo.{role.value.replace('_', '-')}"
        with app.uow(SYSTEM) as uow:
            exists = uow.people.user_by_username(username) is not None
        if exists:
            logins.append(DemoLogin(username, role.value, None))
            continue
        password = secrets.token_urlsafe(9)
        users.create_user(
            app.uow(SYSTEM, write=True),
            users.CreateUser(
                username=username,
                display_name=f"Demo {role.value.replace('_', ' ')}",
                password=password,
                role=role.value,
                language="hi" if role in HINDI_FIRST else "en",
                organisation_id=_organisation(app.uow(SYSTEM), role),
            ),
        )
        logins.append(DemoLogin(username, role.value, password))
    return logins


def _gstin(state: str, pan: str) -> str:
    first14 = f"{state}{pan}1Z"
    return first14 + gstin_check_character(first14)


# District and facility staff read Hindi first (DESIGN.md).
HINDI_FIRST = {Role.WAREHOUSE_KEEPER, Role.FACILITY_INCHARGE, Role.DISTRICT_OFFICER}
