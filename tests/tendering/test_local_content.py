"""Make in India: a bid's class from the local content it self-certifies, and who may bid.

Source: Public Procurement (Preference to Make in India) Order 2017, revised 16-09-2020
(DOMAIN.md, "Award"): Class-I at 50 % and above, Class-II above 20 % and below 50 %,
non-local otherwise; thresholds per item; non-local refused unless a global tender
enquiry; only Class-I for items on the Department of Pharmaceuticals' list.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from oxychain.core.errors import InvalidInput
from oxychain.tendering.domain import local_content as mii
from oxychain.tendering.domain.local_content import LocalClass, Thresholds

ORDER = Thresholds()  # 50 / 20
C1, C2, NL = LocalClass.CLASS_I, LocalClass.CLASS_II, LocalClass.NON_LOCAL


@pytest.mark.parametrize(
    ("declared", "thresholds", "klass"),
    [
        ("50", ORDER, C1),  # at least 50 %: Class-I
        ("49.99", ORDER, C2),
        ("100", ORDER, C1),
        ("20.01", ORDER, C2),  # more than 20 %: Class-II
        ("20", ORDER, NL),  # 20 % is not more than 20 %
        ("0", ORDER, NL),
        (None, ORDER, NL),  # not declared: non-local
        ("", ORDER, NL),
        ("abc", ORDER, NL),
        ("100.01", ORDER, NL),  # out of range: not a declaration
        ("-1", ORDER, NL),
        (55, ORDER, C1),
        ("62,5", ORDER, C1),  # a comma as decimal mark
        # a ministry may notify higher thresholds for an item: 60 / 30
        ("59.9", Thresholds(60, 30), C2),
        ("60", Thresholds(60, 30), C1),
        ("30", Thresholds(60, 30), NL),
        ("30.5", Thresholds(60, 30), C2),
    ],
)
def test_the_class_follows_the_declared_local_content(declared, thresholds, klass) -> None:  # noqa: ANN001
    assert mii.classify(mii.parse_pct(declared), thresholds) is klass


@pytest.mark.parametrize(("class_i", "class_ii"), [(50, 50), (20, 50), (101, 20), (50, -1)])
def test_thresholds_out_of_order_are_refused(class_i: int, class_ii: int) -> None:
    with pytest.raises(InvalidInput):
        Thresholds(class_i, class_ii)


@pytest.mark.parametrize(
    ("klass", "global_tender", "class_i_only", "refused"),
    [
        (NL, False, False, mii.NON_LOCAL_REFUSED),  # non-local: refused outside a GTE
        (NL, True, False, None),  # a global tender enquiry takes non-local bids
        (C2, False, False, None),
        (C1, False, False, None),
        (C2, False, True, mii.CLASS_I_ONLY),  # DoP list: only Class-I
        (NL, False, True, mii.CLASS_I_ONLY),
        (C1, False, True, None),
        (C2, True, True, None),  # the GTE exception
    ],
)
def test_who_may_bid(klass, global_tender, class_i_only, refused) -> None:  # noqa: ANN001
    why = mii.refusal(klass, Decimal("35"), global_tender, class_i_only)
    assert (why[0] if why else None) == refused
