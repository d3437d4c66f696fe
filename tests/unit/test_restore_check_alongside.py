"""Restore: the backup's check runs alongside a copy (issue 8 speed): of the backup
into a temporary file when it can be swapped in, else of the current file (the
safety backup). A late refusal or a cancel must still leave nothing behind."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services import backup as backup_module
from lawsup_desktop.services.backup import BackupKind, backup_now, list_backups, restore_backup
from lawsup_desktop.services.progress import Cancelled, TaskContext
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Incident
from tests.unit.incident_helpers import add_incidents

SWAP, COPY_INTO = "swap", "copy into the live file"


def _wait_until(done: object, what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if done():  # type: ignore[operator]
            return
        time.sleep(0.01)
    raise AssertionError(f"{what} never happened")


def _copied_alongside(folder: DataFolder, chosen: Path, older: set[Path], way: str) -> bool:
    """Whether the copy made alongside the check is complete."""
    if way == SWAP:  # the backup staged in full in the data folder
        return any(
            p.stat().st_size == chosen.stat().st_size
            for p in folder.root.glob(".restoring-*.sqlite")
        )
    made = {b.path for b in list_backups(folder) if b.kind is BackupKind.BEFORE_RESTORE}
    return bool(made - older)


def _force(way: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if way == COPY_INTO:  # as for a backup of another key or schema
        monkeypatch.setattr(backup_module, "_can_swap", lambda *_args: False)


@pytest.mark.parametrize("way", [SWAP, COPY_INTO])
def test_a_check_that_refuses_after_the_copy_leaves_nothing_and_rotates_nothing(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch, way: str,
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-KEEP"})
    chosen = backup_now(folder)
    earlier = backup_now(folder, BackupKind.BEFORE_RESTORE)
    db.dispose()
    before = folder.database.read_bytes()
    _force(way, monkeypatch)

    def late_refusal(path: Path, **_options: object) -> object:
        # The damage shows only at the end, when the copy is complete.
        _wait_until(
            lambda: _copied_alongside(folder, chosen.path, {earlier.path}, way),
            "the copy alongside the check",
        )
        raise LawsupError(Text("文件已损坏", "the file is damaged"))

    monkeypatch.setattr(backup_module, "describe_backup", late_refusal)
    with pytest.raises(LawsupError, match="damaged"):
        restore_backup(folder, chosen.path, db=db, keep=1)
    assert folder.database.read_bytes() == before
    # Whatever was copied is gone, and keep=1 did not push out the earlier backup.
    assert {b.path for b in list_backups(folder)} == {chosen.path, earlier.path}
    assert not any(p.name.startswith(".restoring") for p in folder.root.iterdir())


@pytest.mark.parametrize("way", [SWAP, COPY_INTO])
def test_a_cancel_stops_the_copy_and_changes_nothing(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch, way: str,
) -> None:
    add_incidents(db, workstation, *({"incident_no": f"J-{n}"} for n in range(200)))
    chosen = backup_now(folder)
    db.dispose()
    before = folder.database.read_bytes()
    _force(way, monkeypatch)
    monkeypatch.setattr(backup_module, "PAGES_PER_STEP", 1)
    monkeypatch.setattr(backup_module, "BYTES_PER_STEP", 4096)
    reports: list[int | None] = []
    ctx = TaskContext(on_progress=lambda p: reports.append(p.total))
    ctx.cancel()  # pressed while the backup is being checked
    with pytest.raises(Cancelled):
        restore_backup(folder, chosen.path, db=db, ctx=ctx)
    assert len(reports) == 1  # the copy stopped after its first step
    assert reports[0] is not None and reports[0] > 1
    assert folder.database.read_bytes() == before
    assert [b.path for b in list_backups(folder)] == [chosen.path]
    assert not any(p.name.startswith(".restoring") for p in folder.root.iterdir())


def test_a_cancel_interrupts_the_check(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-KEEP"})
    chosen = backup_now(folder)
    real_describe = backup_module.describe_backup
    checking = threading.Event()
    interrupted: list[str] = []

    def slow_check(path: Path, **options: object) -> object:
        def opened(connection: object) -> None:
            options["opened"](connection)  # type: ignore[operator]
            checking.set()
            # A check that would take minutes, unless it is interrupted.
            try:
                connection.execute(  # type: ignore[attr-defined]
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 2000000000) SELECT count(*) FROM n"
                ).fetchone()
            except Exception as exc:
                interrupted.append(str(exc))
                raise

        return real_describe(path, opened=opened)

    def cancel_once_checking(_progress: object) -> None:
        assert checking.wait(30)  # the check has its connection (its query may not run yet)
        ctx.cancel()

    monkeypatch.setattr(backup_module, "describe_backup", slow_check)
    ctx = TaskContext(on_progress=cancel_once_checking)
    with pytest.raises(Cancelled):
        restore_backup(folder, chosen.path, db=db, ctx=ctx)
    assert interrupted == ["interrupted"]
    with db.read() as session:
        assert {i.incident_no for i in session.query(Incident)} == {"J-KEEP"}
    assert [b.path for b in list_backups(folder)] == [chosen.path]


def test_a_backup_changed_while_it_was_checked_and_copied_is_refused(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-KEEP"})
    chosen = backup_now(folder)
    add_incidents(db, workstation, {"incident_no": "J-LATER"})
    real_describe = backup_module.describe_backup

    def check_then_touch(path: Path, **options: object) -> object:
        summary = real_describe(path, **options)  # type: ignore[arg-type]
        # Written to meanwhile (another program, a sync tool): what was copied
        # may not be what was checked.
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        return summary

    monkeypatch.setattr(backup_module, "describe_backup", check_then_touch)
    with pytest.raises(LawsupError, match="changed while it was read"):
        restore_backup(folder, chosen.path, db=db)
    with db.read() as session:
        assert {i.incident_no for i in session.query(Incident)} == {"J-KEEP", "J-LATER"}
    assert [b.path for b in list_backups(folder)] == [chosen.path]
    assert not any(p.name.startswith(".restoring") for p in folder.root.iterdir())
