"""A tender from publication to purchase order, through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from oxychain.core.errors import Conflict, Forbidden, InvalidInput
from oxychain.core.people import SYSTEM
from oxychain.tendering.domain import securities
from oxychain.tendering.domain.tender import Policy
from oxychain.tendering.services import award as results
from oxychain.tendering.services import committee, evaluation, opening
from oxychain.tendering.services import purchase_orders as contracts
from oxychain.tendering.services import tenders as tendering
from tests.tendering.world import T0, build_world, create_tender, release, submit


@pytest.fixture
def world(app):  # noqa: ANN001, ANN201
    return build_world(app)


def _codes(world) -> tuple[str, str, str]:  # noqa: ANN001
    l1, mse, big = world.suppliers
    return l1, mse, big


def test_the_whole_path_awards_l1_with_an_mse_split_and_issues_orders(world) -> None:  # noqa: ANN001
    app, officer = world.app, world.officer.principal
    ref = create_tender(world, quantity=100)
    l1, mse, big = _codes(world)
    t = T0 + timedelta(days=1)
    submit(world, ref, l1, 40_000_00, t)
    submit(world, ref, mse, 44_000_00, t)  # within L1 + 15 %: invited to match
    withdrawn, _ = submit(world, ref, big, 39_000_00, t)
    from oxychain.tendering.services import bids as bidding

    bidding.withdraw_bid(app.uow(world.suppliers[big].principal, write=True), withdrawn.id, now=t)
    after = T0 + timedelta(days=21, minutes=31)
    got = release(world, ref, world.openers[:2], after)
    assert all(r.accepted for r in got)
    with app.uow(SYSTEM) as uow:
        tender = uow.tenders.tender(ref)
        assert tender.status == "technical_evaluation"
        assert tender.bid_count == 2  # the withdrawn bid is not counted
    state = evaluation.evaluation_state(app.uow(officer), ref)
    for row in state.bids:
        findings = {c.id: (True, "as declared in the technical cover") for c in state.criteria}
        evaluation.record_findings(
            app.uow(officer, write=True), ref, row.bid.id, findings, now=after
        )
    evaluation.conclude_technical(app.uow(officer, write=True), ref, now=after)
    release(world, ref, world.openers[1:], after)
    statement = results.comparative_statement(app.uow(officer), ref)
    assert [r.supplier_code for r in statement.rows] == [l1, mse]
    assert statement.rows[1].invitation == "mse_match"
    awards = results.award_tender(
        app.uow(officer, write=True), ref, {statement.rows[1].bid_id}, now=after
    )
    assert [(a.quantity, a.basis) for a in awards] == [(75, "l1"), (25, "mse_match")]
    assert awards[0].unit_price_paise == awards[1].unit_price_paise == 44_800_00  # L1 + 12 % GST
    orders = contracts.issue_purchase_orders(app.uow(officer, write=True), ref, now=after)
    assert sum(o.quantity for o in orders) == 100
    view = contracts.purchase_order_view(app.uow(officer), orders[0].id, as_of=date(2026, 6, 1))
    assert sum(t.tranche.quantity for t in view.tranches) == 75
    # The order says which preference applied and why (MSE Order 2012).
    mse_order = contracts.purchase_order_view(app.uow(officer), orders[1].id)
    assert (view.preference.basis, mse_order.preference.basis) == ("l1", "mse_match")
    assert "MSE manufacturer within L1 + 15 %" in mse_order.preference.english()
    with pytest.raises(Conflict):
        contracts.issue_purchase_orders(app.uow(officer, write=True), ref, now=after)


def test_k_minus_one_shares_do_not_open_and_withdrawn_bids_are_never_offered(world) -> None:  # noqa: ANN001
    app = world.app
    ref = create_tender(world)
    l1, mse, big = _codes(world)
    t = T0 + timedelta(days=2)
    submit(world, ref, l1, 40_000_00, t)
    gone, _ = submit(world, ref, big, 30_000_00, t)
    from oxychain.tendering.services import bids as bidding

    bidding.withdraw_bid(app.uow(world.suppliers[big].principal, write=True), gone.id, now=t)
    after = T0 + timedelta(days=22)
    release(world, ref, world.openers[:1], after)  # k = 2: one share is not enough
    with app.uow(SYSTEM) as uow:
        live = uow.tenders.bids(uow.tenders.tender(ref).id, live_only=True)
        covers = uow.tenders.covers([b.id for b in live])
        assert {c.status for c in covers.values()} == {"sealed"}
        assert all(c.content is None for c in covers.values())
        withdrawn = uow.tenders.covers([gone.id])
        assert all(c.status == "sealed" for c in withdrawn.values())
    state = opening.opening_state(app.uow(world.openers[1].principal), ref, now=after)
    assert {p.bid_id for p in state.pending} == {b.id for b in live}
    # A withdrawn bid's cover refuses a share even if one is posted.
    cover_id = next(c.id for c in withdrawn.values() if c.cover == "technical")
    out = opening.release_shares(
        app.uow(world.openers[1].principal, write=True), ref, [(cover_id, {"v": 1})], now=after
    )
    assert not out[0].accepted and "never opened" in out[0].reason


def test_openers_release_only_their_own_seat_and_only_at_opening_time(world) -> None:  # noqa: ANN001
    app = world.app
    ref = create_tender(world)
    l1 = _codes(world)[0]
    submit(world, ref, l1, 40_000_00, T0 + timedelta(days=1))
    early = T0 + timedelta(days=21, minutes=5)  # after the deadline, before the opening
    opener = world.openers[0].principal
    assert opening.opening_state(app.uow(opener), ref, now=early).pending == []
    with pytest.raises(Conflict, match="open at"):
        opening.release_shares(app.uow(opener, write=True), ref, [(1, {})], now=early)
    stranger = build_world(app, suppliers={"X": {}}, openers=1).openers[0]
    with pytest.raises(Forbidden):
        opening.opening_state(app.uow(stranger.principal), ref, now=early)


def test_rules_freeze_at_publication_and_corrigenda_move_the_deadline(world) -> None:  # noqa: ANN001
    app, officer = world.app, world.officer.principal
    ref = create_tender(world)
    with pytest.raises(Conflict):
        committee.add_committee_member(
            app.uow(officer, write=True), ref, world.openers[0].principal.username
        )
    new_deadline = T0 + timedelta(days=28)
    row = tendering.publish_corrigendum(
        app.uow(officer, write=True),
        ref,
        {"deadline": new_deadline, "opening_at": new_deadline + timedelta(hours=1)},
        "Deadline extended on bidders' request.",
        now=T0 + timedelta(days=3),
    )
    assert row.number == 1 and set(row.changes) == {"deadline", "opening_at"}
    late = T0 + timedelta(days=21, hours=2)  # after the old deadline, before the new
    submit(world, ref, _codes(world)[0], 40_000_00, late)
    with pytest.raises(Conflict, match="deadline"):
        tendering.publish_corrigendum(
            app.uow(officer, write=True),
            ref,
            {"bid_validity_days": 120},
            "Too late.",
            now=new_deadline + timedelta(minutes=1),
        )


def _awarded(world, quantity: int = 100) -> tuple[str, list]:  # noqa: ANN001
    """A tender awarded to L1 alone, through the services."""
    app, officer = world.app, world.officer.principal
    ref = create_tender(world, quantity=quantity, policy=Policy())
    l1, mse, _ = _codes(world)
    submit(world, ref, l1, 40_000_00, T0 + timedelta(days=1))
    submit(world, ref, mse, 41_000_00, T0 + timedelta(days=1))
    after = T0 + timedelta(days=21, minutes=31)
    release(world, ref, world.openers[:2], after)
    state = evaluation.evaluation_state(app.uow(officer), ref)
    for row in state.bids:
        complies = row.bid.bidder == l1  # the MSE fails one criterion: not responsive
        findings = {c.id: (complies or c.position > 1, "checked") for c in state.criteria}
        evaluation.record_findings(
            app.uow(officer, write=True), ref, row.bid.id, findings, now=after
        )
    evaluation.conclude_technical(app.uow(officer, write=True), ref, now=after)
    release(world, ref, world.openers[:2], after)
    awards = results.award_tender(app.uow(officer, write=True), ref, set(), now=after)
    return ref, awards


def test_orders_are_amended_as_new_versions_and_ld_follows_the_deliveries(world) -> None:  # noqa: ANN001
    app, officer = world.app, world.officer.principal
    ref, awards = _awarded(world)
    with app.uow(SYSTEM) as uow:
        bids = uow.tenders.bids(uow.tenders.tender(ref).id)
        assert sorted(b.emd_status for b in bids) == ["exempt", "held"]  # the MSE pays none
    issued = T0 + timedelta(days=25)
    (po,) = contracts.issue_purchase_orders(app.uow(officer, write=True), ref, now=issued)
    view = contracts.purchase_order_view(app.uow(officer), po.id)
    line = view.tranches[0].tranche
    late = line.due_date + timedelta(days=10)  # 2 weeks (a part counts as a week)
    later = datetime.combine(late, time(12), tzinfo=UTC) + timedelta(days=1)
    record = contracts.RecordDelivery(line.id, line.quantity, late, "CH-0001")
    contracts.record_delivery(app.uow(officer, write=True), record, now=later)
    with pytest.raises(Conflict, match="already recorded"):
        contracts.record_delivery(
            app.uow(officer, write=True), record, now=late + timedelta(days=1)
        )
    more = contracts.RecordDelivery(line.id, 1, late, "CH-0002")
    with pytest.raises(InvalidInput, match="remain"):
        contracts.record_delivery(app.uow(officer, write=True), more, now=later)
    view = contracts.purchase_order_view(app.uow(officer), po.id, as_of=late)
    value = line.quantity * po.unit_price_paise
    assert view.tranches[0].damages.total_paise == value * 100 // 10_000  # 2 weeks × 0.5 %
    # GFR rule 171: the late delivery, not the due date, starts the warranty the security
    # must outlast by 60 days, when it is the latest (one rule: tendering.domain.securities).
    months = view.tender.warranty_months
    latest = max([t.tranche.due_date for t in view.tranches] + [late])
    assert view.security_required_until == securities.performance_security_valid_until(
        latest, months
    )
    # An amendment extends a due date: a new version, linked; deliveries carry over.
    change = contracts.TrancheChange(line.number, line.consignee_warehouse_id, due_date=late)
    new = contracts.amend_purchase_order(
        app.uow(officer, write=True),
        po.id,
        [change],
        "Delivery period extended (no LD).",
        now=later,
    )
    assert (new.version, new.previous_id, new.number) == (2, po.id, f"{po.number}/A1")
    old = contracts.purchase_order_view(app.uow(officer), po.id, as_of=late)
    newer = contracts.purchase_order_view(app.uow(officer), new.id, as_of=late)
    assert old.po.status == "superseded" and [v.id for v in newer.versions] == [po.id, new.id]
    assert newer.tranches[0].tranche.delivered_quantity == line.quantity
    assert newer.tranches[0].damages.total_paise == 0
    with app.uow(SYSTEM) as uow:
        assert uow.contracts.current_tranche(line.id).purchase_order_id == new.id
    with pytest.raises(Conflict):
        contracts.amend_purchase_order(app.uow(officer, write=True), po.id, [change], "again")
    # Performance security received: the awardee's EMD comes back. Its guarantee ends 5 days
    # before the late delivery's warranty + 60 days: short, by 5 days.
    required = contracts.purchase_order_view(app.uow(officer), new.id, as_of=late)
    results.record_performance_security(
        app.uow(officer, write=True),
        new.id,
        "BG/1",
        issued.date(),
        required.security_required_until - timedelta(days=5),
    )
    held = contracts.purchase_order_view(app.uow(officer), new.id, as_of=late)
    assert (held.security_state, held.security_days_short) == ("short", 5)
    with app.uow(SYSTEM) as uow:
        statuses = {b.emd_status for b in uow.tenders.bids(uow.tenders.tender(ref).id)}
        assert statuses == {"exempt", "refunded"}


def test_a_declined_award_forfeits_its_emd(world) -> None:  # noqa: ANN001
    app, officer = world.app, world.officer.principal
    ref, awards = _awarded(world)
    results.decline_award(
        app.uow(officer, write=True), ref, awards[0].id, "Did not furnish security."
    )
    with app.uow(SYSTEM) as uow:
        bid = uow.tenders.bid(awards[0].bid_id)
        assert bid.emd_status == "forfeited"
    with pytest.raises(Conflict):
        results.decline_award(app.uow(officer, write=True), ref, awards[0].id, "again")


def test_a_declaration_tender_takes_bids_without_money(world) -> None:  # noqa: ANN001
    """GFR rule 170 with the DoE OM of 12-11-2020: a tender issued in 2021 takes a bid security
    declaration by default; its bids deposit nothing and its notice says so."""
    issued = datetime(2021, 5, 3, 4, 30, tzinfo=UTC)
    ref = create_tender(world, now=issued, declaration_suspension_months=12)
    with world.app.uow(SYSTEM) as uow:
        tender = uow.tenders.tender(ref)
        assert (tender.bid_security_mode, tender.emd_paise, tender.emd_bp) == ("declaration", 0, 0)
        assert tender.declaration_suspension_months == 12
    bidder = next(iter(world.suppliers))
    submit(world, ref, bidder, 40_000_00, issued + timedelta(days=1))
    with world.app.uow(SYSTEM) as uow:
        (bid,) = uow.tenders.bids(uow.tenders.tender(ref).id)
        assert (bid.emd_paise, bid.emd_status) in ((0, "held"), (0, "exempt"))
    with pytest.raises(InvalidInput, match="declaration, not EMD"):
        create_tender(world, now=issued, bid_security_mode="emd")


@pytest.mark.parametrize("global_tender", [False, True])
def test_a_non_local_bid_is_refused_unless_the_tender_is_a_global_enquiry(
    world, global_tender: bool
) -> None:  # noqa: ANN001
    """Make in India Order 2017 (rev. 16-09-2020): the class comes from the local content the
    bid self-certifies; a non-local bid is not responsive outside a global tender enquiry."""
    app, officer = world.app, world.officer.principal
    policy = Policy(mii_preference=True, global_tender=global_tender)
    ref = create_tender(world, quantity=100, policy=policy)
    local, importer, _ = _codes(world)
    t = T0 + timedelta(days=1)
    submit(world, ref, local, 41_000_00, t, local_content_pct="50")
    submit(world, ref, importer, 40_000_00, t, local_content_pct="20")  # 20 %: non-local
    after = T0 + timedelta(days=21, minutes=31)
    release(world, ref, world.openers[:2], after)
    state = evaluation.evaluation_state(app.uow(officer), ref)
    classes = {row.bid.bidder: (row.local_class, row.refusal) for row in state.bids}
    assert classes[local] == ("class-i", None)
    assert classes[importer][0] == "non-local"
    assert (classes[importer][1] is None) is global_tender
    for row in state.bids:
        findings = {c.id: (True, "as declared in the technical cover") for c in state.criteria}
        evaluation.record_findings(
            app.uow(officer, write=True), ref, row.bid.id, findings, now=after
        )
    evaluation.conclude_technical(app.uow(officer, write=True), ref, now=after)
    with app.uow(SYSTEM) as uow:
        bids = {b.bidder: b.responsive for b in uow.tenders.bids(uow.tenders.tender(ref).id)}
    assert bids == {local: True, importer: global_tender}
    if global_tender:  # the importer is L1 and not Class-I: the Class-I bidder may match
        release(world, ref, world.openers[1:], after)
        statement = results.comparative_statement(app.uow(officer), ref)
        rows = {r.supplier_code: r for r in statement.rows}
        assert rows[local].invitation == "mii_match"
        assert (rows[importer].local_content_class, rows[local].local_content_class) == (
            "non-local",
            "class-i",
        )


def test_the_officers_home_links_an_opened_tender_to_its_next_step(world) -> None:  # noqa: ANN001
    from oxychain.tendering.services.home import home_queue

    app, officer = world.app, world.officer.principal
    ref = create_tender(world, quantity=10)
    l1, _mse, _big = _codes(world)
    submit(world, ref, l1, 40_000_00, T0 + timedelta(days=1))
    after = T0 + timedelta(days=21, minutes=31)

    def opened() -> tuple[int | None, str]:
        items = home_queue(app.uow(officer), None, after)
        item = next(i for i in items if i.label == "tenders being opened or evaluated")
        return item.count, item.link

    release(world, ref, world.openers[:2], after)
    assert opened() == (1, f"/tenders/{ref}/evaluation")  # the technical covers to judge
    state = evaluation.evaluation_state(app.uow(officer), ref)
    findings = {c.id: (True, "as declared in the technical cover") for c in state.criteria}
    evaluation.record_findings(
        app.uow(officer, write=True), ref, state.bids[0].bid.id, findings, now=after
    )
    evaluation.conclude_technical(app.uow(officer, write=True), ref, now=after)
    # the financial opening: the tender's page (its opening, comparative statement and award)
    assert opened() == (1, f"/tenders/{ref}")
