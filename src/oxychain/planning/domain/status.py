"""What made a plan, on its own so the solver loads without the plan's rules (and their
catalogues): `oxychain plan allocate` is timed from process start."""

from __future__ import annotations

from enum import StrEnum


class SolverStatus(StrEnum):
    """What made a plan (ALLOCATION.md): ``optimal`` is proved; at ``time_limit`` or on an
    ``error`` the plan is the pro-rata split; ``prorata`` is the baseline itself, ``forced``
    an explanation's plan with one device moved."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"
    ERROR = "error"
    PRORATA = "prorata"
    FORCED = "forced"
