"""Places by the codes people type or pick: warehouses, facilities, a district's homes."""

from __future__ import annotations

from oxychain.core.errors import InvalidInput, NotFound
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain.lifecycle import Place, PlaceKind


class Places:
    """Resolves destination codes once per unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._cache: dict[tuple[str, str], Place] = {}

    def by_code(self, kind: str, code: str) -> Place:
        key = (kind, code.strip())
        if key not in self._cache:
            self._cache[key] = self._look_up(*key)
        return self._cache[key]

    def _look_up(self, kind: str, code: str) -> Place:
        if kind == PlaceKind.FACILITY:
            facility = self.uow.masterdata.facility(code)
            if facility is None:
                raise NotFound("No facility with code {value}.", value=code[:40])
            return Place(PlaceKind.FACILITY, facility.id, facility.district_id)
        if kind == PlaceKind.WAREHOUSE:
            warehouse = self.uow.dispatch.warehouse_by_code(code)
            if warehouse is None:
                raise NotFound("No warehouse with code {value}.", value=code[:40])
            return Place(PlaceKind.WAREHOUSE, warehouse.id, warehouse.district_id)
        raise InvalidInput("Choose where the device goes: a facility or a warehouse.")

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
