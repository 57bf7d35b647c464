"""Supplier identifiers (GSTIN, PAN, Udyam) checked at the form, the API and the import,
with the reason in English and Hindi."""

from __future__ import annotations

import pytest

from oxychain.core.errors import InvalidInput
from oxychain.core.people import Role
from oxychain.masterdata.domain import suppliers as rules
from tests.webclient import login_as, make_app

CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def with_check(first14: str) -> str:
    """GSTN's mod-36 check, written out again here so the test does not trust the code:
    weights 1, 2, 1, 2 ... from the left; each product adds its quotient and remainder by
    36; the check brings the sum to a multiple of 36."""
    total = 0
    for i, char in enumerate(first14):
        product = CHARSET.index(char) * (2 if i % 2 else 1)
        total += product // 36 + product % 36
    return first14 + CHARSET[-total % 36]


def wrong_check(first14: str) -> str:
    right = with_check(first14)[-1]
    return first14 + ("0" if right != "0" else "1")


def test_the_check_matches_the_gst_portals_published_example() -> None:
    # 27AAPFU0939F1ZV is the GSTIN the GST portal's help pages use as their example.
    assert with_check("27AAPFU0939F1Z") == "27AAPFU0939F1ZV"
    assert rules.gstin_check_character("27AAPFU0939F1Z") == "V"


VALID_GSTINS = [
    with_check("09AAACG4821C1Z"),  # Uttar Pradesh, a company
    with_check("01AAFFA7310D1Z"),  # lowest state code
    with_check("38AAACB5102E1Z"),  # highest state code (Ladakh)
    with_check("97AAACN6633FZZ"),  # Other Territory; entity number Z
    with_check("27AAAPL1234C9Z"),  # an individual, 9th registration in the state
    " " + with_check("09AAACG4821C1Z").lower() + " ",  # spaces and case are forgiven
]


@pytest.mark.parametrize("gstin", VALID_GSTINS)
def test_valid_gstins(gstin: str) -> None:
    assert rules.check_gstin(gstin) == gstin.strip().upper()


INVALID_GSTINS = [
    (wrong_check("09AAACG4821C1Z"), "check character"),
    (with_check("09AAACG4821C1Z")[:-1], "15 characters"),  # 14 characters
    (with_check("09AAACG4821C1Z") + "1", "15 characters"),  # 16
    (with_check("00AAACG4821C1Z"), "state code"),  # below 01
    (with_check("39AAACG4821C1Z"), "state code"),  # above 38
    (with_check("09AAAXG4821C1Z"), "valid PAN"),  # X is no PAN holder type
    (with_check("09AAACG4821C0Z"), "15 characters"),  # entity number 0
    (with_check("09AAACG4821C1Y")[:14] + "Y", "15 characters"),  # 14th must be Z
    ("", "15 characters"),
]


@pytest.mark.parametrize(("gstin", "reason"), INVALID_GSTINS)
def test_invalid_gstins(gstin: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason) as refused:
        rules.check_gstin(gstin)
    assert refused.value.params["field"] == "gstin"


@pytest.mark.parametrize(
    ("pan", "ok"),
    [
        ("AAACG4821C", True),
        ("ABCPK1234Z", True),  # P: individual
        *[(f"AAA{t}G4821C", True) for t in "PCHFATBLJG"],  # every holder type
        ("AAAXG4821C", False),  # X: no such holder
        ("AAACG482C", False),  # 9 characters
        ("AAACG48211C", False),  # 11
        ("1AACG4821C", False),  # digit where a letter goes
        ("AAACG4821", False),
        ("AAACGA821C", False),  # letter where a digit goes
    ],
)
def test_pan_format_and_holder_type(pan: str, ok: bool) -> None:
    if ok:
        assert rules.check_pan(pan) == pan
    else:
        with pytest.raises(InvalidInput):
            rules.check_pan(pan)


@pytest.mark.parametrize(
    ("udyam", "ok"),
    [
        ("UDYAM-UP-50-0004821", True),
        ("udyam-mh-19-1234567", True),
        ("UDYAM-UP-5-0004821", False),  # one-digit district
        ("UDYAM-UP-50-004821", False),  # six digits
        ("UDYAM-UP-50-00048210", False),  # eight
        ("UDYAM-U1-50-0004821", False),
        ("UAM-UP-50-0004821", False),  # the old Udyog Aadhaar is not Udyam
        ("UDYAMUP500004821", False),
    ],
)
def test_udyam_format(udyam: str, ok: bool) -> None:
    if ok:
        assert rules.check_udyam(udyam) == udyam.upper()
    else:
        with pytest.raises(InvalidInput, match="UDYAM-XX-00-0000000"):
            rules.check_udyam(udyam)


def test_spec_takes_the_pan_from_the_gstin_and_refuses_a_mismatch() -> None:
    gstin = with_check("09AAACG4821C1Z")
    assert rules.supplier_spec("S-1", "Ganga", gstin=gstin).pan == "AAACG4821C"
    with pytest.raises(InvalidInput, match="different PAN"):
        rules.supplier_spec("S-1", "Ganga", gstin=gstin, pan="AAACG4822C")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"is_mse": True}, "Udyam"),  # an MSE without its registration
        ({"sc_st_owned": True}, "only for an MSE"),
        ({"women_owned": True}, "only for an MSE"),
        ({"code": "bad code!"}, "Supplier code"),
        ({"name": " "}, "Supplier name"),
        ({"address": "x" * 301}, "300 characters"),
    ],
)
def test_spec_refusals(changes: dict, reason: str) -> None:
    fields = {"code": "S-1", "name": "Ganga"} | changes
    with pytest.raises(InvalidInput, match=reason):
        rules.supplier_spec(**fields)


