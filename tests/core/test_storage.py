"""Migrations, SQLite's configuration and the unit of work, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM
from oxychain.core.tables import Base
from oxychain.masterdata.tables import Supplier


def test_migrations_match_the_table_definitions(app: Oxychain) -> None:
    with app.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app: Oxychain) -> None:
    if app.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with app.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert (
            conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            == app.settings.sqlite_busy_timeout_ms
        )
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_unit_of_work_rolls_back_unless_committed(app: Oxychain) -> None:
    with app.uow(SYSTEM, write=True) as uow:
        uow.masterdata.add(Supplier(code="SUP-X", name="Uncommitted (synthetic)"))
        uow.masterdata.flush()
    with app.uow(SYSTEM) as uow:
        assert uow.masterdata.supplier_by_code("SUP-X") is None
    with app.uow(SYSTEM, write=True) as uow:
        uow.masterdata.add(Supplier(code="SUP-Y", name="Committed (synthetic)"))
        uow.record("supplier.create", "supplier", "SUP-Y", None, {"name": "Committed"})
        uow.commit()
    with app.uow(SYSTEM) as uow:
        assert uow.masterdata.supplier_by_code("SUP-Y") is not None
        assert uow.audit_log.count() == 1


def test_a_write_unit_of_work_holds_the_sqlite_write_lock_from_its_start(app: Oxychain) -> None:
    if app.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with app.uow(SYSTEM, write=True) as uow:
        uow.session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE has run: the lock is ours
        other = app.engine.raw_connection()
        try:
            cur = other.cursor()
            cur.execute("PRAGMA busy_timeout=0")
            with pytest.raises(Exception, match="locked"):
                cur.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
