"""Tendering pages and API on the demo: each role's pages in Hindi and English, the public
notice without login, forms that refuse bad input without changing anything, the PO PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from fastapi.testclient import TestClient

from oxychain.core.people import SYSTEM, Role
from oxychain.tendering.demo import REFS
from tests.webclient import login_as, make_app

OPEN, SECOND = REFS[1], REFS[0]  # sealed, waiting for its opening; awarded and under supply


@pytest.fixture
def site(demo):  # noqa: ANN001, ANN201
    url, logins = demo
    app, oxy = make_app(url)
    yield app, oxy, logins
    oxy.close()


def _as(site, role: Role, lang: str | None = None):  # noqa: ANN001, ANN202
    app, oxy, logins = site
    rc = login_as(app, oxy, role.value, *logins[role.value])
    if lang:
        rc.client.put(
            "/api/v1/me/language", json={"language": lang}, headers={"X-CSRF-Token": rc.csrf}
        )
    return rc


def _ids(site) -> dict:  # noqa: ANN001
    _, oxy, _ = site
    with oxy.uow(SYSTEM) as uow:
        sup01 = uow.masterdata.supplier_by_code("SUP-01").id
        own = next(
            b for b in uow.tenders.bids(uow.tenders.tender(OPEN).id) if b.supplier_id == sup01
        )
        po = next(o for o in uow.contracts.purchase_orders() if o.supplier_id == sup01)
        return {"bid": own.id, "po": po.id}


PAGES = {
    Role.PROCUREMENT_OFFICER: [
        "/tenders",
        "/tenders/new",
        f"/tenders/{OPEN}",
        f"/tenders/{SECOND}",
        f"/tenders/{SECOND}/comparative",
        f"/tenders/{SECOND}/technical",
        "/purchase-orders",
        "/purchase-orders/{po}",
    ],
    Role.SUPPLIER: [
        f"/tenders/{OPEN}",
        f"/tenders/{OPEN}/bid",
        "/bids/{bid}",
        "/purchase-orders",
        "/purchase-orders/{po}",
    ],
    Role.BID_OPENER: [
        "/tenders",
        "/openers/key",
        f"/tenders/{OPEN}/opening",
        f"/tenders/{OPEN}/evaluation",
    ],
    Role.AUDITOR: ["/tenders", f"/tenders/{SECOND}", "/purchase-orders/{po}"],
}
WORDS = {"hi": ("निविदा", "क्रय आदेश"), "en": ("Tender", "Purchase order")}


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_each_roles_tender_pages_in_both_languages(site, lang: str) -> None:  # noqa: ANN001
    ids = _ids(site)
    for role, pages in PAGES.items():
        rc = _as(site, role, lang)
        for page in pages:
            response = rc.client.get(page.format(**ids))
            assert response.status_code == 200, (role, page, response.text[:300])
            assert f'<html lang="{lang}">' in response.text
    officer = _as(site, Role.PROCUREMENT_OFFICER, lang)
    statement = officer.client.get(f"/tenders/{SECOND}/comparative").text
    assert "₹59,136" in statement  # L1's ₹52,800 + 12 % GST, Indian grouping
    assert ("करोड़" if lang == "hi" else "crore") in statement
    order = officer.client.get(f"/purchase-orders/{ids['po']}").text
    assert any(word in order for word in WORDS[lang])


def test_the_tender_page_links_to_its_payment_terms(site) -> None:  # noqa: ANN001
    officer = _as(site, Role.PROCUREMENT_OFFICER, "en")
    page = officer.client.get(f"/tenders/{SECOND}").text
    link = re.search(r'<a href="([^"]+)" id="payment-terms-link">Payment terms</a>', page)
    assert link and link.group(1) == f"/tenders/{SECOND}/payment-terms"
    assert officer.client.get(link.group(1)).status_code == 200
    hindi = _as(site, Role.PROCUREMENT_OFFICER, "hi").client.get(f"/tenders/{SECOND}").text
    assert 'id="payment-terms-link">भुगतान की शर्तें</a>' in hindi


def test_the_public_notice_needs_no_login_and_shows_no_draft(site) -> None:  # noqa: ANN001
    app, _, _ = site
    anyone = TestClient(app)
    listing = anyone.get("/public/tenders")
    assert listing.status_code == 200 and OPEN in listing.text
    notice = anyone.get(f"/public/tenders/{SECOND}")
    assert notice.status_code == 200 and "LOA/" in notice.text and 'id="bids-hash"' in notice.text
    officer = _as(site, Role.PROCUREMENT_OFFICER)
    draft = {
        "reference": "OXY-DRAFT-01",
        "title": "Draft",
        "title_hi": "मसौदा",
        "item": "OC-5",
        "quantity": "10",
        "estimated_value": "5,00,000",
        "emd_pct": "2",
        "ps_pct": "3",
        "deadline": "2099-01-01T11:00",
        "opening_at": "2099-01-01T11:30",
        "k": "2",
        "qty_0": "10",
        "due_0": "30",
        "warehouse_0": "WH-CENTRAL-LKO",
        "csrf_token": officer.csrf,
    }
    assert officer.post("/tenders", data=draft).status_code == 303
    assert anyone.get("/public/tenders/OXY-DRAFT-01").status_code == 404
    assert "OXY-DRAFT-01" not in anyone.get("/public/tenders").text
    assert _as(site, Role.SUPPLIER).client.get("/tenders/OXY-DRAFT-01").status_code == 404


def test_bad_tender_forms_change_nothing(site) -> None:  # noqa: ANN001
    officer = _as(site, Role.PROCUREMENT_OFFICER, "en")
    before = officer.client.get("/api/v1/tenders").json()
    base = {
        "reference": "OXY-BAD-01",
        "title": "T",
        "title_hi": "टी",
        "item": "OC-5",
        "quantity": "10",
        "estimated_value": "5,00,000",
        "emd_pct": "2",
        "ps_pct": "3",
        "deadline": "2099-01-01T11:00",
        "opening_at": "2099-01-01T11:30",
        "k": "2",
        "qty_0": "10",
        "due_0": "30",
        "warehouse_0": "WH-CENTRAL-LKO",
        "csrf_token": officer.csrf,
    }
    bad = [
        {"emd_pct": "7"},  # GFR 170: 2-5 %
        {"ps_pct": "12"},  # not the rate in force
        {"qty_0": "9"},  # consignees do not add up
        {"deadline": "2001-01-01T11:00", "opening_at": "2001-01-01T12:00"},
        {"opening_at": "2098-12-31T11:00"},  # before the deadline
        {"k": "1"},
        {"reference": "no spaces allowed"},
        {"estimated_value": "lots"},
        {"deadline": "tomorrow"},
        {"item": "OC-99"},
    ]
    for change in bad:
        response = officer.post("/tenders", data={**base, **change})
        assert response.status_code in (404, 409, 422), (change, response.status_code)
        assert 'role="alert"' in response.text, change
    assert officer.client.get("/api/v1/tenders").json() == before
    assert officer.post("/tenders", data=base).status_code == 303
    again = officer.post("/tenders", data=base)
    assert again.status_code == 409


def test_an_officer_runs_a_draft_to_publication_through_the_api(site) -> None:  # noqa: ANN001
    officer = _as(site, Role.PROCUREMENT_OFFICER)
    body = {
        "reference": "OXY-API-01",
        "title": "Concentrators",
        "title_hi": "कॉन्सन्ट्रेटर",
        "item": "OC-10",
        "quantity": 40,
        "estimated_value_paise": 20_00_000_00,
        "performance_security_bp": 300,
        "deadline": "2099-01-01T05:30:00Z",
        "opening_at": "2099-01-01T06:00:00+00:00",
        "mse_preference": True,
        "consignees": [
            {"tranche": 1, "warehouse": "WH-CENTRAL-LKO", "quantity": 40, "due_days": 30}
        ],
    }
    created = officer.client.post(
        "/api/v1/tenders", json=body, headers={"X-CSRF-Token": officer.csrf}
    )
    assert created.status_code == 201, created.text
    assert created.json()["emd_paise"] == 40_000_00 and created.json()["status"] == "draft"
    assert created.json()["bid_security_mode"] == "emd"  # the default outside 2020-2021
    declared = officer.client.post(
        "/api/v1/tenders",
        json={
            **body,
            "reference": "OXY-API-03",
            "bid_security_mode": "declaration",
            "declaration_suspension_months": 24,
        },
        headers={"X-CSRF-Token": officer.csrf},
    )
    assert declared.status_code == 201, declared.text
    out = declared.json()
    assert (out["bid_security_mode"], out["emd_paise"], out["declaration_suspension_months"]) == (
        "declaration",
        0,
        24,
    )
    page = officer.client.get("/tenders/OXY-API-03").text
    assert 'data-mode="declaration"' in page and "24" in page
    unstated = officer.client.post(
        "/api/v1/tenders",
        json={**body, "reference": "OXY-API-04", "bid_security_mode": "declaration"},
        headers={"X-CSRF-Token": officer.csrf},
    )
    assert unstated.status_code == 422 and "suspension" in unstated.text
    naive = officer.client.post(
        "/api/v1/tenders",
        json={**body, "reference": "OXY-API-02", "deadline": "2099-01-01T05:30:00"},
        headers={"X-CSRF-Token": officer.csrf},
    )
    assert naive.status_code == 422  # a time without its offset
    refused = officer.client.post(
        "/api/v1/tenders/OXY-API-01/publish", headers={"X-CSRF-Token": officer.csrf}
    )
    assert refused.status_code == 409  # no committee yet
    for name in ("demo.bid-opener", "demo.bid-opener-2"):
        added = officer.client.post(
            "/api/v1/tenders/OXY-API-01/committee",
            json={"username": name},
            headers={"X-CSRF-Token": officer.csrf},
        )
        assert added.status_code == 201, added.text
    published = officer.client.post(
        "/api/v1/tenders/OXY-API-01/publish", headers={"X-CSRF-Token": officer.csrf}
    )
    assert published.status_code == 200 and published.json()["rules_sha256"]
    corrigendum = officer.client.post(
        "/api/v1/tenders/OXY-API-01/corrigenda",
        json={
            "text": "Bid validity extended, deadline brought forward.",
            "bid_validity_days": 120,
            "deadline": "2098-12-31T05:30:00Z",
        },
        headers={"X-CSRF-Token": officer.csrf},
    )
    assert corrigendum.status_code == 201, corrigendum.text
    # The notice names what changed in the reader's language, moments in IST.
    officer.client.put(
        "/api/v1/me/language", json={"language": "hi"}, headers={"X-CSRF-Token": officer.csrf}
    )
    notice = officer.client.get("/tenders/OXY-API-01").text
    corrigenda = notice.split('id="corrigenda"')[1].split("</section>")[0]
    changes = corrigenda.split('<small class="muted">')[1].split("</small>")[0]
    assert "बोली की वैधता: 90 दिन → 120 दिन" in changes
    assert "01-01-2099 11:00 IST → 31-12-2098 11:00 IST" in changes
    assert "bid_validity_days" not in changes and "deadline" not in changes
    assert "+00:00" not in changes
    after = officer.client.get("/api/v1/tenders/OXY-API-01").json()
    assert (
        after["bid_validity_days"] == 120
        and after["rules_sha256"] != published.json()["rules_sha256"]
    )


def test_the_purchase_order_pdf_is_in_hindi_and_english(site) -> None:  # noqa: ANN001
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    ids = _ids(site)
    supplier = _as(site, Role.SUPPLIER)
    response = supplier.client.get(f"/purchase-orders/{ids['po']}/pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "क्रय आदेश" in text and "Purchase order" in text
    assert re.search(r"₹\d{1,2},\d\d,\d\d\d\.\d\d", text)  # lakh grouping: ₹88,70,400.00


def test_the_demos_open_tender_is_sealed_to_the_demo_keys_on_disk(site) -> None:  # noqa: ANN001
    """The demo prints where its openers' private keys are; they do open their shares."""
    from pathlib import Path

    from oxychain.tendering import sealing

    _, oxy, _ = site
    folder = Path(oxy.settings.demo_keys_dir)
    with oxy.uow(SYSTEM) as uow:
        tender = uow.tenders.tender(OPEN)
        live = uow.tenders.bids(tender.id, live_only=True)
        covers = uow.tenders.covers([b.id for b in live])
        members = [m.opener_id for m in uow.tenders.committee(tender.id)]
    assert tender.status == "published" and len(live) == 3
    assert all(c.status == "sealed" and c.content is None for c in covers.values())
    for opener in members:
        key = folder / f"{opener}.jwk"
        assert oct(key.stat().st_mode & 0o777) == "0o600"
        for cover in covers.values():
            share = sealing.decrypt_share(cover.envelope, opener, key.read_text())
            assert share.opener == opener


