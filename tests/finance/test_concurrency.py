"""Eight finance officers' processes passing the same bill at once, then paying it in full at
once (some sending the same UTR, some their own): one pass, one payment; on SQLite and
PostgreSQL, as the scan test does for devices."""

from __future__ import annotations

import multiprocessing
from collections import Counter

from oxychain.app import Settings, bootstrap
from oxychain.core import clock
from oxychain.core.errors import Conflict
from oxychain.core.people import SYSTEM
from oxychain.finance.services import bills
from tests.finance.support import bills_by_status, new_officer, open_app

WORKERS = 8


def _worker(args: tuple) -> Counter:
    url, officer, number, net, seed, barrier = args
    app = bootstrap(Settings(database_url=url, environment="test"))
    seen: Counter = Counter()
    try:
        barrier.wait(timeout=60)
        try:
            bills.pass_bill(app.uow(officer, write=True), number)
            seen["passed"] += 1
        except Conflict:
            seen["pass refused"] += 1
        barrier.wait(timeout=60)
        utr = "UTRSAME000001" if seed % 2 else f"UTROWN{seed:07d}"
        try:
            payment = bills.record_payment(
                app.uow(officer, write=True), number, bills.RecordPayment(clock.today(), utr, net)
            )
            seen[f"paid {payment.reference}"] += 1
        except Conflict:
            seen["payment refused"] += 1
    finally:
        app.close()
    return seen


def test_eight_officers_at_once_pass_a_bill_once_and_pay_it_once(demo) -> None:  # noqa: ANN001
    url, _logins = demo
    app = open_app(url)
    try:
        bill = bills_by_status(app)["submitted"][0]
        officers = [new_officer(app) for _ in range(WORKERS)]
        ctx = multiprocessing.get_context("spawn")
        barrier = ctx.Manager().Barrier(WORKERS)
        jobs = [(url, officers[n], bill.number, bill.net_paise, n, barrier) for n in range(WORKERS)]
        with ctx.Pool(WORKERS) as pool:
            seen = sum(pool.map(_worker, jobs), Counter())
        assert seen["passed"] == 1 and seen["pass refused"] == WORKERS - 1
        with app.uow(SYSTEM) as uow:
            stored = uow.finance.bill(bill.number)
            payments = uow.finance.payments([stored.id])
        assert len(payments) == 1 and stored.status == "paid"
        assert stored.paid_paise == stored.net_paise == payments[0].amount_paise
        winner = payments[0].reference
        # whoever sent the winning UTR was told of the one payment; the rest were refused
        assert seen[f"paid {winner}"] >= 1
        assert seen[f"paid {winner}"] + seen["payment refused"] == WORKERS
    finally:
        app.close()
