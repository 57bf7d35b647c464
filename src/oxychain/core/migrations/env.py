"""Alembic environment: runs on the connection handed over by oxychain.core.db."""

from alembic import context
from sqlalchemy import create_engine

from oxychain.core import areas
from oxychain.core.tables import Base

config = context.config
areas.import_tables()  # every installed area's tables, for autogenerate and the schema test
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()
    else:
        _run(connection)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
