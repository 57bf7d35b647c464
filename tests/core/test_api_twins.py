"""Every page action has an API twin: a program can do what a person does on the pages.

The test walks the route table: each page route that acts (POST) must name the API
operation that does the same (``TWINS``), and that operation must exist; the few that
cannot have one are listed with the reason (``NO_TWIN``). A new page action fails here
until its twin is added (or its reason written down). The documents the issue names (a
lot's serials and PDFs, plan loads, purchase-order and award letters) are checked too.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.webclient import make_app

# page action -> the API operation (operationId) that does the same
TWINS = {
    "POST /login": "people_create_token",
    "POST /logout": "people_revoke_token",
    "POST /language": "people_set_language",
    "POST /admin/users": "people_create_user",
    "POST /notices/read": "notices_mark_read",
    "POST /notices/settings": "notices_put_settings",
    "POST /admin/jobs/requeue": "system_requeue_job",
    "POST /admin/deliveries/resend": "system_resend_delivery",
    "POST /admin/facilities/import": "master_data_import_facilities",
    "POST /suppliers/new": "master_data_register_supplier",
    "POST /suppliers/{code}": "master_data_correct_supplier",
    "POST /admin/suppliers/import": "master_data_import_suppliers",
    "POST /tenders": "tenders_create_tender",
    "POST /tenders/{ref}/committee": "tenders_add_member",
    "POST /tenders/{ref}/publish": "tenders_publish",
    "POST /tenders/{ref}/corrigenda": "tenders_corrigendum",
    "POST /tenders/{ref}/close": "tenders_close",
    "POST /tenders/{ref}/cancel": "tenders_cancel",
    "POST /bids/{bid_id}/withdraw": "bids_withdraw",
    "POST /tenders/{ref}/evaluation": "bids_findings",
    "POST /tenders/{ref}/evaluation/conclude": "bids_conclude",
    "POST /tenders/{ref}/award": "bids_award",
    "POST /tenders/{ref}/purchase-orders": "purchase_orders_issue",
    "POST /purchase-orders/{po_id}/amend": "purchase_orders_amend",
    "POST /purchase-orders/{po_id}/deliveries": "purchase_orders_delivery",
    "POST /purchase-orders/{po_id}/security": "purchase_orders_security",
    "POST /lots/offer": "inspection_offer_lot",
    "POST /lots/{lot_id}/assign": "inspection_assign_lot",
    "POST /lots/{lot_id}/sample": "inspection_draw_sample",
    "POST /lots/{lot_id}/reoffer": "inspection_reoffer_lot",
    "POST /lots/{lot_id}/units/{position}/replace": "inspection_replace_unit",
    "POST /lots/{lot_id}/units/{position}": "inspection_record_readings",
    "POST /lots/{lot_id}/units/{position}/sign": "inspection_sign_unit",
    "POST /inspection/switching/{supplier_code}/{item_code}/resume": "inspection_resume",
    "POST /scan": "distribution_post_scans",
    "POST /devices/{serial}/events": "distribution_post_scans",
    "POST /challans": "distribution_create_challan",
    "POST /challans/{number}/receive": "distribution_post_scans",  # scans with `challan`
    "POST /challans/{number}/close": "distribution_close_receipt",
    "POST /loans": "service_issue_loan",
    "POST /loans/{number}/return": "service_return_loan",
    "POST /tickets": "service_report_fault",
    "POST /tickets/{number}/repair": "service_start_repair",
    "POST /tickets/{number}/resolve": "service_resolve",
    "POST /tickets/{number}/condemn": "service_condemn",
    "POST /certificates": "service_issue_certificate",
    "POST /plans": "planning_plan_from_database",
    "POST /plans/{plan_ref}/approve": "planning_approve",
    "POST /plans/{plan_ref}/replan": "planning_replan",
    "POST /plans/{plan_ref}/whatif": "planning_plan_from_database",  # the levers in what_if
    "POST /planning/cases": "planning_import_cases",
    "POST /planning/cases/districts": "planning_import_district_series",
    "POST /dispatch/plans/{load_id}": "planning_dispatch_plan_load",
    "POST /bills": "bills_enter_bill",
    "POST /bills/{bill_number}/submit": "bills_submit",
    "POST /bills/{bill_number}/discard": "bills_discard",
    "POST /bills/{bill_number}/pass": "bills_pass_bill",
    "POST /bills/{bill_number}/reject": "bills_reject",
    "POST /bills/{bill_number}/payments": "bills_pay",
    "POST /tenders/{ref}/payment-terms": "bills_put_terms",
    "POST /bids/{bid_id}/emd-refund": "ledger_and_securities_refund",
    "POST /bids/{bid_id}/emd-forfeit": "ledger_and_securities_forfeit",
    "POST /purchase-orders/{po_id}/guarantee": "ledger_and_securities_verify",
    "POST /purchase-orders/{po_id}/guarantee/release": "ledger_and_securities_release",
}
# Page actions that cannot have a twin, each with the reason.
NO_TWIN = {
    "POST /lots/{lot_id}/units/{position}/copy-last": "a form convenience: it fills the "
    "unit's form with the previous unit's readings; an API client sends the values it holds",
}
# Documents and lists the pages show that a program needs too (the issue names them).
DOCUMENTS = {
    "GET /lots/{lot_id}/devices": "inspection_lot_serials",
    "GET /lots/{lot_id}/certificate.pdf": "inspection_lot_certificate_pdf",
    "GET /lots/{lot_id}/labels.pdf": "inspection_lot_labels_pdf",
    "GET /dispatch/plans": "planning_plan_loads",
    "GET /certificates/{number}/pdf": "service_certificate_pdf",
    "GET /purchase-orders/{po_id}/pdf": "purchase_orders_order_pdf",
    "GET /bids/{bid_id}/letter-of-award": "purchase_orders_letter_of_award",
    "GET /bills/{bill_number}/pdf": "bills_bill_pdf",
    "GET /notices/settings": "notices_get_settings",
}


def _routes(app) -> list[tuple[str, str]]:  # noqa: ANN001
    out = []
    for route in app.routes:
        contexts = (
            route.effective_route_contexts()
            if hasattr(route, "effective_route_contexts")
            else [route]
        )
        for r in contexts:
            for method in getattr(r, "methods", None) or ():
                out.append((method, r.path))
    return out


def test_every_page_action_has_an_api_twin(tmp_path: Path) -> None:
    app, oxy = make_app(f"sqlite:///{tmp_path / 'twins.db'}")
    try:
        doc = TestClient(app).get("/api/v1/openapi.json").json()
        routes = _routes(app)
    finally:
        oxy.close()
    operations = {op["operationId"] for item in doc["paths"].values() for op in item.values()}
    actions = {
        f"{m} {p}"
        for m, p in routes
        if m in ("POST", "PUT", "PATCH", "DELETE") and not p.startswith(("/api/", "/static"))
    }
    without = sorted(a for a in actions if a not in TWINS and a not in NO_TWIN)
    assert without == [], "page actions without an API twin (add one, or a reason in NO_TWIN)"
    assert sorted(set(TWINS) - actions) == [], "twins listed for page actions that are gone"
    missing = {a: o for a, o in {**TWINS, **DOCUMENTS}.items() if o not in operations}
    assert missing == {}
    pages = {f"{m} {p}" for m, p in routes}
    assert set(DOCUMENTS) <= pages
