"""The route-policy test's objects for the distribution paths ({serial}, {number},
{facility}, {warehouse}, {district}): for each, candidates from the demo with the scopes
that reach them (a challan is reached from either end)."""

from __future__ import annotations

from sqlalchemy import select

from oxychain.core.people import SYSTEM, ObjectScope
from oxychain.distribution.tables import (
    AcceptanceCertificate,
    Challan,
    DevicePosition,
    FaultTicket,
    Loan,
)
from oxychain.inspection.tables import Device
from oxychain.masterdata.repository import FacilityFilter

PARAMS = ("{serial}", "{number}", "{facility}", "{warehouse}", "{district}")
ORGS = ("district_id", "warehouse_id", "facility_id", "supplier_id")


def handles(path: str) -> bool:
    return any(p in path for p in PARAMS)


def _scope(row, *keys: str) -> ObjectScope:  # noqa: ANN001
    return ObjectScope(**{k: getattr(row, k) for k in keys})


def _challan_ends(c: Challan) -> list[ObjectScope]:
    origin = ObjectScope(
        district_id=c.from_district_id, warehouse_id=c.from_warehouse_id, supplier_id=c.supplier_id
    )
    destination = ObjectScope(
        district_id=c.to_district_id, warehouse_id=c.to_warehouse_id, facility_id=c.to_facility_id
    )
    return [origin, destination]


def objects(oxy) -> dict:  # noqa: ANN001
    with oxy.uow(SYSTEM) as uow:
        return _objects(uow)


def _objects(uow) -> dict:  # noqa: ANN001
    session, md = uow.session, uow.masterdata
    lucknow, agra = (next(d for d in md.districts() if d.name == n) for n in ("Lucknow", "Agra"))
    districts = (lucknow, agra)
    stores = [
        w
        for w in md.warehouses()
        if w.kind == "district" and w.district_id in (lucknow.id, agra.id)
    ]
    halls = [
        md.facilities(FacilityFilter(district_id=d.id, kind="district_hospital"))[0][0]
        for d in districts
    ]
    devices = session.execute(select(Device.serial, DevicePosition).join(DevicePosition)).all()
    return {
        "{serial}": [(serial, [_scope(p, *ORGS)]) for serial, p in devices],
        "challans": [(c.number, _challan_ends(c)) for c in session.scalars(select(Challan))],
        "loans": [
            (r.number, [_scope(r, "district_id", "warehouse_id")])
            for r in session.scalars(select(Loan))
        ],
        "tickets": [(r.number, [_scope(r, *ORGS)]) for r in session.scalars(select(FaultTicket))],
        "certificates": [
            (r.number, [_scope(r, "district_id", "facility_id", "supplier_id")])
            for r in session.scalars(select(AcceptanceCertificate))
        ],
        "{facility}": [
            (f.code, [ObjectScope(district_id=f.district_id, facility_id=f.id)]) for f in halls
        ],
        "{warehouse}": [
            (w.code, [ObjectScope(district_id=w.district_id, warehouse_id=w.id)]) for w in stores
        ],
        "{district}": [(d.code, [ObjectScope(district_id=d.id)]) for d in districts],
    }


def _reaches(principal, scope: ObjectScope) -> bool:  # noqa: ANN001
    return any(
        getattr(principal, k) is not None and getattr(principal, k) == getattr(scope, k)
        for k in ORGS
    )


def _organised(principal) -> bool:  # noqa: ANN001
    return any(getattr(principal, k) for k in ORGS)


def path(template: str, principal, objs: dict, in_scope: bool) -> tuple[str, ObjectScope]:  # noqa: ANN001
    """An object whose scope holds the person's organisation (in scope) or holds none of it
    (out of scope), and the scope that decides."""
    param = next(p for p in PARAMS if p in template)
    parts = template.split("/")
    kind = parts[parts.index(param) - 1] if param == "{number}" else param
    candidates = objs[kind]
    for value, scopes in candidates:
        hits = [s for s in scopes if _reaches(principal, s)]
        if in_scope and (hits or not _organised(principal)):
            return template.replace(param, value), (hits or scopes)[0]
        if not in_scope and not hits:
            return template.replace(param, value), scopes[-1]
    value, scopes = candidates[0]
    return template.replace(param, value), scopes[0]
