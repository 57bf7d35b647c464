"""ISO 2859-1:1999 single sampling: code letters, master tables 2-A/2-B/2-C and their arrows.

Edition: ISO 2859-1:1999 (second edition), adopted in India without change as
IS 2500 (Part 1):2000 and in China as GB/T 2828.1-2012. It is the edition whose reduced
table 2-C has no gap between Ac and Re (the 1989 edition and MIL-STD-105E had plans like
1/4 on reduced inspection), so every plan here rejects at Re = Ac + 1.

Where the numbers come from, and how they were checked:

* The cells below are those of GB/T 2828.1-2012 (identical to ISO 2859-1:1999), tables 1,
  2-A, 2-B and 2-C, as transcribed from the scanned standard and double-checked by the
  public project nihantao-crosis/quality-platform (files ``src/core/aql.ts`` and
  ``src/core/__tests__/fixtures/gbt2828-1-2012-*.tsv``), all 26 AQL columns.
* An independent reconstruction from the tables' diagonal structure, anchored on
  DOMAIN.md's level-II normal excerpt, on MIL-STD-105E tables II-A and II-B (rejection
  numbers, AQL 0.65-15) as transcribed by the National Institute of Building Sciences
  (www.nibs.org/FMOC/DPW_AC/AC-TABLE.ASC) and on the per-row plan lists of a MIL-STD-105E
  table II-A reproduction (scribd.com document 563507790), agrees with them cell by cell
  (1 274 cells). That reconstruction is the literal copy in tests/unit/test_sampling.py.
  The only differences from the MIL-STD-105E transcription are in row A at AQL 10, where
  ISO 2859-1:1999 has an arrow down on 2-A (105E: up, to nothing) and 0/1 on 2-B.
* Table 1 matches the GB/T transcription above, DOMAIN.md's level-II column and the first
  rows of www.wisetool.com/sampling.htm.

Beware: some public implementations shift the code letters by one row (2-8 items => B at
level II); this one does not (2-8 => A).

The 100 % rule: where the plan's sample size reaches the lot size, every unit of the lot is
inspected ("if sample size equals or exceeds lot size, carry out 100 % inspection", the
tables' footnote). ``sample_size`` then equals the lot size and Ac/Re stay those of the
plan, so the lot is still judged, and the switching rules still counted, the same way.

AQLs above 10 are for nonconformities per 100 items only (clause 5.2), not for percent
nonconforming items; the tables are complete for all 26 columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from oxychain.core.errors import InvalidInput


class Severity(StrEnum):
    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"


LEVELS = ("I", "II", "III", "S-1", "S-2", "S-3", "S-4")

# The columns of tables 2-A/2-B/2-C, printed as in the standard.
_AQL_TEXT = (
    *("0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65"),
    *("1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65", "100", "150", "250"),
    *("400", "650", "1000"),
)
AQLS: tuple[Decimal, ...] = tuple(Decimal(text) for text in _AQL_TEXT)

CODE_LETTERS = "ABCDEFGHJKLMNPQR"

# Sample size per letter: normal and tightened (S, 3150, appears only in table 2-B) ...
SAMPLE_SIZES = dict(
    zip(
        "ABCDEFGHJKLMNPQRS",
        (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000, 3150),
        strict=True,
    )
)
# ... and reduced: the same letter two rows up, never below 2 (H reduced is 20).
REDUCED_SAMPLE_SIZES = dict(
    zip(CODE_LETTERS, (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800), strict=True)
)

# The acceptance numbers of table 2-A, smallest first. One AQL step tighter at the same
# sample size is one step down this series (used by the switching score, clause 9.3.3.2).
NORMAL_ACCEPTANCE_SERIES = (0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 44)

# Table 1 as printed: lot sizes, then the letters for S-1 S-2 S-3 S-4 | I II III.
_TABLE_1 = """
2       8        A A A A  A A B
9       15       A A A A  A B C
16      25       A A B B  B C D
26      50       A B B C  C D E
51      90       B B C C  C E F
91      150      B B C D  D F G
151     280      B C D E  E G H
281     500      B C D E  F H J
501     1200     C C E F  G J K
1201    3200     C D E G  H K L
3201    10000    C D F G  J L M
10001   35000    C D F H  K M N
35001   150000   D E G J  L N P
150001  500000   D E G J  M P Q
500001  over     D E H K  N Q R
"""

# Tables 2-A, 2-B, 2-C: one row per letter, one cell per AQL column (order of AQLS).
# A number is the acceptance number Ac (Re = Ac + 1); ↓ use the first plan below,
# ↑ the first plan above; - no plan (only in row S of 2-B).
_MASTER = {
    Severity.NORMAL: """
