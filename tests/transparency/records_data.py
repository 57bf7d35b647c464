"""Contracting records for the red-flag and open-contracting tests: a clean set, and one
seeded case per red flag (synthetic firms)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from oxychain.masterdata.domain.suppliers import gstin_check_character
from oxychain.tendering.domain.tender import TenderStatus
from oxychain.transparency.domain.records import (
    BIDS_OPENED,
    AwardRecord,
    Bidder,
    BidRecord,
    BidStanding,
    ContractingRecords,
    ContractRecord,
    CorrigendumRecord,
    TenderRecord,
    TrancheRecord,
)

T0 = datetime(2026, 5, 4, 4, 30, tzinfo=UTC)
QTY = 100

BIDDERS = {
    b.code: b
    for b in (
        Bidder("SUP-A", "Ganga Medical Devices (synthetic)", "12 Civil Lines, Kanpur",
               "+91 98390 11111", "a@ganga.example", "SBIN0001234-111111", True),
        Bidder("SUP-B", "Awadh Healthcare (synthetic)", "4 Hazratganj, Lucknow",
               "+91 98390 22222", "b@awadh.example", "HDFC0000042-222222"),
        Bidder("SUP-C", "Bharat Oxy Systems (synthetic)", "7 Sector 18, Noida",
               "+91 98390 33333", "c@bharat.example", "ICIC0000007-333333"),
        Bidder("SUP-D", "Northern Respiratory (synthetic)", "21 MG Road, Agra",
               "+91 98390 44444", "d@northern.example", "PUNB0000021-444444"),
        Bidder("SUP-E", "Purvanchal Surgicals (synthetic)", "9 Golghar, Gorakhpur",
               "+91 98390 55555", "e@purvanchal.example", "UBIN0000009-555555", True),
    )
}  # fmt: skip


def _identified(bidder: Bidder, n: int) -> Bidder:
    """Synthetic, format-valid GSTIN and PAN (and a Udyam number for an MSE)."""
    pan = f"AAAC{bidder.code[-1]}{1000 + n}Q"
    first14 = f"09{pan}1Z"
    udyam = f"UDYAM-UP-50-{n:07d}" if bidder.is_mse else ""
    return replace(bidder, pan=pan, gstin=first14 + gstin_check_character(first14), udyam=udyam)


BIDDERS = {code: _identified(b, n) for n, (code, b) in enumerate(BIDDERS.items(), 1)}


BID_RECEIVED = T0 + timedelta(days=18)


def bid(code: str, price: int | None, status: BidStanding = BidStanding.VALID, reason: str = ""):  # noqa: ANN201
    return BidRecord(
        id=f"BID-{code}",
        bidder=code,
        submitted_at=BID_RECEIVED,
        status=status,
        unit_price=None if price is None else Decimal(price),
        reason=reason,
    )


def award(code: str, price: int, quantity: int = QTY, day: int = 40) -> AwardRecord:
    return AwardRecord(
        id=f"AW-{code}",
        supplier=code,
        quantity=quantity,
        unit_price=Decimal(price),
        date=T0 + timedelta(days=day),
        bid_id=f"BID-{code}",
    )


def tender(reference: str, bids=(), awards=(), **changes) -> TenderRecord:  # noqa: ANN001, ANN003
    fields = dict(
        reference=reference,
        title="Oxygen concentrators, 10 LPM (synthetic)",
        item_code="OC-10",
        item_name="Oxygen concentrator, 10 LPM",
        quantity=QTY,
        status=TenderStatus.AWARDED,
        published_at=T0,
        deadline=T0 + timedelta(days=21),
        estimated_value=Decimal(41_000 * QTY),
        last_purchase_rate=Decimal(40_500),
        bids=tuple(bids),
        awards=tuple(awards),
    )
    fields.update(changes)
    # A bid arrives before its tender's deadline unless a case says otherwise (R030).
    fields["bids"] = tuple(
        replace(b, submitted_at=fields["deadline"] - timedelta(days=3))
        if b.submitted_at == BID_RECEIVED
        else b
        for b in fields["bids"]
    )
    return TenderRecord(**(fields | _steps(fields, changes)))


def _steps(fields: dict, changes: dict) -> dict:
    """When each step happened, as the tender's status says it did (unless given)."""
    status, deadline = fields["status"], fields["deadline"]
    published = fields.get("published_at") or T0
    steps = {"created_at": published - timedelta(days=3)}
    if status in BIDS_OPENED:
        steps["opened_at"] = deadline + timedelta(hours=1)
    if status in {TenderStatus.FINANCIAL_OPENING, TenderStatus.AWARDED}:
        steps["evaluated_at"] = deadline + timedelta(days=3)
        steps["prices_opened_at"] = deadline + timedelta(days=4)
    if status is TenderStatus.AWARDED and fields.get("awards"):
        steps["awarded_at"] = min(a.date for a in fields["awards"])
    return {k: v for k, v in steps.items() if k not in changes}


