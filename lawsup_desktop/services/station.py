"""This installation's station and operator: first-run setup and who is writing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from lawsup_desktop.domain.errors import RuleViolation, Text
from lawsup_desktop.domain.validation import require_text
from lawsup_desktop.domain.vocabulary import NEGATIVE_LIST, Role
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.store.audit import SYSTEM, Actor
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.migrations import prepare_database

FIELD_STATION_CODE = Text("派出所代码", "Station code")
FIELD_STATION_NAME = Text("派出所名称", "Station name")
FIELD_OPERATOR_NAME = Text("操作员姓名", "Operator name")


@dataclass(frozen=True)
class WorkstationInfo:
    station_id: str
    station_code: str
    station_name: str
    unit_id: str
    operator_id: str
    operator_name: str
    operator_role: Role
    device_id: str

    @property
    def actor(self) -> Actor:
        return Actor(self.operator_id, self.operator_name)


def open_station(folder: DataFolder) -> Database:
    """Back up and upgrade the folder's database if needed, then open it, encrypted
    with its key from the OS keyring (see :mod:`lawsup_desktop.services.encryption`)."""
    from lawsup_desktop.services.encryption import key_for_opening

    key = key_for_opening(folder)
    if folder.database.exists() and folder.database.stat().st_nlink > 1:
        from lawsup_desktop.services.backup import forget_unfinished_swap

        forget_unfinished_swap(folder)
    prepare_database(folder.database, folder.backups, key)
    return Database(folder.database, key)


# Plain SQL: the main window needs this before anything else, and the ORM models
# (a quarter of a second to declare) are loaded only after the first paint.
_WORKSTATION_SQL = text(
    "SELECT s.id, s.code, s.name,"
    " (SELECT u.id FROM unit u WHERE u.station_id = s.id ORDER BY u.created_at LIMIT 1),"
    " o.id, o.name, o.role, w.device_id"
    " FROM workstation w JOIN station s ON s.id = w.station_id"
    " JOIN officer o ON o.id = w.operator_id LIMIT 1"
)


def _read_workstation(session: Session) -> WorkstationInfo | None:
    row = session.execute(_WORKSTATION_SQL).first()
    if row is None:
        return None
    station_id, code, name, unit_id, operator_id, operator, role, device_id = row
    return WorkstationInfo(
        station_id=station_id,
        station_code=code,
        station_name=name,
        unit_id=unit_id or "",
        operator_id=operator_id,
        operator_name=operator,
        operator_role=Role(role),
        device_id=device_id,
    )


class StationService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def workstation(self) -> WorkstationInfo | None:
        """The set-up of this installation, or None before first-run setup."""
        with self._db.read() as session:
            return _read_workstation(session)

    def set_up(
        self, station_code: str, station_name: str, operator_name: str, operator_role: Role
    ) -> WorkstationInfo:
        """First-run setup: the station, its own unit, the operator on the roster, and
        the reference data the station starts with. One transaction."""
        code = require_text(station_code, FIELD_STATION_CODE, max_length=32)
        name = require_text(station_name, FIELD_STATION_NAME, max_length=100)
        operator = require_text(operator_name, FIELD_OPERATOR_NAME, max_length=50)
        from lawsup_desktop.store.models import Officer, Station, Unit, Workstation

        with self._db.write(SYSTEM) as session:
            if session.scalars(select(Workstation)).first() is not None:
                raise RuleViolation(
                    Text("本机已完成初始设置。", "This installation is already set up.")
                )
            station = session.scalars(select(Station).where(Station.code == code)).first()
            if station is None:
                station = Station(code=code, name=name, is_local=True)
                session.add(station)
            else:  # the station came with demo data or a restore
                station.name, station.is_local = name, True
            session.flush()
            unit = session.scalars(select(Unit).where(Unit.station_id == station.id)).first()
            if unit is None:
                unit = Unit(station_id=station.id, name=name, code=code)
                session.add(unit)
                session.flush()
            officer = Officer(unit_id=unit.id, name=operator, role=operator_role)
            session.add(officer)
            session.flush()
            ensure_reference_data(session)
            row = Workstation(
                station_id=station.id, operator_id=officer.id, device_id=str(uuid.uuid4())
            )
            session.add(row)
            session.flush()
            info = _read_workstation(session)
            assert info is not None  # just written in this transaction
            return info


def ensure_reference_data(session: Session) -> None:
    """Add the built-in negative list entries that are missing (the bureau may add more)."""
    from lawsup_desktop.store.models import ProblemType

    known = set(session.scalars(select(ProblemType.code)))
    for order, (code, label) in enumerate(NEGATIVE_LIST):
        if code not in known:
            session.add(
                ProblemType(code=code, name_zh=label.zh, name_en=label.en, sort_order=order)
            )