def _awards(site) -> dict:  # noqa: ANN001
    """SUP-01's award in the demo (its bid id) and another supplier's; the supplier's name."""
    _, oxy, _ = site
    with oxy.uow(SYSTEM) as uow:
        sup01 = uow.masterdata.supplier_by_code("SUP-01")
        po = next(o for o in uow.contracts.purchase_orders() if o.supplier_id == sup01.id)
        awards = uow.contracts.awards(po.tender_id)
        own = next(a for a in awards if a.supplier_id == sup01.id)
        others = [
            a
            for ref in REFS
            for a in uow.contracts.awards(uow.tenders.tender(ref).id)
            if a.supplier_id != sup01.id
        ]
        return {"own": own.bid_id, "other": others[0].bid_id, "name": sup01.name}


def test_the_letter_of_award_pdf_is_in_hindi_and_english(site) -> None:  # noqa: ANN001
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    awards = _awards(site)
    supplier = _as(site, Role.SUPPLIER)
    response = supplier.client.get(f"/bids/{awards['own']}/letter-of-award")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "अधिनिर्णय पत्र" in text and "Letter of Award" in text
    assert awards["name"] in text
    assert re.search(r"₹\d{1,2},\d\d,\d\d\d\.\d\d", text)  # lakh grouping: ₹88,70,400.00
    assert "Rupees" in text  # the total in words
    # Another supplier's letter is refused; the officer and the auditor read every letter.
    assert supplier.client.get(f"/bids/{awards['other']}/letter-of-award").status_code == 403
    for role in (Role.PROCUREMENT_OFFICER, Role.AUDITOR):
        reader = _as(site, role)
        assert reader.client.get(f"/bids/{awards['other']}/letter-of-award").status_code == 200


