"""A purchase order as the document the corporation signs: ``domain.documents`` data for
``services.transparency.purchase_order_pdf`` (the transparency area's PDF writer)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from oxychain.adapters.uow import UnitOfWork
from oxychain.domain import catalogue
from oxychain.domain.access import require
from oxychain.domain.documents import (
    ConsigneeTranche,
    Party,
    PurchaseOrderDocument,
    Signatory,
    SpecificationLine,
)
from oxychain.domain.people import ObjectScope
from oxychain.services.contracts import purchase_order_view
from oxychain.services.tendering import today_in_india

SIGNATORY_DESIGNATION = ("Procurement Officer", "क्रय अधिकारी")


def purchase_order_document(uow: UnitOfWork, po_id: int, buyer: Party) -> PurchaseOrderDocument:
    require(uow.principal, "po.read")
    view = purchase_order_view(uow, po_id)
    require(uow.principal, "po.read", ObjectScope(supplier_id=view.po.supplier_id))
    with uow:
        result = next(
            r for r in uow.tenders.results(view.tender.id) if r.bid_id == view.award.bid_id
        )
        officer = uow.tenders.user(view.tender.created_by_id) if view.tender.created_by_id else None
        districts = {d.id: d for d in uow.masterdata.districts()}
    gst = Decimal(result.gst_bp) / 100
    if view.po.unit_price_paise == result.evaluated_unit_paise:
        unit = Decimal(result.unit_price_paise) / 100
    else:  # a bidder who matched L1's price: L1's landed price, with its own GST rate
        unit = (Decimal(view.po.unit_price_paise) / (1 + gst / 100) / 100).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    item = catalogue.item_by_code(view.item.code)
    s = view.supplier
    previous = view.versions[view.versions.index(view.po) - 1] if view.po.version > 1 else None
    return PurchaseOrderDocument(
        number=view.po.number,
        version=view.po.version,
        issued_on=today_in_india(view.po.issued_at),
        tender_reference=view.tender.reference,
        buyer=buyer,
        supplier=Party(name=s.name, address=s.address, code=s.code, email=s.email, phone=s.phone),
        item_code=item.code,
        item_name=item.name,
        item_name_hi=item.name_hi,
        quantity=view.po.quantity,
        unit_price=unit,
        gst_pct=gst,
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
        signatory=Signatory(
            officer.display_name if officer else buyer.name, *SIGNATORY_DESIGNATION
        ),
        specification=tuple(
            SpecificationLine(lim.label, lim.label_hi, lim.describe()) for lim in item.limits
        ),
        amends=f"{previous.number} version {previous.version}" if previous else None,
        amendment_reason=view.po.amendment_reason or "",
        award_reference=view.award.letter_number,
        ld_pct_per_week=Decimal(view.tender.ld_bp_per_week) / 100,
        ld_cap_pct=Decimal(view.tender.ld_cap_bp) / 100,
        warranty_months=view.tender.warranty_months,
    )
