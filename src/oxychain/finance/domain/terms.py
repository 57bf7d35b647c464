"""Payment terms of a tender: milestones as shares of a tranche's value, each paid when an
event the system records has happened to a device, and the days within which the
corporation should pay a bill.

The terms are part of the tender's rules: a procurement officer sets them while the tender
is a draft, and they are frozen once it is published (DOMAIN.md, "The rules of a tender are
frozen once it is published"). The events are the ones oxychain already records:

* ``receipt``: the device was accepted in inspection and received at the consignee (its
  challan's receipt is closed with the device scanned in);
* ``installation``: the device was installed and accepted on a consignee receipt and
  acceptance certificate (CRAC).

The usual split (80 % on receipt, 20 % on installation) is a setting, not a rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.finance.domain.money import BP, RUPEE
from oxychain.tendering.domain.tender import TenderStatus


class Event(StrEnum):
    RECEIPT = "receipt"
    INSTALLATION = "installation"


#: The order a device meets the events in; milestones follow it.
EVENT_ORDER = (Event.RECEIPT, Event.INSTALLATION)
EVENT_LABELS = {
    Event.RECEIPT: N_("receipt and acceptance at the consignee"),
    Event.INSTALLATION: N_("installation and acceptance certificate"),
}
MAX_PAY_DAYS = 365
MAX_RECOVERY_PAISE_PER_DAY = 1_00_000 * RUPEE  # ₹1 lakh a day: a bound on input, not a rule


@dataclass(frozen=True)
class Milestone:
    event: Event
    share_bp: int


@dataclass(frozen=True)
class PaymentTerms:
    milestones: tuple[Milestone, ...]
    pay_within_days: int
    recovery_paise_per_day: int  # per defective device past its warranty SLA

    def share(self, event: Event | str) -> int:
        for milestone in self.milestones:
            if milestone.event == event:
                return milestone.share_bp
        raise InvalidInput("The tender's payment terms have no milestone on {event}.", event=event)

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(m.event for m in self.milestones)

    def as_rows(self) -> list[list[object]]:
        return [[m.event.value, m.share_bp] for m in self.milestones]


def make_terms(
    milestones: Sequence[tuple[str, int]], pay_within_days: int, recovery_paise_per_day: int
) -> PaymentTerms:
    """Checked terms: known events, each once and in order, shares adding up to 100 %."""
    events = []
    for event, share in milestones:
        if event not in Event.__members__.values():
            raise InvalidInput("Unknown payment milestone {event}.", event=str(event)[:40])
        if not 0 < share <= BP:
            raise InvalidInput("A milestone's share must be above 0 and at most 100 %.")
        events.append(Event(event))
    if not events or len(set(events)) != len(events):
        raise InvalidInput("Name each payment milestone once.")
    if sorted(events, key=EVENT_ORDER.index) != events:
        raise InvalidInput("Milestones follow the order of events: receipt, then installation.")
    if sum(share for _, share in milestones) != BP:
        raise InvalidInput("The milestones' shares must add up to 100 %.")
    if not 0 < pay_within_days <= MAX_PAY_DAYS:
        raise InvalidInput("Pay within 1 to {most} days.", most=MAX_PAY_DAYS)
    if not 0 <= recovery_paise_per_day <= MAX_RECOVERY_PAISE_PER_DAY:
        raise InvalidInput("The recovery rate must be between ₹0 and ₹1,00,000 a day.")
    if recovery_paise_per_day % RUPEE:
        raise InvalidInput("The recovery rate is in whole rupees.")
    rows = tuple(Milestone(e, s) for e, (_, s) in zip(events, milestones, strict=True))
    return PaymentTerms(rows, pay_within_days, recovery_paise_per_day)


def check_editable(tender_status: str) -> None:
    """Terms change only while the tender is a draft: publication freezes them."""
    if TenderStatus(tender_status) is not TenderStatus.DRAFT:
        raise Conflict("Payment terms are frozen once the tender is published.")
