"""Backups and restore: online copies, rotation per kind, the daily backup, describing
a backup, restoring without ever harming the current file, and the two commands."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lawsup_desktop.cli import main
from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.domain.vocabulary import IncidentCategory
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services import backup as backup_module
from lawsup_desktop.services.backup import (
    BackupInfo,
    BackupKind,
    automatic_backup_due,
    backup_now,
    describe_backup,
    list_backups,
    prune_backups,
    restore_backup,
    run_automatic_backup,
)
from lawsup_desktop.services.encryption import open_file
from lawsup_desktop.services.folder_lock import WORKBENCH, FolderLock
from lawsup_desktop.services.progress import Cancelled, Progress, TaskContext
from lawsup_desktop.services.station import StationService, WorkstationInfo, open_station
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.encryption import export
from lawsup_desktop.store.migrations import SCHEMA_HEAD
from lawsup_desktop.store.models import Incident
from tests.unit.incident_helpers import add_incidents

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def incident_numbers(path: Path) -> set[str]:
    """Read straight from the file, as a second program would."""
    connection = open_file(path, read_only=True)  # with the user's key, if encrypted
    try:
        return {r[0] for r in connection.execute("SELECT incident_no FROM incident")}
    finally:
        connection.close()


def integrity(path: Path) -> str:
    connection = open_file(path)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def numbers_in_db(db: Database) -> set[str]:
    with db.read() as session:
        return {i.incident_no for i in session.query(Incident)}


# ---------------------------------------------------------------- backing up


def backup_then_a_new_incident(
    db: Database, workstation: WorkstationInfo, folder: DataFolder
) -> BackupInfo:
    """A backup holding incident J-OLD, made before J-NEW was added."""
    add_incidents(db, workstation, {"incident_no": "J-OLD"})
    old = backup_now(folder)
    add_incidents(db, workstation, {"incident_no": "J-NEW"})
    return old


def test_backup_holds_committed_data_only_and_is_one_self_contained_file(
    db: Database, workstation: WorkstationInfo, folder: DataFolder
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-COMMITTED"})
    with db.write(workstation.actor) as session:
        # A transaction still open in the running program: neither blocks the
        # backup nor gets into it.
        session.add(Incident(incident_no="J-UNCOMMITTED", received_at=datetime(2026, 11, 20),
                             category=IncidentCategory.DISPUTE))
        session.flush()
        info = backup_now(folder)
    assert info.kind is BackupKind.MANUAL
    assert info.path.parent == folder.backups
    assert info.path.name.startswith("lawsup-") and info.path.name.endswith("-manual.sqlite")
    assert incident_numbers(info.path) == {"J-COMMITTED"}
    assert integrity(info.path) == "ok"
    assert sorted(p.name for p in folder.backups.iterdir()) == [info.path.name]  # no -wal
    with open_file(info.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert list_backups(folder) == [info]


def test_backup_reports_progress_in_pages_and_a_cancel_leaves_nothing(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(backup_module, "PAGES_PER_STEP", 5)
    reports: list[Progress] = []
    ctx = TaskContext(on_progress=reports.append)
    backup_now(folder, ctx=ctx)
    totals = {p.total for p in reports}
    assert len(totals) == 1 and (total := totals.pop()) is not None and total > 20
    assert [p.done for p in reports] == sorted(p.done for p in reports)
    assert reports[-1].done == total

    def cancel_half_way(progress: Progress) -> None:
        if progress.total and progress.done > progress.total // 2:
            ctx.cancel()

    ctx = TaskContext(on_progress=cancel_half_way)
    with pytest.raises(Cancelled):
        backup_now(folder, ctx=ctx)
    assert len(list(folder.backups.iterdir())) == 1  # only the first one


def test_two_backups_in_one_second_get_two_files(db: Database, folder: DataFolder) -> None:
    first = backup_now(folder, now=T0)
    second = backup_now(folder, now=T0)
    assert first.path != second.path
    assert {b.path for b in list_backups(folder)} == {first.path, second.path}
    assert list_backups(folder)[0] == second  # the later one counts as newer


def test_rotation_keeps_the_newest_of_each_kind_separately(
    db: Database, folder: DataFolder
) -> None:
    before_migration = folder.backups / "lawsup-20261101T000000Z-before-0001.sqlite"
    autos = [backup_now(folder, BackupKind.AUTOMATIC, now=T0 + timedelta(days=d)) for d in range(2)]
    folder.backups.mkdir(exist_ok=True)
    before_migration.write_bytes(autos[0].path.read_bytes())
    manuals = [
        backup_now(folder, keep=3, now=T0 + timedelta(hours=h)) for h in range(5)
    ]
    remaining = list_backups(folder)
    assert [b.path for b in remaining if b.kind is BackupKind.MANUAL] == [
        m.path for m in reversed(manuals[2:])
    ]
    assert {b.path for b in remaining if b.kind is BackupKind.AUTOMATIC} == {
        a.path for a in autos
    }
    assert [b.kind for b in remaining if b.path == before_migration] == [
        BackupKind.BEFORE_MIGRATION
    ]
    assert set(prune_backups(folder, keep=1)) == {
        autos[0].path, manuals[3].path, manuals[2].path
    }
    assert {b.kind for b in list_backups(folder)} == {
        BackupKind.AUTOMATIC, BackupKind.MANUAL, BackupKind.BEFORE_MIGRATION
    }
    with pytest.raises(LawsupError, match="at least 1"):
        prune_backups(folder, keep=0)


def test_automatic_backup_once_a_day(db: Database, folder: DataFolder) -> None:
    assert automatic_backup_due(folder, now=T0)
    first = run_automatic_backup(folder, now=T0)
    assert first is not None and first.kind is BackupKind.AUTOMATIC
    assert not automatic_backup_due(folder, now=T0 + timedelta(hours=23))
    assert run_automatic_backup(folder, now=T0 + timedelta(hours=23)) is None
    backup_now(folder, now=T0 + timedelta(hours=23))  # a manual one does not count
    second = run_automatic_backup(folder, now=T0 + timedelta(days=1))
    assert second is not None and second.path != first.path
    assert [b.kind for b in list_backups(folder)].count(BackupKind.AUTOMATIC) == 2


def test_no_database_no_backup(folder: DataFolder) -> None:
    assert not automatic_backup_due(folder)
    with pytest.raises(LawsupError, match="no database to back up"):
        backup_now(folder)


# ---------------------------------------------------------------- describing


def test_describe_counts_the_main_records(
    db: Database, workstation: WorkstationInfo, folder: DataFolder
) -> None:
    add_incidents(db, workstation, {}, {}, {})
    summary = describe_backup(backup_now(folder, now=T0).path)
    assert summary.made_at == T0
    assert summary.revision == SCHEMA_HEAD
    assert summary.station_name == "城关派出所"
    counts = {c.table: c.count for c in summary.counts}
    assert counts == {
        "incident": 3, "follow_up": 0, "case": 0, "case_audit": 0, "rectification": 0
    }
    assert summary.counts[0].label.zh == "警情"


@pytest.mark.parametrize(
    ("content", "zh", "en"),
    [
        (b"not a database at all\x00" * 100, "文件已损坏或是其他类型的文件",
         "damaged, or another kind"),
        ("foreign", "这是其他程序的数据库", "belongs to another program"),
        ("empty", "它是空的数据库", "empty database"),
        ("missing", "文件不存在", "does not exist"),
    ],
)
def test_describe_refuses_what_is_not_a_backup(
    tmp_path: Path, content: bytes | str, zh: str, en: str
) -> None:
    path = tmp_path / "chosen.sqlite"
    if content == "foreign":
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE songs (title TEXT)")
    elif content == "empty":
        sqlite3.connect(path).close()
        path.write_bytes(b"")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(LawsupError) as raised:
        describe_backup(path)
    assert zh in raised.value.message.zh and "不能用于恢复" in raised.value.message.zh
    assert en in raised.value.message.en and "cannot be restored" in raised.value.message.en


def test_describe_refuses_a_truncated_backup(db: Database, folder: DataFolder) -> None:
    info = backup_now(folder)
    data = info.path.read_bytes()
    info.path.write_bytes(data[: len(data) // 3])
    with pytest.raises(LawsupError, match="cannot be restored"):
        describe_backup(info.path)


# ---------------------------------------------------------------- restoring


def test_restore_brings_back_the_backup_and_keeps_the_present_as_a_backup(
    db: Database, workstation: WorkstationInfo, folder: DataFolder
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-OLD"})
    old = backup_now(folder, now=T0)
    add_incidents(db, workstation, {"incident_no": "J-NEW"})

    result = restore_backup(folder, old.path, db=db)

    assert numbers_in_db(db) == {"J-OLD"}  # the open Database simply goes on
    assert result.safety_backup is not None
    assert result.safety_backup.kind is BackupKind.BEFORE_RESTORE
    assert incident_numbers(result.safety_backup.path) == {"J-OLD", "J-NEW"}
    assert not result.upgraded
    assert integrity(folder.database) == "ok"
    assert sorted(p.name for p in folder.root.iterdir() if p.name.startswith(".restoring")) == []
    # And writing goes on as before.
    add_incidents(db, workstation, {"incident_no": "J-AFTER"})
    assert numbers_in_db(db) == {"J-OLD", "J-AFTER"}
    assert StationService(db).workstation() == workstation


def test_restore_into_an_empty_folder(
    db: Database, workstation: WorkstationInfo, folder: DataFolder, tmp_path: Path
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-1"})
    info = backup_now(folder)
    elsewhere = DataFolder(tmp_path / "new-laptop")
    elsewhere.root.mkdir()
    result = restore_backup(elsewhere, info.path)
    assert result.safety_backup is None
    assert incident_numbers(elsewhere.database) == {"J-1"}


def test_a_refused_backup_changes_nothing(
    db: Database, workstation: WorkstationInfo, folder: DataFolder, tmp_path: Path
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-KEEP"})
    db.dispose()
    before = folder.database.read_bytes()
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"x" * 5000)
    with pytest.raises(LawsupError):
        restore_backup(folder, garbage, db=db)
    assert folder.database.read_bytes() == before
    assert list_backups(folder) == []  # refused before even the safety backup
    with pytest.raises(LawsupError, match="current database file"):
        restore_backup(folder, folder.database, db=db)


def test_a_restore_cancelled_while_staging_changes_nothing(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_incidents(db, workstation, *({"incident_no": f"J-{n}"} for n in range(200)))
    old = backup_now(folder)
    add_incidents(db, workstation, {"incident_no": "J-LATEST"})
    expected = numbers_in_db(db)
    db.dispose()
    before = folder.database.read_bytes()
    monkeypatch.setattr(backup_module, "BYTES_PER_STEP", 4096)
    seen: list[Progress] = []

    def cancel_half_way(progress: Progress) -> None:
        seen.append(progress)
        if progress.total and progress.done > progress.total // 2:
            ctx.cancel()

    ctx = TaskContext(on_progress=cancel_half_way)
    with pytest.raises(Cancelled):
        restore_backup(folder, old.path, db=db, ctx=ctx)
    assert seen[-1].total == old.path.stat().st_size  # it was the byte copy of the backup
    assert seen[-1].done < seen[-1].total
    assert folder.database.read_bytes() == before
    assert numbers_in_db(db) == expected
    assert [b.path for b in list_backups(folder)] == [old.path]
    assert not any(p.name.startswith(".restoring") for p in folder.root.iterdir())


def test_a_backup_with_one_damaged_page_is_refused_and_nothing_changes(
    db: Database, workstation: WorkstationInfo, folder: DataFolder
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-KEEP"})
    old = backup_now(folder)
    data = bytearray(old.path.read_bytes())
    data[4096 + 2000] ^= 0xFF  # one byte of page 2 (a table's root, in use)
    old.path.write_bytes(bytes(data))
    with pytest.raises(LawsupError, match="cannot be restored"):
        restore_backup(folder, old.path, db=db)
    assert numbers_in_db(db) == {"J-KEEP"}
    assert [b.path for b in list_backups(folder)] == [old.path]
    assert not any(p.name.startswith(".restoring") for p in folder.root.iterdir())


def test_the_swap_keeps_the_very_file_as_the_backup_before_the_restore(
    db: Database, workstation: WorkstationInfo, folder: DataFolder
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-OLD"})
    old = backup_now(folder)
    chosen = old.path.read_bytes()
    add_incidents(db, workstation, {"incident_no": "J-NEW"})
    live_inode = folder.database.stat().st_ino
    result = restore_backup(folder, old.path, db=db)
    assert result.safety_backup is not None
    # No copy: the previous file itself, moved into the backups, and self-contained.
    assert result.safety_backup.path.stat().st_ino == live_inode
    assert result.safety_backup.path.stat().st_nlink == 1
    assert incident_numbers(result.safety_backup.path) == {"J-OLD", "J-NEW"}
    with open_file(result.safety_backup.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert folder.database.stat().st_ino != live_inode
    assert folder.database.read_bytes() == chosen  # the checked backup, byte for byte
    assert old.path.read_bytes() == chosen
    assert sorted(p.name for p in folder.backups.iterdir()) == sorted(
        [old.path.name, result.safety_backup.path.name]
    )  # no -wal, -shm or .partial
    assert numbers_in_db(db) == {"J-OLD"}
    assert integrity(folder.database) == "ok"


def test_a_reader_arriving_during_the_swap_waits_then_reads_the_restored_file(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = backup_then_a_new_incident(db, workstation, folder)
    read: list[set[str]] = []
    reader = threading.Thread(target=lambda: read.append(numbers_in_db(db)))
    replace = backup_module._replace_live

    def replace_while_a_reader_comes(stage: Path, live: Path) -> None:
        reader.start()
        reader.join(0.3)
        assert reader.is_alive()  # held back until the swap is over
        replace(stage, live)

    monkeypatch.setattr(backup_module, "_replace_live", replace_while_a_reader_comes)
    result = restore_backup(folder, old.path, db=db)
    reader.join(10)
    assert read == [{"J-OLD"}]
    assert result.safety_backup is not None
    assert incident_numbers(result.safety_backup.path) == {"J-OLD", "J-NEW"}


def test_a_file_open_elsewhere_is_copied_into_not_swapped(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = backup_then_a_new_incident(db, workstation, folder)
    monkeypatch.setattr(backup_module, "ALONE_WAIT_S", 0.2)
    live_inode = folder.database.stat().st_ino
    # Another connection (a tool, another thread) keeps the file open: renaming a
    # file under it would split it from its -wal, so the restore copies into it.
    other = open_file(folder.database)
    try:
        assert other.execute("SELECT count(*) FROM incident").fetchone()[0] == 2
        result = restore_backup(folder, old.path, db=db)
        assert {r[0] for r in other.execute("SELECT incident_no FROM incident")} == {"J-OLD"}
    finally:
        other.close()
    assert folder.database.stat().st_ino == live_inode
    assert result.safety_backup is not None
    assert incident_numbers(result.safety_backup.path) == {"J-OLD", "J-NEW"}
    assert numbers_in_db(db) == {"J-OLD"}
    assert integrity(folder.database) == "ok"


def test_without_hard_links_the_backup_is_copied_into_the_file(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = backup_then_a_new_incident(db, workstation, folder)

    def no_links(_source: object, _target: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(backup_module.os, "link", no_links)
    result = restore_backup(folder, old.path, db=db)
    assert numbers_in_db(db) == {"J-OLD"}
    assert result.safety_backup is not None
    assert incident_numbers(result.safety_backup.path) == {"J-OLD", "J-NEW"}
    assert len(list_backups(folder)) == 2
    assert not any(p.name.startswith(".restoring") for p in folder.root.iterdir())


def test_a_backup_changed_since_it_was_described_is_checked_again(
    db: Database, workstation: WorkstationInfo, folder: DataFolder
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-KEEP"})
    old = backup_now(folder)
    summary = describe_backup(old.path)
    data = old.path.read_bytes()
    old.path.write_bytes(data[: len(data) // 3])  # damaged after the confirmation
    with pytest.raises(LawsupError, match="cannot be restored"):
        restore_backup(folder, old.path, db=db, described=summary)
    assert numbers_in_db(db) == {"J-KEEP"}
    assert [b.path for b in list_backups(folder)] == [old.path]


def test_a_restore_cancelled_while_copying_into_an_open_file_leaves_it_as_it_was(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_incidents(db, workstation, *({"incident_no": f"J-{n}"} for n in range(200)))
    old = backup_now(folder)
    add_incidents(db, workstation, {"incident_no": "J-LATEST"})
    expected = numbers_in_db(db)
    monkeypatch.setattr(backup_module, "PAGES_PER_STEP", 2)
    monkeypatch.setattr(backup_module, "ALONE_WAIT_S", 0.2)
    # Copies: the backup into a temporary file (while it is checked), the safety
    # backup, then the backup into the live file (open elsewhere, so not swapped);
    # cancel half-way through the third, when the live file is being written.
    phase = {"copy": 0, "last": -1}

    def cancel_in_the_live_copy(progress: Progress) -> None:
        if progress.done < phase["last"]:
            phase["copy"] += 1
        phase["last"] = progress.done
        if phase["copy"] == 2 and progress.total and progress.done > progress.total // 2:
            ctx.cancel()

    ctx = TaskContext(on_progress=cancel_in_the_live_copy)
    other = open_file(folder.database)
    try:
        other.execute("SELECT count(*) FROM incident").fetchone()
        with pytest.raises(Cancelled):
            restore_backup(folder, old.path, db=db, ctx=ctx)
        assert {r[0] for r in other.execute("SELECT incident_no FROM incident")} == expected
    finally:
        other.close()
    assert phase["copy"] == 2
    assert numbers_in_db(db) == expected
    assert incident_numbers(folder.database) == expected
    assert integrity(folder.database) == "ok"
    assert not any(p.name.startswith(".restoring") for p in folder.root.iterdir())


def test_a_backup_with_another_page_size_is_staged_and_left_as_it_was(
    db: Database, workstation: WorkstationInfo, folder: DataFolder, tmp_path: Path
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-BIG-PAGES"})
    other = tmp_path / "other-page-size.sqlite"
    # A plain copy: an encrypted file's page size is SQLCipher's, fixed at 4 KB here.
    made = open_file(backup_now(folder).path)
    export(made, other, None)
    made.close()
    with open_file(other) as connection:
        connection.execute("PRAGMA page_size = 8192")
        connection.execute("VACUUM")
    before = other.read_bytes()
    add_incidents(db, workstation, {"incident_no": "J-LATER"})
    restore_backup(folder, other, db=db)
    assert numbers_in_db(db) == {"J-BIG-PAGES"}
    assert other.read_bytes() == before
    assert integrity(folder.database) == "ok"


# ---------------------------------------------------------------- commands


def test_backup_and_restore_commands(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-A"})
    assert main(["--data-dir", str(folder.root), "backup"]) == 0
    out = capsys.readouterr().out
    [made] = list_backups(folder)
    assert str(made.path) in out
    add_incidents(db, workstation, {"incident_no": "J-B"})

    assert main(["--data-dir", str(folder.root), "restore", str(made.path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "城关派出所" in out and "警情 / Incidents: 1" in out and "已恢复 / restored" in out
    assert numbers_in_db(db) == {"J-A"}
    assert not (folder.root / "lawsup.lock").exists()  # released


def test_restore_without_yes_and_without_a_terminal_asks_for_it(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    made = backup_now(folder)
    add_incidents(db, workstation, {"incident_no": "J-STAYS"})
    assert main(["--data-dir", str(folder.root), "restore", str(made.path)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert numbers_in_db(db) == {"J-STAYS"}


def test_restore_is_refused_while_the_workbench_holds_the_folder(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    made = backup_now(folder)
    add_incidents(db, workstation, {"incident_no": "J-STAYS"})
    with FolderLock(folder.root, WORKBENCH):
        code = main(["--data-dir", str(folder.root), "restore", str(made.path), "--yes"])
    assert code == 2
    err = capsys.readouterr().err
    assert "正被法制监督员工作台" in err and "in use by the workbench" in err
    assert numbers_in_db(db) == {"J-STAYS"}
    assert [b.kind for b in list_backups(folder)] == [BackupKind.MANUAL]


def test_the_staging_copy_reads_and_writes_where_the_system_cannot_copy(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_incidents(db, workstation, *({"incident_no": f"J-{n}"} for n in range(50)))
    old = backup_now(folder)
    add_incidents(db, workstation, {"incident_no": "J-LATER"})

    def cross_device(*_args: object) -> int:
        raise OSError(18, "Invalid cross-device link")  # a backup on a USB stick

    monkeypatch.setattr(backup_module.os, "copy_file_range", cross_device, raising=False)
    monkeypatch.setattr(backup_module, "BYTES_PER_STEP", 4096)
    restore_backup(folder, old.path, db=db)
    assert folder.database.read_bytes() == old.path.read_bytes()
    assert numbers_in_db(db) == {f"J-{n}" for n in range(50)}


class PowerCut(BaseException):
    """The process dies: no ``except Exception`` or ``finally`` of ours may tidy up."""


def test_a_crash_between_the_link_and_the_rename_leaves_no_backup_that_is_the_live_file(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = backup_then_a_new_incident(db, workstation, folder)

    def power_cut(_stage: Path, _live: Path) -> None:
        raise PowerCut

    monkeypatch.setattr(backup_module, "_replace_live", power_cut)
    with pytest.raises(PowerCut):
        restore_backup(folder, old.path, db=db)
    db.dispose()
    assert folder.database.stat().st_nlink == 2  # the live file is also a "backup" now

    reopened = open_station(folder)
    try:
        assert folder.database.stat().st_nlink == 1
        assert [b.path for b in list_backups(folder)] == [old.path]
        assert numbers_in_db(reopened) == {"J-OLD", "J-NEW"}  # the restore never happened
    finally:
        reopened.dispose()
