"""The allocation scenario: parse and validate the JSON contract of ALLOCATION.md.

A scenario comes in as a decoded JSON object and leaves as plain frozen dataclasses,
or as a `ScenarioError` naming the field and the row (``routes[3].to: unknown
facility "F-9"``). Nothing here knows about solvers.

Optional fields and their defaults: ``name`` (""), ``arrivals`` ([]),
``dispatch_capacity`` (absent or null: no limit), ``kind`` (""), ``installed`` (0).
Unknown fields are refused, so a misspelt ``dispatch_capacty`` cannot silently mean
"no limit". Quantities may be written 5 or 5.0, never 5.5. Costs are kept in paise.

Version 2 (ALLOCATION.md, "Version 2"): optional ``transfers`` (warehouse to warehouse
links) and ``policy`` (the fill floor). Without them, or with ``[]`` and ``{}``, a
scenario is a version 1 scenario. ``policy.home_reserve`` is refused like any unknown
field: the section says why it was not adopted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from oxychain.planning.domain.scenario_values import (
    MAX_HORIZON_DAYS,
    MAX_PRIORITY,
    MAX_QUANTITY,
    ScenarioError,
    read_list,
    read_object,
    read_paise,
    read_percent,
    read_text,
    read_whole,
    type_name,
)


@dataclass(frozen=True, slots=True)
class Arrival:
    day: int
    quantity: int


@dataclass(frozen=True, slots=True)
class Warehouse:
    id: str
    district: str
    on_hand: int
    arrivals: tuple[Arrival, ...] = ()
    dispatch_capacity: int | None = None


@dataclass(frozen=True, slots=True)
class Facility:
    id: str
    district: str
    priority: int
    requirement: tuple[int, ...]
    installed: int = 0
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Route:
    warehouse: str
    facility: str
    lead_days: int
    cost_paise: int


@dataclass(frozen=True, slots=True)
class Transfer:
    """A directed warehouse-to-warehouse link (version 2)."""

    source: str
    target: str
    lead_days: int  # >= 1
    cost_paise: int


@dataclass(frozen=True, slots=True)
class FillFloor:
    """The fairness policy: floors as whole percents of each facility-day's requirement."""

    min_fill_pct: int
    by_kind_pct: tuple[tuple[str, int], ...] = ()

    def percent(self, kind: str) -> int:
        return dict(self.by_kind_pct).get(kind, self.min_fill_pct)


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    horizon_days: int
    warehouses: tuple[Warehouse, ...]
    facilities: tuple[Facility, ...]
    routes: tuple[Route, ...]
    transfers: tuple[Transfer, ...] = ()
    fairness: FillFloor | None = None

    @property
    def version(self) -> int:
        """1 when nothing of version 2 is used: such a scenario means what it meant."""
        return 2 if self.transfers or self.fairness is not None else 1


def parse_scenario(data: object) -> Scenario:
    """Validate a decoded scenario document; raise `ScenarioError` on the first fault."""
    doc = read_object(
        data,
        "scenario",
        required=("horizon_days", "warehouses", "facilities", "routes"),
        optional=("name", "transfers", "policy"),
    )
    name = read_text(doc.get("name", ""), "name", allow_empty=True)
    horizon = read_whole(doc["horizon_days"], "horizon_days", at_most=MAX_HORIZON_DAYS)
    if horizon < 1:
        raise ScenarioError("horizon_days", f"must be at least 1, got {horizon}")
    warehouses = tuple(
        _warehouse(row, f"warehouses[{i}]", horizon)
        for i, row in enumerate(read_list(doc["warehouses"], "warehouses"))
    )
    facilities = tuple(
        _facility(row, f"facilities[{i}]", horizon)
        for i, row in enumerate(read_list(doc["facilities"], "facilities"))
    )
    _unique_ids(warehouses, "warehouses")
    _unique_ids(facilities, "facilities")
    routes = _routes(read_list(doc["routes"], "routes"), warehouses, facilities)
    transfers = _transfers(read_list(doc.get("transfers", []), "transfers"), warehouses)
    fairness = _policy(doc.get("policy", {}), facilities)
    return Scenario(name, horizon, warehouses, facilities, routes, transfers, fairness)


def _warehouse(row: object, where: str, horizon: int) -> Warehouse:
    doc = read_object(
        row,
        where,
        required=("id", "district", "on_hand"),
        optional=("arrivals", "dispatch_capacity"),
    )
    arrivals = []
    for j, item in enumerate(read_list(doc.get("arrivals", []), f"{where}.arrivals")):
        at = f"{where}.arrivals[{j}]"
        entry = read_object(item, at, required=("day", "quantity"))
        day = read_whole(entry["day"], f"{at}.day")
        if day >= horizon:
            raise ScenarioError(f"{at}.day", f"day {day} is outside the horizon 0..{horizon - 1}")
        arrivals.append(Arrival(day, read_whole(entry["quantity"], f"{at}.quantity")))
    capacity = doc.get("dispatch_capacity")
    return Warehouse(
        id=read_text(doc["id"], f"{where}.id"),
        district=read_text(doc["district"], f"{where}.district"),
        on_hand=read_whole(doc["on_hand"], f"{where}.on_hand"),
        arrivals=tuple(arrivals),
        dispatch_capacity=None
        if capacity is None
        else read_whole(capacity, f"{where}.dispatch_capacity"),
    )


