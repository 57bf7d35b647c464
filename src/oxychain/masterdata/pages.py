"""Pages everyone reads: home, districts, facilities, warehouses, items; the facility import."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from oxychain.core import clock
from oxychain.core.errors import DomainError, FileRejected
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.errors import refusal
from oxychain.core.web.templating import render, translate
from oxychain.core.web.uploads import import_bounds, read_upload, while_connected
from oxychain.masterdata import home
from oxychain.masterdata import services as masterdata
from oxychain.masterdata.domain.facilities import FacilityKind
from oxychain.masterdata.domain.geography import DIVISION_NAMES_HI
from oxychain.masterdata.domain.suppliers import FLAG_COLUMNS, IMPORT_COLUMNS, supplier_spec
from oxychain.masterdata.maps import district_map
from oxychain.masterdata.services import suppliers

router = APIRouter()
KINDS = [k for k in FacilityKind if k is not FacilityKind.HOME]
PER_PAGE = 50


@router.get("/")
def home_page(request: Request, principal: guarded("home.view")) -> Response:
    settings = app_of(request).settings
    summary = home.summary(reader(request, principal), settings, clock.now())
    return render(request, "masterdata/home.html", summary=summary)


@router.get("/districts")
def districts_page(request: Request, principal: guarded("district.read")) -> Response:
    rows = masterdata.list_districts(reader(request, principal))
    total = sum(r.district.population_2011 or 0 for r in rows)
    return render(
        request,
        "masterdata/districts.html",
        rows=rows,
        total_population=total,
        map=district_map(rows),
    )


@router.get("/districts/{code}")
def district_page(request: Request, code: str, principal: guarded("district.read")) -> Response:
    row = masterdata.get_district(reader(request, principal), code)
    warehouses = [
        w
        for w, d in masterdata.list_warehouses(reader(request, principal))
        if d.id == row.district.id
    ]
    return render(request, "masterdata/district.html", row=row, warehouses=warehouses, kinds=KINDS)


@router.get("/facilities")
def facilities_page(
    request: Request,
    principal: guarded("facility.read"),
    district: Annotated[str, Query(max_length=16)] = "",
    kind: Annotated[str, Query(max_length=24)] = "",
    q: Annotated[str, Query(max_length=80)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    districts = masterdata.list_districts(reader(request, principal))
    by_code = {r.district.code: r.district for r in districts}
    chosen = by_code.get(district)
    kind = kind if kind in {k.value for k in KINDS} else ""
    rows, total = masterdata.list_facilities(
        reader(request, principal), chosen.id if chosen else None, kind or None, q, page, PER_PAGE
    )
    names = {r.district.id: r.district for r in districts}
    return render(
        request,
        "masterdata/facilities.html",
        rows=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        districts=[r.district for r in districts],
        district=district,
        kind=kind,
        q=q,
        kinds=KINDS,
        district_of=names,
    )


@router.get("/facilities/{code}")
def facility_page(request: Request, code: str, principal: guarded("facility.read")) -> Response:
    facility, district = masterdata.get_facility(reader(request, principal), code)
    return render(
        request,
        "masterdata/facility.html",
        facility=facility,
        district=district,
        kind=FacilityKind(facility.kind),
    )


@router.get("/warehouses")
def warehouses_page(request: Request, principal: guarded("warehouse.read")) -> Response:
    return render(
        request,
        "masterdata/warehouses.html",
        rows=masterdata.list_warehouses(reader(request, principal)),
    )


@router.get("/items")
def items_page(request: Request, principal: guarded("item.read")) -> Response:
    return render(
        request, "masterdata/items.html", items=masterdata.list_items(reader(request, principal))
    )


@router.get("/admin/facilities/import")
def import_page(request: Request, _principal: guarded("facility.import")) -> Response:
    return render(request, "masterdata/facility_import.html")


@router.post("/admin/facilities/import")
async def import_facilities(
    request: Request, principal: guarded("facility.import"), file: Annotated[UploadFile, File()]
) -> Response:
    try:
        bounds = import_bounds(request)
        data = await read_upload(file, bounds["max_bytes"])
        uow, name = writer(request, principal), file.filename or ""
        count = await while_connected(
            request,
            partial(masterdata.import_facilities, uow, data, name, **bounds),
        )
    except DomainError as exc:
        message, status = refusal(request, exc)
        problems = exc.rows if isinstance(exc, FileRejected) else []
        rows = [(row, column, translate(request, text)) for row, column, text in problems]
        return render(
            request,
            "masterdata/facility_import.html",
            status_code=status,
            rows=rows,
            error=message,
        )
    return render(request, "masterdata/facility_import.html", imported=count)


@router.get("/suppliers")
def suppliers_page(request: Request, principal: guarded("supplier.read")) -> Response:
    rows = suppliers.list_suppliers(reader(request, principal))
    return render(request, "masterdata/suppliers.html", rows=rows)


@router.get("/suppliers/new")
def new_supplier_page(request: Request, _principal: guarded("supplier.write")) -> Response:
    return render(request, "masterdata/supplier_form.html", new=True, f=_blank())


@router.post("/suppliers/new")
async def register_supplier(request: Request, principal: guarded("supplier.write")) -> Response:
    form = await _supplier_form(request)
    try:
        spec = supplier_spec(**form)
        suppliers.register_supplier(writer(request, principal), spec)
    except DomainError as exc:
        return _refused(request, exc, form, new=True)
    return RedirectResponse(f"/suppliers/{spec.code}?saved=1", status_code=303)


@router.get("/suppliers/{code}")
def supplier_page(
    request: Request, code: str, principal: guarded("supplier.write"), saved: int = 0
) -> Response:
    row = suppliers.get_supplier(reader(request, principal), code)
    f = {c: getattr(row, c) or "" for c in IMPORT_COLUMNS}
    f |= {c: bool(getattr(row, c)) for c in FLAG_COLUMNS}
    return render(request, "masterdata/supplier_form.html", new=False, f=f, saved=bool(saved))


@router.post("/suppliers/{code}")
async def correct_supplier(
    request: Request, code: str, principal: guarded("supplier.write")
) -> Response:
    form = await _supplier_form(request)
    form["code"] = code
    try:
        spec = supplier_spec(**form)
        suppliers.correct_supplier(writer(request, principal), spec)
    except DomainError as exc:
        return _refused(request, exc, form, new=False)
    return RedirectResponse(f"/suppliers/{spec.code}?saved=1", status_code=303)


async def _supplier_form(request: Request) -> dict:
    """The form's fields, bounded as the API bounds them (longer text is cut, then checked)."""
    data = await request.form()
    form = {c: str(data.get(c, ""))[:300] for c in IMPORT_COLUMNS}
    return form | {c: data.get(c) == "on" for c in FLAG_COLUMNS}


