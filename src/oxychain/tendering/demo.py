"""The demo's tenders, as the press release tells it: two concentrator tenders worth
₹7 crore in all. The first (OXY-DEMO-OC-02) is awarded (with an MSE and a Make-in-India
share) and under supply: its deliveries are recorded as the district warehouses receive
the trucks (distribution's demo), never before. The second (OXY-DEMO-OC-03) is past its
deadline with its bids sealed, waiting for its opening committee's key shares.

Everything runs through the same services as a person would use them, each step with the
clock set to its moment in the story (``clock.at``), on the demo's own calendar
(``masterdata.demo.on``): OC-02 published on 01-12-2021, opened on 22-12-2021, awarded on
29-12-2021, its orders issued on 30-12-2021 to every district warehouse (first tranche due
within two weeks, Lucknow's in five days; the second, to four large districts, at the end of
February); OC-03 published on 27-12-2021, its bids sealed, its opening (17-01-2022) past by
the demo's today (20-01-2022). No event comes before its cause. The openers' key pairs are
made by this loader and their private keys written to ``settings.demo_keys_dir`` (files
0600) — DEMO ONLY: real openers make their keys on their own devices. The files are
reused when present, so every demo database on this machine opens with the same keys.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from oxychain.core import clock
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Principal, Role
from oxychain.core.services import auth, users
from oxychain.masterdata.demo import SETUP_DAY, on
from oxychain.tendering import sealing
from oxychain.tendering.domain.tender import Policy
from oxychain.tendering.services import award as results
from oxychain.tendering.services import bids as bidding
from oxychain.tendering.services import committee, evaluation, opening
from oxychain.tendering.services import purchase_orders as contracts
from oxychain.tendering.services import tenders as tendering

REFS = ("OXY-DEMO-OC-02", "OXY-DEMO-OC-03")
OPENERS = ("demo.bid-opener", "demo.bid-opener-2", "demo.bid-opener-3")
# (supplier code, unit price in rupees before GST) per tender; synthetic prices.
BIDS = {
    REFS[0]: (("SUP-04", 52_800), ("SUP-01", 57_400), ("SUP-03", 59_900), ("SUP-02", 64_000)),
    REFS[1]: (("SUP-01", 49_900), ("SUP-03", 51_250), ("SUP-04", 48_700)),
}
#: The story's calendar: OC-02 published (its deadline 21 days later), its purchase orders
#: issued so many days after the opening; OC-03 published (its opening is past by today).
OC02_PUBLISHED, OC02_ORDERED_AFTER_OPENING = date(2021, 12, 1), 8
OC03_PUBLISHED = date(2021, 12, 27)
#: OC-02's first tranche goes to every district warehouse, its size by the district's share
#: of the state's population (at least this many); Lucknow's is due first.
FIRST_TRANCHE, FIRST_TRANCHE_MIN, FIRST_TRANCHE_DAYS = 450, 4, 14
LUCKNOW_FIRST = 60
SECOND_TRANCHE = (("Agra", 60), ("Lucknow", 40), ("Kanpur Nagar", 30), ("Meerut", 20))

#: Local content (%) each synthetic supplier self-certifies for its model (Make in India
#: Order 2017): SUP-04 imports (non-local), SUP-05 is Class-II, the rest Class-I.
LOCAL_CONTENT = {"SUP-01": "62", "SUP-02": "55", "SUP-03": "71", "SUP-04": "8", "SUP-05": "35"}


def load(app: Oxychain) -> None:
    with app.uow(SYSTEM) as uow:
        missing = [ref for ref in REFS if not uow.tenders.exists(ref)]
    if not missing:
        return
    with clock.at(on(SETUP_DAY)):
        keys = _openers(app)
    if REFS[0] in missing:
        _under_supply(app, keys, on(OC02_PUBLISHED))
    if REFS[1] in missing:
        _sealed(app, keys, on(OC03_PUBLISHED))


# --- people and keys --------------------------------------------------------------------------


def _openers(app: Oxychain) -> dict[str, tuple[Principal, str]]:
    """username → (principal, private JWK), making users, keys and files as needed."""
    folder = Path(app.settings.demo_keys_dir)
    folder.mkdir(parents=True, exist_ok=True)
    out, made = {}, []
    for username in OPENERS:
        with app.uow(SYSTEM) as uow:
            user = uow.people.user_by_username(username)
        if user is None:
            password = _secret(folder / f"{username}.password", lambda: secrets.token_urlsafe(12))
            users.create_user(
                app.uow(SYSTEM, write=True),
                users.CreateUser(
                    username, f"Demo opener {username[-1]}", password, "bid_opener", "en"
                ),
            )
            made.append(f"{username} (password in {folder / (username + '.password')})")
            with app.uow(SYSTEM) as uow:
                user = uow.people.user_by_username(username)
        principal = auth.principal_of(user)
        jwk = _secret(folder / f"{username}.jwk", lambda: sealing.generate_opener_keypair()[0])
        public = _public(jwk)
        with app.uow(SYSTEM) as uow:
            current = uow.tenders.opener_key(user.id)
        if current is None or current.public_key != public:
            committee.register_opener_key(app.uow(principal, write=True), public)
        out[username] = (principal, jwk)
    print(
        f"DEMO ONLY: opener private keys are in {folder}/ (files 0600); real openers make "
        "their keys in their own browser.",
        *made,
        sep="\n  ",
        file=sys.stderr,
    )
    return out


def _secret(path: Path, make) -> str:  # noqa: ANN001
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
    return value


def _public(jwk: str) -> str:
    """The public key of a JWK, as registered (base64 of the uncompressed point)."""
    data = json.loads(jwk)
    raw = b"\x04" + _unb64url(data["x"]) + _unb64url(data["y"])
    sealing.load_public_key(base64.b64encode(raw).decode())  # refuses a bad key file
    return base64.b64encode(raw).decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _officer(app: Oxychain) -> Principal:
    with app.uow(SYSTEM) as uow:
        return auth.principal_of(uow.people.user_by_username("demo.procurement-officer"))


def _supplier(app: Oxychain, code: str) -> Principal:
    """The synthetic supplier, acting through the loader (only SUP-01 has a demo login)."""
    with app.uow(SYSTEM) as uow:
        row = uow.masterdata.supplier_by_code(code)
    return Principal(0, f"demo-loader:{code}", Role.SUPPLIER, "en", supplier_id=row.id)


# --- the three tenders ------------------------------------------------------------------------


def _create(
    app: Oxychain,
    ref: str,
    start: datetime,
    item: str,
    qty: int,
    value: int,
    lines,  # noqa: ANN001, PLR0913
    seats: tuple[str, ...],
    policy: Policy,
    title: tuple[str, str],
) -> None:
    officer = _officer(app)
    cmd = tendering.CreateTender(
        reference=ref,
        title=title[0],
        title_hi=title[1],
        item_code=item,
        quantity=qty,
        estimated_value_paise=value * 100,
        emd_bp=200,
        performance_security_bp=300,
        deadline=start + timedelta(days=21),
        opening_at=start + timedelta(days=21, minutes=30),
        consignees=lines,
        openers_required=2,
        bid_validity_days=90,
        warranty_months=app.settings.warranty_months,
        ld_bp_per_week=app.settings.ld_bp_per_week,
        ld_cap_bp=app.settings.ld_cap_bp,
        policy=policy,
        # Issued in December 2021: a bid security declaration, not EMD (DoE OM of 12-11-2020)
        declaration_suspension_months=12,
    )
    with clock.at(start):
        tendering.create_tender(app.uow(officer, write=True), cmd, now=start)
        for username in seats:
            committee.add_committee_member(app.uow(officer, write=True), ref, username)
        tendering.publish_tender(app.uow(officer, write=True), ref, now=start)


def _bid(app: Oxychain, ref: str, code: str, rupees: int, at: datetime) -> None:
    with app.uow(SYSTEM) as uow:
        tender = uow.tenders.tender(ref)
        committee = [(m.opener_id, m.public_key) for m in uow.tenders.committee(tender.id)]
        criteria = [c.key for c in uow.tenders.criteria(tender.id)]
    declarations = {
        k: {"complies": True, "offered": "as specified", "remark": ""} for k in criteria
    }
    covers = {
        "technical": {
            "v": 1,
            "kind": "technical",
            "tender": ref,
            "bidder": code,
            "make": f"{code} Oxy",
            "model": "OC-2021",
            "offered_as": "manufacturer",  # synthetic suppliers all make what they offer
            "local_content_pct": LOCAL_CONTENT[code],
            "declarations": declarations,
            "documents": [],
        },
        "financial": {
            "v": 1,
            "kind": "financial",
            "tender": ref,
            "bidder": code,
            "unit_price_paise": rupees * 100,
            "gst_bp": 1200,
            "delivery_days": 45,
            "remark": "synthetic demo bid",
        },
    }
    sealed = {
        name: sealing.seal_cover(
            json.dumps(body, ensure_ascii=False).encode(),
            tender=ref,
            bidder=code,
            cover=name,
            openers=committee,
            k=2,
        )
        for name, body in covers.items()
    }
    supplier = _supplier(app, code)
    with clock.at(at):
        bidding.submit_bid(
            app.uow(supplier, write=True), ref, sealed["technical"], sealed["financial"], now=at
        )


def _release(app: Oxychain, ref: str, keys: dict, openers: tuple[str, ...], at: datetime) -> None:
    with clock.at(at):
        _release_now(app, ref, keys, openers, at)


def _release_now(app: Oxychain, ref: str, keys: dict, openers, at: datetime) -> None:  # noqa: ANN001
    for username in openers:
        principal, jwk = keys[username]
        state = opening.opening_state(app.uow(principal), ref, now=at)
        shares = [
            (p.cover_id, sealing.decrypt_share(p.envelope, username, jwk).to_json())
            for p in state.pending
        ]
        if shares:
            opening.release_shares(app.uow(principal, write=True), ref, shares, now=at)


def _evaluate_and_award(app: Oxychain, ref: str, keys: dict, openers, at: datetime) -> None:  # noqa: ANN001
    officer = _officer(app)
    _release(app, ref, keys, openers, at)
    evaluated = at + timedelta(days=2)  # the committee's technical evaluation
    with clock.at(evaluated):
        state = evaluation.evaluation_state(app.uow(officer), ref)
        for row in state.bids:
            findings = {
                c.id: (True, "Declared in the technical cover; matches the catalogue limit.")
                for c in state.criteria
            }
            evaluation.record_findings(
                app.uow(officer, write=True), ref, row.bid.id, findings, now=evaluated
            )
        evaluation.conclude_technical(app.uow(officer, write=True), ref, now=evaluated)
    _release(app, ref, keys, openers, evaluated + timedelta(hours=2))
    awarded = at + timedelta(days=7)
    with clock.at(awarded):
        statement = results.comparative_statement(app.uow(officer), ref)
        matched = {r.bid_id for r in statement.rows if r.invitation}
        results.award_tender(app.uow(officer, write=True), ref, matched, now=awarded)


def _orders(app: Oxychain, ref: str, issued: datetime) -> list:
    officer = _officer(app)
    with clock.at(issued):
        orders = contracts.issue_purchase_orders(app.uow(officer, write=True), ref, now=issued)
    for po in orders:
        day = clock.in_india(issued)
        with clock.at(issued + timedelta(days=10)):  # the bank guarantee comes in
            results.record_performance_security(
                app.uow(officer, write=True),
                po.id,
                f"BG/{po.id:05d}/DEMO",
                day + timedelta(days=10),
                day + timedelta(days=30 * (app.settings.warranty_months + 6)),
            )
    return orders


def _lines(app: Oxychain, spec: tuple[tuple[int, str, int, int], ...]) -> tuple:
    with app.uow(SYSTEM) as uow:
        by_name = {d.name: d for d in uow.masterdata.districts()}
        codes = {w.district_id: w.code for w in uow.masterdata.warehouses() if w.kind == "district"}
    return tuple((t, codes[by_name[name].id], qty, days) for t, name, qty, days in spec)


def _first_tranche(app: Oxychain) -> tuple[tuple[int, str, int, int], ...]:
    """Every district warehouse's line of the first tranche, by population share."""
    with app.uow(SYSTEM) as uow:
        districts = sorted(uow.masterdata.districts(), key=lambda d: d.name)
    others = [d for d in districts if d.name != "Lucknow"]
    left = FIRST_TRANCHE - LUCKNOW_FIRST - FIRST_TRANCHE_MIN * len(others)
    people = sum(d.population_2011 or 0 for d in others)
    sizes = {d.name: FIRST_TRANCHE_MIN + left * (d.population_2011 or 0) // people for d in others}
    short = FIRST_TRANCHE - LUCKNOW_FIRST - sum(sizes.values())
    for d in sorted(others, key=lambda d: -(d.population_2011 or 0))[:short]:
        sizes[d.name] += 1  # the rounding's remainder, to the largest districts
    # Lucknow's line is due 5 days after the order: its first truck comes late.
    return ((1, "Lucknow", LUCKNOW_FIRST, 5),) + tuple(
        (1, name, qty, FIRST_TRANCHE_DAYS) for name, qty in sizes.items()
    )


def _under_supply(app: Oxychain, keys: dict, start: datetime) -> None:
    ref = REFS[0]
    second = tuple((2, name, qty, 60) for name, qty in SECOND_TRANCHE)
    lines = _lines(app, _first_tranche(app) + second)
    policy = Policy(
        mse_preference=True,
        mii_preference=True,
        mii_margin_bp=app.settings.mii_margin_bp,
        mse_share_bp=app.settings.mse_share_bp,
        preference_order=app.settings.preference_order,
        global_tender=True,  # a global tender enquiry: the importer SUP-04 may bid
    )
    _create(
        app,
        ref,
        start,
        "OC-10",
        600,
        3_85_00_000,
        lines,
        OPENERS[1:],  # demo.bid-opener sits on the second tender's committee only
        policy,
        (
            "Oxygen concentrators 10 LPM, first tender (demo)",
            "ऑक्सीजन कॉन्सन्ट्रेटर 10 एलपीएम, पहली निविदा (डेमो)",
        ),
    )
    for n, (code, price) in enumerate(BIDS[ref]):
        _bid(app, ref, code, price, start + timedelta(days=4 + 2 * n))
    opened = start + timedelta(days=21, minutes=35)
    _evaluate_and_award(app, ref, keys, OPENERS[1:], opened)
    _orders(app, ref, opened + timedelta(days=OC02_ORDERED_AFTER_OPENING))


def _sealed(app: Oxychain, keys: dict, start: datetime) -> None:
    """Bids sealed before the deadline; the opening time has passed and the committee has
    not opened them: each opener's key share is awaited."""
    ref = REFS[1]
    lines = _lines(app, ((1, "Lucknow", 200, 30), (1, "Bareilly", 250, 30), (2, "Jhansi", 150, 60)))
    policy = Policy(
        mse_preference=True,
        mii_preference=True,
        mii_margin_bp=app.settings.mii_margin_bp,
        mse_share_bp=app.settings.mse_share_bp,
        preference_order=app.settings.preference_order,
        global_tender=True,  # a global tender enquiry: the importer SUP-04 may bid
    )
    _create(
        app,
        ref,
        start,
        "OC-10",
        600,
        3_15_00_000,
        lines,
        OPENERS,
        policy,
        (
            "Oxygen concentrators 10 LPM, second tender (demo)",
            "ऑक्सीजन कॉन्सन्ट्रेटर 10 एलपीएम, दूसरी निविदा (डेमो)",
        ),
    )
    for n, (code, price) in enumerate(BIDS[ref]):
        _bid(app, ref, code, price, start + timedelta(days=1, hours=n))
