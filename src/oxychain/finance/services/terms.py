"""Payment terms per tender: set while the tender is a draft, frozen once it is published.

A tender published without terms of its own is paid on the settings' default terms,
stored (frozen) with the first bill against it, so later changes to the settings never
change how an old contract is paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.config import CoreSettings
from oxychain.core.uow import UnitOfWork
from oxychain.finance.domain import terms as rules
from oxychain.finance.domain.money import RUPEE
from oxychain.finance.domain.terms import PaymentTerms
from oxychain.finance.tables import PaymentTermsRow
from oxychain.tendering.domain.tender import TenderStatus
from oxychain.tendering.services.tenders import require_tender
from oxychain.tendering.tables import Tender


def defaults(settings: CoreSettings) -> PaymentTerms:
    return rules.make_terms(
        [(str(e), int(s)) for e, s in settings.finance_milestones],
        settings.finance_pay_within_days,
        settings.finance_recovery_rupees_per_day * RUPEE,
    )


def _of(row: PaymentTermsRow) -> PaymentTerms:
    return rules.make_terms(
        [(str(e), int(s)) for e, s in row.milestones],
        row.pay_within_days,
        row.recovery_paise_per_day,
    )


def terms_of(uow: UnitOfWork, tender: Tender, settings: CoreSettings) -> tuple[PaymentTerms, str]:
    """Inside a unit of work: the tender's terms and where they come from (tender, defaults,
    or "settings" for the defaults not yet frozen)."""
    row = uow.finance.terms(tender.id)
    return (_of(row), row.source) if row else (defaults(settings), "settings")


def frozen_terms(
    uow: UnitOfWork, tender: Tender, settings: CoreSettings, now: datetime
) -> PaymentTerms:
    """Inside a writing unit of work: the tender's terms, the defaults stored if it has none."""
    row = uow.finance.terms(tender.id)
    if row is not None:
        return _of(row)
    terms = defaults(settings)
    uow.finance.add(_row(tender, terms, "defaults", uow.principal.username, now))
    uow.record("terms.freeze", "tender", tender.reference, None, {"milestones": terms.as_rows()})
    return terms


def _row(
    tender: Tender, terms: PaymentTerms, source: str, by: str, now: datetime
) -> PaymentTermsRow:
    return PaymentTermsRow(
        tender_id=tender.id,
        milestones=terms.as_rows(),
        pay_within_days=terms.pay_within_days,
        recovery_paise_per_day=terms.recovery_paise_per_day,
        source=source,
        set_by=by[:64],
        set_at=now,
    )


@dataclass(frozen=True)
class SetTerms:
    milestones: list[tuple[str, int]]
    pay_within_days: int
    recovery_paise_per_day: int


def set_terms(
    uow: UnitOfWork, reference: str, cmd: SetTerms, now: datetime | None = None
) -> PaymentTerms:
    """A procurement officer sets a draft tender's payment terms."""
    require(uow.principal, "terms.write")
    terms = rules.make_terms(cmd.milestones, cmd.pay_within_days, cmd.recovery_paise_per_day)
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")  # publication waits, or wins
        rules.check_editable(tender.status)
        row = uow.finance.terms(tender.id)
        before = {"milestones": row.milestones} if row else None
        if row is None:
            uow.finance.add(_row(tender, terms, "tender", uow.principal.username, now))
        else:
            row.milestones, row.pay_within_days = terms.as_rows(), terms.pay_within_days
            row.recovery_paise_per_day, row.set_at = terms.recovery_paise_per_day, now
            row.set_by = uow.principal.username[:64]
            uow.finance.add(row)
        after = {
            "milestones": terms.as_rows(),
            "pay_within_days": terms.pay_within_days,
            "recovery_paise_per_day": terms.recovery_paise_per_day,
        }
        uow.record("terms.set", "tender", reference, before, after)
        uow.commit()
        return terms


@dataclass(frozen=True)
class TermsView:
    tender: Tender
    terms: PaymentTerms
    source: str  # tender | defaults | settings
    editable: bool


def terms_view(uow: UnitOfWork, reference: str, settings: CoreSettings) -> TermsView:
    require(uow.principal, "terms.read")
    with uow:
        tender = require_tender(uow, reference)  # a draft: headquarters only
        terms, source = terms_of(uow, tender, settings)
        editable = TenderStatus(tender.status) is TenderStatus.DRAFT
        return TermsView(tender, terms, source, editable)
