"""From a district's daily new cases to the concentrators each of its places needs.

Plain data in and out. Three steps, each a rule of DOMAIN.md ("Demand in a surge"):

1. Active cases each day: the new cases of the last ``infectious_days`` days
   (``forecasting.active_cases``; history before day 0 included).
2. Concentrators: active × severe share × share on a concentrator × flow ÷ rated flow
   ÷ uptime (``forecasting.requirement``), rounded up for the district.
3. Spread: ``home_share`` of them to the district's home-patient pool; the rest to its
   facilities in proportion to their beds, never more than a facility's beds (a
   concentrator serves one bed; the WHO Essential Supplies Forecasting Tool caps
   admissions by beds too); what the beds cannot take is cared for at home. Whole
   devices by largest remainder, so the places add up to the district's figure.

The gap (``gap``) is requirement − functional installed − pipeline, as DOMAIN.md puts
it: the WHO tool does not subtract the stock already held; this does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from oxychain.planning.domain.forecasting import active_cases, requirement
from oxychain.planning.domain.plan import Demand
from oxychain.planning.domain.regions import Basis


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
        return active_cases(daily, infectious_days)[tail.size :]


def devices_needed(history: np.ndarray, path: np.ndarray, demand: Demand) -> np.ndarray:
    """Concentrators (not rounded) needed on each day of ``path`` (forecast new cases),
    counting the cases of the days before it (``history``, oldest first) still active."""
    tail = np.asarray(history, dtype=float)[-(demand.infectious_days - 1) :]
    if demand.infectious_days == 1:
        tail = tail[:0]
    daily = np.concatenate((tail, np.asarray(path, dtype=float)))
    active = active_cases(daily, demand.infectious_days)[tail.size :]
    return np.asarray(
        requirement(
            active,
            severe_share=demand.severe_share,
            on_concentrator_share=demand.on_concentrator_share,
            flow_lpm=demand.flow_lpm,
            device_lpm=demand.device_lpm,
            uptime=demand.uptime,
        ),
        dtype=float,
    )


@dataclass(frozen=True)
class Spread:
    """Whole devices needed each day (columns) by each facility (rows) and by homes."""

    facilities: np.ndarray  # F x H
    home: np.ndarray  # H

    @property
    def total(self) -> np.ndarray:
        return self.facilities.sum(axis=0) + self.home


def spread(devices: np.ndarray, beds: np.ndarray, home_share: float) -> Spread:
    """Split a district's daily need (devices, not rounded) over its facilities by beds
    and its home pool; see the module's rule 3."""
    devices = np.maximum(np.asarray(devices, dtype=float), 0.0)
    beds = np.asarray(beds, dtype=float)
    horizon = devices.size
    total_beds = beds.sum()
    to_facilities = devices * (1.0 - home_share)
    if total_beds > 0:
        raw = np.minimum(np.outer(beds / total_beds, to_facilities), beds[:, None])
    else:
        raw = np.zeros((beds.size, horizon))
    home = devices - raw.sum(axis=0)  # home share, and what the beds cannot take
    shares = np.vstack((raw, home[None, :]))
    whole = (
        np.vstack(
            [
                _largest_remainder(int(np.ceil(devices[t] - 1e-9)), shares[:, t])
                for t in range(horizon)
            ]
        ).T
        if horizon
        else shares.astype(np.int64)
    )
    over = np.maximum(whole[:-1] - beds.astype(np.int64)[:, None], 0)  # rounding past the beds
    return Spread(
        (whole[:-1] - over).astype(np.int64), (whole[-1] + over.sum(axis=0)).astype(np.int64)
    )


def _largest_remainder(amount: int, weights: np.ndarray) -> np.ndarray:
    """``amount`` whole units in proportion to ``weights``; ties go to the earlier row."""
    total = float(weights.sum())
    if amount <= 0 or total <= 0:
        return np.zeros(weights.size, dtype=np.int64)
    exact = weights * (amount / total)
    share = np.floor(exact + 1e-9).astype(np.int64)
    leftover = amount - int(share.sum())
    if leftover > 0:
        order = np.argsort(-(exact - share), kind="stable")
        share[order[:leftover]] += 1
    return share


def gap(requirement_by_day: np.ndarray, installed: np.ndarray, pipeline: np.ndarray) -> np.ndarray:
    """requirement − functional installed − pipeline, per place (rows) and day (columns);
    negative where a place holds more than it needs."""
    need = np.asarray(requirement_by_day, dtype=np.int64)
    held = np.asarray(installed, dtype=np.int64) + np.asarray(pipeline, dtype=np.int64)
    return need - held.reshape(-1, *([1] * (need.ndim - 1)))


def doubling_path(history: np.ndarray, horizon: int, doubling_days: float) -> np.ndarray:
    """New cases growing from the last week's level so they double every ``doubling_days``
    (halve, when negative): the what-if that replaces the forecast."""
    level = float(np.mean(np.asarray(history, dtype=float)[-7:])) if len(history) else 0.0
    return level * 2.0 ** (np.arange(1, horizon + 1) / doubling_days)
