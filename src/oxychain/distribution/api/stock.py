"""Stock views and uptime against the BMMP targets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from oxychain.core import clock
from oxychain.core.web.deps import guarded, reader
from oxychain.core.web.timestamps import Timestamp
from oxychain.distribution.services import stock

router = APIRouter(tags=["service"])


class StockRowOut(BaseModel):
    state: str
    place_kind: str
    total: int
    up_to_7_days: int
    days_8_to_30: int
    days_31_to_90: int
    over_90_days: int


class StockOut(BaseModel):
    kind: str
    code: str
    total: int
    rows: list[StockRowOut]
    installed_by_facility_kind: dict[str, int] = {}


def _stock_out(view: stock.StockView) -> StockOut:
    return StockOut(
        kind=view.kind,
        code=view.place.code,
        total=view.total,
        rows=[
            StockRowOut(
                state=r.state,
                place_kind=r.place_kind,
                total=r.total,
                **dict(zip(_AGES, r.by_age, strict=True)),
            )
            for r in view.rows
        ],
        installed_by_facility_kind=view.installed_by_kind,
    )


_AGES = ("up_to_7_days", "days_8_to_30", "days_31_to_90", "over_90_days")


@router.get("/stock/facilities/{facility}", response_model=StockOut)
def facility_stock(request: Request, facility: str, principal: guarded("stock.read")) -> StockOut:
    return _stock_out(
        stock.place_stock(reader(request, principal), "facility", facility, clock.now())
    )


@router.get("/stock/warehouses/{warehouse}", response_model=StockOut)
def warehouse_stock(request: Request, warehouse: str, principal: guarded("stock.read")) -> StockOut:
    return _stock_out(
        stock.place_stock(reader(request, principal), "warehouse", warehouse, clock.now())
    )


@router.get("/stock/districts/{district}", response_model=StockOut)
def district_stock(request: Request, district: str, principal: guarded("stock.read")) -> StockOut:
    return _stock_out(
        stock.place_stock(reader(request, principal), "district", district, clock.now())
    )


class UptimeLineOut(BaseModel):
    label: str
    kind: str
    devices: int
    uptime_pct: float | None
    target_pct: float | None
    meets_target: bool | None


class UptimeOut(BaseModel):
    start: Timestamp
    end: Timestamp
    uptime_pct: float | None
    lines: list[UptimeLineOut]
    by_facility_kind: list[UptimeLineOut]


def _uptime_out(report: stock.UptimeReport) -> UptimeOut:
    def line(x: stock.UptimeLine) -> UptimeLineOut:
        return UptimeLineOut(
            label=x.label,
            kind=x.kind,
            devices=x.devices,
            uptime_pct=x.uptime.percent,
            target_pct=x.target,
            meets_target=x.meets,
        )

    return UptimeOut(
        start=report.start,
        end=report.end,
        uptime_pct=report.total.percent,
        lines=[line(x) for x in report.lines],
        by_facility_kind=[line(x) for x in report.by_kind],
    )


@router.get("/uptime/facilities/{facility}", response_model=UptimeOut)
def facility_uptime(
    request: Request,
    facility: str,
    principal: guarded("uptime.read"),
    days: Annotated[int, Query(ge=1, le=366)] = 90,
) -> UptimeOut:
    return _uptime_out(
        stock.uptime_report(reader(request, principal), "facility", facility, days, clock.now())
    )


@router.get("/uptime/districts/{district}", response_model=UptimeOut)
def district_uptime(
    request: Request,
    district: str,
    principal: guarded("uptime.read"),
    days: Annotated[int, Query(ge=1, le=366)] = 90,
) -> UptimeOut:
    return _uptime_out(
        stock.uptime_report(reader(request, principal), "district", district, days, clock.now())
    )
