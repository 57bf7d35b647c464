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
from decimal import Decimal, InvalidOperation

from oxychain.core.errors import InvalidInput

# Generous bounds that keep the solver's integer arithmetic (costs x priorities x
# quantities) far inside int64.
MAX_HORIZON_DAYS = 3660
MAX_QUANTITY = 10**9
MAX_PRIORITY = 10**6
MAX_COST_RUPEES = 10**7


class ScenarioError(InvalidInput):
    """A scenario that breaks the contract; `field` names the offending field and row."""

    code = "invalid_scenario"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}", code=self.code, field=field, problem=problem)
        self.field = field


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
    doc = _object(
        data,
        "scenario",
        required=("horizon_days", "warehouses", "facilities", "routes"),
        optional=("name", "transfers", "policy"),
    )
    name = _text(doc.get("name", ""), "name", allow_empty=True)
    horizon = _whole(doc["horizon_days"], "horizon_days", at_most=MAX_HORIZON_DAYS)
    if horizon < 1:
        raise ScenarioError("horizon_days", f"must be at least 1, got {horizon}")
    warehouses = tuple(
        _warehouse(row, f"warehouses[{i}]", horizon)
        for i, row in enumerate(_list(doc["warehouses"], "warehouses"))
    )
    facilities = tuple(
        _facility(row, f"facilities[{i}]", horizon)
        for i, row in enumerate(_list(doc["facilities"], "facilities"))
    )
    _unique_ids(warehouses, "warehouses")
    _unique_ids(facilities, "facilities")
    routes = _routes(_list(doc["routes"], "routes"), warehouses, facilities)
    transfers = _transfers(_list(doc.get("transfers", []), "transfers"), warehouses)
    fairness = _policy(doc.get("policy", {}), facilities)
    return Scenario(name, horizon, warehouses, facilities, routes, transfers, fairness)


def _warehouse(row: object, where: str, horizon: int) -> Warehouse:
    doc = _object(
        row,
        where,
        required=("id", "district", "on_hand"),
        optional=("arrivals", "dispatch_capacity"),
    )
    arrivals = []
    for j, item in enumerate(_list(doc.get("arrivals", []), f"{where}.arrivals")):
        at = f"{where}.arrivals[{j}]"
        entry = _object(item, at, required=("day", "quantity"))
        day = _whole(entry["day"], f"{at}.day")
        if day >= horizon:
            raise ScenarioError(f"{at}.day", f"day {day} is outside the horizon 0..{horizon - 1}")
        arrivals.append(Arrival(day, _whole(entry["quantity"], f"{at}.quantity")))
    capacity = doc.get("dispatch_capacity")
    return Warehouse(
        id=_text(doc["id"], f"{where}.id"),
        district=_text(doc["district"], f"{where}.district"),
        on_hand=_whole(doc["on_hand"], f"{where}.on_hand"),
        arrivals=tuple(arrivals),
        dispatch_capacity=None
        if capacity is None
        else _whole(capacity, f"{where}.dispatch_capacity"),
    )


def _facility(row: object, where: str, horizon: int) -> Facility:
    doc = _object(
        row,
        where,
        required=("id", "district", "priority", "requirement"),
        optional=("kind", "installed"),
    )
    priority = _whole(doc["priority"], f"{where}.priority", at_most=MAX_PRIORITY)
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
            requirement = tuple(_whole(v, f"{where}.requirement[{t}]") for t, v in enumerate(raw))
    else:
        requirement = (_whole(raw, f"{where}.requirement"),) * horizon
    return Facility(
        id=_text(doc["id"], f"{where}.id"),
        district=_text(doc["district"], f"{where}.district"),
        priority=priority,
        requirement=requirement,
        installed=_whole(doc.get("installed", 0), f"{where}.installed"),
        kind=_text(doc.get("kind", ""), f"{where}.kind", allow_empty=True),
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
        doc = _object(row, where, required=("from", "to", "lead_days", "cost_per_unit"))
        source = _text(doc["from"], f"{where}.from")
        if source not in warehouse_ids:
            raise ScenarioError(f"{where}.from", f'unknown warehouse "{source}"')
        target = _text(doc["to"], f"{where}.to")
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
                _whole(doc["lead_days"], f"{where}.lead_days"),
                _paise(doc["cost_per_unit"], f"{where}.cost_per_unit"),
            )
        )
    return tuple(routes)


def _transfers(rows: list, warehouses: tuple[Warehouse, ...]) -> tuple[Transfer, ...]:
    warehouse_ids = {w.id for w in warehouses}
    seen: dict[tuple[str, str], int] = {}
    links = []
    for i, row in enumerate(rows):
        where = f"transfers[{i}]"
        doc = _object(row, where, required=("from", "to", "lead_days", "cost_per_unit"))
        ends = []
        for end in ("from", "to"):
            value = _text(doc[end], f"{where}.{end}")
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
        lead = _whole(doc["lead_days"], f"{where}.lead_days")
        # lead 0 would let a same-day cycle pass every end-of-day stock check (ALLOCATION.md)
        if lead < 1:
            raise ScenarioError(f"{where}.lead_days", f"must be at least 1, got {lead}")
        links.append(
            Transfer(source, target, lead, _paise(doc["cost_per_unit"], f"{where}.cost_per_unit"))
        )
    return tuple(links)


