"""ISO 2859-1:1999 sampling tables, cell by cell.

The tables below are a second, independent copy: Table 1 column by column (per level) and
tables 2-A/2-B/2-C column by column (per AQL, letters top to bottom), whereas the module
keeps them row by row. They were rebuilt from the standard's diagonal structure, anchored
on DOMAIN.md's level-II excerpt and on the MIL-STD-105E transcription of the National
Institute of Building Sciences, and agree with the GB/T 2828.1-2012 (= ISO 2859-1:1999)
transcription the module uses. A shifted row or column fails here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from oxychain.core.errors import InvalidInput
from oxychain.masterdata.domain.sampling import (
    AQLS,
    LEVELS,
    SamplingPlan,
    Severity,
    code_letter,
    master_plan,
    single_sampling_plan,
)

LETTERS = "ABCDEFGHJKLMNPQR"

# ---------------------------------------------------------------- Table 1, per level
LOT_RANGES = (
    (2, 8), (9, 15), (16, 25), (26, 50), (51, 90), (91, 150), (151, 280), (281, 500),
    (501, 1200), (1201, 3200), (3201, 10000), (10001, 35000), (35001, 150000),
    (150001, 500000), (500001, 10**9),
)  # fmt: skip
TABLE_1 = {
    "S-1": "AAAABBBBCCCCDDD",
    "S-2": "AAABBBCCCDDDEEE",
    "S-3": "AABBCCDDEEFFGGH",
    "S-4": "AABCCDEEFGGHJJK",
    "I": "AABCCDEFGHJKLMN",
    "II": "ABCDEFGHJKLMNPQ",
    "III": "BCDEFGHJKLMNPQR",
}

# ------------------------------------------------- tables 2-A, 2-B, 2-C, per AQL column
SIZES = {
    Severity.NORMAL: (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000),
    Severity.TIGHTENED: (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000,
                         3150),
    Severity.REDUCED: (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800),
}  # fmt: skip

TABLE_2A = {
    "0.010": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑",
    "0.015": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↑",
    "0.025": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2",
    "0.040": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3",
    "0.065": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4",
    "0.10": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6",
    "0.15": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8",
    "0.25": "↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11",
    "0.40": "↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15",
    "0.65": "↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22",
    "1.0": "↓ ↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑",
    "1.5": "↓ ↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑",
    "2.5": "↓ ↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑",
    "4.0": "↓ 0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑",
    "6.5": "0/1 ↑ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑",
    "10": "↓ ↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑",
    "15": "↓ 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "25": "1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "40": "2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "65": "3/4 5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "100": "5/6 7/8 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "150": "7/8 10/11 14/15 21/22 30/31 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "250": "10/11 14/15 21/22 30/31 44/45 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "400": "14/15 21/22 30/31 44/45 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "650": "21/22 30/31 44/45 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "1000": "30/31 44/45 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
}

# Row S (n = 3150) exists only in 2-B, with one plan, under AQL 0.025.
TABLE_2B = {
    "0.010": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 -",
    "0.015": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ -",
    "0.025": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2",
    "0.040": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 -",
    "0.065": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 -",
    "0.10": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 -",
    "0.15": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 -",
    "0.25": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 -",
    "0.40": "↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 -",
    "0.65": "↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 -",
    "1.0": "↓ ↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ -",
    "1.5": "↓ ↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ -",
    "2.5": "↓ ↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ -",
    "4.0": "↓ ↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ -",
    "6.5": "↓ 0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ -",
    "10": "0/1 ↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ -",
    "15": "↓ ↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ -",
    "25": "↓ 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ -",
    "40": "1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ -",
    "65": "2/3 3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ -",
    "100": "3/4 5/6 8/9 12/13 18/19 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ -",
    "150": "5/6 8/9 12/13 18/19 27/28 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ -",
    "250": "8/9 12/13 18/19 27/28 41/42 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ -",
    "400": "12/13 18/19 27/28 41/42 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ -",
    "650": "18/19 27/28 41/42 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ -",
    "1000": "27/28 41/42 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ -",
}

# 1999 edition: no Ac/Re gaps on reduced inspection; rows A, B, C all take 2 items.
TABLE_2C = {
    "0.010": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑",
    "0.015": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↑",
    "0.025": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↑ ↑",
    "0.040": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ ↓ 1/2",
    "0.065": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ ↓ 1/2 2/3",
    "0.10": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ ↓ 1/2 2/3 3/4",
    "0.15": "↓ ↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ ↓ 1/2 2/3 3/4 5/6",
    "0.25": "↓ ↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ ↓ 1/2 2/3 3/4 5/6 6/7",
    "0.40": "↓ ↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ ↓ 1/2 2/3 3/4 5/6 6/7 8/9",
    "0.65": "↓ ↓ ↓ ↓ ↓ 0/1 ↑ ↓ ↓ 1/2 2/3 3/4 5/6 6/7 8/9 10/11",
    "1.0": "↓ ↓ ↓ ↓ 0/1 ↑ ↓ ↓ 1/2 2/3 3/4 5/6 6/7 8/9 10/11 ↑",
    "1.5": "↓ ↓ ↓ 0/1 ↑ ↓ ↓ 1/2 2/3 3/4 5/6 6/7 8/9 10/11 ↑ ↑",
    "2.5": "↓ ↓ 0/1 ↑ ↓ ↓ 1/2 2/3 3/4 5/6 6/7 8/9 10/11 ↑ ↑ ↑",
    "4.0": "↓ 0/1 ↑ ↓ ↓ 1/2 2/3 3/4 5/6 6/7 8/9 10/11 ↑ ↑ ↑ ↑",
    "6.5": "0/1 ↑ ↓ ↓ 1/2 2/3 3/4 5/6 6/7 8/9 10/11 ↑ ↑ ↑ ↑ ↑",
    "10": "↓ ↓ ↓ 1/2 2/3 3/4 5/6 6/7 8/9 10/11 ↑ ↑ ↑ ↑ ↑ ↑",
    "15": "↓ ↓ 1/2 2/3 3/4 5/6 6/7 8/9 10/11 ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "25": "1/2 1/2 2/3 3/4 5/6 6/7 8/9 10/11 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "40": "2/3 2/3 3/4 5/6 6/7 8/9 10/11 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "65": "3/4 3/4 5/6 6/7 8/9 10/11 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "100": "5/6 5/6 6/7 8/9 10/11 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "150": "7/8 7/8 8/9 10/11 14/15 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "250": "10/11 10/11 10/11 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "400": "14/15 14/15 14/15 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "650": "21/22 21/22 21/22 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
    "1000": "30/31 30/31 ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑ ↑",
}

TABLES = {Severity.NORMAL: TABLE_2A, Severity.TIGHTENED: TABLE_2B, Severity.REDUCED: TABLE_2C}


def expected_plan(severity: Severity, aql: str, letter: str) -> tuple[str, int, int, int]:
    """(plan letter, n, Ac, Re) read off the column: follow the arrow to the first plan."""
    cells = TABLES[severity][aql].split()
    row = LETTERS.index(letter)
    step = {"↓": 1, "↑": -1}.get(cells[row], 0)
    while "/" not in cells[row]:
        row += step
    accept, reject = cells[row].split("/")
    return "ABCDEFGHJKLMNPQRS"[row], SIZES[severity][row], int(accept), int(reject)


def test_the_columns_are_the_standards_aqls():
    assert [str(aql) for aql in AQLS] == list(TABLE_2A)
    assert list(TABLE_2A) == list(TABLE_2B) == list(TABLE_2C)
    assert len(AQLS) == 26
    assert sorted(AQLS) == list(AQLS)
    assert LEVELS == ("I", "II", "III", "S-1", "S-2", "S-3", "S-4")


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("row", range(len(LOT_RANGES)))
def test_table_1_cell(level, row):
    low, high = LOT_RANGES[row]
    letter = TABLE_1[level][row]
    assert code_letter(low, level) == letter
    assert code_letter(high, level) == letter


@pytest.mark.parametrize("severity", list(Severity))
@pytest.mark.parametrize("aql", list(TABLE_2A))
def test_master_table_column(severity, aql):
    wrong = []
    for letter in LETTERS:
        plan = master_plan(letter, aql, severity)
        got = (plan.plan_letter, plan.sample_size, plan.accept, plan.reject)
        if got != expected_plan(severity, aql, letter):
            wrong.append(f"{letter}: got {got}, table {expected_plan(severity, aql, letter)}")
    assert not wrong, f"table {severity} AQL {aql}: " + "; ".join(wrong)


# DOMAIN.md's excerpt, level II normal inspection, as printed there ("use X" = arrow to X).
DOMAIN_EXCERPT = """
A  use E  use C  use B
B  use E  use C  0/1
C  use E  0/1    use B
D  use E  use C  use E
E  0/1    use F  1/2
F  use E  1/2    2/3
G  use H  2/3    3/4
H  1/2    3/4    5/6
J  2/3    5/6    7/8
K  3/4    7/8    10/11
L  5/6    10/11  14/15
M  7/8    14/15  21/22
N  10/11  21/22  use M
P  14/15  use N  use M
Q  21/22  use N  use M
"""


def test_domain_excerpt_cell_by_cell():
    for line in DOMAIN_EXCERPT.strip().splitlines():
        letter, *cells = line.replace("use ", "use:").split()
        for aql, cell in zip(("1.0", "2.5", "4.0"), cells, strict=True):
            plan = master_plan(letter, aql)
            if cell.startswith("use:"):
                # The arrow lands on the target's own plan: its n, Ac and Re.
                target = master_plan(cell.removeprefix("use:"), aql)
                assert target.plan_letter == target.code_letter, (letter, aql)
                assert plan == SamplingPlan(
                    letter, target.code_letter, target.sample_size, target.accept, target.reject
                ), (letter, aql)
            else:
                assert (plan.plan_letter, f"{plan.accept}/{plan.reject}") == (letter, cell)


# MIL-STD-105E tables II-A and II-B as transcribed by the National Institute of Building
# Sciences (nibs.org FMOC/DPW_AC/AC-TABLE.ASC): rejection numbers for AQL 0.65 to 15, an
# arrow where the table sends you elsewhere. Row A is left out: at A/10 that transcription
# shows an arrow up on 2-A (there is no plan above A) and no plan on 2-B, where
# ISO 2859-1:1999 (GB/T 2828.1-2012) has an arrow down and 0/1 respectively.
NIBS_COLUMNS = ("0.65", "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15")
NIBS_2A = """
B  ↓ ↓ ↓ ↓ 1 ↑ ↓ 2
C  ↓ ↓ ↓ 1 ↑ ↓ 2 3
D  ↓ ↓ 1 ↑ ↓ 2 3 4
E  ↓ 1 ↑ ↓ 2 3 4 6
F  1 ↑ ↓ 2 3 4 6 8
G  ↑ ↓ 2 3 4 6 8 11
H  ↓ 2 3 4 6 8 11 15
J  2 3 4 6 8 11 15 22
K  3 4 6 8 11 15 22 ↑
L  4 6 8 11 15 22 ↑ ↑
M  6 8 11 15 22 ↑ ↑ ↑
N  8 11 15 22 ↑ ↑ ↑ ↑
P  11 15 22 ↑ ↑ ↑ ↑ ↑
Q  15 22 ↑ ↑ ↑ ↑ ↑ ↑
"""
NIBS_2B = """
B  ↓ ↓ ↓ ↓ ↓ 1 ↓ ↓
C  ↓ ↓ ↓ ↓ 1 ↓ ↓ 2
D  ↓ ↓ ↓ 1 ↓ ↓ 2 3
E  ↓ ↓ 1 ↓ ↓ 2 3 4
F  ↓ 1 ↓ ↓ 2 3 4 6
G  1 ↓ ↓ 2 3 4 6 9
H  ↓ ↓ 2 3 4 6 9 13
J  ↓ 2 3 4 6 9 13 19
K  2 3 4 6 9 13 19 ↑
L  3 4 6 9 13 19 ↑ ↑
"""


@pytest.mark.parametrize(
    ("severity", "table"), [(Severity.NORMAL, NIBS_2A), (Severity.TIGHTENED, NIBS_2B)]
)
def test_agrees_with_the_mil_std_105e_transcription(severity, table):
    for line in table.strip().splitlines():
        letter, *cells = line.split()
        for aql, cell in zip(NIBS_COLUMNS, cells, strict=True):
            plan = master_plan(letter, aql, severity)
            if cell == "↓":
                assert plan.plan_letter > letter, (severity, letter, aql)
            elif cell == "↑":
                assert plan.plan_letter < letter, (severity, letter, aql)
            else:
                assert (plan.plan_letter, plan.reject) == (letter, int(cell)), (letter, aql)


def test_the_issue_example_normal():
    plan = single_sampling_plan(500, Decimal("2.5"), "II", "normal")
    assert plan == SamplingPlan("H", "H", 50, 3, 4, full_inspection=False)
    assert plan.as_dict() == {
        "code_letter": "H",
        "plan_letter": "H",
        "sample_size": 50,
        "accept": 3,
        "reject": 4,
    }


def test_the_issue_example_tightened_and_reduced():
    assert single_sampling_plan(500, "2.5", severity=Severity.TIGHTENED).as_dict() == {
        "code_letter": "H",
        "plan_letter": "H",
        "sample_size": 50,
        "accept": 2,
        "reject": 3,
    }
    reduced = single_sampling_plan(500, "2.5", severity="reduced")
    assert (reduced.sample_size, reduced.accept, reduced.reject) == (20, 2, 3)


def test_an_arrow_to_a_letter_not_in_table_1():
    # Level III, over 500 000 items: R; tightened at 0.025 the arrow leads to row S.
    plan = single_sampling_plan(600_000, "0.025", "III", "tightened")
    assert plan.as_dict() == {
        "code_letter": "R",
        "plan_letter": "S",
        "sample_size": 3150,
        "accept": 1,
        "reject": 2,
    }


@pytest.mark.parametrize(
    ("lot_size", "aql", "expected"),
    [
        # A 2-8 lot at AQL 1.0: the arrow leads to E (13 items), more than the lot.
        (8, "1.0", SamplingPlan("A", "E", 8, 0, 1, full_inspection=True)),
        # 9-15 items is letter B; 13 of 13 is every item.
        (13, "1.0", SamplingPlan("B", "E", 13, 0, 1, full_inspection=True)),
        (14, "1.0", SamplingPlan("B", "E", 13, 0, 1, full_inspection=False)),
        (2, "6.5", SamplingPlan("A", "A", 2, 0, 1, full_inspection=True)),
        (3, "6.5", SamplingPlan("A", "A", 2, 0, 1, full_inspection=False)),
    ],
)
def test_full_inspection_when_the_sample_reaches_the_lot(lot_size, aql, expected):
    assert single_sampling_plan(lot_size, aql) == expected


@pytest.mark.parametrize("aql", ["2.50", 2.5, Decimal("2.5"), " 2.5 "])
def test_aql_spellings(aql):
    assert single_sampling_plan(500, aql).accept == 3


@pytest.mark.parametrize(
    ("aql", "expected"), [("0.01", "0.010"), (10, "10"), ("10.0", "10"), (0.065, "0.065")]
)
def test_aql_equal_in_value(aql, expected):
    assert master_plan("K", aql) == master_plan("K", expected)


def test_level_and_severity_are_read_leniently():
    assert code_letter(500, " iii ") == "J"
    assert single_sampling_plan(500, "2.5", "s-4", " Tightened ").code_letter == "E"


@pytest.mark.parametrize("lot_size", [1, 0, -5, 2.5, True, "10", None])
def test_bad_lot_size(lot_size):
    with pytest.raises(InvalidInput) as raised:
        single_sampling_plan(lot_size, "1.0")
    assert raised.value.code == "invalid_lot_size"
    assert raised.value.message.startswith(
        "Field lot_size must be a whole number of items, at least 2"
    )


@pytest.mark.parametrize("aql", ["3", "0.1 0.15", "abc", "", None, True, "nan", 0.05, "1500"])
def test_bad_aql(aql):
    with pytest.raises(InvalidInput) as raised:
        single_sampling_plan(500, aql)
    assert raised.value.code == "invalid_aql"
    assert raised.value.message.startswith("Field aql must be one of 0.010, 0.015, 0.025")
    assert "650, 1000 (got" in raised.value.message


@pytest.mark.parametrize("level", ["IV", "S-5", "", None, "general"])
def test_bad_level(level):
    with pytest.raises(InvalidInput) as raised:
        single_sampling_plan(500, "1.0", level)
    assert raised.value.code == "invalid_level"
    assert raised.value.message.startswith(
        "Field level must be one of I, II, III, S-1, S-2, S-3, S-4"
    )


@pytest.mark.parametrize("severity", ["strict", "", None, "discontinued"])
def test_bad_severity(severity):
    with pytest.raises(InvalidInput) as raised:
        single_sampling_plan(500, "1.0", "II", severity)
    assert raised.value.code == "invalid_severity"
    assert raised.value.message.startswith(
        "Field severity must be one of normal, tightened, reduced"
    )


@pytest.mark.parametrize("letter", ["S", "I", "O", "a", ""])
def test_bad_code_letter(letter):
    with pytest.raises(InvalidInput) as raised:
        master_plan(letter, "1.0")
    assert raised.value.code == "invalid_code_letter"


def test_every_plan_rejects_one_above_its_acceptance_number():
    for severity in Severity:
        for letter in LETTERS:
            for aql in AQLS:
                plan = master_plan(letter, aql, severity)
                assert plan.reject == plan.accept + 1
