"""Purchase orders: the figures, amounts in lakh and crore, and the Hindi-English PDF
read back with pdftotext (Debian's poppler-utils)."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest

from oxychain.core import pdf
from oxychain.core.amount_words import number_in_words, rupees_in_words
from oxychain.core.errors import InvalidInput
from oxychain.tendering.services.documents import purchase_order_pdf
from tests.tendering.documents_data import purchase_order

DEVANAGARI = range(0x0900, 0x0980)


@pytest.mark.parametrize(
    ("n", "english", "hindi"),
    [
        (0, "Zero", "शून्य"),
        (19, "Nineteen", "उन्नीस"),
        (78, "Seventy-Eight", "अठहत्तर"),
        (101, "One Hundred One", "एक सौ एक"),
        (1_00_000, "One Lakh", "एक लाख"),
        (12_34_567, "Twelve Lakh Thirty-Four Thousand Five Hundred Sixty-Seven",
         "बारह लाख चौंतीस हज़ार पाँच सौ सड़सठ"),
        (7_00_00_000, "Seven Crore", "सात करोड़"),
        (1_00_00_00_000, "One Hundred Crore", "एक सौ करोड़"),
    ],
)  # fmt: skip
def test_numbers_in_words(n: int, english: str, hindi: str) -> None:
    assert number_in_words(n) == english
    assert number_in_words(n, "hi") == hindi


def test_rupees_in_words_with_paise() -> None:
    assert rupees_in_words(Decimal("5597760.50")) == (
        "Rupees Fifty-Five Lakh Ninety-Seven Thousand Seven Hundred Sixty and Fifty Paise Only"
    )
    assert rupees_in_words(Decimal("5597760.50"), "hi") == (
        "रुपये पचपन लाख सत्तानबे हज़ार सात सौ साठ और पचास पैसे मात्र"
    )
    with pytest.raises(ValueError):
        number_in_words(-1)


def test_purchase_order_figures() -> None:
    po = purchase_order()
    assert po.value == Decimal("49980000.00")  # 1,200 × ₹41,650
    assert po.gst == Decimal("5997600.00")  # 12 %
    assert po.total == Decimal("55977600.00")
    assert po.performance_security == Decimal("1679328.00")  # 3 %
    assert po.ld_cap == Decimal("5597760.00")  # 10 %


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": 1000}, "The tranches add up to {tranches} units "
         "but the order is for {quantity}."),
        ({"version": 2}, "An amended purchase order must name the version it amends."),
        ({"unit_price": Decimal(0)}, "The unit price must be positive."),
        ({"tranches": ()}, "A purchase order needs at least one consignee tranche."),
        ({"gst_pct": Decimal(140)}, "A percentage must lie between 0 and 100."),
    ],
)  # fmt: skip
def test_purchase_order_refuses_what_cannot_be_printed(changes: dict, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        purchase_order(**changes)
    assert refused.value.template == message


def _text(document: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext missing: install Debian's poppler-utils"
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=document, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode("utf-8").split())


@pytest.fixture(scope="module")
def bilingual_text() -> str:
    document = purchase_order_pdf(purchase_order())
    assert document.startswith(b"%PDF-")
    return _text(document)


@pytest.mark.parametrize(
    "expected",
    [
        # Hindi, as written (conjuncts and matras survive the text layer)
        "क्रय आदेश", "आपूर्तिकर्ता", "परेषिती और आपूर्ति किस्तें", "जिला औषधि भंडार, प्रयागराज",
        "कार्य निष्पादन प्रतिभूति", "परिनिर्धारित क्षतिपूर्ति", "ऑक्सीजन कॉन्सेंट्रेटर, 10 एलपीएम",
        "रुपये पाँच करोड़ उनसठ लाख सतहत्तर हज़ार छह सौ मात्र", "कृते", "पृष्ठ / Page 1 / 2",
        # English
        "Purchase order", "Consignees and delivery tranches", "Liquidated damages",
        "Rupees Five Crore Fifty-Nine Lakh Seventy-Seven Thousand Six Hundred Only",
        # figures: Indian grouping, Indian dates
        "₹41,650.00", "₹4,99,80,000.00", "₹5,59,77,600.00", "₹16,79,328.00", "₹55,97,760.00",
        "1,200 इकाइयाँ / units", "27-12-2026", "10-01-2027", "PO/2026/0007",
        "0.5 % of the value of the delayed goods", "up to 10 % of the total",
    ],
)  # fmt: skip
def test_bilingual_purchase_order_pdf_reads_back(bilingual_text: str, expected: str) -> None:
    assert expected in bilingual_text


def test_amendment_names_the_version_it_replaces() -> None:
    po = purchase_order(version=2, amends="PO/2026/0007 version 1", amendment_reason="Tranche 3")
    text = _text(purchase_order_pdf(po, lang="en"))
    assert "This version amends PO/2026/0007 version 1 and replaces it. Reason: Tranche 3" in text
    assert "Version 2" in text
    assert not any(ord(c) in DEVANAGARI for c in text)  # English only


def test_documents_fetch_nothing_but_data_and_fonts() -> None:
    fetcher = pdf.local_fetcher()
    for url in ("https://example.com/logo.png", "file:///etc/passwd", "ftp://x/y"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    with pytest.raises(KeyError):
        pdf.environment("fr")


def test_hindi_only_purchase_order() -> None:
    text = _text(purchase_order_pdf(purchase_order(), lang="hi"))
    assert "क्रय आदेश" in text and "परिनिर्धारित क्षतिपूर्ति" in text
    assert "रुपये पाँच करोड़ उनसठ लाख सतहत्तर हज़ार छह सौ मात्र" in text
    assert "Purchase order" not in text and "Rupees" not in text


def test_an_unchanged_document_is_laid_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same HTML is the same PDF: the second download skips layout; a change lays out anew."""
    first = purchase_order_pdf(purchase_order(), lang="en")

    def no_layout():  # noqa: ANN202
        raise AssertionError("laid out again")

    monkeypatch.setattr(pdf, "_weasyprint", no_layout)
    assert purchase_order_pdf(purchase_order(), lang="en") == first
    with pytest.raises(AssertionError, match="laid out again"):
        purchase_order_pdf(
            purchase_order(
                version=2,
                amends="PO/2026/0007 version 1",
                amendment_reason="Tranche 4 moved to Jhansi",
            ),
            lang="en",
        )
