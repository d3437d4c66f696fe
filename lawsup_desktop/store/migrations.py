"""Open the station file safely: refuse what is not ours, back up, then upgrade.

Alembic is imported only when an upgrade is due, so an up-to-date database
opens without paying for it at every start.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from enum import Enum
from importlib import resources
from pathlib import Path

from lawsup_desktop.domain.errors import LawsupError, Text

SCHEMA_HEAD = "0001"
"""The newest migration this program ships; a test keeps it equal to Alembic's head."""

_SQLITE_HEADER = b"SQLite format 3\x00"


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


def read_revision(path: Path) -> str | None:
    """The file's schema revision, read without touching it (``mode=ro``)."""
    if path.stat().st_size == 0:
        return None
    with path.open("rb") as f:
        if f.read(16) != _SQLITE_HEADER:
            raise _refuse(
                path,
                "它不是 lawsup 数据库（文件已损坏或是其他类型的文件）。",
                "it is not a lawsup database (damaged, or another kind of file).",
            )
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
            if not tables:
                return None
            if "alembic_version" not in tables or "incident" not in tables:
                raise _refuse(path, "这是其他程序的数据库。", "it belongs to another program.")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, f"文件已损坏（{exc}）。", f"the file is damaged ({exc}).") from exc
    return None if row is None else str(row[0])


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(str(_script_location())).walk_revisions()}


def _script_location() -> Path:
    return Path(str(resources.files("lawsup_desktop.db")))


def inspect_database(path: Path) -> DatabaseState:
    """Whether the file is missing, current or needs an upgrade; raises when it is not
    ours, damaged, or made by a newer version of the program."""
    if not path.exists():
        return DatabaseState.MISSING
    revision = read_revision(path)
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


def backup_copy(path: Path, backup_dir: Path, label: str) -> Path:
    """A consistent copy through SQLite's online backup API (safe while in use)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"{path.stem}-{stamp}-{label}.sqlite"
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def upgrade(path: Path, revision: str = "head") -> None:
    """Run the shipped Alembic migrations on the file up to ``revision``."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from lawsup_desktop.store.database import configure_engine

    config = Config()
    config.set_main_option("script_location", str(_script_location()))
    engine = create_engine(f"sqlite:///{path}")
    configure_engine(engine, writer=True)  # so the DDL runs in one real transaction
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def prepare_database(path: Path, backup_dir: Path) -> Path | None:
    """Bring the file to the current schema. Returns the backup made first, if any."""
    check_writable(path.parent)
    state = inspect_database(path)
    if state is DatabaseState.CURRENT:
        return None
    backup = None
    if state is DatabaseState.OUTDATED:
        backup = backup_copy(path, backup_dir, f"before-{SCHEMA_HEAD}")
    upgrade(path)
    return backup
