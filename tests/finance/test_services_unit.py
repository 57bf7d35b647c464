"""Finance's use cases with the in-memory unit of work (tests/fakes.py): a refused command
changes and records nothing; an accepted one records its audit event and commits once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from oxychain.core.errors import Conflict, Forbidden
from oxychain.core.people import Principal, Role
from oxychain.finance.services import bills, securities, terms
from tests.fakes import FakeUnitOfWork

NOW = datetime(2026, 12, 7, 6, tzinfo=UTC)
OFFICER = Principal(7, "po.one", Role.PROCUREMENT_OFFICER, "en")
FINANCE = Principal(8, "fin.one", Role.FINANCE_OFFICER, "en")
SUPPLIER = Principal(9, "sup.one", Role.SUPPLIER, "en", supplier_id=3)


class Tenders:
    def __init__(self, status: str) -> None:
        self.row = SimpleNamespace(id=1, reference="T-1", status=status)

    def tender(self, reference: str, lock: str | None = None) -> SimpleNamespace:
        return self.row


class FinanceRepo:
    def __init__(self, bill: SimpleNamespace | None = None) -> None:
        self.rows: list[object] = []
        self.stored_bill = bill

    def terms(self, tender_id: int) -> None:
        return None

    def add(self, *rows: object) -> None:
        self.rows += rows

    def bill(self, number: str, lock: bool = False) -> SimpleNamespace:
        return self.stored_bill


CMD = terms.SetTerms([("receipt", 9000), ("installation", 1000)], 30, 200_00)


def test_terms_on_a_draft_are_stored_and_audited() -> None:
    repo = FinanceRepo()
    uow = FakeUnitOfWork(OFFICER, tenders=Tenders("draft"), finance=repo)
    got = terms.set_terms(uow, "T-1", CMD, now=NOW)
    assert got.share("receipt") == 9000 and uow.commits == 1
    assert repo.rows[0].milestones == [["receipt", 9000], ["installation", 1000]]
    assert uow.actions == ["terms.set"]


def test_terms_of_a_published_tender_are_refused_and_nothing_is_recorded() -> None:
    repo = FinanceRepo()
    uow = FakeUnitOfWork(OFFICER, tenders=Tenders("published"), finance=repo)
    with pytest.raises(Conflict):
        terms.set_terms(uow, "T-1", CMD, now=NOW)
    assert (uow.commits, uow.events, repo.rows) == (0, [], [])
    with pytest.raises(Forbidden):
        terms.set_terms(FakeUnitOfWork(SUPPLIER, tenders=Tenders("draft")), "T-1", CMD, now=NOW)


def _bill(**kw) -> SimpleNamespace:  # noqa: ANN003
    base = dict(
        number="BILL-2026-000001",
        status="submitted",
        entered_by_id=9,
        submitted_by_id=9,
        supplier_id=3,
        net_paise=1000_00,
        checked_by_id=None,
        checked_by=None,
        checked_at=None,
    )
    return SimpleNamespace(**{**base, **kw})


def test_passing_is_for_someone_other_than_the_maker() -> None:
    mine = _bill(entered_by_id=8)
    uow = FakeUnitOfWork(FINANCE, finance=FinanceRepo(mine))
    with pytest.raises(Conflict):
        bills.pass_bill(uow, mine.number, now=NOW)
    assert (mine.status, uow.commits, uow.events) == ("submitted", 0, [])
    theirs = _bill()
    uow = FakeUnitOfWork(FINANCE, finance=FinanceRepo(theirs))
    bills.pass_bill(uow, theirs.number, now=NOW)
    assert (theirs.status, theirs.checked_by_id, uow.actions) == ("passed", 8, ["bill.pass"])
    with pytest.raises(Forbidden):
        bills.pass_bill(FakeUnitOfWork(SUPPLIER, finance=FinanceRepo(_bill())), "BILL-2026-000001")


# --- the performance security's required validity (GFR 2017 rule 171, one rule) -----------------


class Contracts:
    def __init__(self, tranches, deliveries) -> None:  # noqa: ANN001
        self._tranches, self._deliveries = tranches, deliveries

    def tranches(self, po_id: int) -> list[SimpleNamespace]:
        return self._tranches

    def deliveries(self, ids: list[int]) -> dict[int, list[SimpleNamespace]]:
        return {i: self._deliveries.get(i, []) for i in ids}

    def versions(self, po: SimpleNamespace) -> list[SimpleNamespace]:
        return [po]


class Certificates:
    def __init__(self, certificates: list[tuple[date, int]]) -> None:
        self.rows = [
            SimpleNamespace(id=n, issued_on=on, units=units)
            for n, (on, units) in enumerate(certificates)
        ]

    def certificates_of_orders(self, po_ids: list[int]) -> list[SimpleNamespace]:
        return self.rows

    def certificate_devices(self, certificate_id: int) -> list[int]:
        return list(range(self.rows[certificate_id].units))


@pytest.mark.parametrize(
    ("delivered", "certificates", "until"),
    [
        # issue 11: due 2024-01-01, accepted 2024-03-01, 24 months: valid to 2026-04-29
        ([], [(date(2024, 3, 1), 10)], date(2026, 4, 29)),
        # accepted on time: 60 days past the warranty's last day, 31-12-2025
        ([], [(date(2024, 1, 1), 10)], date(2026, 3, 1)),
        # nothing accepted yet, delivered late: from the delivery
        ([date(2024, 2, 10)], [], date(2026, 4, 10)),
        # part accepted early: the due date still holds the rest
        ([], [(date(2023, 12, 1), 4)], date(2026, 3, 1)),
    ],
)
def test_the_security_must_run_past_the_warranty_of_the_last_acceptance(
    delivered, certificates, until
) -> None:  # noqa: ANN001
    tranche = SimpleNamespace(id=1, due_date=date(2024, 1, 1), quantity=10)
    rows = {1: [SimpleNamespace(delivered_on=d) for d in delivered]}
    uow = SimpleNamespace(contracts=Contracts([tranche], rows), finance=Certificates(certificates))
    po = SimpleNamespace(id=5, issued_at=datetime(2023, 10, 1, tzinfo=UTC))
    got = securities.required_until(uow, po, SimpleNamespace(warranty_months=24))
    assert got == until
