"""Transparency: the purchase-order and letter-of-award PDFs, the open-contracting export
and the red flags.

Reading only: nothing here changes the state, so nothing is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from oxychain.transparency.domain import ocds
from oxychain.core.uow import UnitOfWork
from oxychain.core.config import Settings
from oxychain.core.access import require
from oxychain.tendering.domain.documents import LetterOfAwardDocument, Party, PurchaseOrderDocument
from oxychain.transparency.domain.redflags import RedFlag, RedFlagRules, red_flags
from oxychain.transparency.domain.records import ContractingRecords

PURCHASE_ORDER_TEMPLATE = "pdf/purchase_order.html"
LETTER_OF_AWARD_TEMPLATE = "pdf/letter_of_award.html"


def buyer_party(settings: Settings) -> Party:
    """The corporation as printed on its documents (OXYCHAIN_BUYER_* settings)."""
    return Party(
        name=settings.buyer_name,
        name_hi=settings.buyer_name_hi,
        address=settings.buyer_address,
        address_hi=settings.buyer_address_hi,
    )


def purchase_order_pdf(document: PurchaseOrderDocument, *, lang: str = "hi+en") -> bytes:
    """The purchase order as a PDF: Hindi and English by default, or "hi" / "en"."""
    # Imported here: WeasyPrint loads Pango when imported, and the export and the red flags
    # must work on a machine without it.
    from oxychain.core import pdf

    context = {
        "po": document,
        "document_ref": f"{document.number} · v{document.version}",
        "issuer": document.buyer.name,
    }
    return pdf.render_pdf(PURCHASE_ORDER_TEMPLATE, context, lang=lang)


def letter_of_award_pdf(document: LetterOfAwardDocument, *, lang: str = "hi+en") -> bytes:
    """The letter of award as a PDF: Hindi and English by default, or "hi" / "en"."""
    from oxychain.core import pdf

    context = {
        "loa": document,
        "document_ref": document.number,
        "issuer": document.buyer.name,
    }
    return pdf.render_pdf(LETTER_OF_AWARD_TEMPLATE, context, lang=lang)


def contracting_records(uow: UnitOfWork) -> ContractingRecords:
    with uow:
        return uow.transparency.records()


def publisher(settings: Settings) -> ocds.Publisher:
    return ocds.Publisher(
        name=settings.buyer_name,
        address=settings.buyer_address,
        ocid_prefix=settings.ocds_ocid_prefix,
        base_uri=settings.ocds_base_uri,
    )


def ocds_package(uow: UnitOfWork, settings: Settings, now: datetime | None = None) -> dict:
    """One OCDS 1.1 release package of every published tender (public information)."""
    records = contracting_records(uow)
    moment = now or datetime.now(UTC).replace(microsecond=0)
    return ocds.release_package(records, publisher(settings), moment)


def rules(settings: Settings) -> RedFlagRules:
    return RedFlagRules(
        min_bid_period_days=settings.redflag_min_bid_period_days,
        close_bid_pct=Decimal(str(settings.redflag_close_bid_pct)),
        discount_pct=Decimal(str(settings.redflag_discount_pct)),
        over_reference_pct=Decimal(str(settings.redflag_over_reference_pct)),
        frequent_bidder_min_bids=settings.redflag_frequent_bidder_min_bids,
        frequent_bidder_max_win_pct=Decimal(str(settings.redflag_frequent_bidder_max_win_pct)),
        rotation_min_tenders=settings.redflag_rotation_min_tenders,
    )


def red_flag_report(uow: UnitOfWork, settings: Settings) -> list[RedFlag]:
    """Every red flag over all tenders (procurement officer, auditor)."""
    require(uow.principal, "redflags.read")
    return red_flags(contracting_records(uow), rules(settings))
