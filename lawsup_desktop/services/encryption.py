"""Encryption at rest: the station database's key, kept in the OS keyring.

A field laptop gets lost; its database must be unreadable without the logged-in
user's keyring. So:

* the first database this user creates gets a random 256-bit key, stored in the
  OS keyring (service ``lawsup-db``, account ``database``), and every database
  is created encrypted with it by SQLCipher (:mod:`lawsup_desktop.store.encryption`);
* an existing plain database is encrypted at the next start (or by
  ``lawsup encrypt``): backed up first, exported into a new encrypted file,
  checked (integrity and the row count of every table), then swapped in with
  one atomic rename; the backup stays;
* a database encrypted with older cipher settings (SQLCipher 4's defaults, as
  the first release with encryption wrote them) opens as it is, and is rewritten
  with the current settings at the next start that has the folder to itself,
  backed up and checked the same way (:func:`upgrade_cipher`; see
  :mod:`lawsup_desktop.store.encryption` for why the settings changed);
* without a usable keyring the program never creates an unencrypted database
  on its own: it refuses and says why, until the user chooses
  "不加密（本机无密钥环）" (``lawsup encrypt --allow-plain``), which is recorded
  in the folder's ``encryption.json``. An existing plain database is still
  opened (refusing would lock the station out of its records), with a warning.

One key per OS user, not one per data folder: the keyring is unlocked per user,
so per-folder keys would protect nothing more, while one key lets a folder be
moved or renamed, and a backup be restored into another folder, without any
bookkeeping (a per-folder id kept in the folder could itself be lost). Backups
are encrypted with the same key (see ``services.backup``). Losing the keyring
entry loses the data, like losing a password; ``encryption.json`` holds only
the user's choice to run unencrypted, never a secret.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lawsup_desktop.domain.errors import LawsupError, RuleViolation, Text
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.store import encryption
from lawsup_desktop.store.encryption import FileKind

log = logging.getLogger(__name__)

SERVICE = "lawsup-db"
ACCOUNT = "database"
SETTINGS_NAME = "encryption.json"

PLAIN_CHOICE = Text("不加密（本机无密钥环）", "Do not encrypt (no keyring on this computer)")
"""What the user chooses to run without encryption; the same words everywhere."""

NO_KEYRING_FOR_NEW = Text(
    "本机没有可用的系统密钥环（如 Windows 凭据管理器、GNOME 密钥环/KWallet），"
    "无法保存数据库的加密密钥，因此不能创建加密的数据库。"
    "笔记本电脑丢失时，未加密的数据库可被任何人读取。"
    "请启用系统密钥环后重新启动；如确需在本机不加密使用，请选择“不加密（本机无密钥环）”："
    "运行 lawsup --data-dir <数据文件夹> encrypt --allow-plain 。",
    "This computer has no usable system keyring (such as Windows Credential Manager, "
    "GNOME Keyring or KWallet) to keep the database's encryption key, so an encrypted "
    "database cannot be created. If the laptop is lost, an unencrypted database can be "
    "read by anyone. Enable a system keyring and start again; if this computer must "
    'work unencrypted, choose "Do not encrypt (no keyring on this computer)": run '
    "lawsup --data-dir <data folder> encrypt --allow-plain.",
)

NOT_ENCRYPTED_NO_KEYRING = Text(
    "数据库没有加密：本机没有可用的系统密钥环来保存密钥。启用系统密钥环后，"
    "下次启动时会自动加密（先备份）。",
    "The database is not encrypted: this computer has no usable system keyring to keep "
    "the key. Once a keyring is enabled, the next start encrypts it (after a backup).",
)


class KeyUnavailable(LawsupError):
    """The database is encrypted (or must be) and its key cannot be had; nothing changed."""


@dataclass(frozen=True)
class EncryptionStatus:
    encrypted: bool
    plain_by_choice: bool
    warning: Text | None
    """What the user should be told (None: nothing to say)."""


@dataclass(frozen=True)
class EncryptResult:
    backup: Path
    """The copy of the file as it was, made first (kept)."""
    tables: int
    rows: int


# ---------------------------------------------------------------- keyring

_backend: Any = None


def use_keyring(backend: Any) -> None:
    """Keep the database key in ``backend`` (a ``keyring`` backend) instead of the
    one ``keyring`` picks for the OS; None: back to that. For tests, and for the
    day a station wants its own."""
    global _backend
    _backend = backend


def _keyring() -> Any:
    if _backend is not None:
        return _backend
    import keyring

    return keyring.get_keyring()


def keyring_usable() -> bool:
    """Whether there is a keyring to keep the database key in."""
    return backend_usable(_keyring())


def backend_usable(backend: Any) -> bool:
    """Whether a ``keyring`` backend can keep secrets: not keyring's "fail" stand-in,
    nor a chain of no backends."""
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return False
    return not (isinstance(backend, chainer.ChainerBackend) and not backend.backends)


def _no_keyring(folder: DataFolder) -> KeyUnavailable:
    return KeyUnavailable(
        Text(
            f"无法打开数据库文件 {folder.database}：它是加密的（或已损坏），"
            "但本机没有可用的系统密钥环，无法取得密钥。"
            "请启用系统密钥环（用设置它的同一用户登录）后重新启动。",
            f"Cannot open the database file {folder.database}: it is encrypted (or "
            "damaged), and this computer has no usable system keyring to fetch the key "
            "from. Enable the keyring (logged in as the user who set it up) and start again.",
        )
    )


def _key_missing(folder: DataFolder) -> KeyUnavailable:
    return KeyUnavailable(
        Text(
            f"无法打开数据库文件 {folder.database}：它是加密的（或已损坏），"
            f"但系统密钥环中没有密钥（{SERVICE} / {ACCOUNT}）。"
            "只有设置它的用户在原来的计算机上才能打开它；请用该用户登录。",
            f"Cannot open the database file {folder.database}: it is encrypted (or "
            f"damaged), and the system keyring holds no key ({SERVICE} / {ACCOUNT}). "
            "Only the user who set it up, on the computer where it was set up, can open "
            "it; log in as that user.",
        )
    )


def _keyring_failed(exc: Exception) -> KeyUnavailable:
    return KeyUnavailable(
        Text(
            f"系统密钥环出错（{exc}），无法取得或保存数据库的密钥。请解锁密钥环后重试。",
            f"The system keyring failed ({exc}) to give or keep the database key. "
            "Unlock the keyring and try again.",
        )
    )


def _get_key() -> bytes | None:
    from keyring.errors import KeyringError

    try:
        stored = _keyring().get_password(SERVICE, ACCOUNT)
    except KeyringError as exc:
        raise _keyring_failed(exc) from exc
    if stored is None:
        return None
    try:
        return bytes.fromhex(stored)
    except ValueError as exc:
        raise _keyring_failed(exc) from exc


def _get_or_create_key() -> bytes:
    """The user's key; a new one is stored and read back before anything uses it."""
    from keyring.errors import KeyringError

    key = _get_key()
    if key is not None:
        return key
    key = encryption.new_key()
    try:
        _keyring().set_password(SERVICE, ACCOUNT, key.hex())
    except KeyringError as exc:
        raise _keyring_failed(exc) from exc
    # A backend that accepts and forgets (or mangles) would lose the data later.
    if _get_key() != key:
        raise _keyring_failed(RuntimeError("the key read back differs from the key stored"))
    log.info("created the database key in the keyring")
    return key