def _facility(row: object, where: str, horizon: int) -> Facility:
    doc = read_object(
        row,
        where,
        required=("id", "district", "priority", "requirement"),
        optional=("kind", "installed"),
    )
    priority = read_whole(doc["priority"], f"{where}.priority", at_most=MAX_PRIORITY)
    if priority < 1:
        raise ScenarioError(f"{where}.priority", f"must be a positive whole number, got {priority}")
    raw = doc["requirement"]
    if isinstance(raw, list):
        if len(raw) != horizon:
            raise ScenarioError(
                f"{where}.requirement", f"has {len(raw)} entries, expected horizon_days = {horizon}"
            )
        if all(type(v) is int for v in raw) and min(raw) >= 0 and max(raw) <= MAX_QUANTITY:
            requirement = tuple(raw)  # the common case, checked in bulk
        else:
            requirement = tuple(
                read_whole(v, f"{where}.requirement[{t}]") for t, v in enumerate(raw)
            )
    else:
        requirement = (read_whole(raw, f"{where}.requirement"),) * horizon
    return Facility(
        id=read_text(doc["id"], f"{where}.id"),
        district=read_text(doc["district"], f"{where}.district"),
        priority=priority,
        requirement=requirement,
        installed=read_whole(doc.get("installed", 0), f"{where}.installed"),
        kind=read_text(doc.get("kind", ""), f"{where}.kind", allow_empty=True),
    )


def _routes(
    rows: list, warehouses: tuple[Warehouse, ...], facilities: tuple[Facility, ...]
) -> tuple[Route, ...]:
    warehouse_ids = {w.id for w in warehouses}
    facility_ids = {f.id for f in facilities}
    seen: dict[tuple[str, str], int] = {}
    routes = []
    for i, row in enumerate(rows):
        where = f"routes[{i}]"
        doc = read_object(row, where, required=("from", "to", "lead_days", "cost_per_unit"))
        source = read_text(doc["from"], f"{where}.from")
        if source not in warehouse_ids:
            raise ScenarioError(f"{where}.from", f'unknown warehouse "{source}"')
        target = read_text(doc["to"], f"{where}.to")
        if target not in facility_ids:
            raise ScenarioError(f"{where}.to", f'unknown facility "{target}"')
        # A shipment names only its two ends, so a second route between them would
        # leave its lead time ambiguous.
        first = seen.setdefault((source, target), i)
        if first != i:
            raise ScenarioError(
                where, f'duplicate route "{source}" -> "{target}" (also routes[{first}])'
            )
        routes.append(
            Route(
                source,
                target,
                read_whole(doc["lead_days"], f"{where}.lead_days"),
                read_paise(doc["cost_per_unit"], f"{where}.cost_per_unit"),
            )
        )
    return tuple(routes)


def _transfers(rows: list, warehouses: tuple[Warehouse, ...]) -> tuple[Transfer, ...]:
    warehouse_ids = {w.id for w in warehouses}
    seen: dict[tuple[str, str], int] = {}
    links = []
    for i, row in enumerate(rows):
        where = f"transfers[{i}]"
        doc = read_object(row, where, required=("from", "to", "lead_days", "cost_per_unit"))
        ends = []
        for end in ("from", "to"):
            value = read_text(doc[end], f"{where}.{end}")
            if value not in warehouse_ids:
                raise ScenarioError(f"{where}.{end}", f'unknown warehouse "{value}"')
            ends.append(value)
        source, target = ends
        if source == target:
            raise ScenarioError(f"{where}.to", f'the same warehouse as from ("{source}")')
        first = seen.setdefault((source, target), i)
        if first != i:
            raise ScenarioError(
                where, f'duplicate transfer "{source}" -> "{target}" (also transfers[{first}])'
            )
        lead = read_whole(doc["lead_days"], f"{where}.lead_days")
        # lead 0 would let a same-day cycle pass every end-of-day stock check (ALLOCATION.md)
        if lead < 1:
            raise ScenarioError(f"{where}.lead_days", f"must be at least 1, got {lead}")
        links.append(
            Transfer(
                source, target, lead, read_paise(doc["cost_per_unit"], f"{where}.cost_per_unit")
            )
        )
    return tuple(links)


def _policy(value: object, facilities: tuple[Facility, ...]) -> FillFloor | None:
    # home_reserve is not adopted (ALLOCATION.md, "Home reserve"): an unknown field
    doc = read_object(value, "policy", required=(), optional=("fairness",))
    if "fairness" not in doc:
        return None
    fair = read_object(
        doc["fairness"],
        "policy.fairness",
        required=("kind", "min_fill"),
        optional=("min_fill_by_kind",),
    )
    if fair["kind"] != "fill_floor":
        raise ScenarioError("policy.fairness.kind", f'must be "fill_floor", got {fair["kind"]!r}')
    pct = read_percent(fair["min_fill"], "policy.fairness.min_fill")
    by_kind = fair.get("min_fill_by_kind", {})
    if not isinstance(by_kind, Mapping):
        raise ScenarioError(
            "policy.fairness.min_fill_by_kind", f"must be an object, got {type_name(by_kind)}"
        )
    kinds = {f.kind for f in facilities}
    per_kind = []
    for kind, share in by_kind.items():
        where = f"policy.fairness.min_fill_by_kind.{kind}"
        if kind not in kinds:
            raise ScenarioError(where, f'no facility is of kind "{kind}"')
        per_kind.append((kind, read_percent(share, where)))
    return FillFloor(pct, tuple(sorted(per_kind)))


def _unique_ids(rows: tuple[Warehouse, ...] | tuple[Facility, ...], name: str) -> None:
    first: dict[str, int] = {}
    for i, row in enumerate(rows):
        j = first.setdefault(row.id, i)
        if j != i:
            raise ScenarioError(f"{name}[{i}].id", f'duplicate id "{row.id}" (also {name}[{j}])')
