"""The route-policy test's objects for finance's paths ({bill_number}): a bill of SUP-01
(the demo supplier's) and one of another supplier, from the demo's bills."""

from __future__ import annotations

from oxychain.core.people import SYSTEM, ObjectScope

PARAMS = ("{bill_number}",)


def handles(path: str) -> bool:
    return any(p in path for p in PARAMS)


def objects(oxy) -> dict:  # noqa: ANN001
    with oxy.uow(SYSTEM) as uow:
        sup01 = uow.masterdata.supplier_by_code("SUP-01").id
        bills = uow.finance.bills()
        return {
            "bill_own": next(b for b in bills if b.supplier_id == sup01),
            "bill_other": next(b for b in bills if b.supplier_id != sup01),
        }


def path(path: str, principal, objs: dict, in_scope: bool) -> tuple[str, ObjectScope]:  # noqa: ANN001
    """{bill_number}: a supplier's own bill in scope, another supplier's out of it."""
    bill = objs["bill_own" if in_scope else "bill_other"]
    return path.replace("{bill_number}", bill.number), ObjectScope(supplier_id=bill.supplier_id)