def stored_key() -> bytes | None:
    """The key if the keyring has one; None otherwise, without raising for a
    missing or broken keyring (for reading a file that may be plain)."""
    if not keyring_usable():
        return None
    try:
        return _get_key()
    except KeyUnavailable as exc:
        log.debug("no database key: %s", exc)
        return None


def folder_key(folder: DataFolder) -> bytes | None:
    """The key the folder's database is encrypted with; None if it is plain (or
    missing). Raises :class:`KeyUnavailable` when it is encrypted and the key
    cannot be had."""
    if encryption.file_kind(folder.database) is not FileKind.OPAQUE:
        return None
    if not keyring_usable():
        raise _no_keyring(folder)
    key = _get_key()
    if key is None:
        raise _key_missing(folder)
    # A key that does not read the file (damaged, or another key) is refused when
    # the file is read, by the store, saying so.
    return key


def open_file(path: Path, *, read_only: bool = False) -> encryption.Connection:
    """A DB-API connection to a station file or backup as this user reads it: keyed
    if it is encrypted, plain otherwise (for checks and tools; the program itself
    opens the live file through :func:`~lawsup_desktop.services.station.open_station`)."""
    key = stored_key() if encryption.file_kind(path) is FileKind.OPAQUE else None
    return encryption.connect(path, key, read_only=read_only)


