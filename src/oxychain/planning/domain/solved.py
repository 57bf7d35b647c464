"""A scenario solved twice, optimally and pro rata, each plan replayed against it; and
what a kept scenario and plan record of it.

A kept plan carries its pro-rata baseline and the problems its replay found
(planning/replay.py): its figures are never edited. Money is kept in paise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from oxychain.planning.domain.plan import PlanStatus, ScenarioSource
from oxychain.planning.domain.scenario import Scenario

MAX_PROBLEMS_KEPT = 50


@dataclass(frozen=True)
class Solved:
    """A plan and its baseline (the plan JSON of ALLOCATION.md), each replayed."""

    plan: dict
    prorata: dict
    problems: tuple[str, ...]
    floor_price: dict | None = None  # with a fill floor: the plan's figures with and without


def price_figures(plan: dict) -> dict:
    """What the floor costs, read from one plan (ALLOCATION.md version 2): weighted
    shortfall, transport cost and the lowest district fill."""
    fills = plan["district_fill"]
    lowest = min(fills, key=lambda d: (fills[d], d)) if fills else None
    return {
        "weighted_shortfall": plan["weighted_shortfall"],
        "transport_cost": plan["transport_cost"],
        "lowest_fill": fills[lowest] if lowest else 1.0,
        "lowest_district": lowest,
    }


def solve_and_check(scenario: Scenario, time_limit_s: float | None = None) -> Solved:
    # The solvers (LEMON, OR-Tools, HiGHS) and numpy load here, when a plan is asked for.
    from oxychain.planning.domain.allocation import solve
    from oxychain.planning.domain.prorata import prorata
    from oxychain.planning.domain.replay import replay

    plan = solve(scenario, time_limit_s=time_limit_s).as_dict()
    base = prorata(scenario).as_dict()
    problems = replay(scenario, plan).violations
    problems += tuple(f"pro-rata: {p}" for p in replay(scenario, base).violations)
    price = None
    if scenario.fairness is not None:  # the same scenario without its floor, to price it
        plain_scenario = replace(scenario, fairness=None)
        plain = solve(plain_scenario, time_limit_s=time_limit_s).as_dict()
        problems += tuple(f"without floor: {p}" for p in replay(plain_scenario, plain).violations)
        price = {"with": price_figures(plan), "without": price_figures(plain)}
    return Solved(plan, base, problems, price)


def scenario_record(
    document: dict, choice: dict, inputs: dict, source: ScenarioSource, base_id: int | None
) -> dict:
    """A kept scenario's fields: the planner's choices, what it was built from, the
    document and its network's size."""
    return {
        "name": choice["name"][:120],
        "source": ScenarioSource(source).value,
        "base_id": base_id,
        "choice": choice,
        "inputs": inputs,
        "document": document,
        "horizon_days": document["horizon_days"],
        "warehouses": len(document["warehouses"]),
        "facilities": len(document["facilities"]),
        "routes": len(document["routes"]),
    }


def scenario_summary(record: dict) -> dict:
    """What the audit trail says of a new scenario."""
    return {k: record[k] for k in ("name", "source", "warehouses", "facilities", "routes")}


def plan_record(solved: Solved, previous_id: int | None, reason: str | None) -> dict:
    """A new plan's fields: proposed, with both objectives of the plan and its baseline."""
    plan, base = solved.plan, solved.prorata
    return {
        "previous_id": previous_id,
        "status": PlanStatus.PROPOSED.value,
        "solver_status": plan["status"],
        "weighted_shortfall": round(plan["weighted_shortfall"]),
        "transport_paise": round(plan["transport_cost"] * 100),
        "prorata_weighted_shortfall": round(base["weighted_shortfall"]),
        "prorata_transport_paise": round(base["transport_cost"] * 100),
        "solve_seconds": plan["solve_seconds"],
        "result": plan,
        "prorata": base,
        "floor_price": solved.floor_price,
        "replay_ok": not solved.problems,
        "replay_problems": list(solved.problems[:MAX_PROBLEMS_KEPT]),
        "reason": reason,
    }


def plan_summary(record: dict, scenario_reference: str) -> dict:
    """What the audit trail says of a new plan."""
    return {
        "scenario": scenario_reference,
        "status": record["solver_status"],
        "weighted_shortfall": record["weighted_shortfall"],
        "transport_paise": record["transport_paise"],
        "prorata_weighted_shortfall": record["prorata_weighted_shortfall"],
        "replay_ok": record["replay_ok"],
        "previous": record["previous_id"],
        "reason": record["reason"],
    }


def replan_reason(text: str) -> str | None:
    """Why a plan was re-planned, as kept (one line, at most 200 characters)."""
    return " ".join(text.split())[:200] or None
