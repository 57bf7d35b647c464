"""Core's items on a person's home page: the audit chain's state (auditor) and the worker's
failed jobs and the people notices cannot reach (admin)."""

from __future__ import annotations

from datetime import datetime

from oxychain.core.i18n import N_
from oxychain.core.people import Role
from oxychain.core.services.auditing import verify_chain
from oxychain.core.uow import UnitOfWork
from oxychain.core.work import WorkItem


def home_queue(uow: UnitOfWork, settings: object, now: datetime) -> list[WorkItem]:
    role = uow.principal.role
    if role is Role.AUDITOR:
        broken, checked = verify_chain(uow)
        return [
            WorkItem(
                N_("audit events checked in the chain"),
                checked,
                "/audit/verify",
                note=N_("The chain is intact.") if broken is None else N_("The chain is broken."),
                urgent=broken is not None,
            )
        ]
    if role is Role.ADMIN:
        with uow:
            counts = uow.jobs.counts()
            out_of_reach = uow.people.count_out_of_reach()
        return [
            WorkItem(N_("jobs that failed"), counts.get("failed", 0), "/admin/jobs", urgent=True),
            WorkItem(
                N_("people with no email or mobile for their notices"),
                out_of_reach,
                "/admin/users",
                note=N_("Their notices wait in the app until they sign in."),
            ),
        ]
    return []