def _policy(value: object, facilities: tuple[Facility, ...]) -> FillFloor | None:
    # home_reserve is not adopted (ALLOCATION.md, "Home reserve"): an unknown field
    doc = _object(value, "policy", required=(), optional=("fairness",))
    if "fairness" not in doc:
        return None
    fair = _object(
        doc["fairness"],
        "policy.fairness",
        required=("kind", "min_fill"),
        optional=("min_fill_by_kind",),
    )
    if fair["kind"] != "fill_floor":
        raise ScenarioError("policy.fairness.kind", f'must be "fill_floor", got {fair["kind"]!r}')
    pct = _percent(fair["min_fill"], "policy.fairness.min_fill")
    by_kind = fair.get("min_fill_by_kind", {})
    if not isinstance(by_kind, Mapping):
        raise ScenarioError(
            "policy.fairness.min_fill_by_kind", f"must be an object, got {_kind(by_kind)}"
        )
    kinds = {f.kind for f in facilities}
    per_kind = []
    for kind, share in by_kind.items():
        where = f"policy.fairness.min_fill_by_kind.{kind}"
        if kind not in kinds:
            raise ScenarioError(where, f'no facility is of kind "{kind}"')
        per_kind.append((kind, _percent(share, where)))
    return FillFloor(pct, tuple(sorted(per_kind)))


def _percent(value: object, where: str) -> int:
    """A share 0 ... 1 with at most two decimals, as a whole percent."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(where, f"must be a number from 0 to 1, got {_kind(value)}")
    try:
        share = Decimal(repr(value))
    except InvalidOperation:
        raise ScenarioError(where, f"must be a number from 0 to 1, got {value!r}") from None
    if not share.is_finite() or not 0 <= share <= 1:
        raise ScenarioError(where, f"must be a number from 0 to 1, got {value!r}")
    pct = share * 100
    if pct != pct.to_integral_value():
        raise ScenarioError(where, f"must have at most two decimals, got {value!r}")
    return int(pct)


def _unique_ids(rows: tuple[Warehouse, ...] | tuple[Facility, ...], name: str) -> None:
    first: dict[str, int] = {}
    for i, row in enumerate(rows):
        j = first.setdefault(row.id, i)
        if j != i:
            raise ScenarioError(f"{name}[{i}].id", f'duplicate id "{row.id}" (also {name}[{j}])')


def _object(
    value: object, where: str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Mapping:
    if not isinstance(value, Mapping):
        raise ScenarioError(where, f"must be an object, got {_kind(value)}")
    keys = value.keys()
    if len(keys) == len(required) and keys == set(required):
        return value  # the common case, checked at once
    for key in required:
        if key not in value:
            raise ScenarioError(where, f'missing field "{key}"')
    allowed = set(required) | set(optional)
    for key in value:
        if key not in allowed:
            raise ScenarioError(where, f'unknown field "{key}"')
    return value


def _list(value: object, where: str) -> list:
    if not isinstance(value, list):
        raise ScenarioError(where, f"must be a list, got {_kind(value)}")
    return value


def _text(value: object, where: str, *, allow_empty: bool = False) -> str:
    if type(value) is str and (allow_empty or (value and not value[0].isspace())):
        return value
    if not isinstance(value, str):
        raise ScenarioError(where, f"must be a string, got {_kind(value)}")
    if not allow_empty and not value.strip():
        raise ScenarioError(where, "must not be empty")
    return value


def _whole(value: object, where: str, *, at_most: int = MAX_QUANTITY) -> int:
    """A whole number >= 0; 5.0 passes as 5, 5.5, -1, true and "5" do not."""
    if type(value) is int and 0 <= value <= at_most:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(where, f"must be a whole number, got {_kind(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ScenarioError(where, f"must be a whole number, got {value!r}")
        value = int(value)
    if value < 0:
        raise ScenarioError(where, f"must not be negative, got {value}")
    if value > at_most:
        raise ScenarioError(where, f"must be at most {at_most}, got {value}")
    return value


def _paise(value: object, where: str) -> int:
    """Rupees with at most two decimals, as whole paise."""
    if type(value) is float and 0 <= value <= MAX_COST_RUPEES:
        # fast path: a float within bounds is whole paise exactly when the float nearest
        # to paise / 100 is the value itself; anything else takes the exact path below
        paise = round(value * 100)
        if paise / 100 == value:
            return paise
    elif type(value) is int and 0 <= value <= MAX_COST_RUPEES:
        return value * 100
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(where, f"must be a number of rupees, got {_kind(value)}")
    try:
        # repr() of a float is the shortest string that reads back the same, so
        # 35.07 is checked as "35.07", not as its binary approximation.
        amount = Decimal(repr(value))
    except InvalidOperation:
        raise ScenarioError(where, f"must be a finite number, got {value!r}") from None
    if not amount.is_finite():
        raise ScenarioError(where, f"must be a finite number, got {value!r}")
    if amount < 0:
        raise ScenarioError(where, f"must not be negative, got {value!r}")
    if amount > MAX_COST_RUPEES:
        raise ScenarioError(where, f"must be at most {MAX_COST_RUPEES}, got {value!r}")
    paise = amount * 100
    if paise != paise.to_integral_value():
        raise ScenarioError(where, f"must have at most two decimals, got {value!r}")
    return int(paise)


def _kind(value: object) -> str:
    names = {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        type(None): "null",
        int: "a number",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)
