"""Shared set-up for the incident tests: the search index, and incidents made quickly."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from lawsup_desktop.domain.vocabulary import IncidentCategory, Role
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Incident, Officer, Unit
from lawsup_desktop.store.search import create_search_index

_numbers = itertools.count(1)


def add_search_index(db: Database) -> None:
    """What the migration will do (see store/search.py): create the index tables."""
    with db.writer.begin() as connection:
        create_search_index(connection.exec_driver_sql)


def add_incidents(db: Database, ws: WorkstationInfo, *specs: dict[str, Any]) -> list[str]:
    """Incidents with sensible defaults; each spec overrides columns. Returns ids."""
    ids = []
    with db.write(ws.actor) as session:
        for spec in specs:
            values: dict[str, Any] = {
                "incident_no": f"J{next(_numbers):08d}",
                "received_at": dt.datetime(2026, 11, 20, 9, 0),
                "category": IncidentCategory.DISPUTE,
                "unit_id": ws.unit_id,
            }
            values.update(spec)
            incident = Incident(**values)
            session.add(incident)
            session.flush()
            ids.append(incident.id)
    return ids


def add_unit_with_officer(
    db: Database, ws: WorkstationInfo, unit: str, officer: str
) -> tuple[str, str]:
    with db.write(ws.actor) as session:
        u = Unit(station_id=ws.station_id, name=unit)
        session.add(u)
        session.flush()
        o = Officer(unit_id=u.id, name=officer, role=Role.CASE_OFFICER)
        session.add(o)
        session.flush()
        return u.id, o.id
