"""One program at a time writes a data folder: an OS file lock on ``lawsup.lock``.

The workbench holds the lock for as long as it runs; command-line commands
that write (restore, demo data, imports…) hold it while they work. Either
refuses to start while the other holds it.

Why an OS lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) and not a
lock file whose mere existence counts (or Qt's QLockFile): the operating
system releases it when its process dies, however it dies, so a crashed or
killed program never leaves a stale lock behind and no guess about stale
process ids is needed. The file only carries who holds it, for the message.

On POSIX the file is removed on release (while still locked), and whoever
locks it checks that the path still names the file it locked, so two
programs can never both hold locks on two different files of that name.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.store.migrations import check_writable

log = logging.getLogger(__name__)

LOCK_FILE_NAME = "lawsup.lock"

WORKBENCH = "workbench"
"""The purpose the GUI gives; commands give their own name (``"restore"``…)."""

# Windows locks a byte range, and a locked range cannot be read by others:
# lock one byte far past the holder's description so it stays readable.
_WINDOWS_LOCK_OFFSET = 1 << 20


@dataclass(frozen=True)
class LockHolder:
    """Who holds a data folder, as its lock file says."""

    purpose: str
    pid: int
    host: str
    since: str

    def describe(self) -> Text:
        if self.purpose == WORKBENCH:
            zh, en = "法制监督员工作台", "the workbench"
        else:
            zh = en = f"lawsup {self.purpose}"
        return Text(
            f"{zh}（进程 {self.pid}，计算机 {self.host}，自 {self.since} 起）",
            f"{en} (process {self.pid} on {self.host}, since {self.since})",
        )


class FolderInUse(LawsupError):
    """Another program holds the data folder; nothing was changed."""

    def __init__(self, root: Path, holder: LockHolder | None) -> None:
        who = holder.describe() if holder else Text("另一个 lawsup 程序", "another lawsup program")
        super().__init__(
            Text(
                f"数据文件夹 {root} 正被{who.zh}使用。请先关闭它，或用 --data-dir 选择其他文件夹。",
                f"The data folder {root} is in use by {who.en}. Close it first, or choose "
                "another folder with --data-dir.",
            )
        )
        self.holder = holder


def _cannot_lock(root: Path, exc: OSError) -> LawsupError:
    return LawsupError(
        Text(
            f"无法锁定数据文件夹 {root}（{exc.strerror or exc}）。数据文件夹应位于本机磁盘上，"
            "而不是网络共享文件夹。",
            f"Cannot lock the data folder {root} ({exc.strerror or exc}). The data folder "
            "must be on a local disk, not a network share.",
        )
    )


def _try_lock(handle: IO[bytes]) -> bool:
    """Take the OS lock without waiting; False if someone else has it."""
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_WINDOWS_LOCK_OFFSET)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        # flock (not fcntl record locks): it belongs to this open file, so a
        # second FolderLock in the same process is refused as well.
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_WINDOWS_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _same_file(handle: IO[bytes], path: Path) -> bool:
    """Whether ``path`` still names the file ``handle`` has open (see module doc)."""
    if os.name == "nt":
        return True  # a file open on Windows cannot be deleted
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(handle.fileno())
    return (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)


class FolderLock:
    """The lock on one data folder. Not re-entrant: a second ``acquire`` of the same
    folder, even in this process, raises :class:`FolderInUse`."""

    def __init__(self, root: Path, purpose: str) -> None:
        self.root = root
        self.purpose = purpose
        self.path = root / LOCK_FILE_NAME
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> None:
        """Take the folder or raise :class:`FolderInUse` at once (never waits)."""
        if self._handle is not None:
            return
        check_writable(self.root)  # a clear message for a read-only folder
        while True:
            try:
                handle = self.path.open("a+b")
            except OSError as exc:
                raise _cannot_lock(self.root, exc) from exc
            try:
                try:
                    got_it = _try_lock(handle)
                except OSError as exc:  # e.g. a network drive without file locks
                    raise _cannot_lock(self.root, exc) from exc
                if not got_it:
                    holder = read_holder(self.root)
                    raise FolderInUse(self.root, holder)
                if _same_file(handle, self.path):
                    break
            except BaseException:
                handle.close()
                raise
            handle.close()  # the holder removed it as we locked it: lock the new one
        self._handle = handle
        self._write_holder(handle)
        log.info("data folder %s locked for %s", self.root, self.purpose)

    def _write_holder(self, handle: IO[bytes]) -> None:
        holder = {
            "purpose": self.purpose,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M"),
        }
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(holder, ensure_ascii=False).encode("utf-8"))
        handle.flush()

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            if os.name != "nt":
                # Removed while still locked; see _same_file for the other side.
                self.path.unlink(missing_ok=True)
            _unlock(handle)
        finally:
            handle.close()
        log.info("data folder %s released", self.root)

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def read_holder(root: Path) -> LockHolder | None:
    """Who holds the folder according to its lock file (None: unknown or free)."""
    try:
        with (root / LOCK_FILE_NAME).open("rb") as f:
            data = json.loads(f.read(4096).decode("utf-8"))
        return LockHolder(
            purpose=str(data["purpose"]),
            pid=int(data["pid"]),
            host=str(data["host"]),
            since=str(data["since"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        # Being written right now, or from an older program: the message
        # just names no holder.
        log.debug("cannot read the lock file of %s: %s", root, exc)
        return None


@contextmanager
def hold_folder(root: Path, purpose: str) -> Iterator[FolderLock]:
    """``with hold_folder(folder.root, "restore"):`` for commands that write."""
    lock = FolderLock(root, purpose)
    lock.acquire()
    try:
        yield lock
    finally:
        lock.release()
