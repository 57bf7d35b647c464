"""The demo's trucks, receipts, installations, home loans and breakdowns, run through the
same services a person uses, over the devices that the demo's inspection accepted.

The story starts on 04-01-2022 (day 0), after inspection accepted the lots (inspection's
demo), and runs to the demo's today (20-01-2022, day 16), so that loans fall overdue and
faults have an SLA clock and an uptime to show. Every step runs with the clock set to its
moment, and every truck received is recorded against its purchase-order tranche as a
delivery (the count received, on the day of receipt, the challan as reference, by the
receipt itself): the order's delivered count is the serials that arrived, and a late truck
carries liquidated damages.

* Northern Respiratory Imports (SUP-04) sends each district warehouse its line of the first
  tranche, the lot accepted on that line (``districts``: days 1-5, received the next day,
  before the line falls due). In many districts the keeper issues a unit to a CHC and one to
  a PHC, which install them; some district officers lend a unit to a home patient (some
  overdue by today) and some installed units break down and are under repair.
* Lucknow's truck (days 0-2) comes after its line fell due: the keeper (demo login) scans
  23 and one serial that was not on the truck, then confirms: one missing, one extra. A
  second truck of 4 is on the road. Lucknow issues 6 to its district hospital (the demo
  in-charge's), which installs them, accepts 4 on a certificate (warranty starts), has one
  fault repaired and one still open. The district officer (demo login) runs the
  concentrator bank: one loan overdue, one running, one returned, sanitised, re-tested and
  available again.
* Ganga Medical Devices (SUP-01, the demo supplier login) sends 12 to Agra's warehouse;
  Agra installs 3 at its district hospital, lends one and has one fault open.

Everything the demo logins do not cover acts through a loader identity named so.
Loading twice changes nothing: the first challan marks the load.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Principal, Role
from oxychain.distribution.demo_districts import districts
from oxychain.distribution.domain.challan import ChallanStatus
from oxychain.distribution.domain.scan import Answer
from oxychain.distribution.repositories.dispatch import ChallanFilter
from oxychain.distribution.services import acceptance, challans, loans, scanning, tickets
from oxychain.inspection.domain.lot import LotStatus
from oxychain.masterdata.demo import TODAY, on
from oxychain.masterdata.repository import FacilityFilter

START = date(2022, 1, 4)
#: The demo's today, in days of the story.
TODAY_DAY = (TODAY - START).days


def _login(app: Oxychain, username: str) -> Principal:
    with app.uow(SYSTEM) as uow:
        user = uow.people.user_by_username(username)
    return Principal(
        user.id,
        user.username,
        Role(user.role),
        user.language,
        district_id=user.district_id,
        warehouse_id=user.warehouse_id,
        facility_id=user.facility_id,
        supplier_id=user.supplier_id,
    )


def _loader(role: Role, name: str, **org: int) -> Principal:
    return Principal(0, f"demo-loader:{name}", role, "en", **org)


class _Story:
    def __init__(self, app: Oxychain) -> None:
        self.app = app
        settings = app.settings
        self.terms = tickets.ServiceTerms.of(settings)
        self.pepper = settings.loan_pepper
        self.t0 = on(START, 0)

    def at(self, days: float) -> datetime:
        return self.t0 + timedelta(days=days)

    def scan(self, who: Principal, day: float, serials: list[str], event: str, **kw) -> None:  # noqa: ANN003
        when = self.at(day)
        batch = [scanning.ScanIn(uuid.uuid4(), s, event, when, **kw) for s in serials]
        with clock.at(when):
            results = scanning.record_scans(self.app.uow(who, write=True), batch, when)
        bad = [r for r in results if r.status not in (Answer.STORED, Answer.EXTRA)]
        if bad:
            raise RuntimeError(f"demo scan refused: {bad[0]}")

    def dispatch(
        self, who: Principal, tranche_id: int, serials: list[str], vehicle: str, day: float
    ):  # noqa: ANN201
        load = challans.Load(tuple(serials), 0, vehicle, "Ramesh Yadav (synthetic)")
        with clock.at(self.at(day)):
            return challans.dispatch_from_tranche(
                self.app.uow(who, write=True),
                challans.TrancheChallan(tranche_id, load),
                self.at(day),
            )

    def receive(self, keeper: Principal, day: float, challan, serials: list[str]) -> None:  # noqa: ANN001
        """The keeper scans the truck in and, when serials are missing, confirms the receipt
        (a complete truck closes itself); the receipt records the tranche's delivery."""
        self.scan(keeper, day, serials, "receive", challan=challan.number)
        with self.app.uow(SYSTEM) as uow:
            open_ = uow.dispatch.challan(challan.number).status == ChallanStatus.IN_TRANSIT
        if open_:
            with clock.at(self.at(day + 0.1)):
                challans.close_receipt(
                    self.app.uow(keeper, write=True), challan.number, self.at(day + 0.1), True
                )

    def loan(self, who: Principal, serial: str, n: int, day: float, days: int) -> str:
        cmd = loans.IssueLoan(
            serial,
            f"RX/DEMO/{n:04d}",
            f"HP-DEMO-{n:04d}",
            f"98{n:08d}",
            (self.at(day) + timedelta(days=days)).date(),
            5000,
        )
        with clock.at(self.at(day)):
            return loans.issue_loan(
                self.app.uow(who, write=True), cmd, self.pepper, self.at(day)
            ).number

    def fault(self, who: Principal, serial: str, day: float, text: str) -> str:
        uow = self.app.uow(who, write=True)
        with clock.at(self.at(day)):
            return tickets.report_fault(uow, serial, text, self.terms, self.at(day)).number

    def act(self, day: float, action, *args) -> object:  # noqa: ANN001
        """A service call on day ``day`` of the story, its last argument the moment."""
        with clock.at(self.at(day)):
            return action(*args, self.at(day))


