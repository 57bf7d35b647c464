"""Reading tenders: the list, one tender as each person may see it, the public notice.

Before the deadline nobody but a bidder learns anything of the bids (not even how many);
at close the count and one hash over the receipts are published; the bidders' names and
covers show from the opening on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import NotFound
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.masterdata.tables import Item, Warehouse
from oxychain.tendering.domain import bid as bid_rules
from oxychain.tendering.domain import contract as contracts
from oxychain.tendering.domain import purchase_order as orders
from oxychain.tendering.domain import tender as rules
from oxychain.tendering.domain.tender import TenderStatus
from oxychain.tendering.services.tenders import can_see_drafts, require_tender
from oxychain.tendering.tables import (
    Award,
    Bid,
    CommitteeMember,
    Corrigendum,
    PurchaseOrder,
    Tender,
    TenderConsignee,
    TenderCriterion,
)

PUBLIC_STATUSES = sorted(rules.PUBLIC)


@dataclass(frozen=True)
class CoverProgress:
    bid_id: int
    bidder: str
    supplier_name: str
    cover: str
    status: str
    releases: int
    failure: str | None


@dataclass
class TenderView:
    tender: Tender
    item: Item
    consignees: list[tuple[TenderConsignee, Warehouse]]
    criteria: list[TenderCriterion]
    corrigenda: list[Corrigendum]
    committee: list[CommitteeMember]
    progress: list[CoverProgress] = field(default_factory=list)
    awards: list[tuple[Award, str]] = field(default_factory=list)
    orders: list[PurchaseOrder] = field(default_factory=list)
    my_bids: list[Bid] = field(default_factory=list)
    is_member: bool = False
    actions: frozenset[str] = frozenset()  # domain.tender.next_steps, as of the reading

    @property
    def opened(self) -> bool:
        return rules.is_opened(self.tender.status)

    def preference(self, award: Award) -> contracts.Preference:
        """Which preference gave this award its quantity, and why (DOMAIN.md, "Award")."""
        bases = {a.basis for a, _ in self.awards}
        return contracts.preference(award.basis, rules.Policy.of(self.tender), bases)

    @property
    def public(self) -> bool:
        return rules.is_public(self.tender.status)

    @property
    def status(self) -> str:
        """The status as a reader should see it: past its deadline a tender takes no bid,
        even before the officer (or the first opener) records the close."""
        return rules.effective_status(self.tender.status, self.tender.deadline, clock.now())

    @property
    def stale_bid(self) -> bool:
        """The reader's live bid was sealed before the latest corrigendum."""
        return bool(self.my_bids) and bid_rules.predates_corrigendum(
            self.my_bids[0].status, self.my_bids[0].corrigenda_seen, len(self.corrigenda)
        )


def list_tenders(uow: UnitOfWork) -> list[tuple[Tender, Item]]:
    require(uow.principal, "tender.read")
    with uow:
        statuses = None if can_see_drafts(uow.principal.role) else PUBLIC_STATUSES
        rows = uow.tenders.tenders(statuses)
        if uow.principal.role == Role.BID_OPENER:
            mine = uow.tenders.memberships(uow.principal.user_id)
            rows = [t for t in rows if t.id in mine] + [t for t in rows if t.id not in mine]
        return [(t, uow.tenders.item(t.item_id)) for t in rows]


def tender_view(uow: UnitOfWork, reference: str) -> TenderView:
    require(uow.principal, "tender.read")
    with uow:
        view = _notice(uow, require_tender(uow, reference))
        me = uow.principal
        view.is_member = any(m.user_id == me.user_id for m in view.committee)
        if me.supplier_id is not None and me.role == Role.SUPPLIER:
            view.my_bids = list(uow.tenders.bids_of(view.tender.id, me.supplier_id))
        return view


@dataclass(frozen=True)
class Candidate:
    username: str
    display_name: str
    fingerprint: str


def opener_candidates(uow: UnitOfWork, tender_id: int) -> list[Candidate]:
    """Bid openers with a registered key who do not sit on this committee yet."""
    require(uow.principal, "tender.write")
    with uow:
        seated = {m.user_id for m in uow.tenders.committee(tender_id)}
        out = []
        for user in uow.people.users():
            if user.role != Role.BID_OPENER.value or not user.active or user.id in seated:
                continue
            key = uow.tenders.opener_key(user.id)
            if key is not None:
                out.append(Candidate(user.username, user.display_name, key.fingerprint))
        return out


def public_notice(uow: UnitOfWork, reference: str) -> TenderView:
    """The public tender notice: anyone, logged in or not; never a draft."""
    with uow:
        tender = uow.tenders.tender(reference)
        if not rules.is_public(tender.status):
            raise NotFound("No tender with reference {ref}.", ref=reference)
        return _notice(uow, tender)


def public_tenders(uow: UnitOfWork) -> list[tuple[Tender, Item]]:
    with uow:
        return [(t, uow.tenders.item(t.item_id)) for t in uow.tenders.tenders(PUBLIC_STATUSES)]


def _notice(uow: UnitOfWork, tender: Tender) -> TenderView:
    view = TenderView(
        tender=tender,
        item=uow.tenders.item(tender.item_id),
        consignees=[
            (c, uow.tenders.warehouse(c.warehouse_id)) for c in uow.tenders.consignees(tender.id)
        ],
        criteria=list(uow.tenders.criteria(tender.id)),
        corrigenda=list(uow.tenders.corrigenda(tender.id)),
        committee=list(uow.tenders.committee(tender.id)),
    )
    if view.opened:
        view.progress = _progress(uow, tender)
    if TenderStatus(tender.status) is TenderStatus.AWARDED:
        awards = uow.contracts.awards(tender.id)
        names = uow.tenders.suppliers([a.supplier_id for a in awards])
        view.awards = [(a, names[a.supplier_id].name) for a in awards]
        view.orders = orders.current(uow.contracts.purchase_orders(tender_id=tender.id))
    view.actions = rules.next_steps(
        tender.status, tender.deadline, clock.now(), orders_issued=bool(view.orders)
    )
    return view


def _progress(uow: UnitOfWork, tender: Tender) -> list[CoverProgress]:
    bids = uow.tenders.bids(tender.id, live_only=True)
    covers = uow.tenders.covers([b.id for b in bids])
    counts = uow.tenders.release_counts([c.id for c in covers.values()])
    names = uow.tenders.suppliers([b.supplier_id for b in bids])
    return [
        CoverProgress(
            bid.id,
            bid.bidder,
            names[bid.supplier_id].name,
            cover.cover,
            cover.status,
            counts.get(cover.id, 0),
            cover.failure,
        )
        for bid in bids
        for cover in sorted(
            (c for (b, _), c in covers.items() if b == bid.id),
            key=lambda c: c.cover != bid_rules.TECHNICAL,
        )
    ]
