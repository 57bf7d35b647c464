"""Why a facility got what it got, and what one device more would have cost someone else.

Plain data in and out: a scenario, its optimal plan (the JSON of ALLOCATION.md) and a
facility id.

`story` lays out the facts a planner asks about: the facility's priority and need, the
routes that reach it (lead days, cost, the warehouse's stock left each day by the plan),
the dispatches it got and the days it is still short.

`next_unit` answers "what would one device more here have cost someone else?" exactly.
The device is one more in service from the facility's first short day that a dispatch
can still reach. The plan's own min-cost flow network is solved again with one change:
on that day the devices in service there pass a bonus arc of capacity (devices it had
+ 1) whose weight outranks any shortfall, so the optimum gives it that device *in the
least harmful way*, and is otherwise the same lexicographic optimum; a last tie-break
keeps every other device where the plan put it, where that costs nothing. The
difference between that plan and the optimal one, facility by facility, is the price:
the priority-device-days it saves here, those it costs elsewhere (who, and how many;
never fewer than it saves, or the plan would not have been optimal) and the change in
transport cost. One extra solve of the same network; no approximation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from oxychain.planning.domain import flow
from oxychain.planning.domain.allocation import Shipment, Tables, build_plan, tabulate
from oxychain.planning.domain.scenario import Scenario
from oxychain.planning.domain.status import SolverStatus

_INT64_HEADROOM = 2.0**61


@dataclass(frozen=True)
class RouteIn:
    warehouse: str
    lead_days: int
    cost_paise: int
    stock_left: tuple[int, ...]  # the warehouse's devices left at the end of each day


@dataclass(frozen=True)
class Story:
    facility: str
    district: str
    kind: str
    priority: int
    installed: int
    requirement: tuple[int, ...]
    in_service: tuple[int, ...]  # installed + delivered, each day
    short: tuple[int, ...]
    shipments: tuple[Shipment, ...]
    routes: tuple[RouteIn, ...]

    @property
    def weighted_shortfall(self) -> int:
        return self.priority * sum(self.short)

    @property
    def delivered(self) -> int:
        return sum(s.quantity for s in self.shipments)


@dataclass(frozen=True)
class NextUnit:
    """The price of one device more at the facility.

    outcome: "covered" (it is short of nothing), "unreachable" (no warehouse can get a
    device there while it is short), "priced" (the figures below hold), "too_large"
    (the numbers would overflow the solver's integers; not expected for real scenarios)
    or "version_2" (transfers or a fill floor: this price is worked out on version 1's
    network only, so none is given rather than a wrong one).
    """

    outcome: str
    day: int | None = None  # the device is in service from this day
    gain: int = 0  # priority-device-days it would save here
    loss: int = 0  # priority-device-days it would cost elsewhere, net
    transport_paise: int = 0  # change in transport cost
    shipment: Shipment | None = None  # the extra dispatch to this facility
    losers: tuple[tuple[str, int], ...] = ()  # (facility, priority-device-days lost)


def story(scenario: Scenario, plan: Mapping, facility_id: str) -> Story:
    """The facts behind a facility's allocation (KeyError for an unknown facility)."""
    facility = {f.id: f for f in scenario.facilities}[facility_id]
    lead = {(r.warehouse, r.facility): r.lead_days for r in scenario.routes}
    shipments = tuple(
        Shipment(s["from"], s["to"], s["day"], s["quantity"])
        for s in plan.get("shipments", [])
        if s["to"] == facility_id
    )
    arriving = [0] * scenario.horizon_days
    for s in shipments:
        arriving[s.day + lead[(s.warehouse, facility_id)]] += s.quantity
    in_service = tuple(facility.installed + int(v) for v in np.cumsum(arriving))
    short = tuple(
        max(0, need - have) for need, have in zip(facility.requirement, in_service, strict=True)
    )
    routes = tuple(
        RouteIn(r.warehouse, r.lead_days, r.cost_paise, _stock_left(scenario, plan, r.warehouse))
        for r in scenario.routes
        if r.facility == facility_id
    )
    return Story(
        facility.id,
        facility.district,
        facility.kind,
        facility.priority,
        facility.installed,
        facility.requirement,
        in_service,
        short,
        shipments,
        routes,
    )


def _stock_left(scenario: Scenario, plan: Mapping, warehouse_id: str) -> tuple[int, ...]:
    """Devices a warehouse holds at the end of each day under the plan."""
    w = next(w for w in scenario.warehouses if w.id == warehouse_id)
    change = [0] * scenario.horizon_days
    change[0] += w.on_hand
    for a in w.arrivals:
        change[a.day] += a.quantity
    for s in plan.get("shipments", []):
        if s["from"] == warehouse_id:
            change[s["day"]] -= s["quantity"]
    leads = {(k.source, k.target): k.lead_days for k in scenario.transfers}
    for t in plan.get("transfers", []):  # version 2: out on its day, in after its lead
        if t["from"] == warehouse_id:
            change[t["day"]] -= t["quantity"]
        if t["to"] == warehouse_id:
            change[t["day"] + leads[(t["from"], t["to"])]] += t["quantity"]
    return tuple(int(v) for v in np.cumsum(change))


def next_unit(scenario: Scenario, plan: Mapping, facility_id: str) -> NextUnit:
    """The exact price of one device more at the facility (module doc)."""
    tables = tabulate(scenario)
    f = tables.facility_ids.index(facility_id)
    if not any(row["facility"] == facility_id for row in plan.get("shortfall", [])):
        return NextUnit("covered")
    if scenario.version == 2:
        return NextUnit("version_2")
    cands = flow.candidates(tables)
    if cands is None or not np.any(tables.route_fac[cands.route] == f):
        return NextUnit("unreachable")
    target = _first_reachable_short_day(tables, cands, f, plan, facility_id)
    if target is None:
        return NextUnit("unreachable")
    stop, day, got = target
    built = _with_bonus(tables, cands, stop, got + 1, _plan_flows(tables, cands, plan))
    if built is None:
        return NextUnit("too_large")
    network, costs, bonus = built
    flows = flow.min_cost_flow(network, costs)
    if flows is None or flows[bonus] < got + 1:
        return NextUnit("unreachable")
    qty = flows[: cands.route.size] + flows[bonus + 1 :]  # the split arcs' two parts
    forced = build_plan(
        tables, cands.route, cands.batch_day[cands.batch], qty, SolverStatus.FORCED, 0.0
    )
    return _price(tables, plan, forced.as_dict(), facility_id, day)


def _first_reachable_short_day(
    tables: Tables, cands: flow.Candidates, f: int, plan: Mapping, facility_id: str
) -> tuple[int, int, int] | None:
    """(stop index, day, devices it had by then): the facility's first short day by which
    the warehouses that reach it could deliver one device more than the plan did (taking
    it from anyone), and the stop whose segment of its chain covers that day."""
    mine = np.flatnonzero(cands.stop_fac == f)
    into = np.flatnonzero(tables.route_fac[cands.route] == f)
    arrives = cands.stop_day[cands.stop[into]]
    for day in sorted(r["day"] for r in plan["shortfall"] if r["facility"] == facility_id):
        could = int(cands.capacity[into[arrives <= day]].sum())  # one route per warehouse
        got = _arrived_by(tables, plan, facility_id, day)
        if could > got:
            return int(mine[cands.stop_day[mine] <= day][-1]), day, got
    return None


def _arrived_by(tables: Tables, plan: Mapping, facility_id: str, day: int) -> int:
    lead = {
        (tables.warehouse_ids[w], tables.facility_ids[f]): d
        for w, f, d in zip(
            tables.route_wh.tolist(),
            tables.route_fac.tolist(),
            tables.route_lead.tolist(),
            strict=True,
        )
    }
    return sum(
        s["quantity"]
        for s in plan["shipments"]
        if s["to"] == facility_id and s["day"] + lead[(s["from"], s["to"])] <= day
    )


def _plan_flows(tables: Tables, cands: flow.Candidates, plan: Mapping) -> np.ndarray:
    """Devices the plan sends over each candidate dispatch arc (route, day)."""
    index = {
        (w, f): i
        for i, (w, f) in enumerate(
            zip(
                (tables.warehouse_ids[w] for w in tables.route_wh.tolist()),
                (tables.facility_ids[f] for f in tables.route_fac.tolist()),
                strict=True,
            )
        )
    }
    sent = {(index[(s["from"], s["to"])], s["day"]): s["quantity"] for s in plan["shipments"]}
    days = cands.batch_day[cands.batch].tolist()
    return np.array(
        [sent.get((r, d), 0) for r, d in zip(cands.route.tolist(), days, strict=True)],
        dtype=np.int64,
    )


def _with_bonus(tables: Tables, cands: flow.Candidates, stop: int, units: int, kept: np.ndarray):  # noqa: ANN202
    """The plan's network with the devices in service at a stop of a facility's chain led
    over a bonus arc of capacity ``units`` (module doc), and
    each dispatch arc the plan uses split so that keeping the plan's devices on it is
    preferred last of all (a tie-break: the priced plan moves as few devices as it can).
    (network, arc costs, index of the bonus arc), or None when the integers overflow."""
    base = flow.assemble(tables, cands)
    weight = flow.big_m(tables, cands)
    n_batch, n_stop, n = cands.batch_qty.size, cands.stop_fac.size, cands.route.size
    sink, gate = n_batch + n_stop, n_batch + n_stop + 1
    leaving = base.tails == n_batch + stop  # its free arc and reward arcs, one head
    after = int(base.heads[leaving][0])
    heads = base.heads.copy()
    heads[leaving] = gate
    total = int(cands.batch_qty.sum())
    scale = total + 1  # above the most devices the tie-break can count
    big = weight * (int(tables.priority.max()) * tables.horizon + 2)
    kept = np.minimum(kept, base.capacities[:n])
    lexicographic = (base.transport - weight * base.reward) * scale
    costs = np.concatenate((lexicographic, [0, -big * scale], lexicographic[:n] - 1))
    if float(np.abs(costs).max()) * (sink + 3) >= _INT64_HEADROOM:
        return None
    network = flow.Network(
        tails=np.concatenate((base.tails, [gate, gate], base.tails[:n])).astype(np.int32),
        heads=np.concatenate((heads, [after, after], base.heads[:n])).astype(np.int32),
        capacities=np.concatenate(
            (base.capacities[:n] - kept, base.capacities[n:], [total, units], kept)
        ),
        transport=np.concatenate((base.transport, [0, 0], base.transport[:n])),
        reward=np.concatenate((base.reward, [0, 0], base.reward[:n])),
        supplies=np.concatenate((base.supplies, [0])),
    )
    return network, costs.astype(np.int64), base.tails.size + 1


def _price(tables: Tables, plan: Mapping, forced: Mapping, facility_id: str, day: int) -> NextUnit:
    priority = dict(zip(tables.facility_ids, tables.priority.tolist(), strict=True))

    def weighted(doc: Mapping) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for row in doc["shortfall"]:
            out[row["facility"]] += priority[row["facility"]] * row["quantity"]
        return out

    before, after = weighted(plan), weighted(forced)
    gain = before[facility_id] - after[facility_id]
    changes = {g: after[g] - before[g] for g in set(before) | set(after) if g != facility_id}
    losers = sorted(((g, d) for g, d in changes.items() if d > 0), key=lambda x: (-x[1], x[0]))
    mine = {
        (s["from"], s["day"]): s["quantity"] for s in plan["shipments"] if s["to"] == facility_id
    }
    extra = next(
        (
            Shipment(
                s["from"], facility_id, s["day"], s["quantity"] - mine.get((s["from"], s["day"]), 0)
            )
            for s in forced["shipments"]
            if s["to"] == facility_id and s["quantity"] > mine.get((s["from"], s["day"]), 0)
        ),
        None,
    )
    transport = round(forced["transport_cost"] * 100) - round(plan["transport_cost"] * 100)
    return NextUnit(
        "priced", day, gain, sum(changes.values()), transport, extra, tuple(losers[:10])
    )
