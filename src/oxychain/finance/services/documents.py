"""A bill as a document: one PDF in Hindi and English (core.pdf), with its lines, every
deduction and its reason, its payments, and how its amounts were rounded."""

from __future__ import annotations

from decimal import Decimal

from oxychain.core.config import CoreSettings
from oxychain.core.uow import UnitOfWork
from oxychain.finance.domain.bill import STATUS_LABELS, BillStatus
from oxychain.finance.domain.deductions import KIND_LABELS
from oxychain.finance.domain.money import RUPEE
from oxychain.finance.domain.terms import EVENT_LABELS, Event
from oxychain.finance.services.views import BillView, bill_view
from oxychain.tendering.services.documents import buyer_party

TEMPLATE = "pdf/bill.html"


def bill_pdf(uow: UnitOfWork, settings: CoreSettings, number: str, *, lang: str = "hi+en") -> bytes:
    # Imported here: WeasyPrint loads Pango when imported.
    from oxychain.core import pdf

    view: BillView = bill_view(uow, settings, number)
    context = {
        "view": view,
        "buyer": buyer_party(settings),
        "document_ref": number,
        "status_label": STATUS_LABELS[BillStatus(view.bill.status)],
        "event_label": EVENT_LABELS[Event(view.bill.milestone)],
        "kinds": KIND_LABELS,
        "r": lambda paise: Decimal(paise) / RUPEE,  # rupees, exactly, for the filters
    }
    return pdf.render_pdf(TEMPLATE, {**context, "issuer": settings.buyer_name}, lang=lang)


def filename(number: str) -> str:
    return f"{number}.pdf"
