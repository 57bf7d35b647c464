"""A small tendering world for tests and the bid-rush bench: an officer, openers with keys made
in Python, suppliers with users and API tokens, warehouses; tenders sealed and opened through
the services. Test data has random unique references; nothing depends on the demo."""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Principal
from oxychain.core.services import auth
from oxychain.core.tables import ApiToken, User
from oxychain.masterdata import services as masterdata
from oxychain.masterdata.domain.catalogue import item_by_code
from oxychain.masterdata.tables import Supplier
from oxychain.tendering import sealing
from oxychain.tendering.domain import bid as bid_rules
from oxychain.tendering.domain.criteria import criteria_for
from oxychain.tendering.domain.tender import Policy
from oxychain.tendering.services import bids as bidding
from oxychain.tendering.services import committee, opening
from oxychain.tendering.services import tenders as tendering

T0 = datetime(2026, 3, 2, 4, 30, tzinfo=UTC)  # 10:00 IST, a Monday


@dataclass
class Person:
    principal: Principal
    token: str  # API bearer token
    key: str | None = None  # an opener's private JWK


@dataclass
class World:
    app: Oxychain
    officer: Person
    openers: list[Person]
    suppliers: dict[str, Person]
    warehouses: list[str]
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:6].upper())


def _user(app: Oxychain, role: str, **org: int) -> Person:
    name = f"t.{role.replace('_', '-')}.{uuid.uuid4().hex[:8]}"
    token = "oxy_" + secrets.token_urlsafe(24)
    with app.uow(SYSTEM, write=True) as uow:
        user = User(
            username=name,
            display_name=name,
            password_hash="!",  # no password: these users use API tokens
            role=role,
            language="en",
            created_at=datetime.now(UTC),
            **org,
        )
        uow.people.add(user)
        now = datetime.now(UTC)
        uow.people.add(
            ApiToken(
                token_hash=auth.token_hash(token),
                user_id=user.id,
                name="test",
                created_at=now,
                expires_at=now + timedelta(days=1),
            )
        )
        uow.commit()
        return Person(auth.principal_of(user), token)


def add_supplier(app: Oxychain, code: str, *, mse: bool = False, local: str = "class-i") -> Person:
    with app.uow(SYSTEM, write=True) as uow:
        row = Supplier(code=code, name=f"{code} (synthetic)", is_mse=mse, local_content_class=local)
        uow.masterdata.add(row)
        uow.masterdata.flush()
        supplier_id = row.id
        uow.commit()
    return _user(app, "supplier", supplier_id=supplier_id)


def build_world(app: Oxychain, suppliers: dict[str, dict] | None = None, openers: int = 3) -> World:
    with app.uow(SYSTEM) as uow:
        loaded = bool(uow.masterdata.districts())
    if not loaded:
        masterdata.load_districts_and_warehouses(app.uow(SYSTEM, write=True))
    with app.uow(SYSTEM) as uow:
        warehouses = [w.code for w in uow.masterdata.warehouses() if w.kind == "district"][:3]
    tag = uuid.uuid4().hex[:4].upper()
    specs = suppliers or {
        "L1CO": {"mse": False, "local": "non-local"},
        "MSECO": {"mse": True, "local": "class-i"},
        "BIGCO": {"mse": False, "local": "class-i"},
    }
    people = {
        f"{code}-{tag}": add_supplier(app, f"{code}-{tag}", **flags)
        for code, flags in specs.items()
    }
    keyed = []
    for _ in range(openers):
        person = _user(app, "bid_opener")
        person.key, public = sealing.generate_opener_keypair()
        committee.register_opener_key(app.uow(person.principal, write=True), public)
        keyed.append(person)
    return World(app, _user(app, "procurement_officer"), keyed, people, warehouses)


