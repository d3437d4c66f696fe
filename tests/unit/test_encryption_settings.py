"""Cipher settings: new files get the current ones (HMAC-SHA256), files and backups
encrypted by the first release with encryption (SQLCipher 4's defaults) still open,
and a live one is rewritten with the current settings at start, after a backup."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services import encryption as keys
from lawsup_desktop.services.backup import (
    BackupKind,
    backup_now,
    describe_backup,
    list_backups,
    restore_backup,
)
from lawsup_desktop.services.station import open_station
from lawsup_desktop.store import encryption
from lawsup_desktop.store.audit import SYSTEM
from lawsup_desktop.store.database import CACHE_KIB, Database
from lawsup_desktop.store.encryption import SQLCIPHER_4, FileKind
from tests.memory_keyring import MemoryKeyring
from tests.unit.test_encryption import counts, make_plain_store, memory

__all__ = ["memory"]  # the fixture, used by name

KEY = bytes(range(32))


def encrypt_like_release_1(plain: Path, target: Path, key: bytes) -> None:
    """What ``lawsup encrypt`` of the first release with encryption wrote: an
    ``sqlcipher_export`` into a file keyed with no cipher settings of its own,
    that is with SQLCipher 4's defaults."""
    connection = encryption.dbapi.connect(str(plain))
    try:
        user_version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute(f"ATTACH DATABASE ? AS old KEY \"x'{key.hex()}'\"", (str(target),))
        connection.execute("SELECT sqlcipher_export('old')").fetchone()
        connection.execute(f"PRAGMA old.user_version = {user_version}")
        connection.execute("DETACH DATABASE old")
    finally:
        connection.close()


def reads_with(path: Path, key: bytes, profile: encryption.CipherProfile) -> bool:
    """Whether ``profile`` (and only it, no fallback) reads the file."""
    connection = encryption.dbapi.connect(str(path))
    try:
        encryption.apply_key(connection, key, profile)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except encryption.DatabaseError:
        return False
    finally:
        connection.close()


def legacy_station(folder: DataFolder, memory: MemoryKeyring, incidents: int) -> dict[str, int]:
    """The folder as the first release with encryption left it: its database
    encrypted with SQLCipher 4's defaults, the key in the keyring."""
    plain = DataFolder(folder.root.parent / f"{folder.root.name}-plain")
    before = make_plain_store(plain, incidents=incidents)
    folder.root.mkdir(parents=True, exist_ok=True)
    encrypt_like_release_1(plain.database, folder.database, KEY)
    shutil.rmtree(plain.root)
    memory.set_password(keys.SERVICE, keys.ACCOUNT, KEY.hex())
    assert encryption.file_profile(folder.database, KEY) is SQLCIPHER_4
    return before


def test_new_files_exports_and_backups_get_the_current_settings(
    folder: DataFolder, memory: MemoryKeyring
) -> None:
    make_plain_store(folder, incidents=10)
    db = open_station(folder)  # encrypts the plain store: an export
    try:
        backup = backup_now(folder)
    finally:
        db.dispose()
    key = keys.stored_key()
    assert key is not None
    for path in (folder.database, backup.path):
        assert encryption.file_kind(path) is FileKind.OPAQUE
        assert encryption.file_profile(path, key) is encryption.CURRENT
        assert reads_with(path, key, encryption.CURRENT)
        assert not reads_with(path, key, SQLCIPHER_4)
    fresh = Database(folder.root / "new.sqlite", key)  # a new file through the store
    try:
        with fresh.write(SYSTEM) as session:
            session.execute(text("CREATE TABLE t (x)"))
    finally:
        fresh.dispose()
    assert encryption.file_profile(folder.root / "new.sqlite", key) is encryption.CURRENT


