"""In-memory stand-ins for the tendering repositories (``uow.tenders``, ``uow.contracts``), for
unit tests of use cases with ``tests.fakes.FakeUnitOfWork``.

They keep the area's rows as plain objects (a table class made without a session is one)
and answer the queries the services ask, with the same filters and order; ids are given on
``add`` as the database would give them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count
from typing import Any

from oxychain.core.errors import NotFound
from oxychain.masterdata.tables import Supplier
from oxychain.tendering.domain.bid import is_live
from oxychain.tendering.tables import (
    Award,
    Bid,
    BidCover,
    CommitteeMember,
    Corrigendum,
    FinancialResult,
    PurchaseOrder,
    Tender,
    TenderConsignee,
    TenderCriterion,
)


class _Rows:
    _ids = count(1)

    def __init__(self, *rows: Any) -> None:
        self.rows: list[Any] = []
        self.add(*rows)

    def add(self, *rows: Any) -> None:
        for row in rows:
            if getattr(row, "id", None) is None:
                row.id = next(self._ids)
            if all(row is not kept for kept in self.rows):
                self.rows.append(row)

    def _of(self, kind: type, **match: Any) -> list[Any]:
        return [
            r
            for r in self.rows
            if isinstance(r, kind) and all(getattr(r, k) == v for k, v in match.items())
        ]

    def _one(self, kind: type, message: str, **match: Any) -> Any:
        found = self._of(kind, **match)
        if not found:
            raise NotFound(message, **match)
        return found[0]


class FakeTenders(_Rows):
    def tender(self, reference: str, *, lock: str | None = None) -> Tender:
        return self._one(Tender, "No tender with reference {reference}.", reference=reference)

    def tender_by_id(self, tender_id: int, *, lock: str | None = None) -> Tender:
        return self._one(Tender, "No tender {id}.", id=tender_id)

    def exists(self, reference: str) -> bool:
        return bool(self._of(Tender, reference=reference))

    def committee(self, tender_id: int) -> list[CommitteeMember]:
        return sorted(self._of(CommitteeMember, tender_id=tender_id), key=lambda m: m.position)

    def criteria(self, tender_id: int) -> list[TenderCriterion]:
        return sorted(self._of(TenderCriterion, tender_id=tender_id), key=lambda c: c.position)

    def consignees(self, tender_id: int) -> list[TenderConsignee]:
        return self._of(TenderConsignee, tender_id=tender_id)

    def corrigenda(self, tender_id: int) -> list[Corrigendum]:
        return self._of(Corrigendum, tender_id=tender_id)

    def bid(self, bid_id: int) -> Bid:
        return self._one(Bid, "No bid {id}.", id=bid_id)

    def bids(self, tender_id: int, *, live_only: bool = False) -> list[Bid]:
        found = self._of(Bid, tender_id=tender_id)
        return [b for b in found if is_live(b.status)] if live_only else found

    def live_bid(self, tender_id: int, supplier_id: int) -> Bid | None:
        found = self._of(Bid, tender_id=tender_id, supplier_id=supplier_id)
        return next((b for b in found if is_live(b.status)), None)

    def covers(self, bid_ids: Sequence[int]) -> dict[tuple[int, str], BidCover]:
        return {(c.bid_id, c.cover): c for c in self._of(BidCover) if c.bid_id in bid_ids}

    def results(self, tender_id: int) -> list[FinancialResult]:
        return sorted(self._of(FinancialResult, tender_id=tender_id), key=lambda r: r.rank)

    def supplier(self, supplier_id: int) -> Supplier | None:
        return next(iter(self._of(Supplier, id=supplier_id)), None)

    def suppliers(self, ids: Sequence[int]) -> dict[int, Supplier]:
        return {s.id: s for s in self._of(Supplier) if s.id in ids}


class FakeContracts(_Rows):
    def awards(self, tender_id: int) -> list[Award]:
        return self._of(Award, tender_id=tender_id)

    def award(self, award_id: int) -> Award:
        return self._one(Award, "No award {id}.", id=award_id)

    def purchase_orders(
        self, *, supplier_id: int | None = None, tender_id: int | None = None
    ) -> list[PurchaseOrder]:
        match = {"supplier_id": supplier_id, "tender_id": tender_id}
        return self._of(PurchaseOrder, **{k: v for k, v in match.items() if v is not None})
