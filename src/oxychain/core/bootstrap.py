"""Wiring the adapters: settings, the engine and units of work (``oxychain.app.bootstrap``
installs the areas first)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from oxychain.core import areas, clock
from oxychain.core.config import CoreSettings, get_settings
from oxychain.core.db import create_db_engine, session_factories
from oxychain.core.people import SYSTEM, Principal
from oxychain.core.uow import SqlUnitOfWork, UnitOfWork


@dataclass
class Oxychain:
    """What an entrypoint needs: settings and a way to open units of work."""

    settings: CoreSettings  # the composed Settings: core's fields and every area's
    engine: Engine
    _read: sessionmaker[Session]
    _write: sessionmaker[Session]

    def uow(self, principal: Principal = SYSTEM, *, write: bool = False) -> UnitOfWork:
        return SqlUnitOfWork(self._write if write else self._read, principal)

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(settings: CoreSettings | None = None) -> Oxychain:
    settings = settings or get_settings()
    if settings.today is not None:  # the demo's own calendar (OXYCHAIN_TODAY)
        clock.run_from(settings.today)
    areas.import_tables()
    engine = create_db_engine(settings)
    read, write = session_factories(engine)
    return Oxychain(settings, engine, read, write)
