"""The demo's lots, inspected through the same services a person uses.

On the awarded tender's purchase orders (tendering's demo, issued on 30-12-2021):

* Ganga Medical Devices (SUP-01, the demo supplier login) offers two lots: the first
  (Agra's line) is accepted; the second (Lucknow's) is rejected (a unit whose no-flow
  alarm stays silent, on Ac 0) and re-offered with other serials, assigned and waiting
  for the demo inspector to draw its sample (on tightened inspection).
* Northern Respiratory Imports (SUP-04, L1) has a lot accepted on each of its first
  tranche's lines, one per district warehouse: the units its trucks take there.
* Bharat Oxy Systems (SUP-03) has a lot offered, waiting for the procurement officer.

Every step runs with the clock set to its day in the story (``clock.at``, on the demo's
calendar): lots are offered after their purchase order is issued and judged before any
truck leaves (04-01-2022).

Readings vary from unit to unit, drawn from a fixed seed; serials and readings are
synthetic. Loading twice changes nothing (the first demo serial marks the load).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Principal, Role
from oxychain.inspection.domain.lot import LOT
from oxychain.inspection.services import lots as svc
from oxychain.inspection.services import units, views
from oxychain.inspection.services.serials import SerialFile
from oxychain.masterdata.demo import on

MARK = "GNG10-DEMO-0001"
RNG_SEED = 2021
#: The day each lot is offered (the orders were issued on 30-12-2021; each accepted lot is
#: judged the day after its offer, before distribution's first truck leaves on 04-01-2022).
OFFERED = {
    "northern": date(2021, 12, 31),
    "ganga": date(2022, 1, 1),
    "ganga_b": date(2022, 1, 5),
    "ganga_c": date(2022, 1, 16),
    "bharat": date(2022, 1, 18),
}
#: Units in Ganga's accepted lot (its line to Agra: 12 trucked, 3 still at its works) and
#: in its rejected one (to Lucknow).
GANGA_ACCEPTED, GANGA_REJECTED = 15, 12


def _principal(app: Oxychain, username: str) -> Principal:
    with app.uow(SYSTEM) as uow:
        user = uow.people.user_by_username(username)
    return Principal(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        language=user.language,
        supplier_id=user.supplier_id,
        agency_id=user.agency_id,
    )


def _loader_for(app: Oxychain, supplier_code: str) -> Principal:
    """A synthetic supplier without a demo login, acting through the loader."""
    with app.uow(SYSTEM) as uow:
        supplier = uow.masterdata.supplier_by_code(supplier_code)
    return Principal(
        0, f"demo-loader:{supplier_code}", Role.SUPPLIER, "en", supplier_id=supplier.id
    )


def _csv(prefix: str, count: int, make: str, model: str, made: date, first: int = 1) -> bytes:
    rows = [
        f"{prefix}-{n:04d},{make},{model},{made.isoformat()}" for n in range(first, first + count)
    ]
    return ("serial,make,model,manufactured_on\n" + "\n".join(rows) + "\n").encode()


def _readings(rng: random.Random, rated: int, fail: bool = False) -> dict[str, object]:
    flows = sorted({1, (rated + 1) // 2, rated})
    values: dict[str, object] = {}
    for flow in flows:
        values[f"o2_purity_pct@{flow}"] = f"{rng.uniform(91.5, 95.0):.1f}"
        values[f"flow_lpm@{flow}"] = f"{flow * rng.uniform(0.96, 1.04):.2f}"
    values.update(
        output_pressure_kpa=f"{rng.uniform(45, 80):.0f}",
        noise_dba=f"{rng.uniform(40, 47.5):.1f}",
        alarm_power_failure="yes",
        alarm_low_o2="yes",
        alarm_no_flow="no" if fail else "yes",
        hour_meter=f"{rng.uniform(0.1, 0.6):.1f}",
        electrical_safety="pass",
    )
    if fail:
        values["noise_dba"] = "53.5"
    return values


def _tranche(app: Oxychain, supplier: Principal, po_number: str, number: int, district: str) -> int:
    """The supplier's line of tranche ``number`` to ``district``'s warehouse."""
    with app.uow(SYSTEM) as uow:
        district_id = next(d.id for d in uow.masterdata.districts() if d.name == district)
    return next(
        t.tranche.id
        for t in views.open_tranches(app.uow(supplier))
        if t.po.number == po_number
        and t.tranche.number == number
        and t.consignee.district_id == district_id
    )


def _offer(app: Oxychain, who: Principal, tranche_id: int, data: bytes, at: datetime) -> int:
    """A lot offered on day ``at``, ready for inspection the next day."""
    cmd = svc.OfferLot(
        tranche_id,
        "Works, Sahibabad Industrial Area (synthetic)",
        clock.in_india(at) + timedelta(days=1),
        SerialFile("serials.csv", data),
    )
    with clock.at(at):
        return svc.offer_lot(app.uow(who, write=True), cmd)


def _inspect(
    app: Oxychain, lot_id: int, rng: random.Random, failing: set[int], at: datetime
) -> None:
    """Assigned on day ``at``, sampled an hour later, each unit tested ten minutes apart."""
    officer = _principal(app, "demo.procurement-officer")
    inspector = _principal(app, "demo.inspector")
    with clock.at(at):
        svc.assign_lot(
            app.uow(officer, write=True),
            svc.AssignLot(lot_id, inspector.agency_id, inspector.user_id),
        )
    with clock.at(at + timedelta(hours=1)):
        sample = svc.draw_sample(app.uow(inspector, write=True), lot_id)
    with app.uow(SYSTEM) as uow:
        lot = uow.inspection.lot(lot_id)
        rated = uow.inspection.item(lot.item_id).rated_flow_lpm
    for position in range(1, len(sample) + 1):
        values = _readings(rng, rated, fail=position in failing)
        cmd = units.RecordUnit(lot_id, position, f"{rng.uniform(6, 12):.0f}", values, sign=True)
        with clock.at(at + timedelta(hours=2, minutes=10 * position)):
            outcome = units.record_unit(app.uow(inspector, write=True), cmd)
        if not LOT.can(outcome.lot_status, "record"):
            return  # decided


def load(app: Oxychain) -> None:
    with app.uow(SYSTEM) as uow:
        if uow.inspection.registered([MARK]):
            return
        pos = {po.number: po for po, _t in uow.inspection.open_tranches(None)}
    if "PO/OXY-DEMO-OC-02/2" not in pos:
        return  # the tendering demo did not award the first tender
    rng = random.Random(RNG_SEED)
    _northern(app, rng)
    _ganga(app, rng)
    bharat = _loader_for(app, "SUP-03")
    _offer(
        app,
        bharat,
        _tranche(app, bharat, "PO/OXY-DEMO-OC-02/3", 2, "Agra"),
        _csv("BOS-X10", 12, "Bharat Oxy", "BX-10", OFFERED["bharat"] - timedelta(days=12)),
        on(OFFERED["bharat"]),
    )


def _northern(app: Oxychain, rng: random.Random) -> None:
    """L1's first tranche, a lot per district warehouse's line, each accepted: offered over
    two days, each judged the day after its offer."""
    northern = _loader_for(app, "SUP-04")
    lines = [
        t
        for t in views.open_tranches(app.uow(northern))
        if t.po.number == "PO/OXY-DEMO-OC-02/1" and t.tranche.number == 1
    ]
    first = 1
    for n, line in enumerate(lines):
        day = OFFERED["northern"] + timedelta(days=n * 2 // len(lines))
        made = day - timedelta(days=20)
        serials = _csv("NRI-OC10", line.open_quantity, "Northern", "NR-1000", made, first)
        offered = on(day, 9 + n % 30 * 0.25)
        lot = _offer(app, northern, line.tranche.id, serials, offered)
        _inspect(app, lot, rng, set(), offered + timedelta(days=1))
        first += line.open_quantity


def _ganga(app: Oxychain, rng: random.Random) -> None:
    """The demo supplier's lots: one accepted (for Agra), one rejected and offered again
    (for Lucknow, on tightened inspection), assigned and waiting for its sample."""
    ganga = _principal(app, "demo.supplier")
    accepted = _offer(
        app,
        ganga,
        _tranche(app, ganga, "PO/OXY-DEMO-OC-02/2", 2, "Agra"),
        _csv("GNG10-DEMO", GANGA_ACCEPTED, "Ganga", "GX-10", date(2021, 12, 20)),
        on(OFFERED["ganga"]),
    )
    _inspect(app, accepted, rng, set(), on(OFFERED["ganga"] + timedelta(days=1)))
    rejected = _offer(
        app,
        ganga,
        _tranche(app, ganga, "PO/OXY-DEMO-OC-02/2", 1, "Lucknow"),
        _csv("GNG10-DEMO-B", GANGA_REJECTED, "Ganga", "GX-10", date(2021, 12, 24)),
        on(OFFERED["ganga_b"]),
    )
    _inspect(app, rejected, rng, {2}, on(OFFERED["ganga_b"] + timedelta(days=1)))
    serials = _csv("GNG10-DEMO-C", GANGA_REJECTED, "Ganga", "GX-10", date(2022, 1, 10))
    offered = on(OFFERED["ganga_c"])
    cmd = svc.ReofferLot(
        rejected,
        "Works, Sahibabad Industrial Area (synthetic)",
        clock.in_india(offered) + timedelta(days=1),
        SerialFile("serials.csv", serials),
    )
    with clock.at(offered):
        again = svc.reoffer_lot(app.uow(ganga, write=True), cmd)
    officer = _principal(app, "demo.procurement-officer")
    inspector = _principal(app, "demo.inspector")
    assign = svc.AssignLot(again, inspector.agency_id, inspector.user_id)
    with clock.at(offered + timedelta(days=1)):
        svc.assign_lot(app.uow(officer, write=True), assign)
