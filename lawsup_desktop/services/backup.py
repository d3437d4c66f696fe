"""Backups of the station database, and restoring one.

Every copy of the live file goes through SQLite's online backup API
(``sqlite3.Connection.backup``), never a file copy: it is consistent while the
program keeps working, and a file copy of a WAL database can miss the
committed transactions still in the ``-wal`` file. (A restore copies a
*backup* byte for byte: a one-file database that nothing writes.) Copies are
made page by page with progress and cancel, from one read snapshot (so writes
made meanwhile never restart the copy), into a ``.partial`` file renamed when
complete: a half-made backup never looks like a backup.

Backups live in the data folder's ``backups/`` as
``lawsup-<UTC time>-<kind>.sqlite``. Rotation keeps the newest ``keep``
(default 14) of EACH kind separately: automatic (daily), manual ("backup
now"), before a restore, and before a migration (made by
:func:`lawsup_desktop.store.migrations.prepare_database`). So fourteen quick
manual backups never push out the last pre-migration copy, and daily backups
never push out the one made before a restore.

Restoring is done so that on any failure the current file is untouched. In
the common case (the backup has the live file's key and schema) the restore
is a swap of files, with no page copied through SQLCipher (which decrypts and
re-encrypts every page, the most of the time on a 200,000-incident station):

1. the chosen backup is checked (:func:`describe_backup`, a ``quick_check``
   of every page) while its bytes are copied into a temporary file in the
   data folder (both at once, on two threads: one is CPU, the other I/O);
   the backup's size and time must be the same before and after, so what
   was checked is what was copied;
2. only then the live file is taken alone: this program's connections are
   closed and new ones wait (:func:`_connections_held`), and switching it
   from WAL to a rollback journal, which SQLite allows only to the one
   connection to a file, proves nothing else has it open (else the restore
   waits a little, then copies in the old way below);
3. the live file is hard-linked into ``backups/`` as the backup before the
   restore (the very file, checkpointed and self-contained: no copy), and
   the temporary file renamed over it in one atomic step.

Otherwise (a plain backup into an encrypted store, an older schema, a folder
on a file system without hard links, a file still open elsewhere) the backup
is checked while the current file is backed up through the backup API, staged
into a temporary file and upgraded or re-keyed there, and copied into the
live file through the backup API, in one SQLite transaction.

Encryption (:mod:`lawsup_desktop.services.encryption`): a backup is encrypted
with the same key as the database it copies (the backup API between two
connections keyed alike), or plain if made before the store was encrypted
(the one made just before encrypting it). Restoring a backup whose
encryption differs from the live file's re-encrypts the staged copy first
(``sqlcipher_export``), so the live file keeps its key. A backup swapped in
keeps the cipher settings it was written with (connections find them, see
:mod:`lawsup_desktop.store.encryption`).
"""

from __future__ import annotations

import gc
import logging
import os
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services import encryption as keys
from lawsup_desktop.services.progress import Cancelled, Progress, TaskContext
from lawsup_desktop.store import encryption
from lawsup_desktop.store.database import BUSY_TIMEOUT_MS, Database
from lawsup_desktop.store.encryption import FileKind
from lawsup_desktop.store.migrations import (
    DatabaseRefused,
    DatabaseState,
    inspect_database,
    read_revision,
    upgrade,
)

log = logging.getLogger(__name__)

DEFAULT_KEEP = 14
AUTOMATIC_INTERVAL = timedelta(days=1)
PAGES_PER_STEP = 2048
"""8 MB per step with 4 KB pages: fine-grained progress, few round trips."""
BYTES_PER_STEP = 8 * 1024 * 1024
"""The same for a byte copy (the restore's staging copy)."""
ALONE_WAIT_S = 2.0
"""How long a restore waits for the last other connection to the live file (a
list still loading, say) to close before it copies into the file instead."""

SUFFIX = ".sqlite"
_LIVE_FILE = threading.Lock()
"""Held while this process copies the live file or swaps it, so that an automatic
backup never opens the file while a restore swaps it."""
_STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(
    r"^(?P<stem>.+?)-(?P<stamp>\d{8}T\d{6}Z)(?:\.(?P<seq>\d+))?-(?P<label>[a-z0-9-]+)\.sqlite$"
)