A  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  7 10 14 21 30
B  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21 30 44
C  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21 30 44  ↑
D  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21 30 44  ↑  ↑
E  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21 30 44  ↑  ↑  ↑
F  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21  ↑  ↑  ↑  ↑  ↑  ↑
G  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21  ↑  ↑  ↑  ↑  ↑  ↑  ↑
H  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
J  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
K  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
L  ↓  ↓  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
M  ↓  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
N  ↓  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
P  ↓  0  ↑  ↓  1  2  3  5  7 10 14 21  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
Q  0  ↑  ↓  1  2  3  5  7 10 14 21  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
R  ↑  ↑  1  2  3  5  7 10 14 21  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑""",
    Severity.TIGHTENED: """
A  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18 27
B  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18 27 41
C  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18 27 41  ↑
D  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18 27 41  ↑  ↑
E  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18 27 41  ↑  ↑  ↑
F  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18  ↑  ↑  ↑  ↑  ↑  ↑
G  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18  ↑  ↑  ↑  ↑  ↑  ↑  ↑
H  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
J  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
K  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
L  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
M  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
N  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
P  ↓  ↓  0  ↓  ↓  1  2  3  5  8 12 18  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
Q  ↓  0  ↓  ↓  1  2  3  5  8 12 18  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
R  0  ↑  ↓  1  2  3  5  8 12 18  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
S  -  -  1  -  -  -  -  -  -  -  -  -  -  -  -  -  -  -  -  -  -  -  -  -  -  -""",
    Severity.REDUCED: """
