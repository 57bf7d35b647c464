"""Places by the codes people type or pick (facilities, warehouses, districts, a district's
homes), and the organisation a person's lists are narrowed to."""

from __future__ import annotations

from dataclasses import dataclass

from oxychain.core.access import Scope, scope_of
from oxychain.core.errors import InvalidInput, NotFound
from oxychain.core.i18n import N_
from oxychain.core.people import ObjectScope, Principal
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain.lifecycle import Place, PlaceKind

_LOOKUPS = {
    "facility": (
        lambda uow, code: uow.masterdata.facility(code),
        N_("No facility with code {value}."),
    ),
    "warehouse": (
        lambda uow, code: uow.dispatch.warehouse_by_code(code),
        N_("No warehouse with code {value}."),
    ),
    "district": (
        lambda uow, code: uow.masterdata.district(code),
        N_("No district with code {value}."),
    ),
}
#: A person's own organisation, by the scope they hold a permission in.
_OWN = {
    Scope.OWN_DISTRICT: "district_id",
    Scope.OWN_WAREHOUSE: "warehouse_id",
    Scope.OWN_FACILITY: "facility_id",
    Scope.OWN_SUPPLIER: "supplier_id",
}


@dataclass(frozen=True)
class Found:
    """A place by its code: its row (name, kind), the organisations it belongs to (for the
    access policy), and the device-state column that holds its devices."""

    row: object
    scope: ObjectScope
    where: dict[str, int]


def find(uow: UnitOfWork, kind: str, code: str) -> Found:
    """A facility, warehouse or district by its code; NotFound naming the code."""
    look_up, missing = _LOOKUPS[kind]
    row = look_up(uow, code.strip())
    if row is None:
        raise NotFound(missing, value=code[:40])
    where = {f"{kind}_id": row.id}
    district_id = row.id if kind == "district" else row.district_id
    return Found(row, ObjectScope(**{"district_id": district_id, **where}), where)


def narrowing(principal: Principal, permission: str) -> dict[str, int]:
    """The organisation a person's list is narrowed to (nothing for headquarters; -1 for a
    person without one, who then sees nothing)."""
    column = _OWN.get(scope_of(principal, permission))
    return {column: getattr(principal, column) or -1} if column else {}


class Places:
    """Resolves destination codes once per unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._cache: dict[tuple[str, str], Place] = {}

    def by_code(self, kind: str, code: str) -> Place:
        if kind not in (PlaceKind.FACILITY, PlaceKind.WAREHOUSE):
            raise InvalidInput("Choose where the device goes: a facility or a warehouse.")
        key = (kind, code.strip())
        if key not in self._cache:
            row = find(self.uow, *key).row
            self._cache[key] = Place(PlaceKind(kind), row.id, row.district_id)
        return self._cache[key]

    @staticmethod
    def home(district_id: int | None) -> Place:
        if district_id is None:
            raise InvalidInput("Only a device in a district can go to a home patient.")
        return Place(PlaceKind.HOME, district_id, district_id)

    @staticmethod
    def warehouse(row) -> Place:  # noqa: ANN001 - a warehouses row
        return Place(PlaceKind.WAREHOUSE, row.id, row.district_id)

    @staticmethod
    def facility(row) -> Place:  # noqa: ANN001 - a facilities row
        return Place(PlaceKind.FACILITY, row.id, row.district_id)