def test_a_file_with_sqlcipher_4_defaults_opens_reads_and_stays_readable(
    tmp_path: Path,
) -> None:
    plain = DataFolder(tmp_path / "plain")
    before = make_plain_store(plain, incidents=12)
    old = tmp_path / "old.sqlite"
    encrypt_like_release_1(plain.database, old, KEY)
    assert not reads_with(old, KEY, encryption.CURRENT)
    assert encryption.file_profile(old, KEY) is SQLCIPHER_4
    db = Database(old, KEY)  # the store opens it as it is (no rewrite at this layer)
    try:
        with db.write(SYSTEM) as session:
            session.execute(text("UPDATE incident SET summary = summary || '（补）'"))
        with db.read() as session:
            changed = session.execute(
                text("SELECT count(*) FROM incident WHERE summary LIKE '%（补）'")
            ).scalar_one()
        assert changed == before["incident"]
        assert db.integrity_check() == []
    finally:
        db.dispose()
    # The pages it wrote have the file's own settings, not a mixture.
    assert reads_with(old, KEY, SQLCIPHER_4)
    assert encryption.file_profile(old, KEY) is SQLCIPHER_4
    connection = encryption.connect(old, KEY, read_only=True)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()


def test_a_wrong_key_reads_no_file_with_any_settings(tmp_path: Path) -> None:
    plain = DataFolder(tmp_path / "plain")
    make_plain_store(plain, incidents=3)
    old = tmp_path / "old.sqlite"
    encrypt_like_release_1(plain.database, old, KEY)
    other = bytes(reversed(KEY))
    assert encryption.file_profile(old, other) is None
    connection = encryption.connect(old, other)
    try:
        with pytest.raises(encryption.DatabaseError, match="not a database"):
            connection.execute("SELECT count(*) FROM incident").fetchone()
    finally:
        connection.close()


def test_a_station_from_the_first_release_is_rewritten_at_start_after_a_backup(
    folder: DataFolder, memory: MemoryKeyring
) -> None:
    before = legacy_station(folder, memory, incidents=30)
    db = open_station(folder)
    try:
        assert db.integrity_check() == []
    finally:
        db.dispose()
    assert encryption.file_profile(folder.database, KEY) is encryption.CURRENT
    assert counts(folder.database) == before
    [backup] = [b for b in list_backups(folder) if b.kind is BackupKind.BEFORE_MIGRATION]
    assert {c.table: c.count for c in describe_backup(backup.path).counts}["incident"] == 30
    assert memory.passwords == {(keys.SERVICE, keys.ACCOUNT): KEY.hex()}  # the same key
    open_station(folder).dispose()  # once only
    assert len([b for b in list_backups(folder) if b.kind is BackupKind.BEFORE_MIGRATION]) == 1


