"""The service's models match its shipped migrations; an upgrade is idempotent."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lawsup_central.db import make_engine, upgrade
from lawsup_central.models import Base


def test_models_match_the_central_migrations(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'central.sqlite'}")
    upgrade(engine)
    upgrade(engine)  # a second start changes nothing
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    engine.dispose()
    assert diff == []
