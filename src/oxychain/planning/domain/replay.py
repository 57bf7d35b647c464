"""Replay a plan against its scenario, independently of the solver.

Anyone can check a plan (ALLOCATION.md): walk its shipments and transfers day by day
through the warehouses' stock (devices in transit between warehouses in no stock),
check each day's dispatches against the dock's capacity, recompute what is in service
at each facility, the shortfall, the floor shortfall, both objectives and the district
fill, and compare them with what the plan claims.
Plain Python on purpose: this shares no code with the optimiser it checks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from oxychain.planning.domain.scenario import Scenario

FILL_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Replay:
    """What the shipments really do; `violations` is empty for a sound plan."""

    violations: tuple[str, ...]
    weighted_shortfall: int
    transport_cost_paise: int
    shortfall: dict[tuple[str, int], int]  # (facility, day) -> devices short, non-zero only
    district_fill: dict[str, float]
    stock: dict[str, tuple[int, ...]]  # warehouse -> devices left at the end of each day
    in_transit: tuple[int, ...] = ()  # devices between warehouses at the end of each day
    floor_shortfall: int | None = None  # priority x devices below the floor, summed


class PlanViolation(AssertionError):
    """A plan that breaks its scenario or misstates its own figures."""

    def __init__(self, violations: tuple[str, ...]) -> None:
        super().__init__("; ".join(violations[:20]))
        self.violations = violations


def check(scenario: Scenario, plan: Mapping) -> Replay:
    """Replay and raise `PlanViolation` unless the plan is sound and says so truly."""
    result = replay(scenario, plan)
    if result.violations:
        raise PlanViolation(result.violations)
    return result


def replay(scenario: Scenario, plan: Mapping) -> Replay:
    """Replay a plan given as its JSON document (``Plan.as_dict()``)."""
    problems: list[str] = []
    sent = _shipments(scenario, plan.get("shipments", []), problems)
    moved = _transfers(scenario, plan.get("transfers", []), problems)
    stock, in_transit = _walk_stock(scenario, sent, moved, problems)
    in_service = _deliveries(scenario, sent)
    shortfall: dict[tuple[str, int], int] = {}
    weighted = floor_weighted = 0
    short_by_district: dict[str, int] = defaultdict(int)
    need_by_district: dict[str, int] = defaultdict(int)
    for f in scenario.facilities:
        delivered = 0
        for day in range(scenario.horizon_days):
            delivered += in_service.get((f.id, day), 0)
            net_need = max(0, f.requirement[day] - f.installed)
            short = max(0, net_need - delivered)
            if short:
                shortfall[(f.id, day)] = short
            weighted += f.priority * short
            if scenario.fairness is not None:
                pct = scenario.fairness.percent(f.kind)
                floor = (pct * f.requirement[day] + 99) // 100
                floor_weighted += f.priority * max(0, floor - f.installed - delivered)
            short_by_district[f.district] += f.priority * short
            need_by_district[f.district] += f.priority * net_need
    fill = {
        d: 1.0 if need_by_district[d] == 0 else 1.0 - short_by_district[d] / need_by_district[d]
        for d in sorted(need_by_district)
    }
    cost = sum(paise * qty for (_w, _f, _d), (qty, paise, _lead) in sent.items())
    cost += sum(paise * qty for (_a, _b, _d), (qty, paise, _lead) in moved.items())
    floor_short = floor_weighted if scenario.fairness is not None else None
    _compare(plan, weighted, cost, shortfall, fill, problems)
    if plan.get("floor_shortfall") != floor_short:
        problems.append(
            f"floor_shortfall: plan says {plan.get('floor_shortfall')!r}, "
            f"replay gives {floor_short!r}"
        )
    return Replay(tuple(problems), weighted, cost, shortfall, fill, stock, in_transit, floor_short)


def _transfers(
    scenario: Scenario, rows: object, problems: list[str]
) -> dict[tuple[str, str, int], tuple[int, int, int]]:
    """(from, to, day) -> (quantity, paise per device, lead days)."""
    links = {(k.source, k.target): k for k in scenario.transfers}
    moved: dict[tuple[str, str, int], tuple[int, int, int]] = {}
    if not isinstance(rows, list):
        problems.append("transfers: not a list")
        return moved
    for i, row in enumerate(rows):
        where = f"transfers[{i}]"
        if not isinstance(row, Mapping):
            problems.append(f"{where}: not an object")
            continue
        source, target, day, qty = (row.get(k) for k in ("from", "to", "day", "quantity"))
        link = links.get((source, target))
        if link is None:
            problems.append(f"{where}: no transfer link {source!r} -> {target!r}")
        elif not _whole(day) or not 0 <= day < scenario.horizon_days:
            problems.append(f"{where}.day: {day!r} is not a day of the horizon")
        elif not _whole(qty) or qty <= 0:
            problems.append(f"{where}.quantity: {qty!r} is not a positive whole number")
        elif day + link.lead_days >= scenario.horizon_days:
            problems.append(f"{where}: arrives on day {day + link.lead_days}, after the horizon")
        elif (source, target, day) in moved:
            problems.append(f"{where}: a second transfer {source} -> {target} on day {day}")
        else:
            moved[(source, target, day)] = (qty, link.cost_paise, link.lead_days)
    return moved


def _shipments(
    scenario: Scenario, rows: object, problems: list[str]
) -> dict[tuple[str, str, int], tuple[int, int, int]]:
    """(warehouse, facility, day) -> (quantity, paise per device, lead days)."""
    routes = {(r.warehouse, r.facility): r for r in scenario.routes}
    sent: dict[tuple[str, str, int], tuple[int, int, int]] = {}
    if not isinstance(rows, list):
        problems.append("shipments: not a list")
        return sent
    for i, row in enumerate(rows):
        where = f"shipments[{i}]"
        if not isinstance(row, Mapping):
            problems.append(f"{where}: not an object")
            continue
        source, target, day, qty = (row.get(k) for k in ("from", "to", "day", "quantity"))
        route = routes.get((source, target))
        if route is None:
            problems.append(f"{where}: no route {source!r} -> {target!r}")
        elif not _whole(day) or not 0 <= day < scenario.horizon_days:
            problems.append(f"{where}.day: {day!r} is not a day of the horizon")
        elif not _whole(qty) or qty <= 0:
            problems.append(f"{where}.quantity: {qty!r} is not a positive whole number")
        elif day + route.lead_days >= scenario.horizon_days:
            problems.append(f"{where}: arrives on day {day + route.lead_days}, after the horizon")
        elif (source, target, day) in sent:
            problems.append(f"{where}: a second shipment {source} -> {target} on day {day}")
        else:
            sent[(source, target, day)] = (qty, route.cost_paise, route.lead_days)
    return sent


def _walk_stock(
    scenario: Scenario, sent: Mapping, moved: Mapping, problems: list[str]
) -> tuple[dict, tuple[int, ...]]:
    """Each warehouse's stock at the end of each day, and the devices in transit."""
    out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for (source, _target, day), (qty, _paise, _lead) in sent.items():
        out[source][day] += qty
    received: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    transit = [0] * scenario.horizon_days
    for (source, target, day), (qty, _paise, lead) in moved.items():
        out[source][day] += qty  # one loading dock: transfers count against capacity
        received[target][day + lead] += qty
        for t in range(day, day + lead):
            transit[t] += qty
    stock: dict[str, tuple[int, ...]] = {}
    for w in scenario.warehouses:
        arriving: dict[int, int] = defaultdict(int)
        for a in w.arrivals:
            arriving[a.day] += a.quantity
        held, left = w.on_hand, []
        for day in range(scenario.horizon_days):
            held += arriving[day] + received[w.id][day]
            dispatched = out[w.id][day]
            if w.dispatch_capacity is not None and dispatched > w.dispatch_capacity:
                problems.append(
                    f"{w.id} day {day}: dispatches {dispatched}, "
                    f"over its capacity {w.dispatch_capacity}"
                )
            held -= dispatched
            if held < 0:
                problems.append(f"{w.id} day {day}: stock goes to {held}")
            left.append(held)
        stock[w.id] = tuple(left)
    _conserved(scenario, sent, stock, transit, problems)
    return stock, tuple(transit)


