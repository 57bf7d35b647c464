"""The ledger of a purchase order or a supplier: value delivered at the milestones reached,
billed, deducted, paid and outstanding, and the ageing of unpaid bills.

* delivered: what the devices' milestones are worth, as billed where a claiming bill holds
  them and at the order's price (the same line rule and rounding as a bill) where not yet;
* deducted: the deductions of claiming bills; paid: the payments;
* outstanding = delivered − deducted − paid: what the corporation still owes for what it
  received (on passed bills, on bills awaiting the check, and not yet billed).

Ageing counts the days since a bill was submitted, for every claiming bill with something
left to pay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from oxychain.core.i18n import N_

#: (first day, last day or None, label) of each ageing bucket.
AGEING = (
    (0, 30, N_("0-30 days")),
    (31, 60, N_("31-60 days")),
    (61, 90, N_("61-90 days")),
    (91, None, N_("over 90 days")),
)


def bucket(days: int) -> str:
    for low, high, label in AGEING:
        if days >= low and (high is None or days <= high):
            return label
    return AGEING[0][2]  # dated in the future: not yet aged


@dataclass
class Account:
    """One purchase order's (or a supplier's, or the state's) running account, in paise."""

    billed: int = 0  # gross of claiming bills
    unbilled: int = 0  # milestones reached, not on a claiming bill
    deducted: int = 0
    paid: int = 0
    awaiting_check: int = 0  # net of submitted bills
    payable: int = 0  # passed and partly paid bills: net less paid
    ageing: dict[str, int] = field(default_factory=lambda: {label: 0 for *_, label in AGEING})

    @property
    def delivered(self) -> int:
        return self.billed + self.unbilled

    @property
    def outstanding(self) -> int:
        return self.delivered - self.deducted - self.paid

    def add(self, other: Account) -> None:
        for name in ("billed", "unbilled", "deducted", "paid", "awaiting_check", "payable"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for label, amount in other.ageing.items():
            self.ageing[label] += amount


def total(accounts: Iterable[Account]) -> Account:
    out = Account()
    for account in accounts:
        out.add(account)
    return out
