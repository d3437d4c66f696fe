"""One program per data folder: the OS lock under the workbench and the commands."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lawsup_desktop.services.folder_lock import (
    LOCK_FILE_NAME,
    WORKBENCH,
    FolderInUse,
    FolderLock,
    hold_folder,
    read_holder,
)


def test_a_second_holder_is_refused_and_told_who_has_it(tmp_path: Path) -> None:
    root = tmp_path / "data"
    with FolderLock(root, WORKBENCH) as first:
        assert first.held
        holder = read_holder(root)
        assert holder is not None
        assert (holder.purpose, holder.pid) == (WORKBENCH, os.getpid())
        with pytest.raises(FolderInUse) as refused:
            FolderLock(root, "restore").acquire()
        message = refused.value.message
        assert f"数据文件夹 {root} 正被法制监督员工作台（进程 {os.getpid()}" in message.zh
        assert f"in use by the workbench (process {os.getpid()}" in message.en
    assert not (root / LOCK_FILE_NAME).exists()
    with hold_folder(root, "restore") as second:  # free again
        assert second.held
        assert read_holder(root) is not None and read_holder(root).purpose == "restore"  # type: ignore[union-attr]


def test_the_lock_of_a_killed_program_is_never_stale(tmp_path: Path) -> None:
    root = tmp_path / "data"
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from lawsup_desktop.services.folder_lock import FolderLock
        lock = FolderLock(Path({str(root)!r}), "demo")
        lock.acquire()
        print("locked", flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        with pytest.raises(FolderInUse) as refused:
            FolderLock(root, WORKBENCH).acquire()
        assert f"lawsup demo（进程 {child.pid}" in refused.value.message.zh
        child.kill()
        child.wait()
        assert (root / LOCK_FILE_NAME).exists()  # left behind by the killed program...
        with FolderLock(root, WORKBENCH):  # ...yet no obstacle
            assert read_holder(root).pid == os.getpid()  # type: ignore[union-attr]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_an_unreadable_lock_file_still_refuses_without_naming_anyone(tmp_path: Path) -> None:
    root = tmp_path / "data"
    with FolderLock(root, WORKBENCH):
        (root / LOCK_FILE_NAME).write_bytes(b"\xff garbage")
        with pytest.raises(FolderInUse) as refused:
            FolderLock(root, "restore").acquire()
        assert "另一个 lawsup 程序" in refused.value.message.zh


def test_a_folder_without_file_locks_is_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from lawsup_desktop.domain.errors import LawsupError
    from lawsup_desktop.services import folder_lock

    def no_locks(_handle: object) -> bool:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(folder_lock, "_try_lock", no_locks)
    with pytest.raises(LawsupError) as refused:
        FolderLock(tmp_path / "share", WORKBENCH).acquire()
    assert not isinstance(refused.value, FolderInUse)
    assert "No locks available" in refused.value.message.en
    assert "网络共享文件夹" in refused.value.message.zh
