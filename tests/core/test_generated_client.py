"""A Python client generated from the OpenAPI document (openapi-python-client, as a Python
user would make one) drives a journey through the API alone: tender -> bid -> lot ->
reading -> challan. The generator must report no warning (a warning means an operation
or a model it could not read)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oxychain.core import clock
from oxychain.tendering import sealing
from tests.webclient import make_app

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "docs" / "openapi-python-client.yaml"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture(scope="module")
def client_package(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """The client generated from this app's document, importable as ``oxychain_client``."""
    work = tmp_path_factory.mktemp("client")
    app, oxy = make_app(f"sqlite:///{work / 'doc.db'}")
    try:
        doc = TestClient(app).get("/api/v1/openapi.json").json()
    finally:
        oxy.close()
    (work / "openapi.json").write_text(json.dumps(doc))
    run = subprocess.run(
        [str(GENERATOR), "generate", "--path", "openapi.json", "--meta", "none"]
        + ["--config", str(CONFIG), "--output-path", "generated/oxychain_client"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
    )
    said = run.stdout + run.stderr
    assert run.returncode == 0, said
    # Only its first line: a warning would follow it ("Warning(s) encountered ...").
    assert [line for line in said.splitlines() if line.strip()] == [
        "Generating generated/oxychain_client"
    ], said
    sys.path.insert(0, str(work / "generated"))
    try:
        yield importlib.import_module("oxychain_client")
    finally:
        sys.path.remove(str(work / "generated"))
        for name in [m for m in sys.modules if m.split(".")[0] == "oxychain_client"]:
            del sys.modules[name]


def _api(package, group: str, operation: str):  # noqa: ANN001, ANN202
    return importlib.import_module(f"{package.__name__}.api.{group}.{operation}")


def _models(package):  # noqa: ANN001, ANN202
    return importlib.import_module(f"{package.__name__}.models")


def _as(package, app, logins: dict, role: str):  # noqa: ANN001, ANN202
    """An AuthenticatedClient for the role, with a bearer token from POST /auth/token."""
    models = _models(package)
    anonymous = package.Client(base_url="http://testserver")
    anonymous.set_httpx_client(TestClient(app, base_url="http://testserver"))
    username, password = logins[role]
    made = _api(package, "people", "people_create_token").sync_detailed(
        client=anonymous, body=models.TokenIn(username=username, password=password)
    )
    assert made.status_code == 201, made.content
    token = made.parsed.access_token
    client = package.AuthenticatedClient(base_url="http://testserver", token=token)
    client.set_httpx_client(
        TestClient(app, base_url="http://testserver", headers={"Authorization": f"Bearer {token}"})
    )
    return client


def _ok(answer, status: int = 200):  # noqa: ANN001, ANN202
    assert answer.status_code == status, answer.content
    return answer.parsed


def test_a_generated_client_drives_tender_bid_lot_reading_challan(
    client_package, demo, monkeypatch
) -> None:  # noqa: ANN001, E501
    url, logins = demo
    app, oxy = make_app(url)
    try:
        _journey(client_package, app, logins, monkeypatch)
    finally:
        oxy.close()


def _journey(pkg, app, logins: dict, monkeypatch) -> None:  # noqa: ANN001
    m = _models(pkg)
    supplier = _as(pkg, app, logins, "supplier")
    me = _ok(_api(pkg, "people", "people_me").sync_detailed(client=supplier))
    assert me.supplier.code == "SUP-01"

    # Tender: the published one; its sealing context; two covers sealed here; the receipt.
    # The demo's is past its deadline, waiting for its opening: the bid goes in an hour
    # before that deadline, on the server's one clock.
    tenders = _ok(_api(pkg, "tenders", "tenders_list_tenders").sync_detailed(client=supplier))
    open_ = next(t for t in tenders if t.status == "published")
    before_deadline = open_.deadline - timedelta(hours=1)
    monkeypatch.setattr(clock, "now", lambda: before_deadline)
    context = _ok(
        _api(pkg, "bids", "bids_sealing_context").sync_detailed(open_.reference, client=supplier)
    )
    committee = [(o.id, o.public_key) for o in context.openers]
    covers = {
        "technical": {
            "v": 1,
            "kind": "technical",
            "tender": context.tender,
            "bidder": context.bidder,
            "make": "Ganga",
            "model": "GX-10",
            "offered_as": "manufacturer",
            "local_content_pct": "62",
            "declarations": {
                key: {"complies": True, "offered": "as specified", "remark": ""}
                for key in context.criteria
            },
            "documents": [],
        },
        "financial": {
            "v": 1,
            "kind": "financial",
            "tender": context.tender,
            "bidder": context.bidder,
            "unit_price_paise": 4_890_000,
            "gst_bp": 1200,
            "delivery_days": 40,
            "remark": "through the generated client",
        },
    }
    sealed = {
        name: m.SealedCover.from_dict(
            sealing.seal_cover(
                json.dumps(body).encode(),
                tender=context.tender,
                bidder=context.bidder,
                cover=name,
                openers=committee,
                k=context.k,
            )
        )
        for name, body in covers.items()
    }
    receipt = _ok(
        _api(pkg, "bids", "bids_submit").sync_detailed(
            open_.reference, client=supplier, body=m.BidIn(**sealed)
        ),
        201,
    )
    assert receipt.technical_sha256 == sealed["technical"].sha256
    assert receipt.replaces is not None  # the demo bid of SUP-01, substituted
    monkeypatch.undo()

    # Lot: offered on a tranche with room, assigned by ids the API gives, sampled, read.
    tranche_id = _tranche_with_room(pkg, supplier, need=5)
    serials = "serial,make,model,manufactured_on\n" + "".join(
        f"GC-API-{n:03d},Ganga,GX-10,{clock.today().replace(day=1).isoformat()}\n"
        for n in range(1, 6)
    )
    form = m.BodyInspectionOfferLot(
        tranche_id=tranche_id,
        place="Works (synthetic)",
        ready_on=clock.today(),
        file=pkg.types.File(payload=serials.encode(), file_name="serials.csv"),
    )
    lot_id = _ok(
        _api(pkg, "inspection", "inspection_offer_lot").sync_detailed(client=supplier, body=form),
        201,
    ).id
    officer = _as(pkg, app, logins, "procurement_officer")
    agencies = _ok(_api(pkg, "inspection", "inspection_agencies").sync_detailed(client=officer))
    inspector_name = logins["inspector"][0]
    agency, person = next(
        (a, i) for a in agencies for i in a.inspectors if i.username == inspector_name
    )
    _ok(
        _api(pkg, "inspection", "inspection_assign_lot").sync_detailed(
            lot_id, client=officer, body=m.AssignIn(agency_id=agency.id, inspector_id=person.id)
        ),
        204,
    )
    inspector = _as(pkg, app, logins, "inspector")
    drawn = _ok(
        _api(pkg, "inspection", "inspection_draw_sample").sync_detailed(lot_id, client=inspector),
        201,
    )
    assert set(drawn.serials) <= {f"GC-API-{n:03d}" for n in range(1, 6)}
    lot = _ok(_api(pkg, "inspection", "inspection_get_lot").sync_detailed(lot_id, client=inspector))
    assert (lot.agency_id, lot.inspector_id) == (agency.id, person.id)
    values = m.ReadingsInValues.from_dict(
        {p.key: _good_value(p.kind, p.key, p.set_flow_lpm) for p in lot.test_points}
    )
    recorded = _ok(
        _api(pkg, "inspection", "inspection_record_readings").sync_detailed(
            lot_id,
            1,
            client=inspector,
            body=m.ReadingsIn(warm_up_min="8", values=values, sign=True),
        ),
        201,
    )
    assert (recorded.position, recorded.tested) == (1, 1)

    # Challan: accepted devices of the demo's accepted lot, on their tranche, to its consignee.
    accepted = next(
        lot
        for lot in _ok(
            _api(pkg, "inspection", "inspection_list_lots").sync_detailed(
                client=supplier, status="accepted"
            )
        )
    )
    challan = _ok(
        _api(pkg, "distribution", "distribution_create_challan").sync_detailed(
            client=supplier,
            body=m.ChallanIn(
                tranche_id=accepted.tranche_id, count=1, vehicle="UP32AB1234", driver="R. Kumar"
            ),
        ),
        201,
    )
    assert (challan.source, len(challan.serials)) == ("tranche", 1)
    assert challan.tranche_id == accepted.tranche_id


def _tranche_with_room(pkg, supplier, need: int) -> int:  # noqa: ANN001
    orders = _ok(
        _api(pkg, "purchase_orders", "purchase_orders_list_orders").sync_detailed(client=supplier)
    )
    for order in orders:
        full = _ok(
            _api(pkg, "purchase_orders", "purchase_orders_get_order").sync_detailed(
                order.id, client=supplier
            )
        )
        for tranche in full.tranches:
            clock = _ok(
                _api(pkg, "inspection", "inspection_tranche_inspection").sync_detailed(
                    tranche.id, client=supplier
                )
            )
            taken = clock.under_inspection + clock.accepted + clock.delivered
            if tranche.quantity - taken >= need and full.status == "issued":
                return tranche.id
    raise AssertionError("no tranche with room for a lot")


def _good_value(kind: str, key: str, flow: int | None) -> str | bool:
    """A reading inside the usual limits (WHO-UNICEF: purity 82-96 %, flow within 10 %)."""
    if kind in ("alarm", "check"):
        return True
    if kind == "flow":
        return f"{flow:.2f}"
    return {"output_pressure_kpa": "55", "noise_dba": "42", "hour_meter": "0.5"}.get(key, "93.5")
