"""Open the station file safely: refuse what is not ours, back up, then upgrade.

Alembic is imported only when an upgrade is due, so an up-to-date database
opens without paying for it at every start.

Every function takes the file's SQLCipher ``key`` (None: a plain file); a plain
file is read without one whatever ``key`` says, so a plain backup made before
the store was encrypted can still be described.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from enum import Enum
from importlib import resources
from pathlib import Path

from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.store import encryption
from lawsup_desktop.store.encryption import FileKind

SCHEMA_HEAD = "0002"
"""The newest migration this program ships; a test keeps it equal to Alembic's head."""


class DatabaseState(Enum):
    MISSING = "missing"
    CURRENT = "current"
    OUTDATED = "outdated"


class DatabaseRefused(LawsupError):
    """The file cannot be opened as a station database; nothing was changed."""


def _refuse(path: Path, zh: str, en: str) -> DatabaseRefused:
    return DatabaseRefused(
        Text(f"无法打开数据库文件 {path}：{zh}", f"Cannot open the database file {path}: {en}")
    )


def read_revision(path: Path, key: bytes | None = None) -> str | None:
    """The file's schema revision, read without touching it (``mode=ro``)."""
    kind = encryption.file_kind(path)
    if kind is FileKind.MISSING:
        if not path.exists():
            raise FileNotFoundError(path)
        return None
    if kind is FileKind.OPAQUE and key is None:
        raise _refuse(
            path,
            "它不是 lawsup 数据库（文件已损坏或是其他类型的文件，或是加密的而本机没有它的密钥）。",
            "it is not a lawsup database (damaged, or another kind of file, or encrypted "
            "with a key this computer does not have).",
        )
    try:
        connection = encryption.connect(
            path, key if kind is FileKind.OPAQUE else None, read_only=True
        )
        try:
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
            if not tables:
                return None
            if "alembic_version" not in tables or "incident" not in tables:
                raise _refuse(path, "这是其他程序的数据库。", "it belongs to another program.")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except encryption.DatabaseError as exc:
        if kind is FileKind.OPAQUE:
            raise _refuse(
                path,
                "它不是 lawsup 数据库（文件已损坏或是其他类型的文件，或是用其他密钥加密的）。",
                "it is not a lawsup database (damaged, or another kind of file, or encrypted "
                "with another key than this computer's).",
            ) from exc
        raise _refuse(path, f"文件已损坏（{exc}）。", f"the file is damaged ({exc}).") from exc
    return None if row is None else str(row[0])


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(str(_script_location())).walk_revisions()}


def _script_location() -> Path:
    return Path(str(resources.files("lawsup_desktop.db")))


def inspect_database(path: Path, key: bytes | None = None) -> DatabaseState:
    """Whether the file is missing, current or needs an upgrade; raises when it is not
    ours, damaged, or made by a newer version of the program."""
    if not path.exists():
        return DatabaseState.MISSING
    revision = read_revision(path, key)
    if revision == SCHEMA_HEAD:
        return DatabaseState.CURRENT
    if revision is not None and revision not in _known_revisions():
        raise _refuse(
            path,
            f"它由更新版本的 lawsup 创建（结构版本 {revision}），请升级程序后再打开。",
            f"it was made by a newer version of lawsup (schema {revision}); "
            "please upgrade the program.",
        )
    return DatabaseState.OUTDATED


def check_writable(folder: Path) -> None:
    """Fail early, and clearly, when the data folder cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise LawsupError(
            Text(
                f"数据文件夹 {folder} 无法写入（{exc.strerror}）。"
                "请检查权限，或用 --data-dir 选择其他文件夹。",
                f"The data folder {folder} cannot be written ({exc.strerror}). Check its "
                "permissions or choose another folder with --data-dir.",
            )
        ) from exc


def backup_copy(path: Path, backup_dir: Path, label: str, key: bytes | None = None) -> Path:
    """A consistent copy through SQLite's online backup API (safe while in use),
    encrypted with the same ``key`` as the file."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{path.stem}-{stamp}-{label}.sqlite"
    source = encryption.connect(path, key, read_only=True)
    try:
        destination = encryption.connect(target, key)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def upgrade(path: Path, revision: str = "head", *, key: bytes | None = None) -> None:
    """Run the shipped Alembic migrations on the file up to ``revision``."""
    from alembic import command
    from alembic.config import Config

    from lawsup_desktop.store.database import make_engine

    config = Config()
    config.set_main_option("script_location", str(_script_location()))
    # A writer engine, so the DDL runs in one real transaction.
    engine = make_engine(path, key, writer=True)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def prepare_database(path: Path, backup_dir: Path, key: bytes | None = None) -> Path | None:
    """Bring the file to the current schema. Returns the backup made first, if any.
    A new file is created encrypted with ``key``; an existing file must already be
    encrypted with it (``services.encryption`` encrypts a plain one first)."""
    check_writable(path.parent)
    if key is not None and encryption.file_kind(path) is FileKind.PLAIN:
        raise ValueError(f"{path} is not encrypted yet: encrypt it before opening it keyed")
    state = inspect_database(path, key)
    if state is DatabaseState.CURRENT:
        return None
    backup = None
    if state is DatabaseState.OUTDATED:
        backup = backup_copy(path, backup_dir, f"before-{SCHEMA_HEAD}", key)
    upgrade(path, key=key)
    return backup