A  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↓  ↓  1  2  3  5  7 10 14 21 30
B  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  7 10 14 21 30
C  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10 14 21  ↑
D  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10 14 21  ↑  ↑
E  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10 14 21  ↑  ↑  ↑
F  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10  ↑  ↑  ↑  ↑  ↑  ↑
G  ↓  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10  ↑  ↑  ↑  ↑  ↑  ↑  ↑
H  ↓  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
J  ↓  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
K  ↓  ↓  ↓  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
L  ↓  ↓  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
M  ↓  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
N  ↓  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
P  ↓  0  ↑  ↓  ↓  1  2  3  5  6  8 10  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
Q  0  ↑  ↑  ↓  1  2  3  5  6  8 10  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑
R  ↑  ↑  ↑  1  2  3  5  6  8 10  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑  ↑""",
}


@dataclass(frozen=True)
class SamplingPlan:
    code_letter: str  # from Table 1 by lot size and level
    plan_letter: str  # where the arrow sends you (== code_letter when no arrow)
    sample_size: int  # n of the plan; when n >= lot size, n = lot size (100 % inspection)
    accept: int  # Ac
    reject: int  # Re
    full_inspection: bool = False  # True when the sample reached the lot size

    def as_dict(self) -> dict:
        return {
            "code_letter": self.code_letter,
            "plan_letter": self.plan_letter,
            "sample_size": self.sample_size,
            "accept": self.accept,
            "reject": self.reject,
        }


def _parse_table_1(text: str) -> tuple[tuple[int, dict[str, str]], ...]:
    rows = []
    for line in text.strip().splitlines():
        low, _high, *letters = line.split()
        rows.append(
            (
                int(low),
                dict(zip(("S-1", "S-2", "S-3", "S-4", "I", "II", "III"), letters, strict=True)),
            )
        )
    return tuple(rows)


def _resolve(severity: Severity, text: str) -> dict[tuple[str, Decimal], tuple[str, int]]:
    """Follow every arrow once, at import: (code letter, AQL) -> (plan letter, Ac)."""
    grid = {}
    for line in text.strip().splitlines():
        letter, *cells = line.split()
        if len(cells) != len(AQLS):
            raise ValueError(f"table {severity}: row {letter} has {len(cells)} cells")
        grid[letter] = cells
    letters = list(grid)
    resolved = {}
    for start in CODE_LETTERS:
        for column, aql in enumerate(AQLS):
            row = letters.index(start)
            step = {"↓": 1, "↑": -1}.get(grid[start][column], 0)
            while not grid[letters[row]][column].isdigit():
                row += step
                if step == 0 or not 0 <= row < len(letters):
                    raise ValueError(f"table {severity}: arrow at {start}/{aql} leads nowhere")
            resolved[(start, aql)] = (letters[row], int(grid[letters[row]][column]))
    return resolved


_CODE_LETTERS_BY_LOT = _parse_table_1(_TABLE_1)
_PLANS = {severity: _resolve(severity, text) for severity, text in _MASTER.items()}


def code_letter(lot_size: int, level: str = "II") -> str:
    """Sample size code letter (Table 1) for a lot size and inspection level."""
    lot_size = _check_lot_size(lot_size)
    level = _check_level(level)
    letter = _CODE_LETTERS_BY_LOT[0][1][level]
    for low, letters in _CODE_LETTERS_BY_LOT:
        if lot_size >= low:
            letter = letters[level]
    return letter


def master_plan(
    letter: str, aql: Decimal | str | float, severity: Severity | str = "normal"
) -> SamplingPlan:
    """The plan a code letter and AQL give in table 2-A, 2-B or 2-C, arrows followed.

    Not capped by a lot size (see single_sampling_plan for that).
    """
    if not isinstance(letter, str) or len(letter) != 1 or letter not in CODE_LETTERS:
        raise _not_one_of("code_letter", CODE_LETTERS, letter)
    severity = parse_severity(severity)
    plan_letter, accept = _PLANS[severity][(letter, parse_aql(aql))]
    sizes = REDUCED_SAMPLE_SIZES if severity is Severity.REDUCED else SAMPLE_SIZES
    return SamplingPlan(letter, plan_letter, sizes[plan_letter], accept, accept + 1)


def single_sampling_plan(
    lot_size: int,
    aql: Decimal | str | float,
    level: str = "II",
    severity: Severity | str = "normal",
) -> SamplingPlan:
    """The single sampling plan for a lot: Table 1, then table 2-A/2-B/2-C, then 100 %."""
    plan = master_plan(code_letter(lot_size, level), aql, severity)
    if plan.sample_size >= lot_size:
        return SamplingPlan(
            plan.code_letter, plan.plan_letter, lot_size, plan.accept, plan.reject, True
        )
    return plan


def parse_aql(aql: Decimal | str | float) -> Decimal:
    """One of AQLS, numerically equal to the input ("2.50", 2.5 and Decimal("2.5") alike)."""
    try:
        if isinstance(aql, bool):
            raise TypeError
        value = Decimal(aql.strip()) if isinstance(aql, str) else Decimal(str(aql))
        index = AQLS.index(value)
    except (TypeError, ValueError, InvalidOperation):
        raise _not_one_of("aql", _AQL_TEXT, aql) from None
    return AQLS[index]


def parse_severity(severity: Severity | str) -> Severity:
    try:
        return Severity(severity.strip().lower() if isinstance(severity, str) else severity)
    except ValueError:
        raise _not_one_of("severity", [s.value for s in Severity], severity) from None


def _check_level(level: str) -> str:
    normalized = level.strip().upper() if isinstance(level, str) else level
    if normalized not in LEVELS:
        raise _not_one_of("level", LEVELS, level)
    return normalized


def _check_lot_size(lot_size: int) -> int:
    if isinstance(lot_size, bool) or not isinstance(lot_size, int) or lot_size < 2:
        raise InvalidInput(
            "Field {field} must be a whole number of items, at least {minimum} (got {value}).",
            code="invalid_lot_size",
            field="lot_size",
            minimum=2,
            value=repr(lot_size),
        )
    return lot_size


def _not_one_of(field: str, allowed: Iterable[str], value: object) -> InvalidInput:
    # One template for every closed list, so one translation serves them all.
    return InvalidInput(
        "Field {field} must be one of {allowed} (got {value}).",
        code="invalid_" + field,
        field=field,
        allowed=", ".join(allowed),
        value=repr(value),
    )
