"""Engines, sessions and migrations for SQLite (embedded) and PostgreSQL (scale).

SQLite runs in WAL mode with a busy timeout; a unit of work that writes begins with
``BEGIN IMMEDIATE`` so that two writers queue for the lock up front instead of
failing half-way with "database is locked" when one upgrades from a read.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from oxychain.core import areas
from oxychain.core.config import CoreSettings

WRITE = {"oxychain_write": True}


def create_db_engine(settings: CoreSettings) -> Engine:
    url = settings.database_url
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _configure_sqlite(engine, settings)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _configure_sqlite(engine: Engine, settings: CoreSettings) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001 - DB-API objects
        # Let SQLAlchemy emit BEGIN itself (below) instead of pysqlite's implicit one.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(settings.sqlite_busy_timeout_ms)}")
        cur.execute(f"PRAGMA synchronous={settings.sqlite_synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        immediate = conn.get_execution_options().get("oxychain_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def session_factories(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(read, write) session factories; the write one begins IMMEDIATE on SQLite."""
    read = sessionmaker(bind=engine, expire_on_commit=False)
    write = sessionmaker(bind=engine.execution_options(**WRITE), expire_on_commit=False)
    return read, write


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("oxychain.core") / "migrations"))
    # Core's history, then each installed area's own migrations/ folder, where it has one.
    locations = [str(resources.files("oxychain.core") / "migrations" / "versions")]
    locations += [
        str(path)
        for area in areas.installed()
        if area.name != "core" and (path := area.folder("migrations"))
    ]
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(locations))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def migrate(settings: CoreSettings) -> None:
    """Create the database if needed and bring it to the newest schema."""
    engine = create_db_engine(settings)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(settings.database_url)
            cfg.attributes["connection"] = conn
            # "heads": areas may add migrations side by side, each after the one it needs.
            command.upgrade(cfg, "heads")
    finally:
        engine.dispose()
