"""Replaying bills: each bill computed again from the records it names (its devices, the
tender's frozen terms, the deliveries recorded by its moment, the dated rates, the faults,
and the earlier bills its inputs name) must give the numbers it holds, to the paisa."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from oxychain.core.access import require
from oxychain.core.config import CoreSettings
from oxychain.core.uow import UnitOfWork
from oxychain.finance.domain.bill import DeviceRecord
from oxychain.finance.domain.deductions import DeductionKind
from oxychain.finance.domain.terms import Event
from oxychain.finance.services.computation import Earlier, compute_bill, rates_of
from oxychain.finance.services.orders import load_order
from oxychain.finance.services.terms import terms_of
from oxychain.finance.tables import Bill


@dataclass(frozen=True)
class Replay:
    number: str
    status: str
    stored: dict
    replayed: dict
    problems: tuple[str, ...]  # earlier bills that no longer add up to what the bill read

    @property
    def matches(self) -> bool:
        return self.stored == self.replayed and not self.problems


def replay_bills(uow: UnitOfWork, settings: CoreSettings) -> list[Replay]:
    require(uow.principal, "finance.export")
    rates = rates_of(settings)
    with uow:
        out = []
        for bill in sorted(uow.finance.bills(limit=100_000), key=lambda b: b.id):
            order = load_order(uow, bill.purchase_order_id)
            terms, _ = terms_of(uow, order.tender, settings)
            claimed = [
                DeviceRecord(0, serial, "accepted", order.line_of.get(t, t), None, False, None)
                for serial, t in uow.finance.claimed(bill.id)
            ]
            earlier = Earlier.from_json(bill.inputs)
            result = compute_bill(
                uow,
                order,
                terms,
                rates,
                Event(bill.milestone),
                claimed,
                bill.computed_at,
                bill.bill_date,
                earlier,
            )
            replayed = {
                "lines": [
                    [x.tranche_id, x.quantity, x.taxable_paise, x.gst_paise] for x in result.lines
                ],
                "deductions": [
                    [str(d.kind), d.amount_paise, d.reason, d.params] for d in result.deductions
                ],
                "net_paise": result.net_paise,
            }
            out.append(
                Replay(bill.number, bill.status, _stored(uow, bill), replayed, _check(uow, earlier))
            )
        return out


def _stored(uow: UnitOfWork, bill: Bill) -> dict:
    return {
        "lines": [
            [x.tranche_id, x.quantity, x.taxable_paise, x.gst_paise]
            for x in uow.finance.lines(bill.id)
        ],
        "deductions": [
            [d.kind, d.amount_paise, d.reason, d.params] for d in uow.finance.deductions([bill.id])
        ],
        "net_paise": bill.net_paise,
    }


def _check(uow: UnitOfWork, earlier: Earlier) -> tuple[str, ...]:
    """The earlier bills named in the inputs still hold what the bill read from them."""
    named = {
        n
        for _, bills in [*earlier.ld.values(), *earlier.recovery.values(), earlier.year]
        for n in bills
    }
    rows = {n: uow.finance.bill(n) for n in named}
    found: dict[tuple[str, str], int] = defaultdict(int)
    for d in uow.finance.deductions([b.id for b in rows.values()]):
        number = next(n for n, b in rows.items() if b.id == d.bill_id)
        if d.kind == DeductionKind.LIQUIDATED_DAMAGES:
            found[("ld", str(d.basis.get("key")) + "|" + number)] += d.amount_paise
        elif d.kind == DeductionKind.RECOVERY:
            found[("recovery", str(d.basis.get("ticket")) + "|" + number)] += d.amount_paise
    problems = []
    for kind, table in (("ld", earlier.ld), ("recovery", earlier.recovery)):
        for key, (paise, bills) in table.items():
            if sum(found[(kind, f"{key}|{n}")] for n in bills) != paise:
                problems.append(f"{kind} {key}")
    if sum(rows[n].taxable_paise for n in earlier.year[1]) != earlier.year[0]:
        problems.append("year")
    return tuple(problems)
