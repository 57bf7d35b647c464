"""The values of ALLOCATION.md's JSON, each read with the checks its field passes: an
object with exactly its fields, a list, text, a whole number, rupees kept in paise, a share
as a whole percent. A value that fails is a `ScenarioError` naming the field and the row."""

from __future__ import annotations

from collections.abc import Mapping
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


def read_percent(value: object, where: str) -> int:
    """A share 0 ... 1 with at most two decimals, as a whole percent."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(where, f"must be a number from 0 to 1, got {type_name(value)}")
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


def read_object(
    value: object, where: str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Mapping:
    if not isinstance(value, Mapping):
        raise ScenarioError(where, f"must be an object, got {type_name(value)}")
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


def read_list(value: object, where: str) -> list:
    if not isinstance(value, list):
        raise ScenarioError(where, f"must be a list, got {type_name(value)}")
    return value


def read_text(value: object, where: str, *, allow_empty: bool = False) -> str:
    if type(value) is str and (allow_empty or (value and not value[0].isspace())):
        return value
    if not isinstance(value, str):
        raise ScenarioError(where, f"must be a string, got {type_name(value)}")
    if not allow_empty and not value.strip():
        raise ScenarioError(where, "must not be empty")
    return value


def read_whole(value: object, where: str, *, at_most: int = MAX_QUANTITY) -> int:
    """A whole number >= 0; 5.0 passes as 5, 5.5, -1, true and "5" do not."""
    if type(value) is int and 0 <= value <= at_most:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(where, f"must be a whole number, got {type_name(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ScenarioError(where, f"must be a whole number, got {value!r}")
        value = int(value)
    if value < 0:
        raise ScenarioError(where, f"must not be negative, got {value}")
    if value > at_most:
        raise ScenarioError(where, f"must be at most {at_most}, got {value}")
    return value


def read_paise(value: object, where: str) -> int:
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
        raise ScenarioError(where, f"must be a number of rupees, got {type_name(value)}")
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


def type_name(value: object) -> str:
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