class BackupKind(StrEnum):
    AUTOMATIC = "auto"
    MANUAL = "manual"
    BEFORE_RESTORE = "before-restore"
    BEFORE_MIGRATION = "before-migration"  # labelled "before-<revision>" on disk

    @property
    def label(self) -> Text:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    BackupKind.AUTOMATIC: Text("自动备份", "automatic backup"),
    BackupKind.MANUAL: Text("手动备份", "manual backup"),
    BackupKind.BEFORE_RESTORE: Text("恢复前备份", "backup before a restore"),
    BackupKind.BEFORE_MIGRATION: Text("升级前备份", "backup before an upgrade"),
}

# The main record kinds shown before a restore: (table, label). Backups are read with
# plain sqlite3 (one may be of an older schema), so tables are named, not modelled.
RECORD_KINDS: tuple[tuple[str, Text], ...] = (
    ("incident", Text("警情", "Incidents")),
    ("follow_up", Text("回访", "Follow-ups")),
    ("case", Text("案件", "Cases")),
    ("case_audit", Text("案件审核登记表", "Case audit forms")),
    ("rectification", Text("整改事项", "Rectification items")),
)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: BackupKind
    made_at: datetime
    """When the backup was made (UTC, aware)."""
    size: int


@dataclass(frozen=True)
class RecordCount:
    table: str
    label: Text
    count: int


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, for the restore confirmation."""

    path: Path
    made_at: datetime
    """From the backup's name, else the file's modification time (UTC, aware)."""
    revision: str | None
    station_name: str
    counts: tuple[RecordCount, ...]
    file_stamp: tuple[int, int, int] | None = None
    """Size, modification time (ns) and inode of the file when it was checked: a
    restore given this summary checks it again if the file changed since."""


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupSummary
    safety_backup: BackupInfo | None
    """The file as it was before the restore, kept with the backups (None: there
    was none)."""
    upgraded: bool
    """The backup was made by an older version and was upgraded on the way in."""


# ---------------------------------------------------------------- names


def _kind_of(label: str) -> BackupKind | None:
    if label.startswith("before-") and label != BackupKind.BEFORE_RESTORE:
        return BackupKind.BEFORE_MIGRATION
    try:
        return BackupKind(label)
    except ValueError:
        return None


def parse_backup_name(path: Path) -> tuple[BackupKind, datetime, int] | None:
    """Kind, time and sequence number of a backup's file name; None if not ours."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    kind = _kind_of(match["label"])
    if kind is None:
        return None
    made_at = datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=UTC)
    return kind, made_at, int(match["seq"] or 0)


