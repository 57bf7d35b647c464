"""The letter of award's figures: total, split share and the date the security is due."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from oxychain.core.errors import InvalidInput
from oxychain.tendering.domain.documents import LetterOfAwardDocument, Party, Signatory


def letter(**changes) -> LetterOfAwardDocument:  # noqa: ANN003
    fields = {
        "number": "LOA/OXY-01/2",
        "issued_on": date(2026, 11, 27),
        "tender_reference": "OXY-01",
        "tender_title": "Oxygen concentrators",
        "buyer": Party("Corporation"),
        "supplier": Party("Ganga Medical Devices", "Lucknow"),
        "item_code": "OC-10",
        "item_name": "Oxygen concentrator, 10 LPM",
        "item_name_hi": "ऑक्सीजन कॉन्सन्ट्रेटर",
        "quantity": 150,
        "tender_quantity": 600,
        "unit_price": Decimal("59136.00"),
        "basis": "mse_match",
        "performance_security_pct": Decimal("3"),
        "performance_security": Decimal("266112.00"),
        "signatory": Signatory("Officer", "Procurement Officer", "क्रय अधिकारी"),
    }
    return LetterOfAwardDocument(**{**fields, **changes})


def test_total_share_and_security_due_date() -> None:
    loa = letter()
    assert loa.total == Decimal("8870400.00")
    assert loa.share_pct == Decimal("25.00")
    assert loa.security_due_on == date(2026, 12, 18)  # 21 days after the letter
    assert letter(quantity=600).share_pct is None


@pytest.mark.parametrize(
    "changes", [{"number": " "}, {"quantity": 0}, {"quantity": 601}, {"unit_price": Decimal(0)}]
)
def test_a_letter_that_cannot_be_issued_is_refused(changes: dict) -> None:
    with pytest.raises(InvalidInput):
        letter(**changes)