def test_an_mse_owned_by_women_with_its_udyam_number() -> None:
    spec = rules.supplier_spec(
        "S-1", "Ganga", is_mse=True, women_owned=True, udyam="UDYAM-UP-50-0004821"
    )
    assert (spec.is_mse, spec.women_owned, spec.sc_st_owned) == (True, True, False)


def test_import_rows_report_each_problem_with_its_row_and_column() -> None:
    good = with_check("09AAACG4821C1Z")
    rows = [
        (1, ["code", "name", "gstin", "is_mse", "udyam"]),
        (2, ["S-1", "Ganga", good, "yes", "UDYAM-UP-50-0004821"]),
        (3, ["S-2", "Awadh", wrong_check("09AAFFA7310D1Z"), "no", ""]),
        (4, ["S-3", "Oxy", "", "maybe", ""]),
        (5, ["S-1", "Again", "", "", ""]),
    ]
    specs, problems = rules.parse_supplier_rows(rows)
    assert [(p.row, p.column) for p in problems] == [(3, "gstin"), (4, "is_mse"), (5, "code")]
    assert specs[0].gstin == good and specs[0].is_mse


# --- through the app: API, form and import, in English and Hindi ---------------------------


@pytest.fixture
def admin(demo):  # noqa: ANN001, ANN201
    url, logins = demo
    app, oxy = make_app(url)
    yield login_as(app, oxy, Role.ADMIN.value, *logins[Role.ADMIN.value])
    oxy.close()


def _language(rc, lang: str) -> None:  # noqa: ANN001
    rc.client.put("/api/v1/me/language", json={"language": lang}, headers={"X-CSRF-Token": rc.csrf})


def test_api_registers_corrects_and_refuses(admin) -> None:  # noqa: ANN001
    gstin = with_check("09AAACK1111C1Z")
    body = {"code": "T-API", "name": "Kanpur Oxy (synthetic)", "gstin": gstin}
    created = admin.client.post(
        "/api/v1/suppliers", json=body, headers={"X-CSRF-Token": admin.csrf}
    )
    assert created.status_code == 201, created.text
    assert created.json()["pan"] == "AAACK1111C"
    bad = {"name": "Kanpur Oxy (synthetic)", "gstin": wrong_check("09AAACK1111C1Z")}
    for lang, words in (("en", "check character"), ("hi", "जाँच")):
        _language(admin, lang)
        refused = admin.client.put(
            "/api/v1/suppliers/T-API", json=bad, headers={"X-CSRF-Token": admin.csrf}
        )
        assert refused.status_code == 422
        assert words in refused.json()["message"]
    assert admin.client.get("/api/v1/suppliers/T-API").json()["gstin"] == gstin
    twin = {"code": "T-TWIN", "name": "Twin (synthetic)", "gstin": gstin}
    clash = admin.client.post("/api/v1/suppliers", json=twin, headers={"X-CSRF-Token": admin.csrf})
    assert clash.status_code == 409


def test_form_refuses_a_bad_pan_in_hindi_and_keeps_what_was_typed(admin) -> None:  # noqa: ANN001
    _language(admin, "hi")
    form = {"code": "T-FORM", "name": "Form Oxy (synthetic)", "pan": "AAAXG4821C"}
    page = admin.post("/suppliers/new", data=form)
    assert page.status_code == 422
    assert "पैन" in page.text and "AAAXG4821C" in page.text
    form["pan"] = "AAACG9999C"
    saved = admin.post("/suppliers/new", data=form)
    assert saved.status_code == 303
    assert admin.client.get("/api/v1/suppliers/T-FORM").json()["pan"] == "AAACG9999C"


def test_import_is_all_or_nothing_with_row_errors(admin) -> None:  # noqa: ANN001
    good, bad = with_check("09AAACM2222C1Z"), wrong_check("09AAACM3333C1Z")
    csv = f"code,name,gstin\nT-IMP1,One (synthetic),{good}\nT-IMP2,Two (synthetic),{bad}\n"
    files = {"file": ("suppliers.csv", csv.encode(), "text/csv")}
    refused = admin.client.post(
        "/api/v1/suppliers/import", files=files, headers={"X-CSRF-Token": admin.csrf}
    )
    assert refused.status_code == 422
    assert [(d["row"], d["field"]) for d in refused.json()["details"]] == [(3, "gstin")]
    _language(admin, "hi")
    again = admin.client.post(
        "/api/v1/suppliers/import", files=files, headers={"X-CSRF-Token": admin.csrf}
    )
    assert "जाँच वर्ण" in again.json()["details"][0]["message"]  # the reason, in Hindi
    _language(admin, "en")
    assert admin.client.get("/api/v1/suppliers/T-IMP1").status_code == 404
    files = {"file": ("suppliers.csv", csv.replace(bad, "").encode(), "text/csv")}
    done = admin.client.post(
        "/api/v1/suppliers/import", files=files, headers={"X-CSRF-Token": admin.csrf}
    )
    assert done.json() == {"imported": 2}
    page = admin.client.get("/suppliers").text
    assert good in page and "T-IMP2" in page
