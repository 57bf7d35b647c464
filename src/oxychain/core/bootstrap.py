"""The one place that wires adapters into services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from oxychain.core.db import create_db_engine, session_factories
from oxychain.core.uow import UnitOfWork
from oxychain.core.config import Settings, get_settings
from oxychain.core.people import SYSTEM, Principal


@dataclass
class Oxychain:
    """What an entrypoint needs: settings and a way to open units of work."""

    settings: Settings
    engine: Engine
    _read: sessionmaker[Session]
    _write: sessionmaker[Session]

    def uow(self, principal: Principal = SYSTEM, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self._write if write else self._read, principal)

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(settings: Settings | None = None) -> Oxychain:
    settings = settings or get_settings()
    engine = create_db_engine(settings)
    read, write = session_factories(engine)
    return Oxychain(settings, engine, read, write)
