"""The route-policy test's objects for tendering's paths: the demo's sealed tender
(demo.bid-opener sits on its committee) and its awarded one (they do not); SUP-01's bid
and order (the demo supplier's) and another supplier's."""

from __future__ import annotations

from oxychain.core.people import SYSTEM, ObjectScope

PARAMS = ("{ref}", "{bid_id}", "{po_id}")


def handles(path: str) -> bool:
    return any(p in path for p in PARAMS)


def objects(oxy) -> dict:  # noqa: ANN001
    from oxychain.tendering.demo import REFS

    with oxy.uow(SYSTEM) as uow:
        open_, first = (uow.tenders.tender(ref) for ref in (REFS[1], REFS[0]))
        sup01 = uow.masterdata.supplier_by_code("SUP-01").id
        bids = uow.tenders.bids(open_.id)
        orders = uow.contracts.purchase_orders()
        return {
            "tender_in": (open_.reference, {m.user_id for m in uow.tenders.committee(open_.id)}),
            "tender_out": (first.reference, {m.user_id for m in uow.tenders.committee(first.id)}),
            "bid_own": next(b for b in bids if b.supplier_id == sup01),
            "bid_other": next(b for b in bids if b.supplier_id != sup01),
            "po_own": next(o for o in orders if o.supplier_id == sup01),
            "po_other": next(o for o in orders if o.supplier_id != sup01),
        }


def path(path: str, principal, objs: dict, in_scope: bool) -> tuple[str, ObjectScope]:  # noqa: ANN001
    """{ref}: a committee seat is the opener's own (SELF); {bid_id}, {po_id}: the supplier's."""
    side = "own" if in_scope else "other"
    if "{ref}" in path:
        ref, members = objs["tender_in" if in_scope else "tender_out"]
        seat = principal.user_id if principal.user_id in members else None
        scope = ObjectScope(user_id=seat, supplier_id=principal.supplier_id)
        return path.replace("{ref}", ref), scope
    if "{bid_id}" in path:
        bid = objs[f"bid_{side}"]
        return path.replace("{bid_id}", str(bid.id)), ObjectScope(supplier_id=bid.supplier_id)
    po = objs[f"po_{side}"]
    return path.replace("{po_id}", str(po.id)), ObjectScope(supplier_id=po.supplier_id)
