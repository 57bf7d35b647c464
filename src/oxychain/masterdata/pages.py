"""Pages everyone reads: home, districts, facilities, warehouses, items, the sampling plan."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from oxychain.masterdata.domain import sampling
from oxychain.core.errors import DomainError
from oxychain.masterdata.domain.facilities import FacilityKind
from oxychain.core.web.deps import guarded, reader
from oxychain.masterdata.maps import district_map
from oxychain.core.web.templating import render, translate
from oxychain.masterdata import home, services as masterdata

router = APIRouter()
KINDS = [k for k in FacilityKind if k is not FacilityKind.HOME]
PER_PAGE = 50


@router.get("/")
def home_page(request: Request, principal: guarded("home.view")) -> Response:
    return render(request, "home.html", summary=home.summary(reader(request, principal)))


@router.get("/districts")
def districts_page(request: Request, principal: guarded("district.read")) -> Response:
    rows = masterdata.list_districts(reader(request, principal))
    total = sum(r.district.population_2011 or 0 for r in rows)
    return render(
        request, "districts.html", rows=rows, total_population=total, map=district_map(rows)
    )


@router.get("/districts/{code}")
def district_page(request: Request, code: str, principal: guarded("district.read")) -> Response:
    row = masterdata.get_district(reader(request, principal), code)
    warehouses = [
        w
        for w, d in masterdata.list_warehouses(reader(request, principal))
        if d.id == row.district.id
    ]
    return render(request, "district.html", row=row, warehouses=warehouses, kinds=KINDS)


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
        "facilities.html",
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
        "facility.html",
        facility=facility,
        district=district,
        kind=FacilityKind(facility.kind),
    )


@router.get("/warehouses")
def warehouses_page(request: Request, principal: guarded("warehouse.read")) -> Response:
    return render(
        request, "warehouses.html", rows=masterdata.list_warehouses(reader(request, principal))
    )


@router.get("/items")
def items_page(request: Request, principal: guarded("item.read")) -> Response:
    return render(request, "items.html", items=masterdata.list_items(reader(request, principal)))


@router.get("/qa/plan")
def qa_plan_page(
    request: Request,
    principal: guarded("qa.plan"),
    lot_size: Annotated[str, Query(max_length=12)] = "",
    aql: Annotated[str, Query(max_length=8)] = "2.5",
    level: Annotated[str, Query(max_length=4)] = "II",
    severity: Annotated[str, Query(max_length=10)] = "normal",
) -> Response:
    """Lot size and AQL in, the ISO 2859-1 plan out; the form also works without JavaScript."""
    plan, error = None, None
    if lot_size:
        try:
            size = int(lot_size)
            plan = sampling.single_sampling_plan(size, Decimal(aql), level, severity)
        except (ValueError, InvalidOperation):
            error = translate(request, "Lot size must be a whole number and AQL a number.")
        except DomainError as exc:
            error = translate(request, exc.template, exc.params)
    template = "qa_plan_result.html" if request.headers.get("hx-request") else "qa_plan.html"
    return render(
        request,
        template,
        plan=plan,
        error=error,
        lot_size=lot_size,
        aql=aql,
        level=level,
        severity=severity,
        aqls=sampling.AQLS,
        levels=sampling.LEVELS,
        status_code=422 if error else 200,
    )
