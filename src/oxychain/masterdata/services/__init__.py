"""Master data: districts, warehouses, facilities, items; loading and reading them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from oxychain.core import tabular
from oxychain.core.access import Scope, require
from oxychain.core.errors import FileRejected, InvalidInput, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.masterdata.domain import catalogue, facility_import, geography
from oxychain.masterdata.domain.facilities import FacilitySpec
from oxychain.masterdata.domain.facility_import import DEFAULT_MAX_ERRORS, ImportResult
from oxychain.masterdata.repository import FacilityFilter
from oxychain.masterdata.tables import District, Facility, Item, Warehouse

CENTRAL_WAREHOUSE = "WH-CENTRAL-LKO"


def warehouse_code(district_code: str) -> str:
    return "WH-" + district_code.replace("LGD:", "L")


def load_districts_and_warehouses(uow: UnitOfWork) -> int:
    """The 75 districts, a drug warehouse in each and the central one in Lucknow; idempotent."""
    with uow:
        added = _add_districts(uow)
        uow.masterdata.flush()
        _add_warehouses(uow)
        for item in catalogue.CATALOGUE:
            if uow.masterdata.item(item.code) is None:
                uow.masterdata.add(
                    Item(
                        code=item.code,
                        name=item.name,
                        name_hi=item.name_hi,
                        rated_flow_lpm=item.rated_flow_lpm,
                    )
                )
        if added:
            uow.record("masterdata.load", "district", "UP", None, {"districts": added})
        uow.commit()
    return added


def _add_districts(uow: UnitOfWork) -> int:
    added = 0
    for spec in geography.load_up_districts():
        if uow.masterdata.district(spec.code) is None:
            uow.masterdata.add(
                District(
                    code=spec.code,
                    name=spec.name,
                    name_hi=spec.name_hi,
                    division=spec.division,
                    population_2011=spec.population_2011,
                    area_km2=spec.area_km2,
                    lat=spec.lat,
                    lon=spec.lon,
                )
            )
            added += 1
    return added


def _add_warehouses(uow: UnitOfWork) -> None:
    existing = {w.code for w in uow.masterdata.warehouses()}
    for district in uow.masterdata.districts():
        code = warehouse_code(district.code)
        if code not in existing:
            uow.masterdata.add(
                Warehouse(
                    code=code,
                    kind="district",
                    district_id=district.id,
                    name=f"District Drug Warehouse, {district.name}",
                    name_hi=f"जिला औषधि भंडार, {district.name_hi}",
                )
            )
    lucknow = next(d for d in uow.masterdata.districts() if d.name == "Lucknow")
    if CENTRAL_WAREHOUSE not in existing:
        uow.masterdata.add(
            Warehouse(
                code=CENTRAL_WAREHOUSE,
                kind="central",
                district_id=lucknow.id,
                name="Central Medical Stores, Lucknow",
                name_hi="केंद्रीय औषधि भंडार, लखनऊ",
            )
        )


def add_facilities(uow: UnitOfWork, specs: Iterable[FacilitySpec], action: str) -> int:
    """Store facilities all-or-nothing; a code already stored refuses the whole batch."""
    specs = list(specs)
    with uow:
        districts = {d.code: d.id for d in uow.masterdata.districts()}
        taken = uow.masterdata.existing_facility_codes([s.code for s in specs])
        if taken:
            raise InvalidInput(
                "Facility codes already exist: {codes}", codes=", ".join(sorted(taken)[:20])
            )
        for spec in specs:
            uow.masterdata.add(
                Facility(
                    code=spec.code,
                    name=spec.name,
                    name_hi=spec.name_hi or spec.name,
                    kind=str(spec.kind),
                    district_id=districts[spec.district_code],
                    beds=spec.beds,
                    lat=spec.lat,
                    lon=spec.lon,
                    synthetic=spec.synthetic,
                )
            )
        uow.record(
            action,
            "facility",
            "batch",
            None,
            {"count": len(specs), "codes": [s.code for s in specs[:50]]},
        )
        uow.commit()
    return len(specs)


@dataclass(frozen=True)
class DistrictRow:
    district: District
    facilities: dict[str, int]
    beds: int


def list_districts(uow: UnitOfWork) -> list[DistrictRow]:
    require(uow.principal, "district.read")
    with uow:
        counts = uow.masterdata.facility_counts()
        beds = uow.masterdata.beds_by_district()
        return [
            DistrictRow(d, counts.get(d.id, {}), beds.get(d.id, 0))
            for d in uow.masterdata.districts()
        ]


def get_district(uow: UnitOfWork, code: str) -> DistrictRow:
    require(uow.principal, "district.read")
    with uow:
        district = uow.masterdata.district(code)
        if district is None:
            raise NotFound("No district with code {value}.", value=code)
        counts = uow.masterdata.facility_counts().get(district.id, {})
        beds = uow.masterdata.beds_by_district().get(district.id, 0)
        return DistrictRow(district, counts, beds)


def facility_filter_for(
    uow: UnitOfWork, district_id: int | None, kind: str | None, text: str | None
) -> FacilityFilter:
    """The caller's filter narrowed to what their scope lets them see."""
    scope = require(uow.principal, "facility.read")
    own_facility = None
    if scope is Scope.OWN_DISTRICT:
        mine = uow.principal.district_id
        district_id = mine if mine is not None and district_id in (None, mine) else -1
    elif scope is Scope.OWN_FACILITY:
        own_facility = uow.principal.facility_id or -1
    return FacilityFilter(
        district_id=district_id,
        kind=kind or None,
        text=(text or "").strip() or None,
        facility_id=own_facility,
    )


