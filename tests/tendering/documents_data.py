"""A purchase order to print, shared by the document tests (synthetic names)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from oxychain.tendering.domain.documents import (
    ConsigneeTranche,
    Party,
    PurchaseOrderDocument,
    Signatory,
    SpecificationLine,
)

BUYER = Party(
    name="State Medical Supplies Corporation (demo)",
    name_hi="राज्य चिकित्सा आपूर्ति निगम (डेमो)",
    address="Lucknow, Uttar Pradesh",
    address_hi="लखनऊ, उत्तर प्रदेश",
)
SUPPLIER = Party(
    name="Ganga Medical Devices Pvt Ltd (synthetic)",
    address="Plot 12, Industrial Area, Kanpur",
    code="SUP-01",
    gstin="09AAACG1234A1Z5",
    email="tenders@ganga.example",
    phone="+91 512 000 0000",
)


def purchase_order(**changes) -> PurchaseOrderDocument:  # noqa: ANN003
    """1,200 concentrators at ₹41,650 each + 12 % GST: ₹5,59,77,600.00 in all."""
    fields = dict(
        number="PO/2026/0007",
        version=1,
        issued_on=date(2026, 11, 27),
        tender_reference="SMSC/2026/OC-02",
        award_reference="AW/2026/0007",
        buyer=BUYER,
        supplier=SUPPLIER,
        item_code="OC-10",
        item_name="Oxygen concentrator, 10 LPM",
        item_name_hi="ऑक्सीजन कॉन्सेंट्रेटर, 10 एलपीएम",
        quantity=1200,
        unit_price=Decimal("41650"),
        gst_pct=Decimal("12"),
        tranches=(
            ConsigneeTranche(
                1,
                "District Drug Warehouse, Lucknow",
                "जिला औषधि भंडार, लखनऊ",
                500,
                date(2026, 12, 27),
                "Lucknow",
                "लखनऊ",
            ),
            ConsigneeTranche(
                2,
                "District Drug Warehouse, Prayagraj",
                "जिला औषधि भंडार, प्रयागराज",
                400,
                date(2027, 1, 10),
                "Prayagraj",
                "प्रयागराज",
            ),
            ConsigneeTranche(
                3,
                "District Drug Warehouse, Gorakhpur",
                "जिला औषधि भंडार, गोरखपुर",
                300,
                date(2027, 1, 24),
                "Gorakhpur",
                "गोरखपुर",
            ),
        ),
        specification=(
            SpecificationLine("Oxygen purity", "ऑक्सीजन शुद्धता", "93 % ± 3 at rated flow"),
            SpecificationLine("Rated flow", "रेटेड प्रवाह", "10 LPM"),
            SpecificationLine("Noise", "शोर", "≤ 50 dBA"),
        ),
        performance_security_pct=Decimal("3"),
        performance_security_valid_until=date(2029, 3, 25),
        warranty_months=24,
        signatory=Signatory("R. K. Verma", "General Manager (Procurement)", "महाप्रबंधक (क्रय)"),
    )
    fields.update(changes)
    return PurchaseOrderDocument(**fields)
