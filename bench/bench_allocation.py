"""Benchmark `oxychain plan allocate` at UP and India scale (issues 6 and 15).

Each run is the whole CLI, process start to JSON out, timed by wall clock, with the
child's CPU time (user + system) and peak RSS from wait4; figures are medians of
--repeats runs. The baseline, measured in the same run (its runs interleaved with
ours, so both meet the same load), is the
straightforward model: OR-Tools' min-cost flow on the naive time-expanded network
(a node per warehouse-day and facility-day, holding arcs, a dispatch arc per route
and day, one reward arc per facility-day) with a big M; it runs as its own process
too, with a time bound. Beside each optimum, the pro-rata baseline's weighted
shortfall. Every plan is replayed and both optima are compared.

Version 2 (ALLOCATION.md): 1 central + 75 district warehouses, 5,000 facilities, 30
days, transfers (central to every district, districts to their 3 nearest both ways),
with the fill floor off and on (60 %, homes 30 %). Its baseline is the same naive
network with stock and dock nodes per warehouse-day, a transfer arc per link and day
and, with the floor, a floor reward arc per facility-day, solved by the same
lexicographic min-cost flow (one big-M solve, or two stages when that would overflow).
The load average is printed before each case and at the end: the machine may be
shared, so quote the ratios (wall and CPU) beside the seconds.

    .venv/bin/python bench/bench_allocation.py            # UP scale, 3 repeats
    .venv/bin/python bench/bench_allocation.py --india    # and India scale
    .venv/bin/python bench/bench_allocation.py --v2       # and the version 2 UP instance
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {  # name: (warehouses, facilities, days, seed, target seconds, target GiB)
    "UP": (80, 5_000, 30, 1, 1.5, 2.0),
    "India": (800, 50_000, 14, 2, 15.0, 8.0),
    "UP v2": (75, 5_000, 30, 1, 4.0, 2.0),  # district warehouses, plus the central one
    "UP v2 floor": (75, 5_000, 30, 1, 6.0, 2.0),
}
FLOOR = {"kind": "fill_floor", "min_fill": 0.6, "min_fill_by_kind": {"home": 0.3}}


def measure(cmd: list[str], out: Path, timeout: float) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS MiB, exit code, CPU seconds) of one process, killed after
    `timeout`. CPU time (user + system) is what the process itself spent: on a shared
    machine it moves less with the load than wall time does. The peak is the child's own
    high-water mark (VmHWM), read every 5 ms until it exits: Linux's ru_maxrss would
    carry over this process's own peak through fork and exec."""
    peak_kib = 0
    with out.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE, cwd=ROOT)
        deadline = start + timeout
        while True:
            peak_kib = max(peak_kib, _high_water_kib(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                return float("inf"), peak_kib / 1024, -9, float("inf")
            time.sleep(0.005)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.stderr.write(proc.stderr.read().decode())
    peak_kib = peak_kib or usage.ru_maxrss  # no /proc: the rusage figure, an upper bound
    return wall, peak_kib / 1024, proc.returncode, usage.ru_utime + usage.ru_stime


def _high_water_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0  # gone, or no /proc here


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min)"


def figures(runs: list[tuple[float, float, int, float]]) -> str:
    walls = ", ".join(f"{r[0]:.2f}" for r in runs)
    return (
        f"median {statistics.median(r[0] for r in runs):.2f} s wall ({walls}), "
        f"median {statistics.median(r[3] for r in runs):.2f} s CPU, "
        f"peak RSS {max(r[1] for r in runs):.0f} MiB"
    )


def scenario_file(name: str, workdir: Path) -> Path:
    w, f, d, seed, _, _ = CASES[name]
    slug = name.lower().replace(" ", "_")
    path = workdir / f"{slug}_{w}x{f}x{d}_seed{seed}.json"
    if not path.exists():
        from oxychain.planning.domain.scenario_gen import generate, generate_v2

        if name.startswith("UP v2"):
            doc = generate_v2(w, f, d, seed=seed, fairness=FLOOR if "floor" in name else None)
        else:
            doc = generate(w, f, d, seed=seed)
        path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def bench_case(name: str, args: argparse.Namespace) -> None:
    from oxychain.planning.domain.prorata import prorata
    from oxychain.planning.domain.replay import check
    from oxychain.planning.domain.scenario import parse_scenario

    path = scenario_file(name, args.workdir)
    scenario = parse_scenario(json.loads(path.read_text(encoding="utf-8")))
    _, _, _, _, target_s, target_gib = CASES[name]
    out = args.workdir / f"{name.lower().replace(' ', '_')}_plan.json"
    print(f"\n[before {name}: {load()}]")
    cli = [
        sys.executable,
        "-m",
        "oxychain.cli",
        "plan",
        "allocate",
        "--scenario",
        str(path),
        "--json",
    ]
    baseline = name != "India" or args.india_baseline
    naive_out = args.workdir / f"{name.lower().replace(' ', '_')}_naive.json"
    naive_cmd = [sys.executable, __file__, "--naive", str(path)]
    runs, naive = [], []
    for _ in range(args.repeats):  # interleaved, so that both meet the same load
        runs.append(measure(cli, out, args.timeout))
        if baseline:
            naive.append(measure(naive_cmd, naive_out, args.baseline_timeout))
    plan = json.loads(out.read_text(encoding="utf-8"))
    check(scenario, plan)  # replay: stock, capacity, shortfall, objectives, fill
    wall = statistics.median(r[0] for r in runs)
    rss = max(r[1] for r in runs)
    print(
        f"\n{name}: {len(scenario.warehouses)} warehouses x {len(scenario.facilities)} "
        f"facilities x {scenario.horizon_days} days, {len(scenario.routes)} routes, "
        f"{len(scenario.transfers)} transfer links" + (", fill floor" if scenario.fairness else "")
    )
    print(
        f"  oxychain plan allocate, {len(runs)} runs: {figures(runs)} "
        f"[target {target_s:.1f} s, {target_gib:.0f} GiB: "
        f"{'met' if wall <= target_s and rss <= target_gib * 1024 else 'MISSED'}]"
    )
    if "floor_shortfall" in plan:
        print(f"  floor shortfall {plan['floor_shortfall']:.0f}")
    if "transfers" in plan:
        print(f"  transfers {len(plan['transfers'])}")
    print(
        f"  status {plan['status']}, weighted shortfall {plan['weighted_shortfall']:.0f}, "
        f"transport Rs {plan['transport_cost']:.2f}, solver {plan['solve_seconds']:.2f} s, "
        f"{len(plan['shipments'])} shipments; replay clean"
    )
    base = prorata(scenario)
    print(
        f"  pro-rata baseline: weighted shortfall {base.weighted_shortfall}"
        f" ({base.weighted_shortfall / max(plan['weighted_shortfall'], 1):.2f} x the optimum),"
        f" transport Rs {base.transport_cost_paise / 100:.2f}"
    )
    if not baseline:
        print("  naive min-cost-flow baseline: skipped (--india-baseline to run it)")
        return
    n_wall = statistics.median(r[0] for r in naive)
    if n_wall == float("inf"):
        print(f"  naive min-cost-flow baseline: over {args.baseline_timeout:.0f} s, stopped")
        return
    result = json.loads(naive_out.read_text(encoding="utf-8"))
    same = (
        result.get("floor_shortfall"),
        result["weighted_shortfall"],
        result["transport_paise"],
    ) == (
        None if "floor_shortfall" not in plan else round(plan["floor_shortfall"]),
        round(plan["weighted_shortfall"]),
        round(plan["transport_cost"] * 100),
    )
    print(
        f"  naive min-cost-flow baseline, {len(naive)} runs: {figures(naive)}, "
        f"{result['arcs']} arcs; same optimum: {same}"
    )
    n_cpu = statistics.median(r[3] for r in naive)
    cpu = statistics.median(r[3] for r in runs)
    print(
        f"  speed-up over the baseline: {n_wall / wall:.1f} x wall, {n_cpu / cpu:.1f} x CPU "
        "(baseline / oxychain, medians)"
    )


def naive(path: str) -> None:
    """The straightforward time-expanded min-cost flow, printed as JSON."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    from oxychain.planning.domain.allocation import tabulate
    from oxychain.planning.domain.scenario import parse_scenario

    tb = tabulate(parse_scenario(json.loads(Path(path).read_text(encoding="utf-8"))))
    if tb.floor is not None or tb.link_from.size:
        naive_v2(tb)
        return
    h, n_w, n_f = tb.horizon, tb.capacity.size, tb.priority.size
    total = int(tb.stock_in.sum())
    stock, dispatch, fac = 0, n_w * h, 2 * n_w * h  # node blocks; the sink is last
    sink = fac + n_f * h
    arcs: list[tuple] = []  # (tails, heads, capacities, transport, reward)
    w, t = np.repeat(np.arange(n_w), h), np.tile(np.arange(h), n_w)
    later = np.where(t < h - 1, stock + w * h + t + 1, sink)
    arcs.append((stock + w * h + t, later, np.full(w.size, total), 0, 0))  # holding
    cap = np.where(tb.capacity < 0, total, tb.capacity)[w]
    arcs.append((stock + w * h + t, dispatch + w * h + t, cap, 0, 0))
    r, d = np.repeat(np.arange(tb.route_wh.size), h), np.tile(np.arange(h), tb.route_wh.size)
    keep = d + tb.route_lead[r] < h
    r, d = r[keep], d[keep]
    arcs.insert(
        0,
        (
            dispatch + tb.route_wh[r] * h + d,
            fac + tb.route_fac[r] * h + d + tb.route_lead[r],
            np.full(r.size, total),
            tb.route_cost[r],
            0,
        ),
    )
    f, t = np.repeat(np.arange(n_f), h), np.tile(np.arange(h), n_f)
    nxt = np.where(t < h - 1, fac + f * h + t + 1, sink)
    arcs.append((fac + f * h + t, nxt, np.full(f.size, total), 0, 0))  # free
    needy = tb.need[f, t] > 0
    arcs.append(
        (fac + (f * h + t)[needy], nxt[needy], tb.need[f, t][needy], 0, tb.priority[f[needy]])
    )  # reward
    tails, heads, caps, transport, reward = (
        np.concatenate([np.broadcast_to(a[i], a[0].shape) for a in arcs]) for i in range(5)
    )
    weight = 1 + int(tb.need.max(axis=1).sum()) * int(tb.route_cost.max(initial=0))
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[: n_w * h] = tb.stock_in.reshape(-1)
    supplies[sink] = -total
    solver = min_cost_flow.SimpleMinCostFlow()
    ids = solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        caps.astype(np.int64),
        (transport - weight * reward).astype(np.int64),
    )
    solver.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    start = time.perf_counter()
    status = solver.solve()
    flows = np.asarray(solver.flows(ids))
    print(
        json.dumps(
            {
                "status": str(status),
                "arcs": int(tails.size),
                "solve_seconds": time.perf_counter() - start,
                "weighted_shortfall": int(
                    (tb.need.sum(axis=1) * tb.priority).sum() - flows @ reward
                ),
                "transport_paise": int(flows @ transport),
            }
        )
    )


def naive_v2(tb) -> None:  # noqa: ANN001 - allocation.Tables
    """Version 2's naive network: stock and dock nodes per warehouse-day with holding arcs,
    a dispatch arc per route and day, a transfer arc per link and day, a node per
    facility-day with a free arc, a reward arc and (with the floor) a floor reward arc."""
    import numpy as np

    from oxychain.planning.domain import echelon, flow

    h, n_w, n_f = tb.horizon, tb.capacity.size, tb.priority.size
    total = int(tb.stock_in.sum())
    stock, dock, fac = 0, n_w * h, 2 * n_w * h
    sink = fac + n_f * h
    parts: list[tuple] = []  # (tails, heads, capacities, transport, short, floor)
    r, d = np.repeat(np.arange(tb.route_wh.size), h), np.tile(np.arange(h), tb.route_wh.size)
    keep = d + tb.route_lead[r] < h
    r, d = r[keep], d[keep]
    parts.append(
        (
            dock + tb.route_wh[r] * h + d,
            fac + tb.route_fac[r] * h + d + tb.route_lead[r],
            total,
            tb.route_cost[r],
            0,
            0,
        )
    )
    k, d = np.repeat(np.arange(tb.link_from.size), h), np.tile(np.arange(h), tb.link_from.size)
    keep = d + tb.link_lead[k] < h
    k, d = k[keep], d[keep]
    parts.append(
        (
            dock + tb.link_from[k] * h + d,
            stock + tb.link_to[k] * h + d + tb.link_lead[k],
            total,
            tb.link_cost[k],
            0,
            0,
        )
    )
    w, t = np.repeat(np.arange(n_w), h), np.tile(np.arange(h), n_w)
    parts.append(
        (stock + w * h + t, np.where(t < h - 1, stock + w * h + t + 1, sink), total, 0, 0, 0)
    )
    parts.append(
        (
            stock + w * h + t,
            dock + w * h + t,
            np.where(tb.capacity < 0, total, tb.capacity)[w],
            0,
            0,
            0,
        )
    )
    f, t = np.repeat(np.arange(n_f), h), np.tile(np.arange(h), n_f)
    nxt = np.where(t < h - 1, fac + f * h + t + 1, sink)
    parts.append((fac + f * h + t, nxt, total, 0, 0, 0))
    floor = tb.floor if tb.floor is not None else np.zeros_like(tb.need)
    lo, hi = floor[f, t], tb.need[f, t]
    p = tb.priority[f]
    parts.append((fac + f * h + t, nxt, lo, 0, p, p))  # up to the floor: both rewards
    parts.append((fac + f * h + t, nxt, hi - lo, 0, p, 0))  # the rest of the need
    tails, heads, caps, transport, short, floor_r = (
        np.concatenate([np.broadcast_to(a[i], np.shape(a[0])) for a in parts]).astype(np.int64)
        for i in range(6)
    )
    useful = caps > 0
    tails, heads, caps, transport, short, floor_r = (
        x[useful] for x in (tails, heads, caps, transport, short, floor_r)
    )
    weight = 0 if tb.floor is None else 1 + int((tb.need.sum(axis=1) * tb.priority).sum())
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[: n_w * h] = tb.stock_in.reshape(-1)
    supplies[sink] = -total
    net = flow.Network(
        tails.astype(np.int32),
        heads.astype(np.int32),
        caps,
        transport,
        weight * floor_r + short,
        supplies,
    )
    start = time.perf_counter()
    status, flows = echelon.lexicographic(net, solve=flow.cost_scaling)  # OR-Tools, as before
    out = {
        "status": str(status),
        "arcs": int(tails.size),
        "solve_seconds": time.perf_counter() - start,
        "weighted_shortfall": int((tb.need.sum(axis=1) * tb.priority).sum() - flows @ short),
        "transport_paise": int(flows @ transport),
    }
    if tb.floor is not None:
        out["floor_shortfall"] = int((tb.floor.sum(axis=1) * tb.priority).sum() - flows @ floor_r)
    print(json.dumps(out))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--india", action="store_true", help="also run the India-scale case")
    parser.add_argument("--v2", action="store_true", help="also run the version 2 UP instance")
    parser.add_argument("--only-v2", action="store_true", help="run only the version 2 cases")
    parser.add_argument(
        "--india-baseline",
        action="store_true",
        help="also run the naive baseline at India scale (slow)",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0, help="per CLI run, seconds")
    parser.add_argument("--baseline-timeout", type=float, default=300.0)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--naive", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.naive:
        naive(args.naive)
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; {load()}")
    names = [] if args.only_v2 else ["UP", "India"] if args.india else ["UP"]
    if args.v2 or args.only_v2:
        names += ["UP v2", "UP v2 floor"]
    for name in names:
        bench_case(name, args)
    flags = (
        " --india" * args.india
        + " --india-baseline" * args.india_baseline
        + " --v2" * args.v2
        + " --only-v2" * args.only_v2
    )
    flags += f" --repeats {args.repeats}" * (args.repeats != 3)
    print(f"\n[after: {load()}]")
    print(f"reproduce: .venv/bin/python bench/bench_allocation.py{flags}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