def _conserved(
    scenario: Scenario, sent: Mapping, stock: dict, transit: list[int], problems: list[str]
) -> None:
    """Every device received is, at each day's end, in a stock, in transit or sent to a
    facility: a check of the walk itself."""
    arrived: dict[int, int] = defaultdict(int)
    for w in scenario.warehouses:
        arrived[0] += w.on_hand
        for a in w.arrivals:
            arrived[a.day] += a.quantity
    out: dict[int, int] = defaultdict(int)
    for (_w, _f, day), (qty, _paise, _lead) in sent.items():
        out[day] += qty
    received = shipped = 0
    for day in range(scenario.horizon_days):
        received += arrived[day]
        shipped += out[day]
        held = sum(left[day] for left in stock.values())
        if held + transit[day] + shipped != received:
            problems.append(f"day {day}: devices not conserved (a transfer lost or made devices)")
            return


def _deliveries(scenario: Scenario, sent: Mapping) -> dict[tuple[str, int], int]:
    """(facility, day) -> devices put in service that day."""
    arrive: dict[tuple[str, int], int] = defaultdict(int)
    for (_source, target, day), (qty, _paise, lead) in sent.items():
        arrive[(target, day + lead)] += qty
    return arrive


def _compare(
    plan: Mapping, weighted: int, cost: int, shortfall: dict, fill: dict, problems: list[str]
) -> None:
    if plan.get("weighted_shortfall") != weighted:
        problems.append(
            f"weighted_shortfall: plan says {plan.get('weighted_shortfall')!r}, "
            f"replay gives {weighted}"
        )
    claimed_cost = plan.get("transport_cost")
    if not isinstance(claimed_cost, int | float) or round(claimed_cost * 100) != cost:
        problems.append(f"transport_cost: plan says {claimed_cost!r}, replay gives {cost / 100}")
    claimed_short = {
        (row.get("facility"), row.get("day")): row.get("quantity")
        for row in plan.get("shortfall", [])
        if isinstance(row, Mapping)
    }
    if claimed_short != shortfall:
        wrong = sorted(set(claimed_short.items()) ^ set(shortfall.items()))[:3]
        problems.append(f"shortfall: plan and replay differ, e.g. {wrong}")
    claimed_fill = plan.get("district_fill", {})
    if set(claimed_fill) != set(fill) or any(
        abs(claimed_fill[d] - fill[d]) > FILL_TOLERANCE for d in fill
    ):
        problems.append("district_fill: plan and replay differ")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
