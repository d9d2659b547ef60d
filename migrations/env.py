"""Alembic environment: runs without a Flask app and reads the database URL itself."""

from alembic import context
from sqlalchemy import create_engine, pool

import services.models  # noqa: F401  (fills the metadata)
from services.database import database_url
from services.db import Base, install_sqlite_behaviour

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("database_url") or context.get_x_argument(as_dictionary=True).get(
        "url"
    ) or database_url()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    install_sqlite_behaviour()
    engine = create_engine(_url(), poolclass=pool.NullPool, hide_parameters=True)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