def test_the_award_table_links_each_reader_to_the_letters_it_may_read(site) -> None:  # noqa: ANN001
    awards = _awards(site)
    _, oxy, _ = site
    with oxy.uow(SYSTEM) as uow:
        bid = uow.tenders.bid(awards["own"])
        ref = uow.tenders.tender_by_id(bid.tender_id).reference
    officer = _as(site, Role.PROCUREMENT_OFFICER, "en").client.get(f"/tenders/{ref}").text
    assert f'href="/bids/{awards["own"]}/letter-of-award"' in officer
    page = _as(site, Role.SUPPLIER, "en").client.get(f"/tenders/{ref}").text
    links = re.findall(r'href="/bids/(\d+)/letter-of-award"', page)
    assert links == [str(awards["own"])]


def test_the_award_and_the_order_say_which_preference_applied_and_why(site) -> None:  # noqa: ANN001
    """DOMAIN.md, "Award": the award page, the API and the purchase order name the
    preference behind each award line and its source."""
    ids = _ids(site)
    officer = _as(site, Role.PROCUREMENT_OFFICER, "en")
    tender = officer.client.get(f"/api/v1/tenders/{SECOND}").json()
    assert tender["preference_order"] in ("mse_first", "mii_first")
    lines = tender["awards"]
    assert lines and all(a["preference"]["basis"] == a["basis"] for a in lines)
    assert all(a["preference"]["reason"] for a in lines)
    page = officer.client.get(f"/tenders/{SECOND}").text
    for a in lines:
        assert f'class="preference" data-basis="{a["basis"]}"' in page
    order = officer.client.get(f"/api/v1/purchase-orders/{ids['po']}").json()
    assert order["preference"]["reason"]
    # Make in India: each bid's class from the local content it self-certified (demo: the
    # importer SUP-04 8 %, non-local, in a global tender enquiry; SUP-03 71 %, Class-I)
    rows = {
        r["supplier"]: r
        for r in officer.client.get(f"/api/v1/tenders/{SECOND}/comparative").json()["rows"]
    }
    assert (rows["SUP-04"]["local_content_class"], rows["SUP-04"]["local_content_pct"]) == (
        "non-local",
        "8",
    )
    assert rows["SUP-03"]["local_content_class"] == "class-i"
    assert rows["SUP-03"]["offered_as"] == "manufacturer"
    statement = officer.client.get(f"/tenders/{SECOND}/comparative").text
    assert 'data-class="non-local"' in statement and 'data-class="class-i"' in statement
    hindi = _as(site, Role.PROCUREMENT_OFFICER, "hi").client.get(f"/purchase-orders/{ids['po']}")
    assert 'id="preference"' in hindi.text and "L1" in hindi.text


def test_the_bid_form_chooses_nothing_for_the_bidder(site) -> None:  # noqa: ANN001
    form = _as(site, Role.SUPPLIER, "en").client.get(f"/tenders/{OPEN}/bid").text
    select = r'<select class="complies" required aria-label="[^"]+">(.*?)</select>'
    complies = re.findall(select, form)
    assert complies and all(c.startswith('<option value="">') for c in complies)
    assert "selected" not in "".join(complies)
    offered_as = re.search(r'<select id="offered-as" required>\s*<option value="">', form)
    assert offered_as, "manufacturer or trader: the bidder says which"
