"""Inspection queries and records: lots, the registry, samples, test records, verdicts,
switching, figures; one ``Inspection`` repository (``uow.inspection``) made of one part per
kind of record.

Purchase orders and tranches are the tendering area's tables; they are read here, never
written. The write methods take the domain's values (a device list, a judged unit test, a
switching state) and store them as rows; what the values are is decided by the domain.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from oxychain.inspection.repository.figures import Figures
from oxychain.inspection.repository.lots import LotFilter, Lots
from oxychain.inspection.repository.records import Records, SampleRow
from oxychain.inspection.repository.registry import Registry, RegistryFilter
from oxychain.inspection.repository.switching import Switching, state_of, stored_state

__all__ = ["Inspection", "LotFilter", "RegistryFilter", "SampleRow", "state_of", "stored_state"]


class Inspection(Lots, Registry, Records, Switching, Figures):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: object) -> None:
        self.session.add(row)

    def flush(self) -> None:
        self.session.flush()