def _blank() -> dict:
    return {c: "" for c in IMPORT_COLUMNS} | {c: False for c in FLAG_COLUMNS}


def _refused(request: Request, exc: DomainError, form: dict, *, new: bool) -> Response:
    message, status = refusal(request, exc)
    return render(
        request, "masterdata/supplier_form.html", status_code=status, new=new, f=form, error=message
    )


@router.get("/admin/suppliers/import")
def supplier_import_page(request: Request, _principal: guarded("supplier.write")) -> Response:
    return render(request, "masterdata/supplier_import.html")


@router.post("/admin/suppliers/import")
async def import_suppliers(
    request: Request, principal: guarded("supplier.write"), file: Annotated[UploadFile, File()]
) -> Response:
    try:
        bounds = import_bounds(request)
        data = await read_upload(file, bounds["max_bytes"])
        uow, name = writer(request, principal), file.filename or ""
        count = await while_connected(
            request,
            partial(suppliers.import_suppliers, uow, data, name, **bounds),
        )
    except DomainError as exc:
        message, status = refusal(request, exc)
        problems = exc.rows if isinstance(exc, FileRejected) else []
        rows = [(row, column, translate(request, text)) for row, column, text in problems]
        return render(
            request, "masterdata/supplier_import.html", status_code=status, rows=rows, error=message
        )
    return render(request, "masterdata/supplier_import.html", imported=count)


def template_globals(lang: str) -> dict:
    """What every page may use of master data: a division's name in the reader's language."""
    if lang == "hi":
        return {"division_name": lambda division: DIVISION_NAMES_HI.get(division, division)}
    return {"division_name": lambda division: division}
