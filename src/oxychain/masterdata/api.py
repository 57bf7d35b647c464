"""Districts, facilities, warehouses and items."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from pydantic import BaseModel, Field

from oxychain.core.errors import NotFound
from oxychain.core.web.deps import guarded, reader, writer
from oxychain.core.web.uploads import import_bounds, read_upload, while_connected
from oxychain.masterdata import services as masterdata
from oxychain.masterdata.domain.suppliers import supplier_spec
from oxychain.masterdata.services import suppliers
from oxychain.masterdata.tables import Facility, Supplier

router = APIRouter(tags=["master data"])
Kind = Literal["district_hospital", "chc", "phc"]


class DistrictOut(BaseModel):
    code: str
    name: str
    name_hi: str
    division: str
    population_2011: int | None
    area_km2: int | None
    lat: float
    lon: float
    facilities: dict[str, int]
    beds: int


class FacilityOut(BaseModel):
    code: str
    name: str
    name_hi: str
    kind: str
    district: str
    beds: int
    lat: float | None
    lon: float | None
    synthetic: bool


class FacilityPage(BaseModel):
    total: int
    page: int
    per_page: int
    facilities: list[FacilityOut]


def _district_out(row: masterdata.DistrictRow) -> DistrictOut:
    d = row.district
    return DistrictOut(
        code=d.code,
        name=d.name,
        name_hi=d.name_hi,
        division=d.division,
        population_2011=d.population_2011,
        area_km2=d.area_km2,
        lat=d.lat,
        lon=d.lon,
        facilities=row.facilities,
        beds=row.beds,
    )


def _facility_out(f: Facility, district_code: str) -> FacilityOut:
    return FacilityOut(
        code=f.code,
        name=f.name,
        name_hi=f.name_hi,
        kind=f.kind,
        district=district_code,
        beds=f.beds,
        lat=f.lat,
        lon=f.lon,
        synthetic=f.synthetic,
    )


@router.get("/districts", response_model=list[DistrictOut])
def districts(request: Request, principal: guarded("district.read")) -> list[DistrictOut]:
    return [_district_out(r) for r in masterdata.list_districts(reader(request, principal))]


@router.get("/districts/{code}", response_model=DistrictOut)
def district(request: Request, code: str, principal: guarded("district.read")) -> DistrictOut:
    return _district_out(masterdata.get_district(reader(request, principal), code))


@router.get("/facilities", response_model=FacilityPage)
def facilities(
    request: Request,
    principal: guarded("facility.read"),
    district: Annotated[str | None, Query(max_length=16)] = None,
    kind: Kind | None = None,
    q: Annotated[str | None, Query(max_length=80)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> FacilityPage:
    districts = {
        r.district.code: r.district for r in masterdata.list_districts(reader(request, principal))
    }
    if district and district not in districts:
        raise NotFound("No district with code {value}.", value=district)
    district_id = districts[district].id if district else None
    rows, total = masterdata.list_facilities(
        reader(request, principal), district_id, kind, q, page, per_page
    )
    codes = {d.id: code for code, d in districts.items()}
    return FacilityPage(
        total=total,
        page=page,
        per_page=per_page,
        facilities=[_facility_out(f, codes[f.district_id]) for f in rows],
    )


@router.get("/facilities/{code}", response_model=FacilityOut)
def facility(request: Request, code: str, principal: guarded("facility.read")) -> FacilityOut:
    found, district = masterdata.get_facility(reader(request, principal), code)
    return _facility_out(found, district.code)


class ImportOut(BaseModel):
    imported: int


@router.post("/facilities/import", response_model=ImportOut, status_code=201)
async def import_facilities(
    request: Request, principal: guarded("facility.import"), file: Annotated[UploadFile, File()]
) -> ImportOut:
    bounds = import_bounds(request)
    data = await read_upload(file, bounds["max_bytes"])
    uow, name = writer(request, principal), file.filename or ""
    count = await while_connected(
        request,
        partial(masterdata.import_facilities, uow, data, name, **bounds),
    )
    return ImportOut(imported=count)


class WarehouseOut(BaseModel):
    code: str
    name: str
    name_hi: str
    kind: str
    district: str


@router.get("/warehouses", response_model=list[WarehouseOut])
def warehouses(request: Request, principal: guarded("warehouse.read")) -> list[WarehouseOut]:
    return [
        WarehouseOut(code=w.code, name=w.name, name_hi=w.name_hi, kind=w.kind, district=d.code)
        for w, d in masterdata.list_warehouses(reader(request, principal))
    ]


class LimitOut(BaseModel):
    key: str
    label: str
    label_hi: str
    unit: str
    min: float | None
    max: float | None
    describe: str
    source: str


class ItemOut(BaseModel):
    code: str
    name: str
    name_hi: str
    rated_flow_lpm: int
    limits: list[LimitOut]


@router.get("/items", response_model=list[ItemOut])
def items(request: Request, principal: guarded("item.read")) -> list[ItemOut]:
    return [
        ItemOut(
            code=i.code,
            name=i.name,
            name_hi=i.name_hi,
            rated_flow_lpm=i.rated_flow_lpm,
            limits=[
                LimitOut(
                    key=lim.key,
                    label=lim.label,
                    label_hi=lim.label_hi,
                    unit=lim.unit,
                    min=lim.minimum,
                    max=lim.maximum,
                    describe=lim.describe(),
                    source=lim.source,
                )
                for lim in i.limits
            ],
        )
        for i in masterdata.list_items(reader(request, principal))
    ]


class SupplierIn(BaseModel):
    """A supplier as entered; the identifiers are checked by the domain (GSTIN check
    character, PAN holder type, Udyam format), bounded here."""

    name: str = Field(max_length=160)
    gstin: str = Field("", max_length=20)
    pan: str = Field("", max_length=12)
    udyam: str = Field("", max_length=24)
    address: str = Field("", max_length=300)
    email: str = Field("", max_length=160)
    phone: str = Field("", max_length=32)
    is_mse: bool = False
    sc_st_owned: bool = False
    women_owned: bool = False


class NewSupplierIn(SupplierIn):
    code: str = Field(max_length=24)


class SupplierOut(BaseModel):
    code: str
    name: str
    gstin: str
    pan: str
    udyam: str
    address: str
    email: str
    phone: str
    is_mse: bool
    sc_st_owned: bool
    women_owned: bool
    synthetic: bool


def _supplier_out(s: Supplier) -> SupplierOut:
    return SupplierOut(
        code=s.code, name=s.name, gstin=s.gstin or "", pan=s.pan or "", udyam=s.udyam or "",
        address=s.address or "", email=s.email or "", phone=s.phone or "", is_mse=bool(s.is_mse),
        sc_st_owned=bool(s.sc_st_owned), women_owned=bool(s.women_owned),
        synthetic=bool(s.synthetic),
    )  # fmt: skip


@router.get("/suppliers", response_model=list[SupplierOut])
def list_suppliers(request: Request, principal: guarded("supplier.read")) -> list[SupplierOut]:
    return [_supplier_out(s) for s in suppliers.list_suppliers(reader(request, principal))]


@router.get("/suppliers/{code}", response_model=SupplierOut)
def get_supplier(request: Request, code: str, principal: guarded("supplier.read")) -> SupplierOut:
    return _supplier_out(suppliers.get_supplier(reader(request, principal), code))


@router.post("/suppliers", response_model=SupplierOut, status_code=201)
def register_supplier(
    request: Request, body: NewSupplierIn, principal: guarded("supplier.write")
) -> SupplierOut:
    spec = supplier_spec(**body.model_dump())
    return _supplier_out(suppliers.register_supplier(writer(request, principal), spec))


@router.put("/suppliers/{code}", response_model=SupplierOut)
def correct_supplier(
    request: Request, code: str, body: SupplierIn, principal: guarded("supplier.write")
) -> SupplierOut:
    spec = supplier_spec(code, **body.model_dump())
    return _supplier_out(suppliers.correct_supplier(writer(request, principal), spec))


@router.post("/suppliers/import", response_model=ImportOut, status_code=201)
async def import_suppliers(
    request: Request, principal: guarded("supplier.write"), file: Annotated[UploadFile, File()]
) -> ImportOut:
    bounds = import_bounds(request)
    data = await read_upload(file, bounds["max_bytes"])
    uow, name = writer(request, principal), file.filename or ""
    count = await while_connected(
        request,
        partial(suppliers.import_suppliers, uow, data, name, **bounds),
    )
    return ImportOut(imported=count)
