"""The yearly report of procurement from MSEs (MSE Order 2012, as amended in 2018): the
financial year, the shares against the 25 %, 4 % and 3 % targets, and the report through
the API, the page and the CSV on the demo (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from oxychain.core.people import SYSTEM, Role
from oxychain.masterdata.tables import Supplier
from oxychain.tendering.tables import PurchaseOrder
from oxychain.transparency.domain.mse_report import OrderValue, financial_year, yearly_report
from tests.webclient import login_as, make_app


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 4, 1), "2025-26"),  # the first day
        (date(2025, 3, 31), "2024-25"),  # the last day of the year before
        (date(2026, 3, 31), "2025-26"),
        (date(2025, 12, 31), "2025-26"),
        (date(2099, 4, 1), "2099-00"),  # the century turns in the second half
    ],
)
def test_financial_year_runs_april_to_march(day: date, year: str) -> None:
    assert financial_year(day) == year


def order(value: int, *, mse=False, sc_st=False, women=False, on=date(2025, 6, 1)) -> OrderValue:  # noqa: ANN001
    return OrderValue("PO", on, Decimal(value), mse, sc_st, women)


@pytest.mark.parametrize(
    ("orders", "shares", "met"),
    [
        # 25 % exactly is met; 4 % and 3 % exactly too.
        ([order(72), order(18, mse=True), order(4, mse=True, sc_st=True),
          order(3, mse=True, women=True), order(3)],
         ("25.00", "4.00", "3.00"), {"mse": True, "sc_st": True, "women": True}),
        # A hair below each target is short.
        ([order(7501), order(2499, mse=True)], ("24.99", "0.00", "0.00"),
         {"mse": False, "sc_st": False, "women": False}),
        # An owner category counts only for an MSE (the sub-targets are MSEs so owned).
        ([order(90), order(10, sc_st=True, women=True)], ("0.00", "0.00", "0.00"),
         {"mse": False, "sc_st": False, "women": False}),
        # A women-owned SC/ST MSE counts towards both sub-targets and the goal once.
        ([order(50), order(50, mse=True, sc_st=True, women=True)], ("50.00", "50.00", "50.00"),
         {"mse": True, "sc_st": True, "women": True}),
    ],
)  # fmt: skip
def test_shares_against_the_targets(orders: list[OrderValue], shares, met) -> None:  # noqa: ANN001
    [row] = yearly_report(orders)
    assert (str(row.mse_pct), str(row.sc_st_pct), str(row.women_pct)) == shares
    assert row.targets_met == met
    assert row.total == sum(o.value for o in orders)


def test_years_are_apart_and_newest_first() -> None:
    rows = yearly_report(
        [order(100, on=date(2025, 3, 31)), order(50, mse=True, on=date(2025, 4, 1))]
    )
    assert [(r.year, r.total, r.mse) for r in rows] == [
        ("2025-26", Decimal(50), Decimal(50)),
        ("2024-25", Decimal(100), Decimal(0)),
    ]
    assert yearly_report([]) == []


@pytest.fixture
def site(demo):  # noqa: ANN001, ANN201
    url, logins = demo
    app, oxy = make_app(url)
    yield app, oxy, logins
    oxy.close()


def _expected(oxy) -> dict[str, Decimal]:  # noqa: ANN001
    """The newest version of each order, summed by the supplier's category, straight from
    the tables."""
    with oxy.uow(SYSTEM) as uow:
        rows = uow.session.execute(
            select(PurchaseOrder, Supplier).join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
        ).all()
    replaced = {po.previous_id for po, _ in rows if po.previous_id}
    sums = {"total": Decimal(0), "mse": Decimal(0), "sc_st": Decimal(0), "women": Decimal(0)}
    for po, supplier in rows:
        if po.id in replaced:
            continue
        value = Decimal(po.unit_price_paise * po.quantity) / 100
        sums["total"] += value
        sums["mse"] += value if supplier.is_mse else 0
        sums["sc_st"] += value if supplier.is_mse and supplier.sc_st_owned else 0
        sums["women"] += value if supplier.is_mse and supplier.women_owned else 0
    return sums


def test_report_through_the_api_page_and_csv(site) -> None:  # noqa: ANN001
    app, oxy, logins = site
    rc = login_as(app, oxy, Role.PROCUREMENT_OFFICER.value, *logins["procurement_officer"])
    body = rc.client.get("/api/v1/reports/mse").json()
    assert body["currency"] == "INR"
    assert body["targets_pct"] == {"mse": "25", "sc_st": "4", "women": "3"}
    years = body["years"]
    assert years, "the demo issues purchase orders"
    expected = _expected(oxy)
    for key in ("total", "mse", "sc_st", "women"):
        assert sum(Decimal(y[f"{key}_rupees"]) for y in years) == expected[key], key
    assert expected["mse"] > 0  # the demo buys from MSEs (SUP-01, SUP-02, SUP-05)
    rows = list(csv.DictReader(io.StringIO(rc.client.get("/reports/mse.csv").text)))
    assert [r["financial_year"] for r in rows] == [y["financial_year"] for y in years]
    assert rows[0]["mse_pct"] == years[0]["mse_pct"]
    page = rc.client.get("/reports/mse")
    assert page.status_code == 200
    assert years[0]["financial_year"] in page.text and "25 %" in page.text
    rc.client.put("/api/v1/me/language", json={"language": "hi"}, headers={"X-CSRF-Token": rc.csrf})
    assert "सूक्ष्म और लघु उद्यमों" in rc.client.get("/reports/mse").text


def test_a_supplier_does_not_read_the_report(site) -> None:  # noqa: ANN001
    app, oxy, logins = site
    rc = login_as(app, oxy, Role.SUPPLIER.value, *logins["supplier"])
    assert rc.client.get("/api/v1/reports/mse").status_code == 403
    assert rc.client.get("/reports/mse.csv").status_code == 403
