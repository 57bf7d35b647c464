"""Challans, loans, fault tickets and certificates go by numbers their ids make
(DC-2021-000042): stored, numbered, and found again by number."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session


def add_numbered(session: Session, row, number) -> None:  # noqa: ANN001 - a row, a numbering
    """Store a new row and give it its number, which its id makes (DC-2021-000042)."""
    row.number = f"TMP-{uuid.uuid4().hex[:16]}"
    session.add(row)
    session.flush()
    row.number = number(row.id)


def by_number(session: Session, table, number: str, lock: bool = False):  # noqa: ANN001, ANN201
    """A challan, loan, ticket or certificate by its number (its row locked when asked)."""
    query = select(table).where(table.number == number)
    return session.scalar(query.with_for_update() if lock else query)
