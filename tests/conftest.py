"""Shared fixtures: the offscreen Qt platform, and a fresh, really migrated station
database per test (Vorta's pattern)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any Qt import: every GUI test runs headless on the offscreen platform.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from lawsup_desktop.domain.vocabulary import Role
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.station import (
    StationService,
    WorkstationInfo,
    open_station,
)
from lawsup_desktop.store.database import Database

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(autouse=True)
def _isolated_user_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # QSettings and platformdirs must never touch the developer's own profile.
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))


def _use_test_keyring() -> None:
    # Databases are encrypted with a key from the OS keyring. The session gets a
    # keyring of its own, in a file, which the processes tests start (the crash
    # writer, ``python -m lawsup_desktop``) share: see tests/keyring_file.py.
    import tempfile

    from lawsup_desktop.services.encryption import use_keyring
    from tests.keyring_file import FILE_VARIABLE, FileKeyring

    keys = Path(tempfile.mkdtemp(prefix="lawsup-keyring-")) / "keys.json"
    os.environ[FILE_VARIABLE] = str(keys)
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.keyring_file.FileKeyring"
    root = str(Path(__file__).resolve().parents[1])  # where children find tests.keyring_file
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))
    use_keyring(FileKeyring())


_use_test_keyring()


@pytest.fixture
def folder(tmp_path: Path) -> DataFolder:
    return DataFolder(tmp_path / "data")


@pytest.fixture
def db(folder: DataFolder) -> Iterator[Database]:
    database = open_station(folder)
    yield database
    database.dispose()


@pytest.fixture
def workstation(db: Database) -> WorkstationInfo:
    return StationService(db).set_up("LX-CG", "城关派出所", "张法制", Role.SUPERVISOR)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
