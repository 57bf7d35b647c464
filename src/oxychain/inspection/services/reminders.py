"""Lots waiting too long for their next step, told to whoever takes it (the worker runs
this: ``inspection.jobs``): an offered lot to the officers who assign an inspector, an
assigned or sampled lot to its inspector. Once per lot and step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oxychain.core.i18n import N_
from oxychain.core.notices.text import moment
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.domain.lot import LotStatus
from oxychain.inspection.repository import LotFilter

WAITING = {
    LotStatus.OFFERED: (
        N_("Lot {lot} waits for an inspector"),
        N_(
            "Lot {lot} ({quantity} devices) was offered for inspection on {since} and has no "
            "inspector yet. Assign an agency and an inspector."
        ),
    ),
    LotStatus.ASSIGNED: (
        N_("Lot {lot} waits for its sample"),
        N_(
            "Lot {lot} ({quantity} devices, at {place}) was assigned to you on {since}; its "
            "sample is not drawn yet."
        ),
    ),
    LotStatus.SAMPLED: (
        N_("Lot {lot} waits for its readings"),
        N_("The sample of lot {lot} was drawn on {since}; its readings are not complete yet."),
    ),
}
SINCE = {
    LotStatus.OFFERED: "offered_at",
    LotStatus.ASSIGNED: "assigned_at",
    LotStatus.SAMPLED: "sampled_at",
}


def lots_waiting(uow: UnitOfWork, now: datetime, after: timedelta) -> int:
    made = 0
    with uow:
        officers = uow.people.recipients(Role.PROCUREMENT_OFFICER)
        for status, (subject, body) in WAITING.items():
            for lot in uow.inspection.lots(LotFilter(status=status.value), limit=1000):
                since = getattr(lot, SINCE[status])
                if since is None or _aware(since) > now - after:
                    continue
                if status is LotStatus.OFFERED:
                    people = list(officers)
                else:
                    inspector = uow.people.user(lot.inspector_id) if lot.inspector_id else None
                    people = [inspector] if inspector else []
                made += uow.notices.notify(
                    people,
                    key=f"lot-waiting:{lot.id}:{status.value}",
                    kind="inspection.lot_waiting",
                    subject=subject,
                    body=body,
                    params={
                        "lot": lot.number,
                        "quantity": lot.quantity,
                        "place": lot.place,
                        "since": moment(_aware(since)),
                    },
                    link=f"/lots/{lot.id}",
                    now=now,
                )
        uow.commit()
    return made


def _aware(moment_: datetime) -> datetime:
    """A moment read back from SQLite has no zone: it is UTC."""
    return moment_ if moment_.tzinfo else moment_.replace(tzinfo=UTC)
