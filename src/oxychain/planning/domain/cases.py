"""Case counts as daily series: the cumulative counts a case file reports
(domain/case_file.py) become daily new cases per region.

Rules applied to the counts, each chosen so a forecast sees daily incidence as reported:

* Missing days between two reports are filled by spreading the increase evenly (linear
  interpolation of the cumulative count); a weekly-reporting district then reads as a
  smooth daily series instead of one spike a week.
* A fall in the cumulative count is a correction of earlier over-reporting (covid19india
  lists three for Maharashtra). That day's new cases are set to zero and later days are
  counted from the corrected value, so the days that follow stay right; each such day is
  listed in ``CaseSeries.corrections``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from oxychain.planning.domain.case_file import Reports


@dataclass(frozen=True)
class Correction:
    """A day whose cumulative count fell: ``drop`` cases were taken back by the source."""

    region: str
    date: date
    row: int
    drop: int


@dataclass(frozen=True)
class RegionSeries:
    """Daily new confirmed cases of one region.

    ``new_cases[i]`` is the count for ``start + i`` days; the first reported row is the
    baseline (its cumulative count is ``baseline``), so ``start`` is the day after it.
    """

    region: str
    start: date
    new_cases: np.ndarray = field(repr=False)
    baseline: float = 0.0

    @property
    def end(self) -> date:
        """The last day with a count."""
        return self.start + timedelta(days=len(self.new_cases) - 1)

    @property
    def cumulative(self) -> np.ndarray:
        """Cumulative confirmed cases by day, after the corrections above."""
        return self.baseline + np.cumsum(self.new_cases)

    def until(self, as_of: date) -> RegionSeries:
        """The same series cut after ``as_of`` (inclusive)."""
        keep = max(0, min(len(self.new_cases), (as_of - self.start).days + 1))
        return RegionSeries(self.region, self.start, self.new_cases[:keep], self.baseline)


@dataclass(frozen=True)
class CaseSeries:
    """What a case file holds: one daily series per region, and the corrections made."""

    regions: tuple[RegionSeries, ...]
    region_column: str | None
    corrections: tuple[Correction, ...] = ()

    def region(self, name: str) -> RegionSeries:
        for series in self.regions:
            if series.region == name:
                return series
        raise KeyError(name)


def series_of(reports: Reports) -> CaseSeries:
    """The daily series of every region with two reports or more, and the corrections."""
    series, corrections = [], []
    for region in sorted(reports.counts):
        built, fixed = _daily(region, reports.counts[region])
        if built is not None:
            series.append(built)
        corrections.extend(fixed)
    return CaseSeries(tuple(series), reports.region_column, tuple(corrections))


def series_from_counts(region: str, counts: dict[date, float]) -> RegionSeries | None:
    """The daily series of stored cumulative counts (rules of the module doc); None with
    fewer than two counts."""
    built, _ = _daily(region, {day: (0, float(c)) for day, c in counts.items()})
    return built


def _daily(
    region: str, reports: dict[date, tuple[int, float]]
) -> tuple[RegionSeries | None, list[Correction]]:
    """Daily new cases from the reported cumulative counts (rules in the module doc)."""
    days = sorted(reports)
    if len(days) < 2:
        return None, []  # one report is a baseline with no day after it
    first = days[0]
    offsets = np.array([(d - first).days for d in days], dtype=float)
    counts = np.array([reports[d][1] for d in days], dtype=float)
    cumulative = np.interp(np.arange(offsets[-1] + 1), offsets, counts)
    new_cases = np.maximum(np.diff(cumulative), 0.0)
    corrections = [
        Correction(region, d, reports[d][0], int(round(prev - now)))
        for d, prev, now in zip(days[1:], counts[:-1], counts[1:], strict=True)
        if now < prev
    ]
    start = first + timedelta(days=1)
    return RegionSeries(region, start, new_cases, float(counts[0])), corrections
