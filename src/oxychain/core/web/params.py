"""Types for what a request names: every id a route takes, in the range both databases
store (1 to 2^31 - 1: PostgreSQL's INTEGER; SQLite takes up to 2^63 - 1, and above that
Python cannot even bind it), so that an absurd id is a 422 at the edge and never reaches
a query to become a 500. ``tests/core/test_hostile_input.py`` walks the routes and the
API's schemas and fails on an id that is not one of these."""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le

MAX_ID = 2**31 - 1

# A row's id in a path, query, form or JSON body: ``lot_id: Id``, ``Annotated[Id, Form()]``.
Id = Annotated[int, Ge(1), Le(MAX_ID)]
# A unit's place in a lot's sample (1, 2, ...), held to the same range.
Position = Annotated[int, Ge(1), Le(MAX_ID)]
