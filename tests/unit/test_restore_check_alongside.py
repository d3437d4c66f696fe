"""Restore: the backup's check runs alongside the safety backup (issue 8 speed);
a late refusal or a cancel must still leave nothing behind."""

from __future__ import annotations

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
from tests.unit.incident_helpers import add_incidents


def _wait_for_safety_backup(folder: DataFolder, older: set[Path]) -> None:
    """Block until the restore's safety backup is complete (a new before-restore file)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        made = {b.path for b in list_backups(folder) if b.kind is BackupKind.BEFORE_RESTORE}
        if made - older:
            return
        time.sleep(0.01)
    raise AssertionError("the safety backup was never made")


def test_a_check_that_refuses_after_the_safety_backup_leaves_nothing_and_rotates_nothing(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_incidents(db, workstation, {"incident_no": "J-KEEP"})
    chosen = backup_now(folder)
    earlier = backup_now(folder, BackupKind.BEFORE_RESTORE)
    db.dispose()
    before = folder.database.read_bytes()
    older = {earlier.path}

    def late_refusal(path: Path) -> object:
        _wait_for_safety_backup(folder, older)  # the damage shows only at the end
        raise LawsupError(Text("文件已损坏", "the file is damaged"))

    monkeypatch.setattr(backup_module, "describe_backup", late_refusal)
    with pytest.raises(LawsupError, match="damaged"):
        restore_backup(folder, chosen.path, db=db, keep=1)
    assert folder.database.read_bytes() == before
    # The safety backup just made is gone, and keep=1 did not push out the earlier one.
    assert {b.path for b in list_backups(folder)} == {chosen.path, earlier.path}


def test_a_cancel_stops_the_safety_backup_and_changes_nothing(
    db: Database, workstation: WorkstationInfo, folder: DataFolder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_incidents(db, workstation, *({"incident_no": f"J-{n}"} for n in range(200)))
    chosen = backup_now(folder)
    db.dispose()
    before = folder.database.read_bytes()
    monkeypatch.setattr(backup_module, "PAGES_PER_STEP", 1)
    reports: list[int | None] = []
    ctx = TaskContext(on_progress=lambda p: reports.append(p.total))
    ctx.cancel()  # pressed while the backup is being checked: the check runs to its end
    with pytest.raises(Cancelled):
        restore_backup(folder, chosen.path, db=db, ctx=ctx)
    assert len(reports) == 1  # the safety backup stopped after its first page
    assert reports[0] is not None and reports[0] > 1
    assert folder.database.read_bytes() == before
    assert [b.path for b in list_backups(folder)] == [chosen.path]
