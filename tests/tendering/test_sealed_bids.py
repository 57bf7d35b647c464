"""Sealed bids stay sealed: a canary price is nowhere before the opening (database dump, logs,
every response); tampering with any stored ciphertext fails the opening, loudly; the server's
clock refuses late bids; withdrawn bids are never opened. On SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import logging
import shutil
import subprocess
import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from oxychain.app import create_app
from oxychain.core import clock
from oxychain.core.people import SYSTEM
from oxychain.tendering.services import opening
from oxychain.tendering.tables import BidCover
from tests.tendering.world import T0, build_world, covers, create_tender, release


class Clock:
    def __init__(self, at) -> None:  # noqa: ANN001
        self.at = at

    def __call__(self):  # noqa: ANN204
        return self.at


@pytest.fixture
def moment(monkeypatch):  # noqa: ANN001, ANN201
    fake = Clock(T0)
    monkeypatch.setattr(clock, "now", fake)
    return fake


def _api(app, person) -> TestClient:  # noqa: ANN001
    client = TestClient(create_app(app), raise_server_exceptions=True)
    client.headers["Authorization"] = f"Bearer {person.token}"
    return client


def _dump(app) -> str:  # noqa: ANN001
    """The whole database as text: SQLite's iterdump, pg_dump, or every text/JSON column."""
    url = app.settings.database_url
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.split("///", 1)[1]) as conn:
            return "\n".join(conn.iterdump())
    if shutil.which("pg_dump"):
        done = subprocess.run(
            ["pg_dump", "--data-only", url.replace("postgresql+psycopg://", "postgresql://")],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            return done.stdout
    out = []
    with app.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            out += [
                json.dumps(list(r), default=str)
                for r in conn.execute(text(f'SELECT * FROM "{table}"'))
            ]
    return "\n".join(out)


CANARY_PAISE = 41_357_913  # ₹4,13,579.13


def _canaries(token: str) -> list[str]:
    return [str(CANARY_PAISE), "4,13,579.13", "413579.13", "413,579.13", token]


def test_a_canary_price_is_nowhere_before_the_opening(app, moment, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # every SQL parameter too
    world = build_world(app)
    ref = create_tender(world)
    l1, mse, _ = world.suppliers
    token = f"CANARY-{uuid.uuid4().hex}"
    moment.at = T0 + timedelta(days=2)
    supplier = _api(app, world.suppliers[l1])
    tech, fin = covers(world, ref, l1, CANARY_PAISE, remark=token)
    submitted = supplier.post(
        f"/api/v1/tenders/{ref}/bids", json={"technical": tech, "financial": fin}
    )
    assert submitted.status_code == 201, submitted.text
    bid_id = submitted.json()["bid"]
    tech2, fin2 = covers(world, ref, mse, 40_000_00)
    assert (
        _api(app, world.suppliers[mse])
        .post(f"/api/v1/tenders/{ref}/bids", json={"technical": tech2, "financial": fin2})
        .status_code
        == 201
    )

    def responses() -> list[str]:
        seen = []
        readers = [world.officer, world.suppliers[l1], world.suppliers[mse], *world.openers[:1]]
        for person in readers:
            client = _api(app, person)
            for url in (
                f"/api/v1/tenders/{ref}",
                "/api/v1/tenders",
                f"/api/v1/bids/{bid_id}/receipt",
                f"/api/v1/tenders/{ref}/sealing",
                f"/api/v1/tenders/{ref}/envelopes",
                f"/api/v1/tenders/{ref}/comparative",
                f"/tenders/{ref}",
                f"/bids/{bid_id}",
                f"/bids/{bid_id}/receipt.json",
                f"/tenders/{ref}/opening",
                f"/public/tenders/{ref}",
                "/api/v1/ocds/release-package",
                "/api/v1/audit",
            ):
                seen.append(client.get(url).text)
        return seen

    def assert_sealed() -> None:
        haystacks = {"dump": _dump(app), "logs": caplog.text, "responses": "\n".join(responses())}
        for where, text_ in haystacks.items():
            for canary in _canaries(token):
                assert canary not in text_, f"{canary!r} leaked into the {where}"

    assert_sealed()
    moment.at = T0 + timedelta(days=21, minutes=31)  # past the deadline and the opening time
    release(world, ref, world.openers[:1], moment.at)  # one share of k = 2: still sealed
    assert_sealed()
    # Positive control: once k openers have released theirs, the same search finds it.
    release(world, ref, world.openers[1:2], moment.at)
    with app.uow(SYSTEM) as uow:
        assert token in uow.tenders.covers([bid_id])[(bid_id, "technical")].content
    assert token in _dump(app)


def _flip(envelope: dict, path: tuple, *, rehash: bool = False) -> dict:
    """A copy of the envelope with one byte flipped in a base64 field (and, for an insider
    who knows the format, its sha256 recomputed)."""
    from oxychain.tendering.sealing.envelope import envelope_hash

    env = json.loads(json.dumps(envelope))
    holder = env
    for key in path[:-1]:
        holder = holder[key]
    raw = bytearray(base64.b64decode(holder[path[-1]]))
    raw[len(raw) // 2] ^= 0x01
    holder[path[-1]] = base64.b64encode(bytes(raw)).decode()
    if rehash:
        env["sha256"] = envelope_hash(env)
    return env


def test_a_flipped_byte_in_any_stored_ciphertext_fails_the_opening_loudly(app) -> None:  # noqa: ANN001
    world = build_world(app, suppliers={"A": {}, "B": {}, "C": {}, "D": {}, "E": {}})
    ref = create_tender(world)
    codes = list(world.suppliers)
    from tests.tendering.world import submit

    ids = {
        c: submit(world, ref, c, (40_000 + n * 500) * 100, T0 + timedelta(days=1))[0].id
        for n, c in enumerate(codes)
    }
    tampering = {
        codes[0]: ("technical", ("ct",), False),  # the cover's ciphertext
        codes[1]: ("financial", ("shares", 1, "ct"), False),  # a key share's ciphertext
        codes[2]: ("technical", ("iv",), True),  # an insider recomputes the envelope hash
        codes[3]: ("financial", ("shares", 0, "epk"), True),
    }
    with app.uow(SYSTEM, write=True) as uow:
        for code, (cover, path, rehash) in tampering.items():
            row = uow.session.scalar(
                select(BidCover).where(BidCover.bid_id == ids[code], BidCover.cover == cover)
            )
            row.envelope = _flip(row.envelope, path, rehash=rehash)
            if rehash:
                row.sha256 = row.envelope[
                    "sha256"
                ]  # ...and the stored hash: the receipt catches it
        uow.commit()
    after = T0 + timedelta(days=21, minutes=31)
    release(world, ref, world.openers[:2], after)
    with app.uow(SYSTEM) as uow:
        tender = uow.tenders.tender(ref)
        found = uow.tenders.covers(list(ids.values()))
        failed = {(b, c): row.failure for (b, c), row in found.items() if row.status == "failed"}
        events = [e for e in uow.audit_log.page(limit=500) if e.action == "bid.cover_failed"]
    # A cover whose hash no longer matches the receipt takes its bid's other cover with it.
    expected = {
        (ids[code], c)
        for code, (cover, _, rehash) in tampering.items()
        for c in (("technical", "financial") if rehash else (cover,))
    }
    assert set(failed) == expected
    assert all(reason for reason in failed.values())
    assert {int(e.entity_id) for e in events} == {ids[c] for c in tampering}
    assert tender.status == "technical_evaluation"  # the sound bids went on
    assert found[(ids[codes[4]], "technical")].status == "opened"
    # The tampered bids are reported on the tender's page and to every opener.
    state = opening.opening_state(app.uow(world.openers[2].principal), ref, now=after)
    by_code = {ids[c]: c for c in codes}
    assert {(b, c) for b, c, _ in state.failures} == {(by_code[b], c) for b, c in expected}
    page = _api(app, world.officer).get(f"/tenders/{ref}")
    assert page.text.count('role="alert"') >= len(tampering)


def test_the_servers_clock_refuses_late_bids_and_changes_nothing(app, moment) -> None:  # noqa: ANN001
    world = build_world(app)
    ref = create_tender(world)
    code = next(iter(world.suppliers))
    tech, fin = covers(world, ref, code, 40_000_00)
    with app.uow(SYSTEM) as uow:
        before = (uow.tenders.count_live_bids(uow.tenders.tender(ref).id), uow.audit_log.count())
    moment.at = T0 + timedelta(days=21)  # the deadline itself: already late
    late = _api(app, world.suppliers[code]).post(
        f"/api/v1/tenders/{ref}/bids", json={"technical": tech, "financial": fin}
    )
    assert late.status_code == 409 and late.json()["error"] == "bid_late"
    with app.uow(SYSTEM) as uow:
        after = (uow.tenders.count_live_bids(uow.tenders.tender(ref).id), uow.audit_log.count())
    assert after == before


def test_a_bid_sealed_for_another_tender_or_bidder_is_refused(app, moment) -> None:  # noqa: ANN001
    world = build_world(app)
    ref, other = create_tender(world), create_tender(world)
    a, b, _ = world.suppliers
    moment.at = T0 + timedelta(days=1)
    client = _api(app, world.suppliers[a])
    for tech, fin in (covers(world, other, a, 1_00), covers(world, ref, b, 1_00)):
        response = client.post(
            f"/api/v1/tenders/{ref}/bids", json={"technical": tech, "financial": fin}
        )
        assert response.status_code == 422, response.text
    junk = client.post(f"/api/v1/tenders/{ref}/bids", json={"technical": {"v": 9}, "financial": {}})
    assert junk.status_code == 422


def test_withdrawn_and_substituted_bids_are_never_opened(app, moment) -> None:  # noqa: ANN001
    world = build_world(app)
    ref = create_tender(world)
    a, b, _ = world.suppliers
    moment.at = T0 + timedelta(days=1)
    client_a, client_b = _api(app, world.suppliers[a]), _api(app, world.suppliers[b])
    first = client_a.post(
        f"/api/v1/tenders/{ref}/bids",
        json=dict(zip(("technical", "financial"), covers(world, ref, a, 50_000_00), strict=True)),
    ).json()
    again = client_a.post(
        f"/api/v1/tenders/{ref}/bids",
        json=dict(zip(("technical", "financial"), covers(world, ref, a, 45_000_00), strict=True)),
    )
    assert again.status_code == 201 and again.json()["replaces"] == first["bid"]
    gone = client_b.post(
        f"/api/v1/tenders/{ref}/bids",
        json=dict(zip(("technical", "financial"), covers(world, ref, b, 30_000_00), strict=True)),
    ).json()
    assert (
        client_b.post(f"/api/v1/bids/{gone['bid']}/withdraw", json={"confirm": True}).status_code
        == 200
    )
    # Not another supplier's bid, and not after the deadline.
    assert (
        client_a.post(f"/api/v1/bids/{gone['bid']}/withdraw", json={"confirm": True}).status_code
        == 403
    )
    moment.at = T0 + timedelta(days=21, minutes=31)
    assert (
        client_a.post(
            f"/api/v1/bids/{again.json()['bid']}/withdraw", json={"confirm": True}
        ).status_code
        == 409
    )
    release(world, ref, world.openers[:3], moment.at)
    with app.uow(SYSTEM) as uow:
        tender = uow.tenders.tender(ref)
        dead = uow.tenders.covers([first["bid"], gone["bid"]])
        assert tender.bid_count == 1 and tender.status == "technical_evaluation"
    assert all(c.status == "sealed" and c.content is None for c in dead.values())


def test_a_bid_sealed_by_the_cli_is_accepted_and_opens(app, moment, tmp_path) -> None:  # noqa: ANN001
    """Suppliers who script: `oxychain bid seal` with the committee from /sealing."""
    from oxychain.cli import main

    world = build_world(app)
    ref = create_tender(world)
    code = next(iter(world.suppliers))
    moment.at = T0 + timedelta(days=1)
    client = _api(app, world.suppliers[code])
    context = client.get(f"/api/v1/tenders/{ref}/sealing").json()
    openers = tmp_path / "openers.json"
    # The context, saved as it is, is the CLI's --openers file (its keys: public_key).
    assert all(o["public_key"] == o["publicKey"] for o in context["openers"])
    openers.write_text(json.dumps(context))
    tech_body = {
        "v": 1,
        "kind": "technical",
        "tender": ref,
        "bidder": code,
        "make": "CLI",
        "model": "X",
        "declarations": {},
        "documents": [],
    }
    fin_body = {
        "v": 1,
        "kind": "financial",
        "tender": ref,
        "bidder": code,
        "unit_price_paise": 39_999_00,
        "gst_bp": 500,
        "delivery_days": 30,
    }
    envelopes = {}
    for cover, body in (("technical", tech_body), ("financial", fin_body)):
        (tmp_path / f"{cover}.json").write_text(json.dumps(body))
        out = tmp_path / f"{cover}.sealed"
        argv = [
            "bid",
            "seal",
            "--tender",
            ref,
            "--bidder",
            code,
            "--cover",
            cover,
            "--openers",
            str(openers),
            "--k",
            str(context["k"]),
            "--in",
            str(tmp_path / f"{cover}.json"),
            "--out",
            str(out),
        ]
        assert main(argv) == 0
        envelopes[cover] = json.loads(out.read_text())
    assert client.post(f"/api/v1/tenders/{ref}/bids", json=envelopes).status_code == 201
    moment.at = T0 + timedelta(days=21, minutes=31)
    release(world, ref, world.openers[:2], moment.at)
    with app.uow(SYSTEM) as uow:
        bid = uow.tenders.bids(uow.tenders.tender(ref).id, live_only=True)[0]
        tech = uow.tenders.covers([bid.id])[(bid.id, "technical")]
    assert tech.status == "opened" and json.loads(tech.content)["make"] == "CLI"


def test_an_oversized_bid_is_refused_before_it_is_read(app, moment) -> None:  # noqa: ANN001
    from oxychain.tendering.api.bids import MAX_BID_BYTES

    world = build_world(app, suppliers={"BIG": {}}, openers=2)
    ref = create_tender(world)
    moment.at = T0 + timedelta(days=1)
    body = b'{"technical": {"junk": "' + b"x" * MAX_BID_BYTES + b'"}, "financial": {}}'
    response = _api(app, world.suppliers[next(iter(world.suppliers))]).post(
        f"/api/v1/tenders/{ref}/bids", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
