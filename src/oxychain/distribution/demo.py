"""The demo's trucks, receipts, installations, home loans and breakdowns, run through the
same services a person uses, over the devices that the demo's inspection accepted.

The story starts 60 days before the day the demo is loaded, so that loans fall overdue
and faults have an SLA clock and an uptime to show:

* Northern Respiratory Imports (SUP-04) sends 24 devices to Lucknow's district warehouse
  on a challan against its tranche; the keeper (demo login) scans 23 and one serial that
  was not on the truck, then confirms: one missing, one extra. A second truck of 4 is on
  the road. Lucknow issues 6 to its district hospital (the demo in-charge's), which
  installs them, accepts 4 on a certificate (warranty starts), has one fault repaired
  and one still open. The district officer (demo login) runs the concentrator bank: one
  loan overdue, one running, one returned, sanitised, re-tested and available again.
* Ganga Medical Devices (SUP-01, the demo supplier login) sends 12 to Agra's warehouse;
  Agra installs 3 at its district hospital, lends one and has one fault open.

Everything the demo logins do not cover acts through a loader identity named so.
Loading twice changes nothing: the first challan marks the load.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Principal, Role
from oxychain.distribution.domain.scan import Answer
from oxychain.distribution.repositories.dispatch import ChallanFilter
from oxychain.distribution.services import acceptance, challans, loans, scanning, tickets
from oxychain.inspection.domain.lot import LotStatus
from oxychain.masterdata.repository import FacilityFilter

START_DAYS_AGO = 60


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
        self.t0 = clock.now() - timedelta(days=START_DAYS_AGO)

    def at(self, days: float) -> datetime:
        return self.t0 + timedelta(days=days)

    def scan(self, who: Principal, day: float, serials: list[str], event: str, **kw) -> None:  # noqa: ANN003
        when = self.at(day)
        batch = [scanning.ScanIn(uuid.uuid4(), s, event, when, **kw) for s in serials]
        results = scanning.record_scans(self.app.uow(who, write=True), batch, when)
        bad = [r for r in results if r.status not in (Answer.STORED, Answer.EXTRA)]
        if bad:
            raise RuntimeError(f"demo scan refused: {bad[0]}")

    def dispatch(
        self, who: Principal, tranche_id: int, serials: list[str], vehicle: str, day: float
    ):  # noqa: ANN201
        load = challans.Load(tuple(serials), 0, vehicle, "Ramesh Yadav (synthetic)")
        return challans.dispatch_from_tranche(
            self.app.uow(who, write=True), challans.TrancheChallan(tranche_id, load), self.at(day)
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
        return loans.issue_loan(
            self.app.uow(who, write=True), cmd, self.pepper, self.at(day)
        ).number

    def fault(self, who: Principal, serial: str, day: float, text: str) -> str:
        uow = self.app.uow(who, write=True)
        return tickets.report_fault(uow, serial, text, self.terms, self.at(day)).number


def _accepted(app: Oxychain, supplier_code: str) -> tuple[list[str], int | None]:
    """The supplier's accepted devices still at its works, and the tranche they were offered on."""
    with app.uow(SYSTEM) as uow:
        supplier = uow.masterdata.supplier_by_code(supplier_code)
        rows = [
            (po, tranche)
            for po, tranche in uow.inspection.open_tranches(supplier.id)
            if uow.dispatch.dispatchable_serials([po.id], 1)
        ]
        for po, tranche in rows:
            serials = uow.dispatch.dispatchable_serials([po.id], 1000)
            lots = uow.inspection.lots_of_tranches([tranche.id])
            if serials and any(lot.status == LotStatus.ACCEPTED for lot in lots):
                return serials, tranche.id
    return [], None


def load(app: Oxychain) -> None:
    with app.uow(SYSTEM) as uow:
        if uow.dispatch.challans(ChallanFilter(), limit=1):
            return
    story = _Story(app)
    _lucknow(app, story)
    _agra(app, story)


def _lucknow(app: Oxychain, story: _Story) -> None:
    serials, tranche = _accepted(app, "SUP-04")
    if len(serials) < 30 or tranche is None:
        return
    with app.uow(SYSTEM) as uow:
        sup04 = uow.masterdata.supplier_by_code("SUP-04").id
    northern = _loader(Role.SUPPLIER, "SUP-04", supplier_id=sup04)
    keeper = _login(app, "demo.warehouse-keeper")
    incharge = _login(app, "demo.facility-incharge")
    officer = _login(app, "demo.district-officer")
    first = story.dispatch(northern, tranche, serials[:24], "UP 32 HT 4417", 0)
    story.scan(keeper, 2, serials[:23] + [serials[24]], "receive", challan=first.number)
    challans.close_receipt(app.uow(keeper, write=True), first.number, story.at(2.1), True)
    story.dispatch(northern, tranche, serials[25:29], "UP 32 KN 2290", START_DAYS_AGO - 1)
    with app.uow(SYSTEM) as uow:
        dh = uow.masterdata.facility_by_id(incharge.facility_id)
    installed = serials[:6]
    story.scan(keeper, 4, installed, "issue", to_kind="facility", to_code=dh.code)
    story.scan(incharge, 5, installed, "install")
    acceptance.issue_certificate(
        app.uow(incharge, write=True), dh.code, installed[:4], story.terms, story.at(6)
    )
    story.scan(incharge, 30, installed[:2], "maintain")
    repaired = story.fault(incharge, installed[2], 20, "Purity alarm at 5 LPM (synthetic)")
    tickets.start_repair(app.uow(northern, write=True), repaired, story.at(20.5))
    tickets.resolve(app.uow(northern, write=True), repaired, "Sieve beds replaced", story.at(21.5))
    story.scan(incharge, 21.6, [installed[2]], "install")
    story.fault(incharge, installed[3], START_DAYS_AGO - 2, "No flow after power cut (synthetic)")
    story.loan(officer, serials[6], 1, 10, 30)  # overdue by now
    story.loan(officer, serials[7], 2, START_DAYS_AGO - 10, 30)  # running
    returned = story.loan(officer, serials[8], 3, 8, 21)
    loans.return_loan(app.uow(officer, write=True), returned, story.at(25))
    for day, event in ((26, "sanitise"), (27, "retest"), (27.5, "release")):
        story.scan(keeper, day, [serials[8]], event)


def _agra(app: Oxychain, story: _Story) -> None:
    serials, tranche = _accepted(app, "SUP-01")
    if len(serials) < 12 or tranche is None:
        return
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
    story.scan(keeper, 5, serials[:12], "receive", challan=truck.number)
    story.scan(keeper, 7, serials[:3], "issue", to_kind="facility", to_code=dh.code)
    story.scan(incharge, 8, serials[:3], "install")
    story.fault(incharge, serials[0], START_DAYS_AGO - 3, "Low oxygen purity (synthetic)")
    story.loan(officer, serials[3], 101, START_DAYS_AGO - 5, 21)
