"""Alembic environment for the station database (shipped as ``lawsup_desktop.db``).

The program passes an open connection in ``config.attributes["connection"]``;
the ``alembic`` command line (for developers) passes a URL instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from lawsup_desktop.store import models
from lawsup_desktop.store.search import include_name

config = context.config
target_metadata = models.Base.metadata


def run_migrations(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///lawsup.sqlite")
    with engine.connect() as conn:
        run_migrations(conn)
