"""A purchase order and a letter of award as the documents the corporation signs:
``domain.documents`` data, and that data as PDFs (``purchase_order_pdf``,
``letter_of_award_pdf``).

Both are mapped from the stored award by the same helpers here: the supplier as a
``Party``, the price before GST from the financial result, and the signatory."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.config import CoreSettings
from oxychain.core.errors import NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.masterdata.domain import catalogue
from oxychain.masterdata.tables import Supplier
from oxychain.tendering.domain import contract as contracts
from oxychain.tendering.domain.documents import (
    ConsigneeTranche,
    LetterOfAwardDocument,
    Party,
    PurchaseOrderDocument,
    Signatory,
    SpecificationLine,
)
from oxychain.tendering.domain.tender import Policy
from oxychain.tendering.services.purchase_orders import purchase_order_view
from oxychain.tendering.tables import Award, FinancialResult, Tender

SIGNATORY_DESIGNATION = ("Procurement Officer", "क्रय अधिकारी")


def _result(uow: UnitOfWork, award: Award) -> FinancialResult:
    return next(r for r in uow.tenders.results(award.tender_id) if r.bid_id == award.bid_id)


def _unit_before_gst(result: FinancialResult, unit_paise: int) -> Decimal:
    """The price per unit before GST of an order or award at ``unit_paise`` (GST included)."""
    gst = Decimal(result.gst_bp) / 100
    if unit_paise == result.evaluated_unit_paise:
        return Decimal(result.unit_price_paise) / 100
    # a bidder who matched L1's price: L1's landed price, with its own GST rate
    return (Decimal(unit_paise) / (1 + gst / 100) / 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _supplier(s: Supplier) -> Party:
    return Party(name=s.name, address=s.address, code=s.code, email=s.email, phone=s.phone)


def _signatory(uow: UnitOfWork, tender: Tender, buyer: Party) -> Signatory:
    """Inside a unit of work: the officer who created the tender signs for the buyer."""
    officer = uow.tenders.user(tender.created_by_id) if tender.created_by_id else None
    return Signatory(officer.display_name if officer else buyer.name, *SIGNATORY_DESIGNATION)


def purchase_order_document(uow: UnitOfWork, po_id: int, buyer: Party) -> PurchaseOrderDocument:
    require(uow.principal, "po.read")
    view = purchase_order_view(uow, po_id)
    require(uow.principal, "po.read", ObjectScope(supplier_id=view.po.supplier_id))
    with uow:
        result = _result(uow, view.award)
        signatory = _signatory(uow, view.tender, buyer)
        districts = {d.id: d for d in uow.masterdata.districts()}
    item = catalogue.item_by_code(view.item.code)
    previous = view.versions[view.versions.index(view.po) - 1] if view.po.version > 1 else None
    return PurchaseOrderDocument(
        number=view.po.number,
        version=view.po.version,
        issued_on=clock.in_india(view.po.issued_at),
        tender_reference=view.tender.reference,
        buyer=buyer,
        supplier=_supplier(view.supplier),
        item_code=item.code,
        item_name=item.name,
        item_name_hi=item.name_hi,
        quantity=view.po.quantity,
        unit_price=_unit_before_gst(result, view.po.unit_price_paise),
        gst_pct=Decimal(result.gst_bp) / 100,
        tranches=tuple(
            ConsigneeTranche(
                number=t.tranche.number,
                consignee=t.warehouse.name,
                consignee_hi=t.warehouse.name_hi,
                quantity=t.tranche.quantity,
                due_date=t.tranche.due_date,
                district=districts[t.warehouse.district_id].name,
                district_hi=districts[t.warehouse.district_id].name_hi,
            )
            for t in view.tranches
        ),
        performance_security_pct=Decimal(view.award.performance_security_bp) / 100,
        performance_security_valid_until=view.security_required_until,
        signatory=signatory,
        specification=tuple(
            SpecificationLine(lim.label, lim.label_hi, lim.describe()) for lim in item.limits
        ),
        amends=f"{previous.number} version {previous.version}" if previous else None,
        amendment_reason=view.po.amendment_reason or "",
        award_reference=view.award.letter_number,
        ld_pct_per_week=Decimal(view.tender.ld_bp_per_week) / 100,
        ld_cap_pct=Decimal(view.tender.ld_cap_bp) / 100,
        warranty_months=view.tender.warranty_months,
        preference=view.preference,
    )


def letter_of_award_document(uow: UnitOfWork, bid_id: int, buyer: Party) -> LetterOfAwardDocument:
    """The letter of award of a bid's award: whoever may read its purchase order (the
    awarded supplier its own; the procurement officer and the auditor all)."""
    require(uow.principal, "po.read")
    with uow:
        bid = uow.tenders.bid(bid_id)
        require(uow.principal, "po.read", ObjectScope(supplier_id=bid.supplier_id))
        award = next((a for a in uow.contracts.awards(bid.tender_id) if a.bid_id == bid.id), None)
        if award is None:
            raise NotFound("No award for bid {id}.", id=bid_id)
        tender = uow.tenders.tender_by_id(award.tender_id)
        result = _result(uow, award)
        supplier = uow.tenders.supplier(award.supplier_id)
        signatory = _signatory(uow, tender, buyer)
        item = catalogue.item_by_code(uow.tenders.item(tender.item_id).code)
        bases = {a.basis for a in uow.contracts.awards(tender.id)}
        preference = contracts.preference(award.basis, Policy.of(tender), bases)
    return LetterOfAwardDocument(
        number=award.letter_number,
        issued_on=clock.in_india(award.awarded_at),
        tender_reference=tender.reference,
        tender_title=tender.title,
        tender_title_hi=tender.title_hi,
        buyer=buyer,
        supplier=_supplier(supplier),
        item_code=item.code,
        item_name=item.name,
        item_name_hi=item.name_hi,
        quantity=award.quantity,
        tender_quantity=tender.quantity,
        unit_price=Decimal(award.unit_price_paise) / 100,
        unit_price_before_gst=_unit_before_gst(result, award.unit_price_paise),
        gst_pct=Decimal(result.gst_bp) / 100,
        basis=award.basis,
        performance_security_pct=Decimal(award.performance_security_bp) / 100,
        performance_security=Decimal(award.performance_security_paise) / 100,
        signatory=signatory,
        preference=preference,
    )


PURCHASE_ORDER_TEMPLATE = "pdf/purchase_order.html"
LETTER_OF_AWARD_TEMPLATE = "pdf/letter_of_award.html"


def buyer_party(settings: CoreSettings) -> Party:
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
