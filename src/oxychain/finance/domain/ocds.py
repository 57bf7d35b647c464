"""Payments and deductions as OCDS 1.1 contract implementation transactions (DOMAIN.md,
"Open contracting (OCDS 1.1)": ``contracts[].implementation``).

A transaction (OCDS 1.1 schema, ``Transaction``) is money moving under a contract: ``id``,
``source``, ``date``, ``value`` {amount, currency}, ``payer`` and ``payee`` (organization
references), ``uri``. A payment to the supplier is one, payer the buyer. A deduction is
money the supplier gives up under the contract (liquidated damages, a recovery) or that the
buyer pays to the government on the supplier's account (TDS): each is a transaction from the
supplier's side, payer the supplier, payee the buyer, its id naming its kind, so that the
payments and the deductions of a bill add up to what the bill claimed.

Party references come from the caller (the open-contracting export names its parties).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from oxychain.finance.domain.money import RUPEE


@dataclass(frozen=True)
class Movement:
    """One payment or deduction of a bill, as the export needs it."""

    id: str  # unique within the contract: "<bill>-payment-<n>", "<bill>-<kind>-<n>"
    bill: str
    kind: str  # payment | liquidated_damages | tds_gst | tds_income_tax | recovery
    on: date
    amount_paise: int

    @property
    def is_payment(self) -> bool:
        return self.kind == "payment"


def transactions(
    movements: Sequence[Movement], buyer: dict[str, Any], supplier: dict[str, Any], source: str
) -> list[dict[str, Any]]:
    """The contract's implementation.transactions, oldest first."""
    out = []
    for m in sorted(movements, key=lambda m: (m.on, m.id)):
        payer, payee = (buyer, supplier) if m.is_payment else (supplier, buyer)
        out.append(
            {
                "id": m.id,
                "source": source,
                "date": f"{m.on.isoformat()}T00:00:00+05:30",
                "value": {"amount": _number(m.amount_paise), "currency": "INR"},
                "payer": payer,
                "payee": payee,
            }
        )
    return out


def _number(paise: int) -> int | float:
    rupees = Decimal(paise) / RUPEE
    return int(rupees) if rupees == rupees.to_integral_value() else float(rupees)
