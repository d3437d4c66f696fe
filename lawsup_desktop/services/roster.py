"""Who and what a form may choose: the station's units, its officers and the
negative list. Read-only lists for combo boxes (new rectification item,
reassignment, the ledger's filters); plain frozen rows, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lawsup_desktop.domain.vocabulary import Role
from lawsup_desktop.services.watch import ProblemTypeChoice, WatchService
from lawsup_desktop.store.audit import SYSTEM
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Officer, Unit


@dataclass(frozen=True)
class UnitChoice:
    id: str
    name: str


@dataclass(frozen=True)
class OfficerChoice:
    id: str
    name: str
    unit_id: str | None
    role: Role


class RosterService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def units(self) -> list[UnitChoice]:
        """The units that are not deleted, by name."""
        with self._db.read() as session:
            rows = session.scalars(
                select(Unit).where(Unit.deleted_at.is_(None)).order_by(Unit.name, Unit.id)
            ).all()
            return [UnitChoice(u.id, u.name) for u in rows]

    def officers(self, unit_id: str | None = None, role: Role | None = None) -> list[OfficerChoice]:
        """The active officers (of ``unit_id`` and with ``role`` when given), by name."""
        query = select(Officer).where(Officer.deleted_at.is_(None), Officer.active.is_(True))
        if unit_id is not None:
            query = query.where(Officer.unit_id == unit_id)
        if role is not None:
            query = query.where(Officer.role == role)
        with self._db.read() as session:
            rows = session.scalars(query.order_by(Officer.name, Officer.id)).all()
            return [OfficerChoice(o.id, o.name, o.unit_id, o.role) for o in rows]

    def problem_types(self) -> list[ProblemTypeChoice]:
        """The active entries of the negative list, in their order (the daily watch's
        own query: one definition of "active")."""
        return WatchService(self._db, SYSTEM).problem_types()
