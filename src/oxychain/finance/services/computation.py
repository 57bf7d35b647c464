"""A bill's computation from the records it names: its devices' tranche lines, the tender's
frozen terms and LD rate, the deliveries recorded by the bill's moment, the dated statutory
rates, the warranty faults, and what earlier bills already deducted (``Earlier``, kept on
the bill as its ``inputs`` so that a replay reads the same earlier bills)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from oxychain.core.config import CoreSettings
from oxychain.core.uow import UnitOfWork
from oxychain.finance.domain import deductions as rules
from oxychain.finance.domain.bill import Computation, DeviceRecord, Line, compute
from oxychain.finance.domain.deductions import DatedRate, DeductionKind
from oxychain.finance.domain.money import RUPEE
from oxychain.finance.domain.terms import Event, PaymentTerms
from oxychain.finance.services.orders import Order, utc


@dataclass(frozen=True)
class Rates:
    tds_gst: tuple[DatedRate, ...]
    tds_income_tax: tuple[DatedRate, ...]


def _dated(rows: Sequence[dict]) -> tuple[DatedRate, ...]:
    return tuple(
        DatedRate(
            date.fromisoformat(r["from"]),
            int(r["rate_bp"]),
            int(r["threshold_rupees"]) * RUPEE,
            str(r.get("source", "")),
        )
        for r in rows
    )


def rates_of(settings: CoreSettings) -> Rates:
    return Rates(_dated(settings.finance_tds_gst), _dated(settings.finance_tds_income_tax))


@dataclass(frozen=True)
class Earlier:
    """What earlier claiming bills took: LD per tranche line key, recovery per ticket, and the
    supplier's taxable value of the financial year; each (paise, [bill numbers])."""

    ld: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    recovery: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    year: tuple[int, list[str]] = (0, [])

    def as_json(self) -> dict:
        return {
            "ld": {k: [v[0], v[1]] for k, v in self.ld.items()},
            "recovery": {k: [v[0], v[1]] for k, v in self.recovery.items()},
            "year": [self.year[0], self.year[1]],
        }

    @classmethod
    def from_json(cls, data: dict) -> Earlier:
        return cls(
            {k: (int(v[0]), list(v[1])) for k, v in data.get("ld", {}).items()},
            {k: (int(v[0]), list(v[1])) for k, v in data.get("recovery", {}).items()},
            (int(data.get("year", [0, []])[0]), list(data.get("year", [0, []])[1])),
        )


def _sums(rows: list[tuple[str, object]], key: str) -> dict[str, tuple[int, list[str]]]:
    out: dict[str, tuple[int, list[str]]] = {}
    for number, d in rows:
        k = str(d.basis.get(key))  # type: ignore[attr-defined]
        paise, bills = out.get(k, (0, []))
        out[k] = (paise + d.amount_paise, [*bills, number])  # type: ignore[attr-defined]
    return out


def live_earlier(uow: UnitOfWork, order: Order, at: datetime, bill_date: date) -> Earlier:
    """What the order's claiming bills computed before ``at`` took, read now."""
    ld = uow.finance.earlier_deductions(order.root.id, DeductionKind.LIQUIDATED_DAMAGES, at)
    rec = uow.finance.earlier_deductions(order.root.id, DeductionKind.RECOVERY, at)
    start, _ = rules.financial_year(bill_date)
    year = uow.finance.year_before(order.supplier.id, start, at)
    return Earlier(_sums(ld, "key"), _sums(rec, "ticket"), year)


def compute_bill(
    uow: UnitOfWork,
    order: Order,
    terms: PaymentTerms,
    rates: Rates,
    event: Event,
    claimed: Sequence[DeviceRecord],
    at: datetime,
    bill_date: date,
    earlier: Earlier,
) -> Computation:
    share = terms.share(event)
    counts = Counter(r.tranche_id for r in claimed)
    tranches = sorted(
        (order.tranches[t] for t in counts),
        key=lambda t: (t.number, order.consignee(t)),
    )
    lines = [
        Line(
            t.id,
            t.number,
            t.consignee_warehouse_id,
            counts[t.id],
            order.unit_before_gst_paise,
            share,
            order.gst_bp,
        )
        for t in tranches
    ]
    found = [_damages(uow, order, t, at, bill_date, earlier) for t in tranches]
    taxable = sum(line.taxable_paise for line in lines)
    contract = order.version_at(at).quantity * order.unit_before_gst_paise
    found.append(rules.tds_gst(taxable, contract, rules.in_force(rates.tds_gst, bill_date)))
    it_rate = rules.in_force(rates.tds_income_tax, bill_date)
    found.append(rules.tds_income_tax(taxable, earlier.year[0], it_rate, earlier.year[1]))
    found += _recoveries(uow, order, terms, at, earlier)
    return compute(lines, [d for d in found if d is not None])


def _damages(uow: UnitOfWork, order: Order, tranche, at: datetime, bill_date: date, earlier):  # noqa: ANN001, ANN202
    line = order.line_at(at, tranche)
    deliveries = uow.contracts.deliveries([line.id])[line.id]
    recorded = tuple(
        (d.quantity, d.delivered_on)
        for d in deliveries
        if utc(d.recorded_at) <= at and d.delivered_on <= bill_date
    )
    key = order.key(line)
    paise, bills = earlier.ld.get(key, (0, []))
    source = rules.TrancheDeliveries(
        key=key,
        tranche=line.number,
        consignee=order.consignee(line),
        due=line.due_date,
        unit_price_paise=order.version_at(at).unit_price_paise,
        deliveries=recorded,
        rate_bp_per_week=order.tender.ld_bp_per_week,
        cap_bp=order.tender.ld_cap_bp,
    )
    return rules.liquidated(source, paise, bills)


def _recoveries(uow: UnitOfWork, order: Order, terms: PaymentTerms, at: datetime, earlier):  # noqa: ANN001, ANN202
    devices = [device.id for device, _ in uow.finance.devices(order.version_ids)]
    out = []
    for ticket, serial in uow.finance.warranty_faults(devices):
        if utc(ticket.opened_at) > at:
            continue
        resolved = utc(ticket.resolved_at)
        breakdown = rules.Breakdown(
            ticket.number,
            serial,
            utc(ticket.due_at),
            resolved if resolved and resolved <= at else None,
        )
        paise, bills = earlier.recovery.get(ticket.number, (0, []))
        out.append(rules.recovery(breakdown, at, terms.recovery_paise_per_day, paise, bills))
    return out
