"""Finance's items on a person's home page: bills to check and to pay (finance officer),
bills to submit or mend (supplier)."""

from __future__ import annotations

from datetime import datetime

from oxychain.core.i18n import N_
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.core.work import WorkItem
from oxychain.finance.domain.bill import BillStatus as B


def home_queue(uow: UnitOfWork, settings: object, now: datetime) -> list[WorkItem]:
    role = uow.principal.role
    if role is Role.FINANCE_OFFICER:
        with uow:
            to_check = uow.finance.bills(statuses=[B.SUBMITTED.value])
            to_pay = uow.finance.bills(statuses=[B.PASSED.value, B.PARTLY_PAID.value])
        return [
            WorkItem(N_("bills submitted, to check"), len(to_check), "/bills?status=submitted"),
            WorkItem(N_("bills passed, to pay"), len(to_pay), "/bills?status=passed"),
        ]
    if role is Role.SUPPLIER and uow.principal.supplier_id:
        with uow:
            mine = uow.finance.bills(
                supplier_id=uow.principal.supplier_id,
                statuses=[B.DRAFT.value, B.REJECTED.value],
            )
        return [WorkItem(N_("your bills in draft or returned, to submit"), len(mine), "/bills")]
    return []
