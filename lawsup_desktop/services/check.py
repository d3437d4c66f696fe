"""``lawsup check``: is the file sound, which schema is it, how many records of each kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from lawsup_desktop.store.base import Base, SyncedMixin
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.migrations import SCHEMA_HEAD, read_revision


@dataclass(frozen=True)
class CheckReport:
    problems: list[str]
    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def run_check(db: Database) -> CheckReport:
    # Every table is counted, so every model must be declared, also when nothing on
    # the caller's path (a fresh `lawsup check`) has imported them yet.
    import lawsup_desktop.store.models
    import lawsup_desktop.store.sync_models  # noqa: F401

    problems = db.integrity_check()
    counts: dict[str, int] = {}
    with db.read() as session:
        for mapper in sorted(Base.registry.mappers, key=lambda m: m.class_.__tablename__):
            cls = mapper.class_
            query = select(func.count()).select_from(cls)
            if issubclass(cls, SyncedMixin):
                query = query.where(cls.deleted_at.is_(None))
            counts[cls.__tablename__] = session.scalar(query) or 0
        problems += [
            f"foreign key: {row}"
            for row in session.connection().exec_driver_sql("PRAGMA foreign_key_check")
        ]
    return CheckReport(problems=problems, revision=db.schema_revision(), counts=counts)


def schema_revisions(database: Path) -> tuple[str | None, str]:
    """The file's schema revision (None when it has none yet) and the newest one this
    program ships. Raises LawsupError when the file is not a station database."""
    from lawsup_desktop.services.encryption import stored_key

    key = stored_key() if database.exists() else None
    return (read_revision(database, key) if database.exists() else None), SCHEMA_HEAD
