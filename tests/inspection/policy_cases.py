"""The route-policy test's objects for inspection's paths: SUP-01's last accepted lot
(inspected by IA-01, the demo inspector's agency) and SUP-03's lot (offered, no agency)."""

from __future__ import annotations

from oxychain.core.people import SYSTEM, ObjectScope

PARAMS = ("{lot_id}", "{tranche_id}", "{supplier_code}")


def handles(path: str) -> bool:
    return any(p in path for p in PARAMS)


def objects(oxy) -> dict:  # noqa: ANN001
    from oxychain.inspection.repository import LotFilter

    with oxy.uow(SYSTEM) as uow:
        sup01 = uow.masterdata.supplier_by_code("SUP-01").id
        sup03 = uow.masterdata.supplier_by_code("SUP-03").id
        return {
            "lot_in": uow.inspection.lots(LotFilter(supplier_id=sup01, status="accepted"))[-1],
            "lot_out": uow.inspection.lots(LotFilter(supplier_id=sup03))[-1],
        }


def path(path: str, principal, objs: dict, in_scope: bool) -> tuple[str, ObjectScope]:  # noqa: ANN001
    """{lot_id}, {position}: the lot's supplier and agency; {tranche_id}: the PO's supplier;
    {supplier_code}/{item_code}: a supplier's item (switching), SUP-01's or SUP-03's."""
    lot = objs["lot_in" if in_scope else "lot_out"]
    if "{supplier_code}" in path:
        code = "SUP-01" if in_scope else "SUP-03"
        concrete = path.replace("{supplier_code}", code).replace("{item_code}", "OC-10")
        return concrete, ObjectScope(supplier_id=lot.supplier_id)
    if "{tranche_id}" in path:
        return path.replace("{tranche_id}", str(lot.tranche_id)), ObjectScope(
            supplier_id=lot.supplier_id
        )
    concrete = path.replace("{lot_id}", str(lot.id)).replace("{position}", "1")
    return concrete, ObjectScope(supplier_id=lot.supplier_id, agency_id=lot.agency_id)
