"""The real central service in its own process on loopback, on SQLite and on a real
PostgreSQL server started here; stations are real migrated station databases.

One service process per database backend for the whole session (starting one per
test would cost most of the time budget); every test makes its own stations, so
tests never see each other's records.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from lawsup_central.devserver import Postgres, Service, pg_bin
from lawsup_desktop.domain.vocabulary import IncidentCategory, Role
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.station import StationService, WorkstationInfo, open_station
from lawsup_desktop.store.audit import Actor
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Incident
from lawsup_desktop.sync.engine import SyncEngine, enroll
from lawsup_desktop.sync.tokens import TokenStore
from tests.memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401 - autouse fixture

# --- PostgreSQL -------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Postgres]:
    if pg_bin() is None:
        pytest.skip("PostgreSQL's pg_ctl is not installed (tools/sysdeps.sh installs it)")
    server = Postgres.start()
    try:
        yield server
    finally:
        server.stop()


# --- the central service ------------------------------------------------------------


@dataclass
class Central:
    backend: str
    url: str  # the database
    base_url: str
    process: subprocess.Popen[bytes]
    codes: itertools.count[int] = field(default_factory=itertools.count)

    def admin(self) -> Any:
        """A transaction on the service's database, as the admin command line has."""
        from lawsup_central.db import make_engine, sessions

        engine = make_engine(self.url)
        return _AdminSession(engine, sessions(engine))

    def add_station(self, name: str = "城关派出所") -> tuple[str, str]:
        from lawsup_central.admin import add_station

        code = f"S{os.getpid()}-{next(self.codes)}"
        with self.admin() as session:
            return code, add_station(session, code, name)

    def new_code(self, station_code: str) -> str:
        from lawsup_central.admin import new_enrollment_code

        with self.admin() as session:
            return str(new_enrollment_code(session, station_code))

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "lawsup_central.cli", "--db", self.url, *args],
                              capture_output=True, text=True, timeout=60)


class _AdminSession:
    def __init__(self, engine: Any, factory: Any) -> None:
        self.engine, self.factory = engine, factory

    def __enter__(self) -> Any:
        self._ctx = self.factory.begin()
        return self._ctx.__enter__()

    def __exit__(self, *exc: Any) -> None:
        try:
            self._ctx.__exit__(*exc)
        finally:
            self.engine.dispose()


def start_central(backend: str, url: str) -> Central:
    service = Service.start(url)
    return Central(backend, url, service.base_url, service.process)


@pytest.fixture(scope="session",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def central(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('central') / 'central.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_server").new_database()
    central = start_central(request.param, url)
    yield central
    Service(url, central.base_url, central.process).stop()


# --- stations ----------------------------------------------------------------------


@dataclass
class Device:
    """One workstation: its data folder, database, set-up and sync engine."""

    folder: DataFolder
    db: Database
    info: WorkstationInfo
    station_code: str
    central: Central
    transport: Any = None

    @property
    def actor(self) -> Actor:
        return self.info.actor

    def engine(self, **kwargs: Any) -> SyncEngine:
        engine = SyncEngine.open(self.db, TokenStore(), attachments=self.folder.attachments,
                                 transport=self.transport)
        for key, value in kwargs.items():
            setattr(engine, key, value)
        return engine

    def sync(self, **kwargs: Any) -> Any:
        engine = self.engine(**kwargs)
        try:
            return engine.sync()
        finally:
            engine.client.close()

    def differences(self) -> list[str]:
        engine = self.engine()
        try:
            return engine.differences()
        finally:
            engine.client.close()

    def add_incident(self, number: str, **values: Any) -> str:
        with self.db.write(self.actor) as session:
            incident = Incident(incident_no=number, received_at=datetime(2026, 11, 20, 9, 30),
                                category=IncidentCategory.DISPUTE, summary="邻里纠纷",
                                address="城关镇", **values)
            session.add(incident)
            session.flush()
            return incident.id

    def edit(self, model: type, record_id: str, **values: Any) -> None:
        with self.db.write(self.actor) as session:
            row = session.get(model, record_id)
            assert row is not None
            for key, value in values.items():
                setattr(row, key, value)

    def get(self, model: type, record_id: str) -> Any:
        with self.db.read() as session:
            return session.get(model, record_id)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One really migrated, empty station file; devices start from copies of it
    (running the migrations for each of a hundred devices would cost half a minute)."""
    folder = DataFolder(tmp_path_factory.mktemp("template"))
    open_station(folder).dispose()
    return folder.database


@pytest.fixture
def stations(central: Central, tmp_path: Path, migrated_template: Path) -> Iterator[Any]:
    """A factory: ``stations.new()`` a station with its first device,
    ``stations.device(code)`` another device of that station."""
    made: list[Device] = []
    counter = itertools.count()

    class Factory:
        def new(self, name: str = "城关派出所") -> Device:
            code, enrol_code = central.add_station(name)
            return self._device(code, enrol_code, name)

        def device(self, station_code: str) -> Device:
            return self._device(station_code, central.new_code(station_code), "城关派出所")

        def _device(self, code: str, enrol_code: str, name: str) -> Device:
            folder = DataFolder(tmp_path / f"device{next(counter)}")
            folder.root.mkdir(parents=True)
            shutil.copyfile(migrated_template, folder.database)
            db = open_station(folder)
            info = StationService(db).set_up(code, name, "张法制", Role.SUPERVISOR)
            enroll(db, central.base_url, enrol_code, TokenStore())
            with db.read() as session:
                from sqlalchemy import select

                from lawsup_desktop.store.models import Workstation

                ws = session.scalars(select(Workstation)).one()
                info = WorkstationInfo(**{**info.__dict__, "station_id": ws.station_id})
            device = Device(folder, db, info, code, central)
            made.append(device)
            return device

    yield Factory()
    for device in made:
        device.db.dispose()