def clean_tenders() -> list[TenderRecord]:
    """Healthy competition: several bids 5 % apart, awards to L1 below the estimate."""
    return [
        tender(
            "SMSC/2026/OC-01",
            [bid("SUP-A", 40_000), bid("SUP-B", 42_000), bid("SUP-C", 43_500)],
            [award("SUP-A", 40_000)],
        ),
        tender(
            "SMSC/2026/OC-02",
            [bid("SUP-B", 39_000), bid("SUP-A", 40_800), bid("SUP-D", 41_000)],
            [award("SUP-B", 39_000, day=60)],
            published_at=T0 + timedelta(days=20),
            deadline=T0 + timedelta(days=41),
        ),
        tender(  # open, sealed: bidders share a phone, but nobody may know who bid yet
            "SMSC/2026/OC-03",
            [bid("SUP-B", None, BidStanding.PENDING), bid("SUP-E", None, BidStanding.PENDING)],
            status=TenderStatus.PUBLISHED,
        ),
        tender(
            "SMSC/2026/OC-04",
            [
                bid("SUP-C", None, BidStanding.PENDING),
                bid("SUP-D", None, BidStanding.PENDING),
                bid("SUP-E", None, BidStanding.WITHDRAWN),
            ],
            status=TenderStatus.CLOSED,
        ),  # fmt: skip
    ]


def records(tenders: list[TenderRecord], **bidder_changes) -> ContractingRecords:  # noqa: ANN003
    bidders = dict(BIDDERS)
    for code, changes in bidder_changes.items():
        bidders[code] = replace(bidders[code], **changes)
    return ContractingRecords(tenders=tuple(tenders), bidders=bidders)


def clean_records() -> ContractingRecords:
    # SUP-B and SUP-E share a phone number, but only in a tender still sealed.
    return records(clean_tenders(), **{"SUP-E": {"phone": "098390 22222"}})


def _rotation() -> list[TenderRecord]:
    winners = ("SUP-A", "SUP-B", "SUP-C")
    out = []
    for n, winner in enumerate(winners):
        prices = {code: 42_000 for code in winners} | {winner: 40_000}
        prices[winners[(n + 1) % 3]] = 43_000
        out.append(
            tender(
                f"SMSC/2025/OC5-{n + 1}",
                [bid(code, price) for code, price in prices.items()],
                [award(winner, 40_000, day=-300 + 100 * n)],
                item_code="OC-5",
                published_at=T0 - timedelta(days=330 - 100 * n),
                deadline=T0 - timedelta(days=309 - 100 * n),
            )
        )
    return out


def _frequent_loser() -> list[TenderRecord]:
    out = []
    for n, (winner, second) in enumerate((("SUP-A", "SUP-B"),) * 2 + (("SUP-B", "SUP-A"),) * 2):
        out.append(
            tender(
                f"SMSC/2025/OC-{n + 11}",
                [bid(winner, 40_000), bid(second, 42_000), bid("SUP-D", 44_000)],
                [award(winner, 40_000, day=-200 + 10 * n)],
                published_at=T0 - timedelta(days=230 - 10 * n),
                deadline=T0 - timedelta(days=209 - 10 * n),
                item_code=f"OC-{n}",
            )
        )
    return out


DV = BidStanding.DISQUALIFIED
LATE = T0 + timedelta(days=21, hours=2)  # two hours after the default deadline


def _disqualified_often() -> list[TenderRecord]:
    """SUP-D disqualified in 2 of its 3 evaluated bids; A, B, C and E never (R038)."""
    plan = (
        ("X/38-1", [bid("SUP-A", 40_000), bid("SUP-C", 42_000), bid("SUP-D", None, DV, "ISO")],
         "SUP-A"),
        ("X/38-2", [bid("SUP-C", 40_000), bid("SUP-E", 42_000), bid("SUP-D", None, DV, "EMD")],
         "SUP-C"),
        ("X/38-3", [bid("SUP-E", 40_000), bid("SUP-A", 42_000)], "SUP-E"),
    )  # fmt: skip
    return [
        tender(ref, bids, [award(winner, 40_000)], item_code=f"OC-38{n}")
        for n, (ref, bids, winner) in enumerate(plan)
    ]


def _heterogeneous() -> list[TenderRecord]:
    """SUP-C supplies three UNSPSC segments (42 medical, 51 drugs, 53 apparel); D and E
    one each, like A and B in the clean set (R048)."""
    plan = (
        ("X/48-1", "42271702", "SUP-C", "SUP-A"),
        ("X/48-2", "51101500", "SUP-C", "SUP-B"),
        ("X/48-3", "53102700", "SUP-C", "SUP-D"),
        ("X/48-4", "42271702", "SUP-D", "SUP-E"),
        ("X/48-5", "42271702", "SUP-E", "SUP-C"),
    )
    return [
        tender(ref, [bid(winner, 40_000), bid(loser, 42_000)], [award(winner, 40_000)],
               item_code=f"OC-48{n}", item_classification=code)
        for n, (ref, code, winner, loser) in enumerate(plan)
    ]  # fmt: skip


