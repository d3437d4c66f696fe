"""Encryption at rest: new stores encrypted with a key from the keyring, plain stores
encrypted with a backup first, no silent fallback without a keyring, encrypted
backups and restores."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail
from sqlalchemy import text

from lawsup_desktop import cli
from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.domain.vocabulary import Role
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services import encryption as keys
from lawsup_desktop.services.backup import (
    BackupKind,
    backup_now,
    describe_backup,
    list_backups,
    restore_backup,
)
from lawsup_desktop.services.demo import generate_demo
from lawsup_desktop.services.station import StationService, open_station
from lawsup_desktop.store import encryption
from lawsup_desktop.store.audit import SYSTEM
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.encryption import FileKind
from lawsup_desktop.store.migrations import DatabaseRefused, prepare_database, read_revision
from tests.memory_keyring import MemoryKeyring

STATION_NAME = "城关派出所"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    """A keyring of this test's own (empty: no key yet)."""
    backend = MemoryKeyring()
    previous = keys._keyring()
    keys.use_keyring(backend)
    yield backend
    keys.use_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keys._keyring()
    keys.use_keyring(fail.Keyring())
    yield
    keys.use_keyring(previous)


def stdlib_reads(path: Path) -> bool:
    """Whether a program without the key (the stdlib's SQLite) can read the file."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()


def counts(path: Path) -> dict[str, int]:
    connection = keys.open_file(path, read_only=True)
    try:
        return {
            table: int(connection.execute(
                f'SELECT count(*) FROM "{table}" WHERE deleted_at IS NULL').fetchone()[0])
            for table in ("incident", "follow_up", "case", "rectification")
        }
    finally:
        connection.close()


def make_plain_store(folder: DataFolder, incidents: int = 120) -> dict[str, int]:
    """A plain database as an earlier version made it: real migrations, demo records."""
    prepare_database(folder.database, folder.backups)  # no key: plain
    db = Database(folder.database)
    try:
        generate_demo(db, incidents=incidents, seed=7)
    finally:
        db.dispose()
    assert encryption.file_kind(folder.database) is FileKind.PLAIN
    return counts(folder.database)


# ---------------------------------------------------------------- new stores


def test_a_new_store_is_encrypted_with_a_new_key_kept_in_the_keyring(
    folder: DataFolder, memory: MemoryKeyring
) -> None:
    db = open_station(folder)
    try:
        StationService(db).set_up("LX-CG", STATION_NAME, "张法制", Role.SUPERVISOR)
        assert db.encrypted
    finally:
        db.dispose()
    stored = memory.passwords[(keys.SERVICE, keys.ACCOUNT)]
    assert len(bytes.fromhex(stored)) == encryption.KEY_BYTES
    assert encryption.file_kind(folder.database) is FileKind.OPAQUE
    assert not stdlib_reads(folder.database)
    assert STATION_NAME.encode() not in folder.database.read_bytes()
    reopened = open_station(folder)  # the same key, from the keyring
    try:
        workstation = StationService(reopened).workstation()
        assert workstation is not None and workstation.station_name == STATION_NAME
        assert reopened.schema_revision() is not None
    finally:
        reopened.dispose()
    assert memory.passwords == {(keys.SERVICE, keys.ACCOUNT): stored}  # not replaced


def test_the_sqlcipher_build_has_fts5_with_the_trigram_tokenizer(tmp_path: Path) -> None:
    assert encryption.dbapi.sqlite_version_info >= (3, 34)  # trigram came in 3.34
    connection = encryption.connect(tmp_path / "fts.sqlite", encryption.new_key())
    try:
        connection.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'trigram')")
        connection.execute("INSERT INTO t VALUES ('群众报警称邻里纠纷')")
        found = connection.execute("SELECT body FROM t WHERE t MATCH '邻里纠'").fetchall()
    finally:
        connection.close()
    assert found == [("群众报警称邻里纠纷",)]


def test_a_wrong_key_is_refused_with_a_message_not_read_as_damage(
    folder: DataFolder, memory: MemoryKeyring
) -> None:
    open_station(folder).dispose()
    with pytest.raises(DatabaseRefused) as refused:
        read_revision(folder.database, encryption.new_key())
    assert "密钥" in refused.value.message.zh and "key" in refused.value.message.en
    memory.passwords[(keys.SERVICE, keys.ACCOUNT)] = encryption.new_key().hex()
    with pytest.raises(DatabaseRefused) as wrong:
        open_station(folder)
    assert "密钥" in wrong.value.message.zh and "key" in wrong.value.message.en
    memory.passwords.clear()
    with pytest.raises(keys.KeyUnavailable) as unavailable:
        open_station(folder)
    assert "密钥环" in unavailable.value.message.zh
    assert "keyring" in unavailable.value.message.en


def test_a_key_must_have_32_bytes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        encryption.connect(tmp_path / "x.sqlite", b"short")


# ---------------------------------------------------------------- plain → encrypted


def test_a_plain_store_is_encrypted_at_start_after_a_plain_backup(
    folder: DataFolder, memory: MemoryKeyring
) -> None:
    before = make_plain_store(folder)
    assert before["incident"] == 120
    db = open_station(folder)
    try:
        assert db.encrypted
        assert db.integrity_check() == []
    finally:
        db.dispose()
    assert encryption.file_kind(folder.database) is FileKind.OPAQUE
    assert not stdlib_reads(folder.database)
    assert counts(folder.database) == before
    [backup] = [b for b in list_backups(folder) if b.kind is BackupKind.BEFORE_MIGRATION]
    assert encryption.file_kind(backup.path) is FileKind.PLAIN  # kept as it was
    assert stdlib_reads(backup.path)
    assert counts(backup.path) == before
    leftovers = [p.name for p in folder.root.iterdir() if p.name.startswith(".encrypting")]
    assert leftovers == []


def test_the_workbench_holding_its_folder_still_encrypts_it_at_start(
    folder: DataFolder, memory: MemoryKeyring
) -> None:
    from lawsup_desktop.services.folder_lock import WORKBENCH, FolderLock

    before = make_plain_store(folder, incidents=10)
    with FolderLock(folder.root, WORKBENCH):  # as ui/app.py holds it before opening
        open_station(folder).dispose()
    assert encryption.file_kind(folder.database) is FileKind.OPAQUE
    assert counts(folder.database) == before


def test_a_failed_check_leaves_the_plain_store_as_it_was(
    folder: DataFolder, memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = make_plain_store(folder, incidents=30)
    original = folder.database.read_bytes()

    def damaged(*_args: object) -> None:
        raise encryption.DatabaseError("the encrypted copy differs in ['incident']")

    monkeypatch.setattr(keys, "_verify", damaged)
    with pytest.raises(LawsupError) as failed:
        open_station(folder)
    assert "原文件未被改动" in failed.value.message.zh
    assert "not changed" in failed.value.message.en
    assert folder.database.read_bytes() == original
    assert counts(folder.database) == before
    assert [p.name for p in folder.root.iterdir() if p.name.startswith(".encrypting")] == []


def test_lawsup_encrypt_encrypts_a_store_kept_plain_by_choice(
    folder: DataFolder, memory: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    before = make_plain_store(folder, incidents=20)
    keys.allow_plain(folder)
    open_station(folder).dispose()  # the choice holds: still plain
    assert encryption.file_kind(folder.database) is FileKind.PLAIN
    assert cli.main(["--data-dir", str(folder.root), "encrypt"]) == 0
    assert "已加密 / encrypted" in capsys.readouterr().out
    assert encryption.file_kind(folder.database) is FileKind.OPAQUE
    assert counts(folder.database) == before
    assert not keys.plain_allowed(folder)  # the choice was dropped with it
    assert cli.main(["--data-dir", str(folder.root), "encrypt", "--status"]) == 0
    assert "已加密 / encrypted" in capsys.readouterr().out


# ---------------------------------------------------------------- no keyring


def test_without_a_keyring_a_new_store_is_refused_and_nothing_is_written(
    folder: DataFolder, no_keyring: None
) -> None:
    with pytest.raises(keys.KeyUnavailable) as refused:
        open_station(folder)
    message = refused.value.message
    assert "密钥环" in message.zh and keys.PLAIN_CHOICE.zh in message.zh
    assert "keyring" in message.en and "--allow-plain" in message.en
    assert not folder.database.exists()


def test_without_a_keyring_the_user_may_choose_to_run_unencrypted(
    folder: DataFolder, no_keyring: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--data-dir", str(folder.root), "encrypt", "--allow-plain"]) == 0
    assert keys.PLAIN_CHOICE.zh in capsys.readouterr().out
    assert keys.plain_allowed(folder)
    assert "plain_chosen_at" in (folder.root / keys.SETTINGS_NAME).read_text(encoding="utf-8")
    db = open_station(folder)
    try:
        assert not db.encrypted
    finally:
        db.dispose()
    assert encryption.file_kind(folder.database) is FileKind.PLAIN
    state = keys.status(folder)
    assert state.plain_by_choice and not state.encrypted


def test_without_a_keyring_an_encrypted_store_is_refused_clearly(
    folder: DataFolder, memory: MemoryKeyring
) -> None:
    open_station(folder).dispose()
    keys.use_keyring(fail.Keyring())
    with pytest.raises(keys.KeyUnavailable) as refused:
        open_station(folder)
    assert "加密" in refused.value.message.zh and "encrypted" in refused.value.message.en
    with pytest.raises(LawsupError):  # nor can it be declared plain
        keys.allow_plain(folder)
    assert cli.main(["--data-dir", str(folder.root), "check"]) == 2


def test_without_a_keyring_an_existing_plain_store_still_opens_with_a_warning(
    folder: DataFolder, memory: MemoryKeyring
) -> None:
    before = make_plain_store(folder, incidents=10)
    keys.use_keyring(fail.Keyring())
    db = open_station(folder)  # refusing would lock the station out of its records
    try:
        assert not db.encrypted
    finally:
        db.dispose()
    assert counts(folder.database) == before
    state = keys.status(folder)
    assert not state.encrypted and not state.plain_by_choice
    assert state.warning == keys.NOT_ENCRYPTED_NO_KEYRING


# ---------------------------------------------------------------- backups


def test_backups_of_an_encrypted_store_are_encrypted_and_restore(
    folder: DataFolder, memory: MemoryKeyring
) -> None:
    make_plain_store(folder, incidents=40)
    db = open_station(folder)  # encrypts it
    try:
        before = counts(folder.database)
        made = backup_now(folder)
        assert encryption.file_kind(made.path) is FileKind.OPAQUE
        assert not stdlib_reads(made.path)
        assert STATION_NAME.encode() not in made.path.read_bytes()
        summary = describe_backup(made.path)
        assert {c.table: c.count for c in summary.counts}["incident"] == 40
        with db.write(SYSTEM) as session:
            session.execute(text("UPDATE incident SET deleted_at = '2026-11-27 08:00:00'"))
        assert counts(folder.database)["incident"] == 0
        result = restore_backup(folder, made.path, db=db)
        assert result.safety_backup is not None
        assert encryption.file_kind(result.safety_backup.path) is FileKind.OPAQUE
        assert counts(folder.database) == before
        assert db.integrity_check() == []  # the open program reads the restored file
    finally:
        db.dispose()
    assert encryption.file_kind(folder.database) is FileKind.OPAQUE


def test_the_plain_backup_made_before_encrypting_restores_into_the_encrypted_store(
    folder: DataFolder, memory: MemoryKeyring
) -> None:
    before = make_plain_store(folder, incidents=25)
    open_station(folder).dispose()
    [plain] = [b for b in list_backups(folder) if b.kind is BackupKind.BEFORE_MIGRATION]
    assert describe_backup(plain.path).counts[0].count == 25
    restore_backup(folder, plain.path)
    assert encryption.file_kind(folder.database) is FileKind.OPAQUE  # still encrypted
    assert counts(folder.database) == before
    db = open_station(folder)
    try:
        assert db.integrity_check() == []
    finally:
        db.dispose()


def test_a_backup_restores_into_a_new_folder_encrypted(
    folder: DataFolder, memory: MemoryKeyring, tmp_path: Path
) -> None:
    make_plain_store(folder, incidents=15)
    open_station(folder).dispose()
    made = backup_now(folder)
    elsewhere = DataFolder(tmp_path / "elsewhere")
    restore_backup(elsewhere, made.path)
    assert encryption.file_kind(elsewhere.database) is FileKind.OPAQUE
    assert counts(elsewhere.database)["incident"] == 15


# ---------------------------------------------------------------- the real keyring


def _secret_service_session() -> bool:
    return shutil.which("dbus-run-session") is not None and shutil.which(
        "gnome-keyring-daemon"
    ) is not None


@pytest.mark.secretservice
@pytest.mark.skipif(not _secret_service_session(), reason="needs dbus-run-session and "
                    "gnome-keyring-daemon (tools/sysdeps.sh: dbus, gnome-keyring)")
def test_the_key_lives_in_the_real_secret_service(tmp_path: Path) -> None:
    """Through D-Bus and an unlocked GNOME keyring, as on a Linux desktop: a new store
    is encrypted and a second process opens it with the key from the Secret Service."""
    home = tmp_path / "home"
    home.mkdir()
    data = tmp_path / "data"
    script = (
        "echo -n lawsup | gnome-keyring-daemon --unlock --components=secrets >/dev/null\n"
        f"python -m lawsup_desktop --data-dir {data} check\n"
        f"python -m lawsup_desktop --data-dir {data} encrypt --status\n"
        "python -c \"import keyring; print('backend', type(keyring.get_keyring()).__module__, "
        f"len(keyring.get_password('{keys.SERVICE}', '{keys.ACCOUNT}')))\"\n"
    )
    env = {
        key: value for key, value in os.environ.items()
        if key not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS")
    }
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_CONFIG_HOME=str(home / ".config"), PATH=f"{Path(sys.executable).parent}:"
               + env.get("PATH", ""))
    done = subprocess.run(["dbus-run-session", "--", "bash", "-c", script], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已加密 / encrypted" in done.stdout
    assert "backend keyring.backends.SecretService 64" in done.stdout  # the hex of 32 bytes
    assert encryption.file_kind(data / "lawsup.sqlite") is FileKind.OPAQUE


# ---------------------------------------------------------------- the workbench


@pytest.mark.parametrize(
    ("language", "expected"), [("zh_CN", keys.PLAIN_CHOICE.zh), ("en", "--allow-plain")]
)
def test_without_a_keyring_the_workbench_says_why_and_creates_nothing(
    folder: DataFolder, no_keyring: None, qtbot: object, language: str, expected: str
) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from lawsup_desktop.ui.app import EXIT_REFUSED, start
    from lawsup_desktop.ui.preferences import Preferences
    from tests.gui.test_shell import ModalWatcher

    folder.root.mkdir(parents=True)
    Preferences(folder.settings).set_language(language)
    shown: list[tuple[str, list[str]]] = []

    def read(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        shown.append((widget.text(), [b.text() for b in widget.buttons()]))
        widget.escapeButton().click()  # the safe answer: leave

    watcher = ModalWatcher(read)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert start(folder, app, error_hook=False) == EXIT_REFUSED
    watcher.stop()
    assert len(shown) == 1 and expected in shown[0][0]
    assert keys.PLAIN_CHOICE.in_language(language) in shown[0][1]
    assert not folder.database.exists()
    assert not keys.plain_allowed(folder)


def test_without_a_keyring_the_user_may_choose_to_work_unencrypted(
    folder: DataFolder, no_keyring: None, qtbot: object
) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from lawsup_desktop.ui.app import EXIT_OK, start
    from lawsup_desktop.ui.setup_dialog import SetupDialog
    from tests.gui.test_shell import ModalWatcher

    seen: list[type[QWidget]] = []

    def choose(widget: QWidget) -> None:
        seen.append(type(widget))
        if isinstance(widget, QMessageBox):
            [plain] = [b for b in widget.buttons() if b.text() == keys.PLAIN_CHOICE.zh]
            plain.click()
        else:  # first-run setup comes next; cancelling it ends the start
            assert isinstance(widget, SetupDialog)

    watcher = ModalWatcher(choose)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert start(folder, app, error_hook=False) == EXIT_OK
    watcher.stop()
    assert seen == [QMessageBox, SetupDialog]
    assert keys.plain_allowed(folder)
    assert encryption.file_kind(folder.database) is FileKind.PLAIN