# ---------------------------------------------------------------- settings


def _settings_path(folder: DataFolder) -> Path:
    return folder.root / SETTINGS_NAME


def _plain_chosen_at(folder: DataFolder) -> str | None:
    """When the user chose to run this folder unencrypted (None: never)."""
    path = _settings_path(folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        chosen = data["plain_chosen_at"]
        return None if chosen is None else str(chosen)
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        raise LawsupError(
            Text(
                f"加密设置文件 {path} 已损坏（{exc}）。",
                f"The encryption settings file {path} is damaged ({exc}).",
            )
        ) from exc


def _write_settings(folder: DataFolder, plain_chosen_at: str | None) -> None:
    folder.root.mkdir(parents=True, exist_ok=True)
    path = _settings_path(folder)
    partial = path.with_name(path.name + ".partial")
    data = {"plain_chosen_at": plain_chosen_at}
    partial.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(partial, path)


def allow_plain(folder: DataFolder) -> None:
    """The user's explicit choice (:data:`PLAIN_CHOICE`) to run this folder unencrypted."""
    if encryption.file_kind(folder.database) is FileKind.OPAQUE:
        raise RuleViolation(
            Text(
                "数据库已经加密，不能改为不加密。",
                "The database is already encrypted; it cannot be made unencrypted.",
            )
        )
    _write_settings(folder, datetime.now(UTC).isoformat(timespec="seconds"))
    log.warning("the user chose to keep %s unencrypted", folder.root)


def plain_allowed(folder: DataFolder) -> bool:
    return _plain_chosen_at(folder) is not None


def status(folder: DataFolder) -> EncryptionStatus:
    """Whether the folder's database is encrypted, and what to tell the user."""
    kind = encryption.file_kind(folder.database)
    if kind is FileKind.OPAQUE:
        return EncryptionStatus(True, False, None)
    chosen = plain_allowed(folder)
    warning = None
    if kind is FileKind.PLAIN and not chosen:
        warning = NOT_ENCRYPTED_NO_KEYRING
    return EncryptionStatus(False, chosen, warning)


# ---------------------------------------------------------------- opening


def key_for_opening(folder: DataFolder, ctx: TaskContext | None = None) -> bytes | None:
    """The key to open the folder's database with (None: plain), making one for a
    new database and encrypting a plain one first when the keyring allows.
    Raises :class:`KeyUnavailable` (nothing changed) when it cannot go on safely."""
    kind = encryption.file_kind(folder.database)
    if kind is FileKind.OPAQUE:
        key = folder_key(folder)
        if key is not None:
            _upgrade_at_start(folder, key, ctx)
        return key
    if plain_allowed(folder):
        return None
    if not keyring_usable():
        if kind is FileKind.MISSING:
            raise KeyUnavailable(NO_KEYRING_FOR_NEW)
        log.warning("%s is not encrypted: no usable keyring", folder.database)
        return None
    with _folder_held(folder) as held:
        kind = encryption.file_kind(folder.database)  # as it is now
        if kind is FileKind.OPAQUE:
            return folder_key(folder)
        if kind is FileKind.PLAIN and not held:
            # Another program has the folder and may be writing the plain file.
            log.warning("%s is in use; it will be encrypted at a later start", folder.root)
            return None
        key = _get_or_create_key()
        if kind is FileKind.PLAIN:
            encrypt_database(folder, key, ctx)
        return key


def _upgrade_at_start(folder: DataFolder, key: bytes, ctx: TaskContext | None) -> None:
    """Rewrite a file with older cipher settings with the current ones, if this
    program has the folder to itself. A failure is logged, not raised: the file
    still opens as it is (only slower), and the next start tries again."""
    try:
        profile = encryption.file_profile(folder.database, key)
    except encryption.Error as exc:  # busy, I/O: opening it says so, if it lasts
        log.warning("could not read the cipher settings of %s: %s", folder.database, exc)
        return
    if profile in (encryption.CURRENT, None):  # None: a wrong key, said when it is read
        return
    with _folder_held(folder) as held:
        if not held:
            log.info("%s is in use; its cipher settings are updated at a later start",
                     folder.root)
            return
        try:
            upgrade_cipher(folder, key, ctx)
        except LawsupError as exc:
            log.warning("%s", exc.message.en)


@contextmanager
def _folder_held(folder: DataFolder) -> Iterator[bool]:
    """Hold the folder for a change of its file; True if we have it (possibly
    through a lock this process already holds, e.g. the workbench's)."""
    from lawsup_desktop.services.folder_lock import FolderInUse, FolderLock, read_holder

    lock = FolderLock(folder.root, "encrypt")
    try:
        lock.acquire()
    except FolderInUse:
        holder = read_holder(folder.root)
        yield holder is not None and holder.pid == os.getpid()
        return
    try:
        yield True
    finally:
        lock.release()


# ---------------------------------------------------------------- encrypting


def encrypt_now(folder: DataFolder, ctx: TaskContext | None = None) -> EncryptResult | None:
    """``lawsup encrypt``: encrypt the plain database now (None: it already is).
    The caller holds the folder. An earlier choice to run unencrypted is dropped."""
    kind = encryption.file_kind(folder.database)
    if kind is FileKind.OPAQUE:
        folder_key(folder)  # says so if its key is not to be had
        return None
    if kind is FileKind.MISSING:
        raise LawsupError(
            Text(
                f"{folder.database} 不存在；新的数据库在首次启动时即被加密。",
                f"{folder.database} does not exist; a new database is encrypted from "
                "its first start.",
            )
        )
    if not keyring_usable():
        raise KeyUnavailable(
            Text(
                "本机没有可用的系统密钥环来保存密钥，无法加密数据库。请先启用系统密钥环。",
                "This computer has no usable system keyring to keep the key, so the "
                "database cannot be encrypted. Enable a system keyring first.",
            )
        )
    result = encrypt_database(folder, _get_or_create_key(), ctx)
    if plain_allowed(folder):
        _write_settings(folder, None)
    return result


def encrypt_database(
    folder: DataFolder, key: bytes, ctx: TaskContext | None = None
) -> EncryptResult:
    """Encrypt the folder's plain database with ``key``. The caller holds the folder.

    Backed up first (a plain copy, kept with the other backups); exported into a
    new file, checked, then renamed over the plain one: a failure anywhere leaves
    the plain file as it was."""
    live = folder.database
    if encryption.file_kind(live) is not FileKind.PLAIN:
        raise RuleViolation(
            Text(f"{live} 不是未加密的数据库。", f"{live} is not an unencrypted database.")
        )
    result = _rewrite(folder, None, key, ctx, ("加密数据库失败", "Encrypting the database failed"))
    log.info("encrypted %s (plain backup kept: %s)", live, result.backup)
    return result


def upgrade_cipher(
    folder: DataFolder, key: bytes, ctx: TaskContext | None = None
) -> EncryptResult | None:
    """Rewrite the folder's database, encrypted with older cipher settings
    (:data:`~lawsup_desktop.store.encryption.PROFILES`), with the current ones, the
    same way as :func:`encrypt_database`: backed up first, exported, checked, swapped
    in. None: it has them already. The caller holds the folder."""
    live = folder.database
    profile = encryption.file_profile(live, key)
    if profile is encryption.CURRENT:
        return None
    if profile is None:
        raise KeyUnavailable(
            Text(
                f"无法用密钥环中的密钥读取数据库文件 {live}（密钥不对或文件已损坏）。",
                f"The key in the keyring does not read the database file {live} "
                "(another key, or a damaged file).",
            )
        )
    result = _rewrite(
        folder, key, key, ctx,
        ("更新数据库的加密设置失败", "Updating the database's encryption settings failed"),
    )
    log.info(
        "rewrote %s from cipher settings %s to %s (backup kept: %s)",
        live, profile.name, encryption.CURRENT.name, result.backup,
    )
    return result


def _rewrite(
    folder: DataFolder,
    source_key: bytes | None,
    key: bytes,
    ctx: TaskContext | None,
    failed: tuple[str, str],
) -> EncryptResult:
    """Back the live file up, export it (read with ``source_key``) into a new file
    encrypted with ``key`` and the current cipher settings, check the copy and
    rename it over the live file. The caller holds the folder. A failure anywhere
    leaves the live file as it was; ``failed`` begins the message (zh, en)."""
    from lawsup_desktop.services.backup import BackupKind, backup_now

    ctx = ctx or TaskContext()
    live = folder.database
    backup = backup_now(folder, BackupKind.BEFORE_MIGRATION, ctx=ctx)
    ctx.check_cancelled()
    staged = folder.root / f".encrypting-{os.getpid()}.sqlite"
    _remove_files(staged)
    try:
        source = encryption.connect(live, source_key)
        try:
            # The copy reads through this connection, WAL included. Nothing else
            # writes meanwhile: the caller holds the folder.
            ctx.report(0, 2, "")
            encryption.export(source, staged, key)
            expected = _row_counts(source)
        finally:
            source.close()
        ctx.report(1, 2, "")
        _verify(staged, key, expected)
        ctx.check_cancelled()
        _swap(staged, live)
    except (encryption.Error, OSError) as exc:
        raise LawsupError(
            Text(
                f"{failed[0]}，原文件未被改动（备份：{backup.path}）：{exc}",
                f"{failed[1]}; the file was not changed (backup: {backup.path}): {exc}",
            )
        ) from exc
    finally:
        _remove_files(staged)
    ctx.report(2, 2, "")
    return EncryptResult(backup.path, len(expected), sum(expected.values()))


def _row_counts(connection: encryption.Connection) -> dict[str, int]:
    names = [
        str(r[0])
        for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
        for name in names
    }


def _verify(staged: Path, key: bytes, expected: dict[str, int]) -> None:
    if encryption.file_profile(staged, key) is not encryption.CURRENT:
        raise encryption.DatabaseError("the encrypted copy does not have the current settings")
    connection = encryption.connect(staged, key)
    try:
        check = [str(r[0]) for r in connection.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            raise encryption.DatabaseError(f"the encrypted copy is damaged: {check[:3]}")
        found = _row_counts(connection)
        if found != expected:
            differ = sorted(t for t in expected.keys() | found.keys()
                            if expected.get(t) != found.get(t))
            raise encryption.DatabaseError(f"the encrypted copy differs in {differ}")
    finally:
        connection.close()


def _swap(staged: Path, live: Path) -> None:
    # The plain file's -wal is folded in and gone once its last connection closed
    # (ours, above); a leftover would be applied to the new file, so it goes first.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    os.replace(staged, live)


def _remove_files(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