# code → (tenders added to the clean ones, bidder changes, the tender the flag names)
SEEDED: dict[str, tuple[list[TenderRecord], dict, str | None]] = {
    "single_bid": ([tender("X/1", [bid("SUP-A", 40_000)], [award("SUP-A", 40_000)])], {}, "X/1"),
    "short_bid_period": (
        [tender("X/2", [bid("SUP-A", 40_000), bid("SUP-B", 42_000)], [award("SUP-A", 40_000)],
                deadline=T0 + timedelta(days=14, hours=23))],
        {}, "X/2",
    ),
    "identical_prices": (
        [tender("X/3", [bid("SUP-A", 40_000), bid("SUP-B", 42_000), bid("SUP-C", 42_000)],
                [award("SUP-A", 40_000)])],
        {}, "X/3",
    ),
    "close_to_winner": (
        [tender("X/4", [bid("SUP-A", 40_000), bid("SUP-B", 40_300)], [award("SUP-A", 40_000)])],
        {}, "X/4",
    ),
    "heavy_discount": (
        [tender("X/5", [bid("SUP-A", 30_000), bid("SUP-B", 42_000)], [award("SUP-A", 30_000)])],
        {}, "X/5",
    ),
    "all_but_winner_disqualified": (
        [tender("X/6", [bid("SUP-A", 40_000), bid("SUP-B", None, DV, "no ISO 13485"),
                        bid("SUP-C", None, DV, "EMD not paid")], [award("SUP-A", 40_000)])],
        {}, "X/6",
    ),
    "lowest_bid_disqualified": (
        [tender("X/7", [bid("SUP-A", 40_000), bid("SUP-B", 42_000),
                        bid("SUP-C", 38_000, DV, "bid validity too short")],
                [award("SUP-A", 40_000)])],
        {}, "X/7",
    ),
    "shared_details": (
        [tender("X/8", [bid("SUP-A", 40_000), bid("SUP-E", 42_000)], [award("SUP-A", 40_000)])],
        {"SUP-E": {"bank_account": "sbin0001234 111111"}}, "X/8",
    ),
    "above_reference": (
        [tender("X/9", [bid("SUP-A", 43_000), bid("SUP-B", 45_000)], [award("SUP-A", 43_000)],
                last_purchase_rate=None)],
        {}, "X/9",
    ),
    "frequent_loser": (_frequent_loser(), {}, None),
    "late_bid_won": (
        [tender("X/30", [replace(bid("SUP-A", 40_000), submitted_at=LATE), bid("SUP-B", 42_000)],
                [award("SUP-A", 40_000)])],
        {}, "X/30",
    ),
    "disqualified_often": (_disqualified_often(), {}, None),
    "heterogeneous_supplier": (_heterogeneous(), {}, None),
    "rotation": (_rotation(), {}, "SMSC/2025/OC5-3"),
}  # fmt: skip


def seeded_records(code: str) -> ContractingRecords:
    added, changes, _ = SEEDED[code]
    return records(clean_tenders() + added, **changes)


def full_records() -> ContractingRecords:
    """Every stage for the export: corrigendum, cancellation, amended PO with tranches."""
    po = ContractRecord(
        number="PO/2026/0001",
        version=1,
        award_id="AW-SUP-A",
        supplier="SUP-A",
        quantity=QTY,
        unit_price=Decimal(40_000),
        issued_at=T0 + timedelta(days=45),
        tranches=(
            TrancheRecord(1, "District Drug Warehouse, Lucknow", 60, date(2026, 7, 15), 60,
                          date(2026, 7, 14)),
            TrancheRecord(2, "District Drug Warehouse, Agra", 40, date(2026, 7, 30), 10,
                          date(2026, 7, 20)),
        ),
    )  # fmt: skip
    amended = replace(
        po,
        version=2,
        issued_at=T0 + timedelta(days=50),
        amendment_reason="Tranche 2 moved to Gorakhpur",
        tranches=(po.tranches[0], replace(po.tranches[1], consignee="DDW Gorakhpur")),
    )
    tenders = clean_tenders()
    tenders[0] = replace(
        tenders[0],
        contracts=(po, amended),
        deadline=T0 + timedelta(days=24),
        opened_at=T0 + timedelta(days=24, hours=1),
        evaluated_at=T0 + timedelta(days=27),
        prices_opened_at=T0 + timedelta(days=28),
        corrigenda=(
            CorrigendumRecord(
                "C1",
                T0 + timedelta(days=5),
                "Deadline extended by 3 days",
                new_deadline=T0 + timedelta(days=24),
                old_deadline=T0 + timedelta(days=21),
            ),
        ),  # fmt: skip
    )
    tenders.append(
        tender(
            "SMSC/2026/OC-05",
            status=TenderStatus.CANCELLED,
            cancelled_at=T0 + timedelta(days=9),
            estimated_value=None,
        )
    )
    tenders.append(tender("SMSC/2026/OC-06", status=TenderStatus.DRAFT, published_at=None))
    return records(tenders)
