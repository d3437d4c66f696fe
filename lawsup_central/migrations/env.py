"""Alembic environment of the central service (shipped in ``lawsup_central.migrations``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from lawsup_central import models

config = context.config
target_metadata = models.Base.metadata


def run_migrations(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///central.sqlite")
    with engine.connect() as conn:
        run_migrations(conn)
