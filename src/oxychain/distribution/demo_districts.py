"""The demo's trucks to every other district warehouse, and what the districts do with them
(``demo.py`` tells Lucknow's and Agra's story and the calendar).

Each line of Northern's first tranche leaves on one of days 1-5 and is received whole the
next day by the district's keeper, before the line falls due (14 days after the order). Then,
in every third district, the keeper issues one unit to a CHC and one to a PHC, which install
them (in every seventh of those the PHC's unit breaks down and its repair has started); in
every fourth of the others, the district officer lends one to a home patient (every other
loan is overdue by today).
Every district keeps at least one unit in stock.
"""

from __future__ import annotations

from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Principal, Role
from oxychain.distribution.services import tickets
from oxychain.masterdata.repository import FacilityFilter

TRUCK_DAYS = 5  # the trucks leave over days 1 to 5


def _loader(role: Role, name: str, **org: int) -> Principal:
    return Principal(0, f"demo-loader:{name}", role, "en", **org)


def _places(app: Oxychain, district_id: int) -> tuple:
    """The district's name, its warehouse and its first CHC and PHC (None when it has none)."""
    with app.uow(SYSTEM) as uow:
        district = next(d for d in uow.masterdata.districts() if d.id == district_id)
        store = next(
            w for w in uow.dispatch.warehouses_of_district(district_id) if w.kind == "district"
        )
        found = []
        for kind in ("chc", "phc"):
            rows, _n = uow.masterdata.facilities(
                FacilityFilter(district_id=district_id, kind=kind), limit=1
            )
            found.append(rows[0] if rows else None)
    return district, store, *found


def districts(app: Oxychain, story, lines: list[tuple[int, int, list[str]]]) -> None:  # noqa: ANN001
    """Northern's trucks to every district warehouse but Lucknow's, and the districts' use."""
    with app.uow(SYSTEM) as uow:
        supplier = uow.masterdata.supplier_by_code("SUP-04").id
    northern = _loader(Role.SUPPLIER, "SUP-04", supplier_id=supplier)
    for n, (district_id, tranche, serials) in enumerate(lines):
        district, store, chc, phc = _places(app, district_id)
        keeper = _loader(
            Role.WAREHOUSE_KEEPER,
            f"{district.name} store",
            warehouse_id=store.id,
            district_id=district_id,
        )
        day = 1 + n % TRUCK_DAYS + (n % 7) / 24
        truck = story.dispatch(northern, tranche, serials, f"UP {n + 11:02d} NT {4000 + n}", day)
        story.receive(keeper, day + 1 + (n % 5) / 24, truck, serials)
        if n % 3 == 0 and chc and phc and len(serials) >= 3:
            _install(app, story, keeper, (chc, phc), serials[:2], day + 3, district_id)
            if n % 7 == 0:
                _repair(app, story, phc, serials[1], day + 6, district_id)
        elif n % 4 == 1 and len(serials) >= 3:
            officer = _loader(
                Role.DISTRICT_OFFICER, f"{district.name} CMO", district_id=district_id
            )
            overdue = n % 8 == 1  # due back before today
            story.loan(officer, serials[-1], 200 + n, day + 4, 7 if overdue else 28)


def _install(app: Oxychain, story, keeper: Principal, places, serials, day, district_id) -> None:  # noqa: ANN001, PLR0913
    for facility, serial in zip(places, serials, strict=True):
        story.scan(keeper, day, [serial], "issue", to_kind="facility", to_code=facility.code)
        incharge = _loader(
            Role.FACILITY_INCHARGE,
            f"{facility.code} in-charge",
            facility_id=facility.id,
            district_id=district_id,
        )
        story.scan(incharge, day + 1, [serial], "install")


def _repair(app: Oxychain, story, facility, serial: str, day: float, district_id: int) -> None:  # noqa: ANN001
    incharge = _loader(
        Role.FACILITY_INCHARGE,
        f"{facility.code} in-charge",
        facility_id=facility.id,
        district_id=district_id,
    )
    with app.uow(SYSTEM) as uow:
        supplier = uow.masterdata.supplier_by_code("SUP-04").id
    northern = _loader(Role.SUPPLIER, "SUP-04", supplier_id=supplier)
    ticket = story.fault(incharge, serial, day, "Compressor stops after an hour (synthetic)")
    story.act(day + 0.5, tickets.start_repair, app.uow(northern, write=True), ticket)
