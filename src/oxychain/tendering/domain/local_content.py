"""Make in India: the class of a bid from the local content it self-certifies.

Source: Public Procurement (Preference to Make in India) Order 2017, as revised 16-09-2020
(../shared/DOMAIN.md, "Award"): each bid self-certifies the local content of the model it
offers; at least 50 % makes a Class-I local supplier, more than 20 % and less than 50 %
Class-II, less is non-local. The thresholds are per item, since a ministry may notify higher
ones (settings, frozen with each tender). Non-local bids are refused unless the tender is a
global tender enquiry; for items on the Department of Pharmaceuticals' list only Class-I may
bid. The class comes from the bid, not from a label on the supplier.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from oxychain.core.errors import InvalidInput
from oxychain.core.i18n import N_

#: The Order's thresholds (16-09-2020): Class-I from 50 %, Class-II above 20 %.
CLASS_I_PCT, CLASS_II_PCT = 50, 20


class LocalClass(StrEnum):
    CLASS_I = "class-i"
    CLASS_II = "class-ii"
    NON_LOCAL = "non-local"


@dataclass(frozen=True)
class Thresholds:
    """Class-I at or above ``class_i_pct``; Class-II above ``class_ii_pct`` and below it."""

    class_i_pct: int = CLASS_I_PCT
    class_ii_pct: int = CLASS_II_PCT

    def __post_init__(self) -> None:
        if not 0 <= self.class_ii_pct < self.class_i_pct <= 100:
            raise InvalidInput(
                "Local content thresholds need 0 ≤ Class-II < Class-I ≤ 100 %.",
            )


def parse_pct(value: object) -> Decimal | None:
    """Local content as a bid declares it: a number 0-100 (%), or None when not declared."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        pct = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return pct if pct.is_finite() and 0 <= pct <= 100 else None


def classify(local_content_pct: Decimal | None, thresholds: Thresholds) -> LocalClass:
    """The bid's class; an undeclared local content is non-local (the Order's default)."""
    if local_content_pct is None:
        return LocalClass.NON_LOCAL
    if local_content_pct >= thresholds.class_i_pct:
        return LocalClass.CLASS_I
    if local_content_pct > thresholds.class_ii_pct:
        return LocalClass.CLASS_II
    return LocalClass.NON_LOCAL


NON_LOCAL_REFUSED = N_(
    "Non-local bid (local content {pct} %): refused, the tender is not a global tender "
    "enquiry (Make in India Order 2017, revised 16-09-2020)."
)
CLASS_I_ONLY = N_(
    "Only Class-I local suppliers may bid for an item on the Department of Pharmaceuticals' "
    "list; this bid is {klass} (local content {pct} %)."
)


def refusal(
    klass: LocalClass, pct: Decimal | None, global_tender: bool, class_i_only: bool
) -> tuple[str, dict[str, str]] | None:
    """Why the bid cannot be considered under the Order (message, params), or None.

    A global tender enquiry is open to every class (the Order's exception)."""
    if global_tender:
        return None
    shown = {"pct": "—" if pct is None else f"{pct.normalize():f}", "klass": klass.value}
    if class_i_only and klass is not LocalClass.CLASS_I:
        return CLASS_I_ONLY, shown
    if klass is LocalClass.NON_LOCAL:
        return NON_LOCAL_REFUSED, shown
    return None