def accepted_lines(app: Oxychain, supplier_code: str) -> list[tuple[int, int, list[str]]]:
    """(district id, tranche line id, serials) of each line of the supplier's orders with an
    accepted lot: the lot's units, in serial order."""
    out = []
    with app.uow(SYSTEM) as uow:
        supplier = uow.masterdata.supplier_by_code(supplier_code)
        for _po, tranche in uow.inspection.open_tranches(supplier.id):
            lots = uow.inspection.lots_of_tranches([tranche.id])
            serials = sorted(
                d.serial
                for lot in lots
                if lot.status == LotStatus.ACCEPTED
                for d in uow.inspection.devices_of_lot(lot.id)
            )
            if serials:
                district = uow.masterdata.warehouse_by_id(tranche.consignee_warehouse_id)
                out.append((district.district_id, tranche.id, serials))
    return out


def _district_named(app: Oxychain, name: str) -> int:
    with app.uow(SYSTEM) as uow:
        return next(d.id for d in uow.masterdata.districts() if d.name == name)


def load(app: Oxychain) -> None:
    with app.uow(SYSTEM) as uow:
        if uow.dispatch.challans(ChallanFilter(), limit=1):
            return
    story = _Story(app)
    lines = accepted_lines(app, "SUP-04")
    lucknow = _district_named(app, "Lucknow")
    for district, tranche, serials in lines:
        if district == lucknow:
            _lucknow(app, story, tranche, serials)
    _agra(app, story)
    districts(app, story, [line for line in lines if line[0] != lucknow])


def _lucknow(app: Oxychain, story: _Story, tranche: int, serials: list[str]) -> None:
    if len(serials) < 30:
        return
    with app.uow(SYSTEM) as uow:
        sup04 = uow.masterdata.supplier_by_code("SUP-04").id
    northern = _loader(Role.SUPPLIER, "SUP-04", supplier_id=sup04)
    keeper = _login(app, "demo.warehouse-keeper")
    incharge = _login(app, "demo.facility-incharge")
    officer = _login(app, "demo.district-officer")
    first = story.dispatch(northern, tranche, serials[:24], "UP 32 HT 4417", 0)
    arrived = [*serials[:23], serials[24]]  # one short, and one serial not on the truck
    story.receive(keeper, 2, first, arrived)
    story.dispatch(northern, tranche, serials[25:29], "UP 32 KN 2290", TODAY_DAY - 1)
    with app.uow(SYSTEM) as uow:
        dh = uow.masterdata.facility_by_id(incharge.facility_id)
    installed = serials[:6]
    story.scan(keeper, 4, installed, "issue", to_kind="facility", to_code=dh.code)
    story.scan(incharge, 5, installed, "install")
    story.act(
        6,
        acceptance.issue_certificate,
        app.uow(incharge, write=True),
        dh.code,
        installed[:4],
        story.terms,
    )
    story.scan(incharge, 15, installed[:2], "maintain")
    repaired = story.fault(incharge, installed[2], 10, "Purity alarm at 5 LPM (synthetic)")
    story.act(10.5, tickets.start_repair, app.uow(northern, write=True), repaired)
    story.act(11.5, tickets.resolve, app.uow(northern, write=True), repaired, "Sieve beds replaced")
    story.scan(incharge, 11.6, [installed[2]], "install")
    story.fault(incharge, installed[3], TODAY_DAY - 2, "No flow after power cut (synthetic)")
    story.loan(officer, serials[6], 1, 6, 7)  # overdue by now
    story.loan(officer, serials[7], 2, TODAY_DAY - 10, 30)  # running
    returned = story.loan(officer, serials[8], 3, 5, 21)
    story.act(12, loans.return_loan, app.uow(officer, write=True), returned)
    for day, event in ((13, "sanitise"), (14, "retest"), (14.5, "release")):
        story.scan(keeper, day, [serials[8]], event)


def _agra(app: Oxychain, story: _Story) -> None:
    lines = accepted_lines(app, "SUP-01")
    if not lines or len(lines[0][2]) < 12:
        return
    _district, tranche, serials = lines[0]
    ganga = _login(app, "demo.supplier")
    with app.uow(SYSTEM) as uow:
        agra = next(d for d in uow.masterdata.districts() if d.name == "Agra")
        store = next(
            w for w in uow.dispatch.warehouses_of_district(agra.id) if w.kind == "district"
        )
        rows, _n = uow.masterdata.facilities(
            FacilityFilter(district_id=agra.id, kind="district_hospital"), limit=1
        )
        dh = rows[0]
    keeper = _loader(
        Role.WAREHOUSE_KEEPER, "Agra store", warehouse_id=store.id, district_id=agra.id
    )
    incharge = _loader(Role.FACILITY_INCHARGE, "Agra DH", facility_id=dh.id, district_id=agra.id)
    officer = _loader(Role.DISTRICT_OFFICER, "Agra CMO", district_id=agra.id)
    truck = story.dispatch(ganga, tranche, serials[:12], "UP 80 GT 5120", 3)
    story.receive(keeper, 5, truck, serials[:12])
    story.scan(keeper, 7, serials[:3], "issue", to_kind="facility", to_code=dh.code)
    story.scan(incharge, 8, serials[:3], "install")
    story.fault(incharge, serials[0], TODAY_DAY - 3, "Low oxygen purity (synthetic)")
    story.loan(officer, serials[3], 101, TODAY_DAY - 5, 21)