def list_facilities(
    uow: UnitOfWork,
    district_id: int | None = None,
    kind: str | None = None,
    text: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[Facility], int]:
    with uow:
        flt = facility_filter_for(uow, district_id, kind, text)
        rows, total = uow.masterdata.facilities(
            flt, offset=(max(page, 1) - 1) * per_page, limit=per_page
        )
        return list(rows), total


def facility_scope(facility: Facility) -> ObjectScope:
    return ObjectScope(district_id=facility.district_id, facility_id=facility.id)


def get_facility(uow: UnitOfWork, code: str) -> tuple[Facility, District]:
    with uow:
        facility = uow.masterdata.facility(code)
        if facility is None:
            raise NotFound("No facility with code {value}.", value=code)
        require(uow.principal, "facility.read", facility_scope(facility))
        return facility, uow.masterdata.district_by_id(facility.district_id)


def list_warehouses(uow: UnitOfWork) -> list[tuple[Warehouse, District]]:
    require(uow.principal, "warehouse.read")
    with uow:
        return [
            (w, uow.masterdata.district_by_id(w.district_id)) for w in uow.masterdata.warehouses()
        ]


def list_items(uow: UnitOfWork) -> list[catalogue.Item]:
    require(uow.principal, "item.read")
    return list(catalogue.CATALOGUE)


def parse_facility_file(
    data: bytes,
    filename: str,
    districts: Sequence[geography.District] | None = None,
    *,
    max_bytes: int = tabular.DEFAULT_MAX_BYTES,
    max_rows: int = tabular.DEFAULT_MAX_ROWS,
    max_errors: int = DEFAULT_MAX_ERRORS,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """A facility list from CSV or .xlsx bytes, its rows parsed as ``core.tabular`` reads
    them (bounded); a file that cannot be read is one error with the reader's code and
    message."""
    if not PurePosixPath(filename.replace("\\", "/")).suffix:
        # The kind of a facility list is its name's, never guessed from its bytes.
        return ImportResult.refused(
            "Upload a .csv (UTF-8) or .xlsx file, not a file without extension",
            "file_type_unsupported",
        )
    try:
        rows = tabular.read_table(data, filename, max_bytes, max_rows=max_rows, cancelled=cancelled)
        return facility_import.parse_facility_rows(rows, districts, max_errors=max_errors)
    except tabular.TableRejected as rejected:
        return ImportResult.refused(rejected.message, rejected.code)


def import_facilities(
    uow: UnitOfWork,
    data: bytes,
    filename: str,
    max_bytes: int | None = None,
    *,
    max_rows: int = tabular.DEFAULT_MAX_ROWS,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """A real facility list from CSV or Excel: every row imported, or none."""
    require(uow.principal, "facility.import")
    result = parse_facility_file(
        data,
        filename,
        max_bytes=max_bytes or tabular.DEFAULT_MAX_BYTES,
        max_rows=max_rows,
        cancelled=cancelled,
    )
    if not result.ok:
        more = f" (+{result.error_count - len(result.errors)})" if result.truncated else ""
        raise FileRejected(
            "The file has {count} problems{more}; nothing was imported.",
            rows=[(e.row, e.column, e.message) for e in result.errors],
            count=result.error_count,
            more=more,
        )
    if not result.rows:
        raise InvalidInput("The file has no facility rows; nothing was imported.")
    return add_facilities(uow, result.rows, "facility.import")
