"""Types for what a request names: every id and date a route takes. Ids in the range both databases
store (1 to 2^31 - 1: PostgreSQL's INTEGER; SQLite takes up to 2^63 - 1, and above that
Python cannot even bind it), so that an absurd id is a 422 at the edge and never reaches
a query to become a 500; dates are written as dates and fall in this century.
``tests/core/test_hostile_input.py`` walks the routes and their body models and fails on
an id or a date that is not one of these."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from annotated_types import Ge, Le
from pydantic import AfterValidator, BeforeValidator

MAX_ID = 2**31 - 1

# A row's id in a path, query, form or JSON body: ``lot_id: Id``, ``Annotated[Id, Form()]``.
Id = Annotated[int, Ge(1), Le(MAX_ID)]
# A unit's place in a lot's sample (1, 2, ...), held to the same range.
Position = Annotated[int, Ge(1), Le(MAX_ID)]


# Dates a request gives: written YYYY-MM-DD (pydantic would also read a number, or a
# numeric string, as seconds since 1970: ``?as_of=0`` became 1 January 1970), and within
# the years this system can mean (devices, tenders and case counts of this century).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


def _written_day(value: object) -> object:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value.strip()):
        raise ValueError("write the date as YYYY-MM-DD")
    return value.strip()


def _written_moment(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_MOMENT.fullmatch(value.strip()):
        raise ValueError("write the time as YYYY-MM-DDTHH:MM with its offset (+05:30)")
    return value.strip()


def _in_range(value: date) -> date:
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"the date must fall between {FIRST_DAY} and {LAST_DAY}")
    return value


Day = Annotated[date, BeforeValidator(_written_day), AfterValidator(_in_range)]
Moment = Annotated[datetime, BeforeValidator(_written_moment), AfterValidator(_in_range)]


def parse_day(text: str) -> date:
    """A page form's date, held to what ``Day`` holds an API's to; ValueError otherwise."""
    return _in_range(date.fromisoformat(str(_written_day(text))))
