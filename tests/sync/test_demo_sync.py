"""Demo data never reaches the bureau: a folder filled by ``lawsup demo`` cannot be
enrolled (refused before the server is asked, so the one-time code stays usable),
and an enrolled folder gets no demo data. Against the real service."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lawsup_desktop import cli
from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.demo import DemoRefused, generate_demo
from lawsup_desktop.services.station import open_station
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Incident
from lawsup_desktop.store.sync_models import SyncMeta, SyncOutbox
from lawsup_desktop.sync.engine import DEMO_NOT_ENROLLED, enroll
from lawsup_desktop.sync.tokens import TokenStore

NOW = datetime(2026, 11, 27, 10, 0)


def _demo_folder(root: Path, template: Path) -> tuple[DataFolder, Database]:
    folder = DataFolder(root)
    folder.root.mkdir(parents=True)
    shutil.copyfile(template, folder.database)
    db = open_station(folder)
    generate_demo(db, incidents=40, seed=3, days=30, now=NOW)
    return folder, db


def _sync_meta(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {m.key: m.value for m in session.scalars(select(SyncMeta))}


def test_a_demo_folder_is_refused_at_enrolment_and_the_code_stays_usable(
        central, stations, tmp_path, migrated_template):
    _folder, db = _demo_folder(tmp_path / "demo", migrated_template)
    try:
        code, enrol_code = central.add_station()
        with pytest.raises(LawsupError) as refused:
            enroll(db, central.base_url, enrol_code, TokenStore())
        assert refused.value.message == DEMO_NOT_ENROLLED
        assert "演示数据" in refused.value.message.zh and "demo data" in refused.value.message.en
        assert "device_id" not in _sync_meta(db)
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(SyncOutbox)) == 0
            assert session.scalar(select(func.count()).select_from(Incident)) == 40
    finally:
        db.dispose()
    # The refusal came before the server was asked: the same one-time code enrols a
    # real workstation of that station.
    device = stations._device(code, enrol_code, "城关派出所")
    report = device.sync()
    assert report.rejected == 0 and device.differences() == []


def test_the_enroll_command_says_why_in_both_languages(central, tmp_path, migrated_template,
                                                       capsys):
    folder, db = _demo_folder(tmp_path / "demo", migrated_template)
    db.dispose()
    _code, enrol_code = central.add_station()
    exit_code = cli.main(["--data-dir", str(folder.root), "enroll", central.base_url, enrol_code])
    assert exit_code != 0
    err = capsys.readouterr().err
    assert DEMO_NOT_ENROLLED.zh in err and DEMO_NOT_ENROLLED.en in err


def test_an_enrolled_folder_gets_no_demo_data(stations):
    device = stations.new()
    device.add_incident("REAL-1")
    with pytest.raises(DemoRefused):
        generate_demo(device.db, incidents=40, seed=3, days=30, now=NOW)
    # A database with incidents was refused anyway; an empty enrolled one too.
    empty = stations.new()
    with pytest.raises(DemoRefused) as refused:
        generate_demo(empty.db, incidents=40, seed=3, days=30, now=NOW)
    assert "注册" in refused.value.message.zh and "enrolled" in refused.value.message.en
    with empty.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 0
    assert empty.sync().rejected == 0
    assert empty.differences() == []
