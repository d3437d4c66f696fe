"""The shipped migrations: they match the models, upgrade old files safely, and refuse
files that are not ours without changing a byte."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, select

from lawsup_desktop.paths import DataFolder
from lawsup_desktop.store import migrations
from lawsup_desktop.store.audit import Actor
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Base, Station
from lawsup_desktop.store.search import include_name


def _script() -> ScriptDirectory:
    return ScriptDirectory(str(migrations._script_location()))


def test_schema_head_constant_is_alembic_head() -> None:
    assert _script().get_current_head() == migrations.SCHEMA_HEAD


def test_models_and_migrations_agree(db: Database) -> None:
    engine = create_engine(f"sqlite:///{db.path}")
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_from_the_first_revision_keeps_the_records(folder: DataFolder) -> None:
    first = list(_script().walk_revisions())[-1].revision
    folder.root.mkdir(parents=True)
    migrations.upgrade(folder.database, first)
    with sqlite3.connect(folder.database) as connection:
        connection.execute(
            "INSERT INTO station (id, code, name, is_local, created_at, updated_at, version)"
            " VALUES ('s-1', 'LX01', '城关派出所', 1, '2026-01-01', '2026-01-01', 1)"
        )
    backup = migrations.prepare_database(folder.database, folder.backups)
    assert migrations.read_revision(folder.database) == migrations.SCHEMA_HEAD
    database = Database(folder.database)
    with database.read() as session:
        assert session.scalars(select(Station.name)).one() == "城关派出所"
    database.dispose()
    if first != migrations.SCHEMA_HEAD:
        assert backup is not None and backup.exists()


def test_an_outdated_file_is_backed_up_before_the_upgrade(
    folder: DataFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder.root.mkdir(parents=True)
    migrations.upgrade(folder.database)
    with sqlite3.connect(folder.database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'older'")
    # Pretend "older" is a revision this program knows, and that upgrading works.
    monkeypatch.setattr(migrations, "_known_revisions", lambda: {"older", migrations.SCHEMA_HEAD})
    upgraded: list[Path] = []
    monkeypatch.setattr(migrations, "upgrade", lambda path, revision="head": upgraded.append(path))
    backup = migrations.prepare_database(folder.database, folder.backups)
    assert upgraded == [folder.database]
    assert backup is not None and backup.parent == folder.backups
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "older",
        )


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_a_damaged_file_is_refused_unchanged(folder: DataFolder) -> None:
    folder.root.mkdir(parents=True)
    folder.database.write_bytes(b"this is not a database at all\x00" * 100)
    before = _bytes(folder.database)
    with pytest.raises(migrations.DatabaseRefused) as caught:
        migrations.prepare_database(folder.database, folder.backups)
    assert "lawsup" in caught.value.message.zh and str(folder.database) in caught.value.message.en
    assert _bytes(folder.database) == before
    assert not folder.backups.exists()


def test_a_truncated_database_is_refused_unchanged(db: Database, folder: DataFolder) -> None:
    db.dispose()
    data = _bytes(folder.database)
    folder.database.write_bytes(data[:4096] + b"\xff" * 8192)
    before = _bytes(folder.database)
    with pytest.raises(migrations.DatabaseRefused):
        migrations.prepare_database(folder.database, folder.backups)
    assert _bytes(folder.database) == before


def test_another_programs_database_is_refused_unchanged(folder: DataFolder) -> None:
    folder.root.mkdir(parents=True)
    with sqlite3.connect(folder.database) as connection:
        connection.execute("CREATE TABLE songs (title TEXT)")
    before = _bytes(folder.database)
    with pytest.raises(migrations.DatabaseRefused) as caught:
        migrations.prepare_database(folder.database, folder.backups)
    assert "其他程序" in caught.value.message.zh
    assert _bytes(folder.database) == before


def test_a_database_from_a_newer_version_is_refused_unchanged(
    db: Database, folder: DataFolder
) -> None:
    db.dispose()
    with sqlite3.connect(folder.database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = _bytes(folder.database)
    with pytest.raises(migrations.DatabaseRefused) as caught:
        migrations.prepare_database(folder.database, folder.backups)
    assert "更新版本" in caught.value.message.zh and "newer version" in caught.value.message.en
    assert _bytes(folder.database) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_data_folder_is_reported(folder: DataFolder) -> None:
    folder.root.mkdir(parents=True)
    folder.root.chmod(0o500)
    try:
        with pytest.raises(migrations.LawsupError) as caught:
            migrations.prepare_database(folder.database, folder.backups)
        assert "无法写入" in caught.value.message.zh
    finally:
        folder.root.chmod(0o700)


def test_a_data_folder_that_cannot_be_created_is_reported(tmp_path: Path) -> None:
    # A regular file where the folder should be: refused for root too.
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    folder = DataFolder(blocker / "data")
    with pytest.raises(migrations.LawsupError) as caught:
        migrations.prepare_database(folder.database, folder.backups)
    assert "无法写入" in caught.value.message.zh and "--data-dir" in caught.value.message.en


def test_write_with_actor_after_reopen(folder: DataFolder) -> None:
    """A file made by one program run opens in the next without another upgrade."""
    migrations.prepare_database(folder.database, folder.backups)
    assert migrations.inspect_database(folder.database) is migrations.DatabaseState.CURRENT
    database = Database(folder.database)
    with database.write(Actor(None, "t")) as session:
        session.add(Station(code="A", name="甲"))
    database.dispose()
    assert migrations.prepare_database(folder.database, folder.backups) is None