def list_backups(folder: DataFolder) -> list[BackupInfo]:
    """The folder's backups, newest first."""
    if not folder.backups.is_dir():
        return []
    found: list[tuple[datetime, int, BackupInfo]] = []
    for path in folder.backups.glob(f"*{SUFFIX}"):
        parsed = parse_backup_name(path)
        if parsed is None:
            continue
        kind, made_at, seq = parsed
        found.append((made_at, seq, BackupInfo(path, kind, made_at, path.stat().st_size)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for _, _, info in found]


def _new_target(folder: DataFolder, kind: BackupKind, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime(_STAMP_FORMAT)
    stem = folder.database.stem
    target = folder.backups / f"{stem}-{stamp}-{kind.value}{SUFFIX}"
    seq = 1
    while target.exists():  # two backups in the same second
        seq += 1
        target = folder.backups / f"{stem}-{stamp}.{seq}-{kind.value}{SUFFIX}"
    return target


# ---------------------------------------------------------------- copying


def _progress(ctx: TaskContext, text: str) -> Callable[[int, int, int], None]:
    def report(_status: int, remaining: int, total: int) -> None:
        ctx.report(max(total - remaining, 0), total, text)
        # Raised inside the copy: SQLite abandons it, the target stays unfinished.
        ctx.check_cancelled()

    return report


def _copy(
    source: encryption.Connection, target: encryption.Connection, ctx: TaskContext, text: str
) -> None:
    """Copy ``source`` into ``target`` page by page, from one read snapshot."""
    source.isolation_level = None
    # Hold a read transaction for the whole copy: every step then reads the
    # same snapshot, and writes by the running program never restart it.
    source.execute("BEGIN")
    try:
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        source.backup(target, pages=PAGES_PER_STEP, progress=_progress(ctx, text))
    finally:
        source.execute("COMMIT")


def _connect_read_only(path: Path, key: bytes | None) -> encryption.Connection:
    return encryption.connect(path, key, read_only=True, timeout=BUSY_TIMEOUT_MS / 1000)


def _copy_file(
    source_path: Path, target: Path, ctx: TaskContext, text: str, key: bytes | None
) -> None:
    """A self-contained copy (rollback journal, no ``-wal``) of ``source_path``,
    encrypted with the same ``key``."""
    source = _connect_read_only(source_path, key)
    try:
        destination = encryption.connect(target, key)
        try:
            _copy(source, destination, ctx, text)
            # The copy took over WAL mode from its source; a backup is one file.
            destination.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            destination.close()
    finally:
        source.close()


def _copy_bytes(source: Path, target: Path, ctx: TaskContext, text: str) -> None:
    """A byte copy of ``source`` into the new file ``target``, on disk when it returns
    (for a file no program has open: a backup)."""
    total = source.stat().st_size
    done = 0
    with source.open("rb") as reader, target.open("xb") as writer:
        step = _copy_step(reader.fileno(), writer.fileno())
        while copied := step(BYTES_PER_STEP):
            done += copied
            ctx.report(done, total, text)
            ctx.check_cancelled()
        os.fsync(writer.fileno())


def _copy_step(source: int, target: int) -> Callable[[int], int]:
    """A function copying up to n bytes from ``source`` to ``target`` at their
    offsets, returning how many (0: at the end): ``copy_file_range`` where the
    system has it for these files (Linux: no copy through this process's
    memory), else a read and a write."""
    in_system = hasattr(os, "copy_file_range")

    def step(n: int) -> int:
        nonlocal in_system
        if in_system:
            try:
                return os.copy_file_range(source, target, n)
            except OSError as exc:  # not for these files (another file system...)
                log.debug("copy_file_range: %s; reading and writing instead", exc)
                in_system = False
        chunk = os.read(source, n)
        view = memoryview(chunk)
        while view:
            view = view[os.write(target, view):]
        return len(chunk)

    return step


def _file_stamp(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _sync_directory(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX; Windows has no directory handles)."""
    if os.name != "posix":
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_database_files(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# ---------------------------------------------------------------- backups


def backup_now(
    folder: DataFolder,
    kind: BackupKind = BackupKind.MANUAL,
    *,
    keep: int = DEFAULT_KEEP,
    ctx: TaskContext | None = None,
    now: datetime | None = None,
) -> BackupInfo:
    """Back up the folder's database into ``folder.backups``, then keep only the
    newest ``keep`` backups of that kind. Safe while the program writes."""
    _check_keep(keep)
    info = _make_backup(folder, kind, ctx or TaskContext(), now)
    prune_backups(folder, keep)
    return info


def _make_backup(
    folder: DataFolder, kind: BackupKind, ctx: TaskContext, now: datetime | None
) -> BackupInfo:
    """:func:`backup_now` without the rotation."""
    if not folder.database.exists():
        raise LawsupError(
            Text(
                f"没有可备份的数据库：{folder.database} 不存在。",
                f"There is no database to back up: {folder.database} does not exist.",
            )
        )
    # Whole seconds: what the file name can say, so listing gives the same time.
    made_at = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    key = keys.folder_key(folder)
    folder.backups.mkdir(parents=True, exist_ok=True)
    target = _new_target(folder, kind, made_at)
    partial = target.with_name(target.name + ".partial")
    try:
        with _LIVE_FILE:
            _copy_file(folder.database, partial, ctx, "", key)
        os.replace(partial, target)
    except encryption.Error as exc:
        raise LawsupError(
            Text(f"备份失败：{exc}", f"The backup failed: {exc}")
        ) from exc
    except OSError as exc:
        raise LawsupError(
            Text(
                f"无法写入备份文件夹 {folder.backups}（{exc.strerror}）。",
                f"Cannot write the backup folder {folder.backups} ({exc.strerror}).",
            )
        ) from exc
    finally:
        _remove_database_files(partial)
    info = BackupInfo(target, kind, made_at, target.stat().st_size)
    log.info("backed up %s to %s", folder.database, target)
    return info


def _check_keep(keep: int) -> None:
    if keep < 1:
        raise LawsupError(
            Text(
                f"保留的备份份数必须至少为 1（现为 {keep}）。",
                f"The number of backups to keep must be at least 1 (it is {keep}).",
            )
        )


def prune_backups(folder: DataFolder, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups of each kind; returns the deleted."""
    _check_keep(keep)
    seen: dict[BackupKind, int] = {}
    deleted = []
    for info in list_backups(folder):  # newest first
        seen[info.kind] = seen.get(info.kind, 0) + 1
        if seen[info.kind] > keep:
            info.path.unlink(missing_ok=True)
            deleted.append(info.path)
    if deleted:
        log.info("removed %d old backup(s)", len(deleted))
    return deleted


def automatic_backup_due(folder: DataFolder, now: datetime | None = None) -> bool:
    """Whether the newest automatic backup is a day old or missing (and there is a
    database to back up)."""
    if not folder.database.exists():
        return False
    now = now or datetime.now(UTC)
    newest = next(
        (b for b in list_backups(folder) if b.kind is BackupKind.AUTOMATIC), None
    )
    return newest is None or now - newest.made_at >= AUTOMATIC_INTERVAL


def run_automatic_backup(
    folder: DataFolder,
    *,
    keep: int = DEFAULT_KEEP,
    ctx: TaskContext | None = None,
    now: datetime | None = None,
) -> BackupInfo | None:
    """The daily backup: made only when :func:`automatic_backup_due`."""
    if not automatic_backup_due(folder, now):
        return None
    return backup_now(folder, BackupKind.AUTOMATIC, keep=keep, ctx=ctx, now=now)


# ---------------------------------------------------------------- describing


def _not_a_backup(path: Path, zh: str, en: str) -> LawsupError:
    return LawsupError(
        Text(f"{path} 不能用于恢复：{zh}", f"{path} cannot be restored: {en}")
    )


def backup_key(path: Path) -> bytes | None:
    """The key to read the backup ``path`` with: None for a plain file (made before
    the store was encrypted, or by the user's choice), else the user's key."""
    if encryption.file_kind(path) is not FileKind.OPAQUE:
        return None
    return keys.stored_key()


def describe_backup(
    path: Path, *, opened: Callable[[encryption.Connection], object] | None = None
) -> BackupSummary:
    """Date and record counts of a backup, read without changing it. A damaged,
    foreign, empty or too new file raises a :class:`LawsupError` saying so.
    ``opened`` is given the connection that checks the file (a restore interrupts
    the check through it when it is cancelled)."""
    path = path.absolute()
    if not path.is_file():
        raise _not_a_backup(path, "文件不存在。", "the file does not exist.")
    stamp = _file_stamp(path)  # before reading: a later change shows as a new stamp
    try:
        key = backup_key(path)
        revision = read_revision(path, key)
        if revision is None:
            raise _not_a_backup(path, "它是空的数据库。", "it is an empty database.")
        inspect_database(path, key)  # refuses a backup made by a newer program
        connection = _connect_read_only(path, key)
        try:
            if opened is not None:
                opened(connection)
            # quick_check, not integrity_check: it reads every page in use (and
            # SQLCipher checks each one's HMAC, so a changed byte is found), checks
            # every b-tree and that no page is lost or used twice; it skips only
            # matching each index against its table, which made integrity_check
            # 6x slower (16 s of CPU against 2.8 s on the encrypted 200,000-incident
            # store): a restore must refuse a damaged file, not audit the indexes.
            check = connection.execute("PRAGMA quick_check").fetchall()
            if check != [("ok",)]:
                raise _not_a_backup(
                    path,
                    f"文件已损坏（{check[0][0]}）。",
                    f"the file is damaged ({check[0][0]}).",
                )
            station = connection.execute(
                "SELECT s.name FROM workstation w JOIN station s ON s.id = w.station_id"
            ).fetchone()
            if station is None:
                raise _not_a_backup(
                    path,
                    "其中没有完成初始设置的本机数据。",
                    "it holds no set-up workstation.",
                )
            counts = tuple(
                RecordCount(
                    table,
                    label,
                    int(
                        connection.execute(
                            f'SELECT count(*) FROM "{table}" WHERE deleted_at IS NULL'
                        ).fetchone()[0]
                    ),
                )
                for table, label in RECORD_KINDS
            )
        finally:
            connection.close()
    except DatabaseRefused as exc:
        raise _not_a_backup(path, exc.message.zh, exc.message.en) from exc
    except encryption.Error as exc:
        raise _not_a_backup(
            path, f"文件已损坏（{exc}）。", f"the file is damaged ({exc})."
        ) from exc
    parsed = parse_backup_name(path)
    made_at = (
        parsed[1]
        if parsed is not None
        else datetime.fromtimestamp(path.stat().st_mtime, UTC)
    )
    return BackupSummary(path, made_at, revision, str(station[0]), counts, stamp)


# ---------------------------------------------------------------- restoring


def restore_backup(
    folder: DataFolder,
    source: Path,
    *,
    db: Database | None = None,
    keep: int = DEFAULT_KEEP,
    ctx: TaskContext | None = None,
    described: BackupSummary | None = None,
) -> RestoreResult:
    """Replace the folder's database by the backup ``source``.

    The caller holds the folder (:mod:`~lawsup_desktop.services.folder_lock`),
    so no other program writes it. ``db``, if this program has the database
    open, keeps working afterwards: its connections are closed before and
    reopen on next use. Raises before anything changed if ``source`` is not a
    usable backup; on any later failure the current file is untouched.
    ``described``: what :func:`describe_backup` said of ``source`` just before
    (for the confirmation), so its check is not run twice.
    """
    ctx = ctx or TaskContext()
    _check_keep(keep)
    source = source.absolute()
    live = folder.database
    if live.exists() and source.resolve() == live.resolve():
        raise _not_a_backup(
            source, "它就是当前的数据库文件。", "it is the current database file."
        )
    if live.exists():
        swapped = _restore_by_swap(folder, source, db, ctx, described)
        if isinstance(swapped, RestoreResult):
            prune_backups(folder, keep)  # only now: a refused restore must not rotate
            log.info("restored %s from %s (swapped in)", live, source)
            return swapped
        if swapped is not None:
            described = swapped  # checked already, but the file could not be swapped
    if described is not None and _still_as_described(described, source):
        summary = described
        safety = _safety_backup(folder, ctx) if live.exists() else None
    elif live.exists():
        summary, safety = _check_while_backing_up(folder, source, ctx)
    else:
        summary, safety = describe_backup(source), None
    if safety is not None:
        prune_backups(folder, keep)  # only now: a refused restore must not rotate
    source_key = backup_key(source)
    # The live file keeps its key (or stays plain), so the program that has it open
    # goes on reading it; a fresh folder is keyed as at any first start (plain
    # only by the user's choice).
    live_key = keys.folder_key(folder) if live.exists() else keys.key_for_opening(folder, ctx)
    ctx.check_cancelled()
    stage = folder.root / f".restoring-{os.getpid()}{SUFFIX}"
    _remove_database_files(stage)
    try:
        upgraded = inspect_database(source, source_key) is DatabaseState.OUTDATED
        if (
            live.exists()
            and not upgraded
            and source_key == live_key
            and _page_size(source, source_key) == _page_size(live, live_key)
        ):
            # The common case: straight from the (read-only) backup into the
            # live file; the copy is one transaction of the live file.
            if db is not None:
                db.dispose()
            _copy_into_live(_connect_read_only(source, source_key), live, ctx, live_key)
        else:
            # Staged: upgraded to this version's schema, given the live file's
            # key or page size, in a temporary file; the backup stays as it is.
            _copy_file(source, stage, ctx, "", source_key)
            if upgraded:
                upgrade(stage, key=source_key)
            if source_key != live_key:
                _reencrypt(stage, source_key, live_key)
            ctx.check_cancelled()
            if db is not None:
                db.dispose()
            if live.exists():
                staged = encryption.connect(stage, live_key)
                _match_page_size(staged, _page_size(live, live_key))
                _copy_into_live(staged, live, ctx, live_key)
            else:
                # A fresh folder: no reader, no -wal of its own. Leftovers of a
                # removed file would be applied to the new one, so they go first.
                _remove_database_files(live)
                os.replace(stage, live)
    except encryption.Error as exc:
        raise LawsupError(
            Text(
                f"恢复失败，当前数据库未被改动：{exc}",
                f"The restore failed; the current database was not changed: {exc}",
            )
        ) from exc
    finally:
        _remove_database_files(stage)
        if db is not None:
            db.dispose()
    log.info("restored %s from %s", live, source)
    return RestoreResult(summary, safety, upgraded)


def _still_as_described(described: BackupSummary, source: Path) -> bool:
    """Whether ``described`` is of ``source`` as it is now (else it is checked again)."""
    if described.path != source or described.file_stamp is None:
        return described.path == source
    try:
        return described.file_stamp == _file_stamp(source)
    except OSError:  # gone: checking it again says so
        return False


def _can_swap(source: Path, source_key: bytes | None, live_key: bytes | None) -> bool:
    """Whether ``source`` can become the live file as it is, byte for byte: the
    same key (or both plain), this version's schema, and nothing in a ``-wal``
    (a byte copy would miss what is committed there)."""
    if source_key != live_key:
        return False
    wal = Path(f"{source}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False
    return inspect_database(source, source_key) is DatabaseState.CURRENT


def _restore_by_swap(
    folder: DataFolder,
    source: Path,
    db: Database | None,
    ctx: TaskContext,
    described: BackupSummary | None,
) -> RestoreResult | BackupSummary | None:
    """The common restore: check and copy ``source`` at once, then swap the copy
    in for the live file, which becomes the backup before the restore.

    Returns the result; or, if the live file could not be swapped (see
    :func:`_swap_into_live`), what the check found, for the copy into the live
    file; or None if ``source`` cannot be swapped in as it is (nothing done).
    Raises, leaving everything as it was, if ``source`` is refused or on cancel."""
    live_key = keys.folder_key(folder)
    try:
        if not _can_swap(source, backup_key(source), live_key):
            return None
    except (LawsupError, encryption.Error, OSError) as exc:
        # Not readable as a backup: the full path refuses it, saying why.
        log.debug("not swapping %s in: %s", source, exc)
        return None
    stage = folder.root / f".restoring-{os.getpid()}{SUFFIX}"
    _remove_database_files(stage)
    try:
        try:
            summary = _check_while_copying(source, stage, ctx, described)
        except OSError as exc:
            raise LawsupError(
                Text(
                    f"无法把备份复制到数据文件夹 {folder.root}（{exc.strerror}），"
                    "当前数据库未被改动。",
                    f"Cannot copy the backup into the data folder {folder.root} "
                    f"({exc.strerror}); the current database was not changed.",
                )
            ) from exc
        ctx.check_cancelled()
        safety = _swap_into_live(folder, stage, live_key, db, ctx)
    finally:
        _remove_database_files(stage)  # gone already if it was swapped in
    if safety is None:
        return summary
    return RestoreResult(summary, safety, upgraded=False)


def _backup_changed(path: Path) -> LawsupError:
    return _not_a_backup(
        path, "读取期间文件被改动了，请重试。", "the file changed while it was read; try again."
    )


def _check_while_copying(
    source: Path, stage: Path, ctx: TaskContext, described: BackupSummary | None
) -> BackupSummary:
    """:func:`describe_backup` of ``source`` while it is copied byte for byte into
    ``stage`` (on disk when this returns). They share the reading of the file: the
    check is CPU (SQLCipher decrypts each page), the copy I/O.

    Refused or cancelled: the copy stops (and the check, when cancelled), and the
    caller removes ``stage``. The file must be unchanged from before the check to
    after the copy, so what was checked is what was copied."""
    before = _file_stamp(source)
    if described is not None and _still_as_described(described, source):
        # Checked just before (for the confirmation), and not changed since.
        _copy_bytes(source, stage, ctx, "")
        if _file_stamp(source) != described.file_stamp:
            raise _backup_changed(source)
        return described

    copy_ctx = _beside_the_check(ctx)
    checking = _Check()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="restore-check") as pool:
        checked = pool.submit(_check_or_stop, copy_ctx, source, checking.opened)
        try:
            _copy_bytes(source, stage, copy_ctx, "")
        except BaseException as exc:
            if ctx.cancelled or not isinstance(exc, Cancelled):
                # The user cancelled, or the copy failed: the check's answer is not
                # needed, and on a big file it would take seconds more.
                checking.stop()
                checked.exception()  # wait for it; its error says nothing new
                ctx.check_cancelled()
                raise
        summary = checked.result()  # the check's refusal comes first
    if _file_stamp(source) != before or summary.file_stamp != before:
        raise _backup_changed(source)
    return summary


def _beside_the_check(ctx: TaskContext) -> TaskContext:
    """The context of the copy made while the backup is checked: its progress goes to
    the caller's ``ctx``, and it stops at its next step when the user cancels (or
    when the check refuses the file: :func:`_check_or_stop`)."""

    def forward(progress: Progress) -> None:
        ctx.report(progress.done, progress.total, progress.text)
        if ctx.cancelled:
            beside.cancel()

    beside = TaskContext(on_progress=forward)
    return beside


def _check_or_stop(
    beside: TaskContext, source: Path,
    opened: Callable[[encryption.Connection], None] | None,
) -> BackupSummary:
    """:func:`describe_backup` of ``source``; a refusal also stops the copy made beside it."""
    try:
        return describe_backup(source, opened=opened)
    except BaseException:
        beside.cancel()
        raise


class _Check:
    """The check's connection, for stopping the check from another thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connection: encryption.Connection | None = None
        self._stopped = False

    def opened(self, connection: encryption.Connection) -> None:
        with self._lock:
            if self._stopped:
                raise Cancelled()
            self._connection = connection
        # Asked now and then during the check (SQLite's integrity checks call the
        # progress handler too): a stop that comes before the check has started,
        # which interrupt() would miss, still ends it.
        connection.set_progress_handler(self._stopping, 10_000)

    def _stopping(self) -> int:
        return int(self._stopped)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._connection is None:
                return
            try:
                self._connection.interrupt()  # the one call SQLite allows from any thread
            except encryption.Error as exc:  # closed meanwhile: the check is over
                log.debug("check not interrupted: %s", exc)


def _swap_into_live(
    folder: DataFolder, stage: Path, key: bytes | None, db: Database | None, ctx: TaskContext
) -> BackupInfo | None:
    """Make ``stage`` the live file, and the live file the backup before the restore.

    None (nothing changed) if the live file is still open elsewhere after
    :data:`ALONE_WAIT_S`, or cannot be hard-linked (a file system without links):
    the caller then copies into the live file instead."""
    live = folder.database
    with _LIVE_FILE, _connections_held(db):
        holder = _hold_alone(live, key, ctx)
        if holder is None:
            log.warning("%s is still open elsewhere: restoring by copying into it", live)
            return None
        try:
            made_at = datetime.now(UTC).replace(microsecond=0)
            folder.backups.mkdir(parents=True, exist_ok=True)
            target = _new_target(folder, BackupKind.BEFORE_RESTORE, made_at)
            if os.name == "nt":
                # Windows links and renames no file that is open: let go of it. A
                # program opening it meanwhile makes the rename fail, harmlessly.
                holder.close()
            try:
                # The very file, no copy: checkpointed and in rollback-journal mode
                # now (see _hold_alone), so self-contained like any backup. A link,
                # not a rename: the live name never goes missing (a crash between
                # the two steps leaves the current file under both names).
                os.link(live, target)
            except OSError as exc:
                log.warning("cannot link %s into the backups (%s): copying instead", live, exc)
                return None
            try:
                _replace_live(stage, live)
            except OSError as exc:
                target.unlink(missing_ok=True)
                log.warning("cannot replace %s (%s): copying into it instead", live, exc)
                return None
        finally:
            holder.close()
    _sync_directory(folder.root)
    _sync_directory(folder.backups)
    return BackupInfo(target, BackupKind.BEFORE_RESTORE, made_at, target.stat().st_size)


def forget_unfinished_swap(folder: DataFolder) -> list[Path]:
    """Remove the backup names that are the live file itself: left by a crash between
    the link and the rename of :func:`_swap_into_live`, so the restore never
    happened, and later writes to the live file would change that "backup" too.
    Returns the names removed."""
    live = folder.database.stat()
    removed = []
    for info in list_backups(folder):
        found = info.path.stat()
        if (found.st_ino, found.st_dev) == (live.st_ino, live.st_dev):
            info.path.unlink()
            removed.append(info.path)
            log.warning("removed %s: the live file itself, left by an unfinished restore",
                        info.path)
    return removed


def _replace_live(stage: Path, live: Path) -> None:
    """Rename ``stage`` over ``live`` in one step (the caller keeps the old file
    locked meanwhile, on POSIX, so that no connection starts reading it)."""
    os.replace(stage, live)


class _Gate:
    """A ``do_connect`` hook of a :class:`Database`'s engines: while closed, a new
    connection waits before it opens the file. Installed once per Database and
    never removed (SQLAlchemy iterates its hooks while one of them waits)."""

    def __init__(self) -> None:
        self._open = threading.Event()
        self._open.set()

    def __call__(self, *_args: object) -> None:
        self._open.wait()

    def close(self) -> None:
        self._open.clear()

    def open(self) -> None:
        self._open.set()


_GATES: weakref.WeakKeyDictionary[Database, _Gate] = weakref.WeakKeyDictionary()
_GATES_LOCK = threading.Lock()


def _gate(db: Database) -> _Gate:
    from sqlalchemy import event

    with _GATES_LOCK:
        gate = _GATES.get(db)
        if gate is None:
            gate = _GATES[db] = _Gate()
            for engine in (db.reader, db.writer):
                event.listen(engine, "do_connect", gate)
        return gate


@contextmanager
def _connections_held(db: Database | None) -> Iterator[None]:
    """Close ``db``'s connections, and hold any new one before it opens the file,
    until the block is over (then it opens whatever file the block left)."""
    if db is None:
        yield
        return
    gate = _gate(db)
    gate.close()
    try:
        db.dispose()
        yield
    finally:
        gate.open()


def _hold_alone(live: Path, key: bytes | None, ctx: TaskContext) -> encryption.Connection | None:
    """A connection that holds ``live`` alone (an exclusive lock, kept until it is
    closed), with the file checkpointed into rollback-journal mode; None if another
    connection still has the file open after :data:`ALONE_WAIT_S`.

    Leaving WAL mode is what proves it: SQLite allows it only to the one
    connection to a file (it then folds the ``-wal`` in and removes it)."""
    deadline = time.monotonic() + ALONE_WAIT_S
    while True:
        connection = encryption.connect(live, key, timeout=0)
        try:
            mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if str(mode).lower() == "delete":
                connection.execute("PRAGMA locking_mode = EXCLUSIVE").fetchone()
                connection.isolation_level = None
                connection.execute("BEGIN EXCLUSIVE")
                connection.execute("COMMIT")
                return connection
        except encryption.DatabaseError as exc:  # "database is locked": not alone
            log.debug("%s is open elsewhere: %s", live, exc)
        connection.close()
        if time.monotonic() >= deadline:
            return None
        # A connection a disposed pool got back is closed when it is collected.
        gc.collect()
        ctx.check_cancelled()
        time.sleep(0.05)


def _safety_backup(folder: DataFolder, ctx: TaskContext) -> BackupInfo:
    """The backup of the current file made before a restore (not yet rotated)."""
    return _make_backup(folder, BackupKind.BEFORE_RESTORE, ctx, None)


def _check_while_backing_up(
    folder: DataFolder, source: Path, ctx: TaskContext
) -> tuple[BackupSummary, BackupInfo]:
    """:func:`describe_backup` of ``source`` and the safety backup at once.

    They read different files and SQLite releases the GIL while it works, so
    the check (a full read of the backup) costs no extra time next to the copy.
    If the check refuses the backup, the safety backup is stopped and removed:
    a refused restore leaves nothing behind.
    """
    safety_ctx = _beside_the_check(ctx)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="restore-check") as pool:
        checked = pool.submit(_check_or_stop, safety_ctx, source, None)
        try:
            safety: BackupInfo | None = _safety_backup(folder, safety_ctx)
            safety_error: BaseException | None = None
        except (Cancelled, LawsupError) as exc:
            safety, safety_error = None, exc
        try:
            summary = checked.result()  # the check's refusal comes first
        except BaseException:
            if safety is not None:
                safety.path.unlink(missing_ok=True)
            raise
    if safety_error is not None:
        ctx.check_cancelled()
        raise safety_error
    assert safety is not None
    return summary, safety


def _reencrypt(stage: Path, key: bytes | None, new_key: bytes | None) -> None:
    """Give the staged copy ``new_key`` (None: plain) instead of ``key``."""
    exported = stage.with_name(stage.name + ".exported")
    _remove_database_files(exported)
    try:
        connection = encryption.connect(stage, key)
        try:
            encryption.export(connection, exported, new_key)
        finally:
            connection.close()
        _remove_database_files(stage)
        os.replace(exported, stage)
    finally:
        _remove_database_files(exported)


def _page_size(path: Path, key: bytes | None) -> int:
    connection = _connect_read_only(path, key)
    try:
        return int(connection.execute("PRAGMA page_size").fetchone()[0])
    finally:
        connection.close()


def _match_page_size(staged: encryption.Connection, page_size: int) -> None:
    """A WAL database cannot change its page size through a backup: the staged
    copy takes the live file's instead."""
    if int(staged.execute("PRAGMA page_size").fetchone()[0]) != page_size:
        staged.execute("PRAGMA journal_mode = DELETE").fetchone()
        staged.execute(f"PRAGMA page_size = {page_size}")
        staged.execute("VACUUM")


def _copy_into_live(
    source: encryption.Connection, live: Path, ctx: TaskContext, key: bytes | None
) -> None:
    """Copy ``source`` (closed afterwards) into the live file in one SQLite transaction."""
    try:
        target = encryption.connect(live, key, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            _copy(source, target, ctx, "")
            # Fold the restored pages into the main file now rather than at some
            # later checkpoint, so the -wal file does not stay database-sized.
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            target.close()
    finally:
        source.close()
