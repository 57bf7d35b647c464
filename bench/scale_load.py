"""Build a large device ledger fast: N devices, ~20 scan events each, and their derived state.

Every device gets one of four lives, each exactly 20 events long and legal by construction
(the templates are run through ``lifecycle.decide`` once): installed at a facility with
maintenance and a repaired fault (60 %), lent to homes three times and back on the shelf
(15 %), on loan now (15 %), faulty at its facility (10 %). Devices spread over the 75
districts in proportion to nothing in particular (uniformly), each to its district's
warehouse and a random facility of that district; the lives started 30-400 days ago.

Bulk load, not the service path: SQLite through executemany in large transactions
(synchronous=OFF while loading), PostgreSQL through COPY. Idempotency keys are
time-ordered UUIDs (like UUIDv7) and rows go in id order, so every index is appended to;
live clients send random v4 keys, which the ingestion bench measures instead.

    .venv/bin/python bench/scale_load.py --url sqlite:///var/bench/scale.db --devices 1000000
    .venv/bin/python bench/scale_load.py --devices 1000000 \
        --url postgresql+psycopg://postgres@127.0.0.1:5432/oxy_scale
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text

from oxychain.app import Settings, bootstrap
from oxychain.core.db import create_db_engine, migrate
from oxychain.core.people import SYSTEM
from oxychain.distribution.domain.lifecycle import EventKind, Place, PlaceKind, accepted_at, decide
from oxychain.inspection.tables import Lot
from oxychain.masterdata import services as masterdata
from oxychain.masterdata.domain import geography
from oxychain.masterdata.domain.catalogue import CATALOGUE
from oxychain.masterdata.domain.facilities import generate_facilities
from oxychain.masterdata.tables import Item, Supplier
from oxychain.tendering.tables import Award, Bid, PoTranche, PurchaseOrder, Tender

E = EventKind
FACILITY_LIFE = [E.DISPATCH, E.RECEIVE, E.ISSUE, E.INSTALL] + [
    E.MAINTAIN, E.REPORT_FAULT, E.START_REPAIR, E.REPAIR, E.INSTALL, *[E.MAINTAIN] * 3
] * 2  # fmt: skip
LOAN_ROUND = [E.ISSUE, E.LEND, E.RETURN, E.SANITISE, E.RETEST, E.RELEASE]
SHELF_LIFE = [E.DISPATCH, E.RECEIVE] + LOAN_ROUND * 3
FACILITY_STINT = (
    [E.ISSUE, E.INSTALL] + [E.MAINTAIN] * 4 + [E.RETURN, E.SANITISE, E.RETEST, E.RELEASE]
)
ON_LOAN_LIFE = [E.DISPATCH, E.RECEIVE] + FACILITY_STINT + LOAN_ROUND + LOAN_ROUND[:2]
FAULTY_LIFE = [E.DISPATCH, E.RECEIVE, E.ISSUE, E.INSTALL] + [E.MAINTAIN] * 4 + [
    E.REPORT_FAULT, E.START_REPAIR, E.REPAIR, E.INSTALL
] + [E.MAINTAIN] * 7 + [E.REPORT_FAULT]  # fmt: skip
LIVES = ((FACILITY_LIFE, 60), (SHELF_LIFE, 15), (ON_LOAN_LIFE, 15), (FAULTY_LIFE, 10))
EVENT_COLUMNS = (
    "id, idempotency_key, device_id, kind, state_before, state_after, place_kind, place_id, "
    "district_id, at, recorded_at, actor"
)
STATE_COLUMNS = (
    "device_id, state, place_kind, supplier_id, warehouse_id, facility_id, district_id, since, "
    "version, installed_at, maintained_at"
)


@dataclass(frozen=True)
class Step:
    kind: str
    before: str
    after: str
    place: str  # supplier | warehouse | facility | home


def template(kinds: list[EventKind]) -> list[Step]:
    """A life run through the state machine once, with symbolic places."""
    assert len(kinds) == 20
    places = {
        "warehouse": Place(PlaceKind.WAREHOUSE, 1, 1),
        "facility": Place(PlaceKind.FACILITY, 2, 1),
        "home": Place(PlaceKind.HOME, 1, 1),
    }
    where = accepted_at(1, datetime(2021, 1, 1, tzinfo=UTC))
    steps = []
    for i, kind in enumerate(kinds):
        dest = None
        if kind is E.DISPATCH or kind is E.RETURN:
            dest = places["warehouse"]
        elif kind is E.ISSUE:
            lends = i + 1 < len(kinds) and kinds[i + 1] is E.LEND
            dest = places["home"] if lends else places["facility"]
        after = decide("X", where, kind, where.since, dest)
        steps.append(Step(kind.value, where.state.value, after.state.value, after.place.kind.value))
        where = after
    return steps


TEMPLATES = [(template(kinds), weight) for kinds, weight in LIVES]


def prepare(url: str) -> dict:
    """Master data (75 districts, their warehouses, ~4,450 synthetic facilities) and one
    purchase order with one lot that every bench device belongs to."""
    settings = Settings(database_url=url, environment="test", sqlite_synchronous="NORMAL")
    migrate(settings)
    app = bootstrap(settings)
    try:
        masterdata.load_districts_and_warehouses(app.uow(SYSTEM, write=True))
        with app.uow(SYSTEM) as uow:
            empty = uow.masterdata.count_facilities() == 0
        if empty:
            specs = generate_facilities(geography.load_up_districts())
            masterdata.add_facilities(app.uow(SYSTEM, write=True), specs, "facility.generate")
        return _contract(app)
    finally:
        app.close()


def _contract(app) -> dict:  # noqa: ANN001
    now = datetime.now(UTC)
    with app.uow(SYSTEM, write=True) as uow:
        s = uow.session
        supplier = s.scalar(text("SELECT id FROM suppliers WHERE code = 'BENCH'"))
        if supplier:
            lot, po = s.execute(
                text("SELECT id, purchase_order_id FROM lots WHERE number = 'BENCH-LOT'")
            ).one()
            return {"supplier": supplier, "lot": lot, "po": po, "item": _item(uow)}
        sup = Supplier(code="BENCH", name="Bench supplier (synthetic)", synthetic=True)
        s.add(sup)
        s.flush()
        item = _item(uow)
        tender = Tender(
            reference="BENCH-T",
            title="Bench",
            title_hi="बेंच",
            item_id=item,
            quantity=1,
            estimated_value_paise=1,
            emd_bp=200,
            emd_paise=0,
            performance_security_bp=300,
            ld_bp_per_week=50,
            ld_cap_bp=1000,
            warranty_months=24,
            bid_validity_days=90,
            mii_l1_share_bp=5000,
            mii_margin_bp=2000,
            mse_share_bp=2500,
            mse_margin_bp=1500,
            openers_required=2,
            aql="2.5",
            inspection_level="II",
            status="awarded",
            created_at=now,
            deadline=now,
            opening_at=now,
        )
        s.add(tender)
        s.flush()
        bid = Bid(
            tender_id=tender.id,
            supplier_id=sup.id,
            bidder="B",
            receipt_sha256="0" * 64,
            received_at=now,
        )
        s.add(bid)
        s.flush()
        award = Award(
            tender_id=tender.id,
            bid_id=bid.id,
            supplier_id=sup.id,
            quantity=1,
            unit_price_paise=4_500_000,
            basis="l1",
            letter_number="LOA-BENCH",
            awarded_at=now,
            performance_security_bp=300,
            performance_security_paise=0,
        )
        s.add(award)
        s.flush()
        po = PurchaseOrder(
            number="PO/BENCH",
            tender_id=tender.id,
            award_id=award.id,
            supplier_id=sup.id,
            item_id=item,
            quantity=1,
            unit_price_paise=4_500_000,
            issued_at=now,
        )
        s.add(po)
        s.flush()
        warehouse = uow.masterdata.warehouses()[0].id
        tranche = PoTranche(
            purchase_order_id=po.id,
            number=1,
            consignee_warehouse_id=warehouse,
            quantity=1,
            due_date=date.today(),
        )
        s.add(tranche)
        s.flush()
        lot = Lot(
            number="BENCH-LOT",
            purchase_order_id=po.id,
            tranche_id=tranche.id,
            supplier_id=sup.id,
            item_id=item,
            quantity=2,
            place="Bench",
            ready_on=date.today(),
            offered_at=now,
            status="accepted",
            aql="2.5",
            inspection_level="II",
        )
        s.add(lot)
        uow.commit()
        return {"supplier": sup.id, "lot": lot.id, "po": po.id, "item": item}


def _item(uow) -> int:  # noqa: ANN001
    for spec in CATALOGUE:
        if uow.masterdata.item(spec.code) is None:
            uow.masterdata.add(
                Item(
                    code=spec.code,
                    name=spec.name,
                    name_hi=spec.name_hi,
                    rated_flow_lpm=spec.rated_flow_lpm,
                )
            )
    uow.masterdata.flush()
    return uow.masterdata.item(CATALOGUE[0].code).id


def geography_of(url: str) -> list[tuple[int, int, list[int]]]:
    """(district id, its warehouse id, its facility ids) for every district."""
    engine = create_db_engine(Settings(database_url=url, environment="test"))
    with engine.connect() as conn:
        warehouses = dict(
            conn.execute(
                text("SELECT district_id, id FROM warehouses WHERE kind = 'district'")
            ).all()
        )
        facilities: dict[int, list[int]] = {}
        for district, facility in conn.execute(
            text("SELECT district_id, id FROM facilities ORDER BY id")
        ):
            facilities.setdefault(district, []).append(facility)
    engine.dispose()
    return [
        (d, warehouses[d], facilities.get(d, [])) for d in sorted(warehouses) if facilities.get(d)
    ]


def generate(n: int, first: int, geo, ctx: dict, seed: int, now: datetime):  # noqa: ANN001, ANN201
    """Yield (device row, event rows, state row) for devices first .. first+n-1."""
    rng = random.Random(seed)
    lives = [t for t, w in TEMPLATES for _ in range(w)]
    event_id = (first - 1) * 20
    stamp = int(now.timestamp() * 1000) - 400 * 86_400_000
    for device_id in range(first, first + n):
        district, warehouse, facilities = geo[rng.randrange(len(geo))]
        facility = facilities[rng.randrange(len(facilities))]
        life = lives[rng.randrange(len(lives))]
        start = now - timedelta(days=rng.uniform(30, 400))
        step = (now - start - timedelta(days=1)) / len(life)
        where = {
            "warehouse": warehouse,
            "facility": facility,
            "home": district,
            "supplier": ctx["supplier"],
        }
        events, installed, maintained = [], None, None
        for i, s in enumerate(life):
            event_id += 1
            at = start + step * (i + 1)
            key = uuid.UUID(int=(stamp + event_id) << 64 | rng.getrandbits(64))
            events.append(
                (
                    event_id,
                    key,
                    device_id,
                    s.kind,
                    s.before,
                    s.after,
                    s.place,
                    where[s.place],
                    district,
                    at,
                )
            )
            if s.kind == "install" and installed is None:
                installed = at
            elif s.kind in ("return", "issue", "dispatch"):
                installed = None
            if s.kind == "maintain":
                maintained = at
        last = life[-1]
        state = (
            device_id, last.after, last.place, ctx["supplier"],
            warehouse if last.place == "warehouse" else None,
            facility if last.place == "facility" else None,
            district, events[-1][9], len(life), installed, maintained,
        )  # fmt: skip
        device = (
            device_id,
            f"BN{device_id:07d}",
            ctx["item"],
            ctx["supplier"],
            ctx["po"],
            ctx["lot"],
            start,
        )
        yield device, events, state


def load(url: str, devices: int, chunk: int = 20_000, seed: int = 2021) -> None:
    started = time.monotonic()
    ctx = prepare(url)
    geo = geography_of(url)
    now = datetime.now(UTC)
    writer = _PgWriter(url) if url.startswith("postgresql") else _SqliteWriter(url)
    first = writer.next_device_id()
    done = 0
    try:
        for offset in range(0, devices, chunk):
            rows = list(
                generate(min(chunk, devices - offset), first + offset, geo, ctx, seed + offset, now)
            )
            writer.write(rows, now)
            done += len(rows)
            rate = done * 20 / (time.monotonic() - started)
            print(
                f"\r{done:,} devices, {done * 20:,} events ({rate:,.0f} events/s)",
                end="",
                flush=True,
            )
        writer.finish()
    finally:
        writer.close()
    print(f"\nloaded in {time.monotonic() - started:,.0f} s")


class _SqliteWriter:
    def __init__(self, url: str) -> None:
        import sqlite3

        self.conn = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        for pragma in (
            "journal_mode=WAL",
            "synchronous=OFF",
            "cache_size=-400000",
            "foreign_keys=OFF",
        ):
            self.conn.execute(f"PRAGMA {pragma}")

    def next_device_id(self) -> int:
        return (
            self.conn.execute("SELECT coalesce(max(id), 0) FROM devices").fetchone()[0] or 0
        ) + 1

    @staticmethod
    def _t(value: datetime | None) -> str | None:
        return value.strftime("%Y-%m-%d %H:%M:%S.%f") if value else None

    def write(self, rows: list, now: datetime) -> None:
        t = self._t
        recorded = t(now)
        self.conn.execute("BEGIN")
        self.conn.executemany(
            "INSERT INTO devices (id, serial, item_id, supplier_id, purchase_order_id, lot_id, "
            "make, model, manufactured_on, qa_status, registered_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'Bench', 'B-5', '2021-01-01', 'accepted', ?)",
            [(*d[:6], t(d[6])) for d, _e, _s in rows],
        )
        self.conn.executemany(
            f"INSERT INTO device_events ({EVENT_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench')",
            [
                (*e[:1], e[1].hex, *e[2:9], t(e[9]), recorded)
                for _d, events, _s in rows
                for e in events
            ],
        )
        self.conn.executemany(
            f"INSERT INTO device_state ({STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*s[:7], t(s[7]), s[8], t(s[9]), t(s[10])) for _d, _e, s in rows],
        )
        self.conn.execute("COMMIT")

    def finish(self) -> None:
        self.conn.execute("ANALYZE")

    def close(self) -> None:
        self.conn.close()


class _PgWriter:
    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(
            url.replace("postgresql+psycopg://", "postgresql://"), autocommit=False
        )
        # Bulk load: skip per-row foreign-key triggers (the generator builds consistent rows).
        self.conn.execute("SET session_replication_role = replica")
        self.conn.execute("SET synchronous_commit = off")

    def next_device_id(self) -> int:
        return (
            self.conn.execute("SELECT coalesce(max(id), 0) FROM devices").fetchone()[0] or 0
        ) + 1

    def write(self, rows: list, now: datetime) -> None:
        with self.conn.cursor() as cur:
            with cur.copy(
                "COPY devices (id, serial, item_id, supplier_id, purchase_order_id, lot_id, make, "
                "model, manufactured_on, qa_status, registered_at) FROM STDIN"
            ) as copy:
                for d, _e, _s in rows:
                    copy.write_row((*d[:6], "Bench", "B-5", date(2021, 1, 1), "accepted", d[6]))
            with cur.copy(f"COPY device_events ({EVENT_COLUMNS}) FROM STDIN") as copy:
                buf = io.StringIO()
                for _d, events, _s in rows:
                    for e in events:
                        buf.write(
                            f"{e[0]}\t{e[1]}\t{e[2]}\t{e[3]}\t{e[4]}\t{e[5]}\t{e[6]}\t{e[7]}\t{e[8]}\t"
                            f"{e[9].isoformat()}\t{now.isoformat()}\tbench\n"
                        )
                copy.write(buf.getvalue())
            with cur.copy(f"COPY device_state ({STATE_COLUMNS}) FROM STDIN") as copy:
                for _d, _e, s in rows:
                    copy.write_row(s)
        self.conn.commit()

    def finish(self) -> None:
        self.conn.execute("SET session_replication_role = origin")
        for table in ("devices", "device_events"):
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        self.conn.commit()
        self.conn.autocommit = True
        self.conn.execute("VACUUM ANALYZE devices")
        self.conn.execute("VACUUM ANALYZE device_events")
        self.conn.execute("VACUUM ANALYZE device_state")

    def close(self) -> None:
        self.conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--devices", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    load(args.url, args.devices)
    return 0


if __name__ == "__main__":
    sys.exit(main())