def create_tender(
    world: World,
    *,
    now: datetime = T0,
    k: int = 2,
    quantity: int = 100,
    days: int = 21,
    policy: Policy | None = None,
    publish: bool = True,
    **terms: Any,
) -> str:
    ref = f"T-{uuid.uuid4().hex[:10].upper()}"
    w = world.warehouses
    cmd = tendering.CreateTender(
        reference=ref,
        title="Oxygen concentrators 10 LPM (test)",
        title_hi="ऑक्सीजन कॉन्सन्ट्रेटर 10 एलपीएम (परीक्षण)",
        item_code="OC-10",
        quantity=quantity,
        estimated_value_paise=quantity * 50_000_00,
        emd_bp=200,
        performance_security_bp=300,
        deadline=now + timedelta(days=days),
        opening_at=now + timedelta(days=days, minutes=30),
        consignees=(
            (1, w[0], quantity // 2, 30),
            (1, w[1], quantity - quantity // 2 - quantity // 5, 30),
            (2, w[2], quantity // 5, 60),
        ),
        openers_required=k,
        policy=policy or Policy(mse_preference=True, mii_preference=True),
        **terms,
    )
    officer = world.officer.principal
    tendering.create_tender(world.app.uow(officer, write=True), cmd, now=now)
    for person in world.openers:
        committee.add_committee_member(
            world.app.uow(officer, write=True), ref, person.principal.username
        )
    if publish:
        tendering.publish_tender(world.app.uow(officer, write=True), ref, now=now)
    return ref


def covers(
    world: World,
    ref: str,
    bidder: str,
    unit_price_paise: int,
    *,
    complies: bool = True,
    remark: str = "",
    gst_bp: int = 1200,
    offered_as: str = "manufacturer",
    local_content_pct: str | None = "60",
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both covers of a bid, sealed in Python to the tender's committee."""
    with world.app.uow(SYSTEM) as uow:
        tender = uow.tenders.tender(ref)
        committee = [(m.opener_id, m.public_key) for m in uow.tenders.committee(tender.id)]
        k = tender.openers_required
    declarations = {
        c.key: {"complies": complies, "offered": "as specified", "remark": remark}
        for c in criteria_for(item_by_code("OC-10"))
    }
    technical = {
        "v": 1,
        "kind": "technical",
        "tender": ref,
        "bidder": bidder,
        "make": "Acme",
        "model": "O2-10",
        "offered_as": offered_as,
        "local_content_pct": local_content_pct,
        "declarations": declarations,
        "documents": [],
    }
    financial = {
        "v": 1,
        "kind": "financial",
        "tender": ref,
        "bidder": bidder,
        "unit_price_paise": unit_price_paise,
        "gst_bp": gst_bp,
        "delivery_days": 45,
        "remark": remark,
    }
    return tuple(  # type: ignore[return-value]
        sealing.seal_cover(
            json.dumps(body, ensure_ascii=False).encode(),
            tender=ref,
            bidder=bidder,
            cover=name,
            openers=committee,
            k=k,
        )
        for name, body in ((bid_rules.TECHNICAL, technical), (bid_rules.FINANCIAL, financial))
    )


def submit(world: World, ref: str, bidder: str, price: int, now: datetime, **kw: Any):  # noqa: ANN201
    tech, fin = covers(world, ref, bidder, price, **kw)
    person = world.suppliers[bidder]
    return bidding.submit_bid(world.app.uow(person.principal, write=True), ref, tech, fin, now=now)


def release(world: World, ref: str, openers: list[Person], now: datetime) -> list:
    """Each opener decrypts the shares waiting for them (as their browser would) and posts them."""
    results = []
    for person in openers:
        state = opening.opening_state(world.app.uow(person.principal), ref, now=now)
        shares = []
        for p in state.pending:
            try:  # as the browser does: a cover whose share does not decrypt is reported, skipped
                share = sealing.decrypt_share(p.envelope, person.principal.username, person.key)
            except sealing.SealError:
                continue
            shares.append((p.cover_id, share.to_json()))
        if shares:
            results += opening.release_shares(
                world.app.uow(person.principal, write=True), ref, shares, now=now
            )
    return results