def test_a_failed_rewrite_leaves_the_old_file_which_still_opens(
    folder: DataFolder, memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = legacy_station(folder, memory, incidents=8)

    def damaged(*_args: object) -> None:
        raise encryption.DatabaseError("the encrypted copy is damaged: simulated")

    monkeypatch.setattr(keys, "_verify", damaged)
    with caplog.at_level(logging.WARNING, logger=keys.__name__):
        db = open_station(folder)
    try:
        assert db.integrity_check() == []
    finally:
        db.dispose()
    assert "simulated" in caplog.text
    assert encryption.file_profile(folder.database, KEY) is SQLCIPHER_4
    assert counts(folder.database) == before
    assert not list(folder.root.glob(".encrypting-*"))


def test_a_backup_with_the_old_settings_restores_into_a_current_station(
    folder: DataFolder, memory: MemoryKeyring, tmp_path: Path
) -> None:
    plain = DataFolder(tmp_path / "plain")
    before = make_plain_store(plain, incidents=20)
    old_backup = tmp_path / "old-backup.sqlite"
    encrypt_like_release_1(plain.database, old_backup, KEY)
    memory.set_password(keys.SERVICE, keys.ACCOUNT, KEY.hex())
    assert {c.table: c.count for c in describe_backup(old_backup).counts}["incident"] == 20
    make_plain_store(folder, incidents=5)
    open_station(folder).dispose()  # encrypted with the current settings
    restore_backup(folder, old_backup)
    assert counts(folder.database) == before
    # Restored while the program is closed, the file may be the backup's own copy,
    # with its settings; the next start rewrites it.
    db = open_station(folder)
    try:
        assert db.integrity_check() == []
    finally:
        db.dispose()
    assert encryption.file_profile(folder.database, KEY) is encryption.CURRENT
    assert counts(folder.database) == before
    assert encryption.file_profile(old_backup, KEY) is SQLCIPHER_4  # left as it was


def test_a_backup_with_the_old_settings_restores_into_the_running_program(
    folder: DataFolder, memory: MemoryKeyring, tmp_path: Path
) -> None:
    plain = DataFolder(tmp_path / "plain")
    before = make_plain_store(plain, incidents=9)
    old_backup = tmp_path / "old-backup.sqlite"
    encrypt_like_release_1(plain.database, old_backup, KEY)
    memory.set_password(keys.SERVICE, keys.ACCOUNT, KEY.hex())
    make_plain_store(folder, incidents=4)
    db = open_station(folder)
    try:
        restore_backup(folder, old_backup, db=db)
        # The open program reads and writes the restored file, whichever settings
        # it has now (a swapped-in file keeps the backup's): each new connection
        # finds them.
        assert db.integrity_check() == []
        with db.write(SYSTEM) as session:
            session.execute(text("UPDATE incident SET summary = summary || '（补）'"))
        assert counts(folder.database) == before
    finally:
        db.dispose()
    assert encryption.file_profile(folder.database, KEY) is not None


def test_plain_and_encrypted_connections_get_the_same_page_cache(tmp_path: Path) -> None:
    for key in (None, KEY):
        db = Database(tmp_path / f"{'plain' if key is None else 'encrypted'}.sqlite", key)
        try:
            for engine in (db.reader, db.writer):
                with engine.connect() as connection:
                    size = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
                assert size == -CACHE_KIB, (key is not None, engine)
        finally:
            db.dispose()


def test_an_old_file_left_with_its_wal_by_a_crash_opens_with_every_write(
    tmp_path: Path,
) -> None:
    """Trying the newer settings first on a file whose last writes are still in its
    ``-wal`` (a crash) must neither lose nor garble them."""
    plain = DataFolder(tmp_path / "plain")
    before = make_plain_store(plain, incidents=6)
    old = tmp_path / "old.sqlite"
    encrypt_like_release_1(plain.database, old, KEY)
    # The first release's writer: keyed with SQLCipher's defaults, in WAL mode.
    writer = encryption.dbapi.connect(str(old))
    crashed = DataFolder(tmp_path / "crashed")
    crashed.root.mkdir()
    try:
        writer.execute(f"PRAGMA key = \"x'{KEY.hex()}'\"")
        writer.execute("PRAGMA journal_mode = WAL").fetchone()
        writer.execute("PRAGMA wal_autocheckpoint = 0").fetchone()
        writer.execute("UPDATE incident SET summary = '崩溃前写入'")
        writer.commit()
        # The files as a crash leaves them: the writes only in the -wal.
        shutil.copyfile(old, crashed.database)
        shutil.copyfile(f"{old}-wal", f"{crashed.database}-wal")
    finally:
        writer.close()
    assert Path(f"{crashed.database}-wal").stat().st_size > 0
    assert encryption.file_profile(crashed.database, KEY) is SQLCIPHER_4
    db = Database(crashed.database, KEY)
    try:
        with db.read() as session:
            written = session.execute(
                text("SELECT count(*) FROM incident WHERE summary = '崩溃前写入'")
            ).scalar_one()
        assert written == before["incident"]
        assert db.integrity_check() == []
    finally:
        db.dispose()
