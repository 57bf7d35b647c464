"""Seeded synthetic allocation scenarios (the JSON form of ALLOCATION.md).

Warehouses and facilities sit on a unit square; each warehouse is a district and a
facility belongs to the district of its nearest warehouse. A facility gets routes
from its nearest warehouses, with lead days and cost growing with distance. Needs
follow a wave that peaks on a different day in each district; stock is short of
the peak need (so the plan has real choices), part of it arriving during the
horizon, and most warehouses have a daily dispatch capacity.

    python -m oxychain.planning.scenario_gen --warehouses 80 --facilities 5000 \
        --days 30 --seed 1 --out var/up.json
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

# kind, priority, share of facilities, need range at the peak
KINDS = (
    ("district_hospital", 10, 0.05, (10, 40)),
    ("chc", 5, 0.20, (4, 12)),
    ("phc", 3, 0.45, (1, 4)),
    ("home", 1, 0.30, (5, 25)),
)


def generate(
    warehouses: int = 8,
    facilities: int = 60,
    days: int = 14,
    *,
    seed: int = 0,
    routes_per_facility: int = 3,
    supply_ratio: float = 0.75,
    capacity_share: float = 0.7,
) -> dict:
    """A scenario document; the same arguments always give the same document."""
    rng = np.random.default_rng(seed)
    wh_xy = rng.random((warehouses, 2))
    fac_xy = np.clip(
        wh_xy[rng.integers(0, warehouses, facilities)]
        + rng.normal(0, 0.6 / np.sqrt(warehouses), (facilities, 2)),
        0,
        1,
    )
    near, dist = _nearest(fac_xy, wh_xy, min(routes_per_facility, warehouses))
    home = near[:, 0]
    kind_idx = rng.choice(len(KINDS), facilities, p=[k[2] for k in KINDS])
    low = np.array([k[3][0] for k in KINDS])[kind_idx]
    high = np.array([k[3][1] for k in KINDS])[kind_idx]
    peak_need = rng.integers(low, high + 1)
    installed = np.floor(peak_need * rng.uniform(0.1, 0.5, facilities)).astype(int)
    requirement = _wave(rng, peak_need, home, warehouses, days)
    net_peak = np.maximum(requirement.max(axis=1) - installed, 0)
    share = np.bincount(home, weights=net_peak, minlength=warehouses) * rng.uniform(
        0.5, 1.5, warehouses
    )
    supply = np.floor(share / max(share.sum(), 1) * net_peak.sum() * supply_ratio).astype(int)
    doc = {
        "name": f"synthetic {warehouses}x{facilities}x{days} seed {seed}",
        "horizon_days": days,
        "warehouses": [
            _warehouse(rng, i, int(supply[i]), days, capacity_share) for i in range(warehouses)
        ],
        "facilities": [
            {
                "id": f"F-{i:06d}",
                "district": f"District {home[i]:03d}",
                "kind": KINDS[kind_idx[i]][0],
                "priority": KINDS[kind_idx[i]][1],
                "installed": int(installed[i]),
                "requirement": requirement[i].tolist(),
            }
            for i in range(facilities)
        ],
        "routes": _routes(rng, near, dist, days),
    }
    return doc


def generate_v2(
    districts: int = 8,
    facilities: int = 60,
    days: int = 14,
    *,
    seed: int = 0,
    neighbours: int = 3,
    central_share: float = 0.6,
    fairness: dict | None = None,
) -> dict:
    """A version 2 scenario (ALLOCATION.md): a central warehouse at the square's centre
    holding `central_share` of the stock, with links to every district warehouse, and
    links both ways between each district and its `neighbours` nearest. A facility is
    reached from its own district's warehouse and from the central one."""
    doc = generate(districts, facilities, days, seed=seed, routes_per_facility=1)
    rng = np.random.default_rng(seed + 10**6)
    wh_xy = np.random.default_rng(seed).random((districts, 2))  # as generate() drew them
    moved = 0
    for w in doc["warehouses"]:
        keep = int(w["on_hand"] * (1 - central_share))
        moved += w["on_hand"] - keep
        w["on_hand"] = keep
        for a in w["arrivals"]:
            share = int(a["quantity"] * central_share)
            moved += share
            a["quantity"] -= share
    central = {
        "id": "W-C",
        "district": "Central",
        "on_hand": moved,
        "dispatch_capacity": max(1, moved // 4),
    }
    to_centre = np.linalg.norm(wh_xy - 0.5, axis=1)
    scale = max(float(np.linalg.norm(wh_xy[:, None] - wh_xy[None], axis=2).max()), 1e-9)
    transfers = [
        {
            "from": "W-C",
            "to": f"W-{i:04d}",
            "lead_days": 1 + int(3 * d / scale),
            "cost_per_unit": round(10 + 300 * float(d), 2),
        }
        for i, d in enumerate(to_centre)
    ]
    near, dist = _nearest(wh_xy, wh_xy, min(neighbours + 1, districts))
    pairs = set()
    for i in range(districts):
        for j, d in zip(near[i, 1:].tolist(), dist[i, 1:].tolist(), strict=True):
            for a, b in ((i, j), (j, i)):
                if (a, b) not in pairs:
                    pairs.add((a, b))
                    transfers.append(
                        {
                            "from": f"W-{a:04d}",
                            "to": f"W-{b:04d}",
                            "lead_days": 1 + int(3 * d / scale),
                            "cost_per_unit": round(5 + 300 * d, 2),
                        }
                    )
    home = {r["to"]: r for r in doc["routes"]}
    routes = list(doc["routes"])
    for f in doc["facilities"]:
        own = home[f["id"]]
        routes.append(
            {
                "from": "W-C",
                "to": f["id"],
                "lead_days": min(own["lead_days"] + 2, max(days - 1, 0)),
                "cost_per_unit": round(own["cost_per_unit"] + float(rng.uniform(50, 150)), 2),
            }
        )
    doc["name"] = f"synthetic v2 1+{districts}x{facilities}x{days} seed {seed}"
    doc["warehouses"] = [central, *doc["warehouses"]]
    doc["routes"] = routes
    doc["transfers"] = transfers
    if fairness is not None:
        doc["policy"] = {"fairness": fairness}
    return doc


def _nearest(points: np.ndarray, sites: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and distances of the k nearest sites, nearest first (in chunks, for memory)."""
    idx = np.empty((len(points), k), dtype=np.int64)
    dist = np.empty((len(points), k))
    for start in range(0, len(points), 4096):
        block = points[start : start + 4096]
        d = np.linalg.norm(block[:, None, :] - sites[None, :, :], axis=2)
        part = (
            np.argpartition(d, k - 1, axis=1)[:, :k]
            if k < len(sites)
            else np.tile(np.arange(len(sites)), (len(block), 1))
        )
        pd = np.take_along_axis(d, part, axis=1)
        order = np.argsort(pd, axis=1, kind="stable")
        idx[start : start + len(block)] = np.take_along_axis(part, order, axis=1)
        dist[start : start + len(block)] = np.take_along_axis(pd, order, axis=1)
    return idx, dist


def _wave(
    rng: np.random.Generator, peak_need: np.ndarray, district: np.ndarray, districts: int, days: int
) -> np.ndarray:
    peak_day = rng.uniform(0.3, 0.9, districts)[district] * days
    width = max(days / 4, 1.0)
    t = np.arange(days)[None, :]
    curve = 0.35 + 0.65 * np.exp(-(((t - peak_day[:, None]) / width) ** 2))
    return np.rint(peak_need[:, None] * curve).astype(int)


def _warehouse(
    rng: np.random.Generator, i: int, supply: int, days: int, capacity_share: float
) -> dict:
    on_hand = int(supply * rng.uniform(0.2, 0.5))
    rest = supply - on_hand
    count = int(rng.integers(1, 4)) if days > 1 else 0
    arrival_days = (
        sorted(rng.choice(np.arange(1, days), size=min(count, days - 1), replace=False).tolist())
        if count
        else []
    )
    parts = (
        rng.multinomial(rest, [1 / len(arrival_days)] * len(arrival_days)) if arrival_days else []
    )
    doc = {
        "id": f"W-{i:04d}",
        "district": f"District {i:03d}",
        "on_hand": on_hand,
        "arrivals": [
            {"day": int(d), "quantity": int(q)} for d, q in zip(arrival_days, parts, strict=True)
        ],
    }
    if rng.random() < capacity_share:
        doc["dispatch_capacity"] = max(1, int(supply / rng.uniform(3, 8)))
    return doc


def _routes(rng: np.random.Generator, near: np.ndarray, dist: np.ndarray, days: int) -> list[dict]:
    scale = dist.max() if dist.size else 1.0
    lead = np.minimum(np.floor(4 * dist / max(scale, 1e-9)), max(days - 1, 0)).astype(int)
    cost = np.round(20 + 600 * dist + rng.uniform(0, 10, dist.shape), 2)
    return [
        {
            "from": f"W-{near[f, j]:04d}",
            "to": f"F-{f:06d}",
            "lead_days": int(lead[f, j]),
            "cost_per_unit": float(cost[f, j]),
        }
        for f in range(near.shape[0])
        for j in range(near.shape[1])
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouses", type=int, default=8)
    parser.add_argument("--facilities", type=int, default=60)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--routes-per-facility", type=int, default=3)
    parser.add_argument("--out", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    doc = generate(
        args.warehouses,
        args.facilities,
        args.days,
        seed=args.seed,
        routes_per_facility=args.routes_per_facility,
    )
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(doc, fh)
    else:
        json.dump(doc, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
