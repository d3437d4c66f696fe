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
from sqlalchemy import select

from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.encryption import open_file
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
    with db.reader.connect() as connection:  # keyed: the file is encrypted
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        diff = compare_metadata(context, Base.metadata)
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
    monkeypatch.setattr(
        migrations, "upgrade", lambda path, revision="head", key=None: upgraded.append(path)
    )
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
    with open_file(folder.database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = _bytes(folder.database)
    with pytest.raises(migrations.DatabaseRefused) as caught:
        migrations.prepare_database(folder.database, folder.backups, db.key)
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


def _index_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        return {row[0] for row in rows}


def test_a_0001_file_with_records_upgrades_to_0002_and_keeps_them(folder: DataFolder) -> None:
    """0002 adds indexes only: a file made at 0001 with incidents, follow-ups, a measure
    and a signed review step opens at 0002 with every record, the new indexes in place
    and the list's live count (all minus deleted) right."""
    folder.root.mkdir(parents=True)
    migrations.upgrade(folder.database, "0001")
    assert "ix_incident_caller" not in _index_names(folder.database)
    stamp = "2026-11-20 08:00:00.000000"
    synced = f"'{stamp}', '{stamp}', 1"
    with sqlite3.connect(folder.database) as connection:
        connection.executescript(
            f"""
            INSERT INTO station (id, code, name, is_local, created_at, updated_at, version)
              VALUES ('s-1', 'LX01', '城关派出所', 1, {synced});
            INSERT INTO unit (id, station_id, name, created_at, updated_at, version)
              VALUES ('u-1', 's-1', '城关派出所', {synced});
            INSERT INTO officer (id, unit_id, name, role, badge_no, active,
                                 created_at, updated_at, version)
              VALUES ('o-1', 'u-1', '张法制', 'supervisor', '001', 1, {synced});
            INSERT INTO incident (id, incident_no, received_at, category, is_key, address,
                                  summary, caller_name, caller_phone, handling_notes,
                                  watch_state, follow_up_state, created_at, updated_at,
                                  version, deleted_at)
              VALUES ('i-1', 'JJ001', '{stamp}', 'criminal', 1, '人民路1号', '电动车被盗',
                      '王芳', '', '', 'pending', 'done', {synced}, NULL),
                     ('i-2', 'JJ002', '{stamp}', 'dispute', 0, '滨河路', '邻里纠纷',
                      '李强', '', '', 'pending', 'none', {synced}, '{stamp}');
            INSERT INTO follow_up (id, incident_id, method, party_name, party_role,
                                   party_phone, contacted_at, checks, satisfaction, notes,
                                   created_at, updated_at, version)
              VALUES ('f-1', 'i-1', 'phone', '王芳', 'caller', '', '{stamp}', '{{}}',
                      'satisfied', '', {synced});
            INSERT INTO "case" (id, case_no, name, kind, cause, accepted_at,
                                created_at, updated_at, version)
              VALUES ('c-1', 'A001', '盗窃案', 'criminal', '盗窃', '{stamp}', {synced});
            INSERT INTO case_person (id, case_id, role, name, phone, address,
                                     created_at, updated_at, version)
              VALUES ('p-1', 'c-1', 'suspect', '某某', '', '', {synced});
            INSERT INTO coercive_measure (id, person_id, kind, started_at, note,
                                          created_at, updated_at, version)
              VALUES ('m-1', 'p-1', 'criminal_detention', '{stamp}', '', {synced});
            INSERT INTO case_audit (id, case_id, form_no, facts, proposed_handling,
                                    review_points, problems_found, is_major,
                                    created_at, updated_at, version)
              VALUES ('a-1', 'c-1', 'F001', '', '', '{{}}', '', 0, {synced});
            INSERT INTO review_step (id, audit_id, round, level, decision, opinion,
                                     reviewer_id, entered_by_id, reviewed_at,
                                     created_at, updated_at, version)
              VALUES ('r-1', 'a-1', 1, 1, 'approve', '同意', 'o-1', 'o-1', '{stamp}', {synced});
            """
        )
    before = {}
    with sqlite3.connect(folder.database) as connection:
        for table in ("incident", "follow_up", "coercive_measure", "review_step", "case"):
            before[table] = connection.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall()

    backup = migrations.prepare_database(folder.database, folder.backups)

    assert backup is not None and backup.exists()
    assert migrations.read_revision(folder.database) == migrations.SCHEMA_HEAD == "0002"
    assert {
        "ix_incident_deleted",
        "ix_incident_caller",
        "ix_incident_address",
        "ix_coercive_measure_states",
        "ix_follow_up_contacted",
        "ix_review_step_reviewed",
        "ix_case_open",
        "ix_incident_category",
        "ix_incident_follow_up_state",
    } <= _index_names(folder.database)
    with sqlite3.connect(folder.database) as connection:
        for table, rows in before.items():
            assert connection.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall() == rows
        # The signed step is still protected by 0001's trigger.
        with pytest.raises(sqlite3.DatabaseError):
            connection.execute("UPDATE review_step SET opinion = 'x' WHERE id = 'r-1'")
    database = Database(folder.database)
    from lawsup_desktop.services.incidents import IncidentQuery

    assert IncidentQuery(database).count() == 1  # the deleted incident is not counted
    database.dispose()
