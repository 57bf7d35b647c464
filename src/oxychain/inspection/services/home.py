"""Inspection's items on a person's home page: lots to assign (procurement), lots and units
to test (inspector), units to offer and rejected lots to offer again (supplier)."""

from __future__ import annotations

from datetime import datetime

from oxychain.core.i18n import N_
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.core.work import WorkItem
from oxychain.inspection.domain.lot import LotStatus
from oxychain.inspection.repository import LotFilter


def _link(ids: list[int], one: str, many: str) -> str:
    return one.format(ids[0]) if len(ids) == 1 else many


def home_queue(uow: UnitOfWork, settings: object, now: datetime) -> list[WorkItem]:
    role = uow.principal.role
    with uow:
        if role is Role.PROCUREMENT_OFFICER:
            offered = [lot.id for lot in uow.inspection.lots(LotFilter(status=LotStatus.OFFERED))]
            return [
                WorkItem(
                    N_("lots offered, waiting for an inspector"),
                    len(offered),
                    _link(offered, "/lots/{}", "/lots?status=offered"),
                )
            ]
        if role is Role.INSPECTOR:
            return _inspector(uow)
        if role is Role.SUPPLIER:
            return _supplier(uow)
    return []


def _inspector(uow: UnitOfWork) -> list[WorkItem]:
    me = uow.principal
    lots = [
        lot
        for lot in uow.inspection.lots(LotFilter(agency_id=me.agency_id or -1))
        if lot.inspector_id == me.user_id
    ]
    to_sample = [lot.id for lot in lots if lot.status == LotStatus.ASSIGNED]
    sampled = [lot for lot in lots if lot.status == LotStatus.SAMPLED]
    units, first = 0, None
    for lot in sampled:
        left = (lot.sample_size or 0) - len(uow.inspection.latest_tests(lot.id))
        if left > 0:
            units += left
            first = first or lot.id
    return [
        WorkItem(
            N_("lots assigned to you, sample to draw"),
            len(to_sample),
            _link(to_sample, "/lots/{}", "/lots"),
        ),
        WorkItem(
            N_("sampled units still to test"),
            units,
            f"/lots/{first}/next-unit" if first else "/lots",
        ),
    ]


def _supplier(uow: UnitOfWork) -> list[WorkItem]:
    mine = uow.principal.supplier_id or -1
    lots = uow.inspection.lots(LotFilter(supplier_id=mine), limit=1000)
    offered: dict[int, int] = {}
    for lot in lots:
        if lot.status != LotStatus.REJECTED:
            offered[lot.tranche_id] = offered.get(lot.tranche_id, 0) + lot.quantity
    to_offer = sum(
        max(0, t.quantity - offered.get(t.id, 0)) for _po, t in uow.inspection.open_tranches(mine)
    )
    rejected = [
        lot.id
        for lot in lots
        if lot.status == LotStatus.REJECTED and uow.inspection.next_version_of(lot) is None
    ]
    return [
        WorkItem(N_("units ordered and not yet offered for inspection"), to_offer, "/lots/offer"),
        WorkItem(
            N_("rejected lots not yet offered again"),
            len(rejected),
            _link(rejected, "/lots/{}", "/lots?status=rejected"),
            urgent=True,
        ),
    ]
