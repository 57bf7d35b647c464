"""Case counts: import them (all or nothing), and forecast each district's new cases.

A file's region column says its level: ``district`` (names or codes of UP's districts),
``state`` or ``region`` (a state), none (the national series, "India"). Counts are
cumulative confirmed cases, as ``oxychain forecast`` reads them (planning/cases.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import DomainError, FileRejected, InvalidInput, TooLarge
from oxychain.core.uow import UnitOfWork
from oxychain.masterdata.domain import geography
from oxychain.planning.domain import cases, forecasting, regions
from oxychain.planning.domain.demand import doubling_path
from oxychain.planning.domain.regions import Basis
from oxychain.planning.tables import CaseImport

LEVELS = {"district": "district", "state": "state", "region": "state", None: "national"}
NATIONAL_REGION = "India"


def import_cases(uow: UnitOfWork, content: bytes, filename: str, max_bytes: int) -> CaseImport:
    """Store a file of cumulative counts; any bad row refuses the whole file."""
    require(uow.principal, "case.import")
    if len(content) > max_bytes:
        raise TooLarge("The upload is too large.")
    try:
        reports = cases.read_reports(content, default_region=NATIONAL_REGION)
    except cases.CaseFileError as exc:
        raise FileRejected(
            "The file has {count} problems; nothing was imported.",
            rows=[(e.row, e.column, e.message) for e in exc.errors],
            count=len(exc.errors),
        ) from None
    level = LEVELS[reports.region_column]
    rows = _rows(level, reports)
    if not rows:
        raise InvalidInput("The file has no counts; nothing was imported.")
    with uow:
        days = [d for _, d, _ in rows]
        record = CaseImport(
            filename=(filename or "upload")[:200],
            sha256=hashlib.sha256(content).hexdigest(),
            level=level,
            rows=len(rows),
            regions=len({r for r, _, _ in rows}),
            first_date=min(days),
            last_date=max(days),
            imported_by=uow.principal.username,
            imported_at=clock.now(),
        )
        uow.planning.add(record)
        uow.planning.flush()
        record.replaced = uow.planning.replace_counts(record.id, level, rows)
        uow.record("cases.import", "case_import", record.id, None, _summary(record))
        uow.commit()
        return record


def _rows(level: str, reports: cases.Reports) -> list[tuple[str, date, int]]:
    """(region, day, count) rows; a district file's names must be UP's districts."""
    lookup = geography.DistrictLookup(geography.load_up_districts())
    out, errors = [], []
    for region, counts in sorted(reports.counts.items()):
        name = region
        if level == "district":
            try:
                name = lookup.find(region).name
            except DomainError as exc:  # unknown, or a former name of two districts
                first = min(row for row, _ in counts.values())
                errors.append((first, "district", exc.message))
                continue
        out += [(name[:80], day, int(count)) for day, (_row, count) in sorted(counts.items())]
    if errors:
        raise FileRejected(
            "The file has {count} problems; nothing was imported.", rows=errors, count=len(errors)
        )
    seen: set[tuple[str, date]] = set()
    for region, day, _ in out:
        if (region, day) in seen:  # two spellings of one district on the same day
            raise FileRejected(
                "The file has {count} problems; nothing was imported.",
                rows=[(None, "district", f"{region} {day} is given twice")],
                count=1,
            )
        seen.add((region, day))
    return out


def _summary(record: CaseImport) -> dict:
    return {
        "filename": record.filename,
        "sha256": record.sha256,
        "level": record.level,
        "rows": record.rows,
        "regions": record.regions,
        "first_date": record.first_date.isoformat(),
        "last_date": record.last_date.isoformat(),
        "replaced": record.replaced,
    }


@dataclass(frozen=True)
class CaseOverview:
    imports: list[CaseImport]
    series: list[tuple[str, str, date, date, int]]  # level, region, first, last, counts


def overview(uow: UnitOfWork) -> CaseOverview:
    require(uow.principal, "case.read")
    with uow:
        return CaseOverview(list(uow.planning.imports()), uow.planning.regions())


@dataclass(frozen=True)
class Outlook:
    """A district's daily new cases: history up to the forecast date, then the forecast
    with its 80 % band (or a what-if's growth), on the basis the district has."""

    district: str
    basis: Basis
    share: float
    history: np.ndarray
    path: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def active(self, which: str = "path", infectious_days: int = 14) -> np.ndarray:
        """Active cases on each forecast day."""
        tail = self.history[-(infectious_days - 1) :] if infectious_days > 1 else self.history[:0]
        daily = np.concatenate((tail, getattr(self, which)))
        return forecasting.active_cases(daily, infectious_days)[tail.size :]


def last_count_day(uow: UnitOfWork) -> date | None:
    """The latest day any stored series reaches (the default forecast date)."""
    with uow:
        found = [last for _level, _region, _first, last, _n in uow.planning.regions()]
    return max(found) if found else None


def outlooks(
    uow: UnitOfWork, as_of: date, horizon: int, model: str, doubling_days: float | None = None
) -> dict[str, Outlook]:
    """Every district's outlook (district name → Outlook), from counts up to ``as_of``."""
    with uow:
        districts = {d.name: d.population_2011 for d in uow.masterdata.districts()}
        by_level = {
            level: _series(uow.planning.counts(level, until=as_of))
            for level in ("district", "state", "national")
        }
    state = next(
        (
            s
            for name, s in by_level["state"].items()
            if name.casefold() == regions.STATE_NAME.casefold()
        ),
        None,
    )
    national = by_level["national"].get(NATIONAL_REGION) or next(
        iter(by_level["national"].values()), None
    )
    if state is None and national is None and not by_level["district"]:
        raise InvalidInput(
            "No case counts up to {day}: import the district, state or national series first.",
            day=as_of.isoformat(),
        )
    shares = regions.district_shares(districts)
    cache: dict[int, tuple] = {}
    out = {}
    for name in districts:
        series, basis = by_level["district"].get(name), Basis.DISTRICT
        if series is None:
            series, basis = (
                (state, Basis.STATE) if state is not None else (national, Basis.NATIONAL)
            )
        if series is None:
            raise InvalidInput(
                "No case counts up to {day}: import the district, state or national series first.",
                day=as_of.isoformat(),
            )
        scale = regions.share(basis, shares[name])
        history, path, low, high = _forecast(series, as_of, horizon, model, doubling_days, cache)
        out[name] = Outlook(
            name, basis, scale, history * scale, path * scale, low * scale, high * scale
        )
    return out


def _series(rows: list[tuple[str, date, int]]) -> dict[str, cases.RegionSeries]:
    grouped: dict[str, dict[date, float]] = {}
    for region, day, confirmed in rows:
        grouped.setdefault(region, {})[day] = float(confirmed)
    built = {r: cases.series_from_counts(r, counts) for r, counts in grouped.items()}
    return {r: s for r, s in built.items() if s is not None}


_FORECASTS: dict[tuple, tuple] = {}  # forecasts are pure: the same series, the same answer
_FORECASTS_KEPT = 32


def _forecast_once(series: cases.RegionSeries, as_of: date, horizon: int, model: str) -> tuple:
    """(central, low, high) new cases, remembered for the same series and question."""
    key = (series.region, series.start, series.new_cases.tobytes(), as_of, horizon, model)
    if key not in _FORECASTS:
        points = forecasting.forecast(series, as_of, horizon, model)
        if len(_FORECASTS) >= _FORECASTS_KEPT:
            _FORECASTS.pop(next(iter(_FORECASTS)))
        _FORECASTS[key] = tuple(
            np.array([getattr(p, k) for p in points]) for k in ("new_cases", "low", "high")
        )
    return _FORECASTS[key]


def _forecast(
    series: cases.RegionSeries,
    as_of: date,
    horizon: int,
    model: str,
    doubling_days: float | None,
    cache: dict,
) -> tuple:
    if id(series) not in cache:
        history = series.until(as_of).new_cases.astype(float)
        if doubling_days is not None:
            path = doubling_path(history, horizon, doubling_days)
            cache[id(series)] = (history, path, path, path)
        else:
            cache[id(series)] = (history, *_forecast_once(series, as_of, horizon, model))
    return cache[id(series)]
