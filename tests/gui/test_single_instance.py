"""One workbench per data folder: a second start brings the first forward and ends,
a folder held by a command is refused clearly, and commands that write refuse
while the workbench runs. Real processes, on the offscreen platform."""

# The shell tests' fixtures are imported, then named as parameters.
# ruff: noqa: F811

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.backup import backup_now
from lawsup_desktop.services.folder_lock import WORKBENCH, FolderLock, read_holder
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.ui.app import EXIT_REFUSED
from lawsup_desktop.ui.main_window import MainWindow
from tests.gui.test_shell import (  # noqa: F401 - fixtures
    ModalWatcher,
    Starter,
    _global_settings,
    app,
    starter,
)

ROOT = Path(__file__).resolve().parents[2]
PROCESS_TIMEOUT_S = 60


def lawsup(folder: DataFolder, *args: str) -> list[str]:
    return [sys.executable, "-m", "lawsup_desktop", "--data-dir", str(folder.root), *args]


def environment() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def wait_for(condition: object, what: str, timeout_s: float = PROCESS_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def log_text(folder: DataFolder) -> str:
    path = folder.logs / "lawsup.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.mark.slow
def test_a_second_start_activates_the_first_and_commands_that_write_are_refused(
    db: Database, workstation: WorkstationInfo, folder: DataFolder
) -> None:
    backup = backup_now(folder)
    db.dispose()
    first = subprocess.Popen(
        lawsup(folder), env=environment(), cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        # Up when it holds the folder and has logged its start (the window is next).
        wait_for(
            lambda: first.poll() is not None or (
                (holder := read_holder(folder.root)) is not None
                and holder.purpose == WORKBENCH and " started; " in log_text(folder)
            ),
            "the first workbench",
        )
        assert first.poll() is None, first.stderr.read() if first.stderr else ""
        database_before = folder.database.stat().st_mtime_ns

        second = subprocess.run(
            lawsup(folder), env=environment(), cwd=ROOT, capture_output=True, text=True,
            timeout=PROCESS_TIMEOUT_S,
        )
        assert second.returncode == 0, second.stderr
        wait_for(lambda: "activation requested by a second start" in log_text(folder),
                 "the first workbench to log the activation", timeout_s=10)
        assert first.poll() is None  # still running, brought forward

        restore = subprocess.run(
            lawsup(folder, "restore", str(backup.path), "--yes"),
            env=environment(), cwd=ROOT, capture_output=True, text=True,
            timeout=PROCESS_TIMEOUT_S,
        )
        assert restore.returncode == 2
        assert "正被法制监督员工作台" in restore.stderr
        assert f"(process {first.pid}" in restore.stderr
        assert folder.database.stat().st_mtime_ns == database_before

        # Reading is fine alongside: the online backup needs no lock.
        backed_up = subprocess.run(
            lawsup(folder, "backup"), env=environment(), cwd=ROOT, capture_output=True,
            text=True, timeout=PROCESS_TIMEOUT_S,
        )
        assert backed_up.returncode == 0, backed_up.stderr
        assert len(list(folder.backups.glob("*-manual.sqlite"))) == 2
    finally:
        first.terminate()
        first.wait(timeout=PROCESS_TIMEOUT_S)


def test_a_folder_held_by_a_command_is_refused_clearly_without_opening_the_database(
    starter: Starter, folder: DataFolder
) -> None:
    shown: list[str] = []

    def read(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        shown.append(widget.text())

    with FolderLock(folder.root, "restore"):
        watcher = ModalWatcher(read)
        assert starter(folder) == EXIT_REFUSED
        watcher.stop()
    assert len(shown) == 1
    assert shown[0].startswith(f"数据文件夹 {folder.root} 正被lawsup restore（进程 {os.getpid()}")
    assert not folder.database.exists()  # never opened


def test_the_folder_is_free_again_when_the_window_closes(
    starter: Starter, folder: DataFolder, workstation: WorkstationInfo
) -> None:
    window = starter.window(folder)
    assert isinstance(window, MainWindow)
    holder = read_holder(folder.root)
    assert holder is not None and holder.purpose == WORKBENCH
    window.close()
    with FolderLock(folder.root, "restore"):
        pass
