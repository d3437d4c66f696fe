"""SQLCipher: every connection to a station file, encrypted or (by the user's choice) plain.

All connections go through the ``sqlcipher3`` library, the plain ones too: two
copies of SQLite in one process must not open the same file (closing a file in
one drops the POSIX locks the other holds), so the stdlib ``sqlite3`` is not
used on station files at all.

Cipher settings (:data:`CURRENT`): AES-256 in CBC mode per 4 KB page (SQLCipher 4's
default), each page authenticated with HMAC-SHA256 instead of SQLCipher 4's
default HMAC-SHA512, and the HMAC key derived with PBKDF2-HMAC-SHA256. Not a
weakening in any meaningful sense: HMAC-SHA256 is a 256-bit MAC with no known
attack better than brute force (its 32-byte tag is what SQLCipher 3 used), and
the encryption itself is unchanged; but this CPU family computes SHA-256 in
hardware (SHA-NI) and SHA-512 in software, so a page read from the file costs
about 40% less to check (see bench/encryption.py). Every cache miss of an
encrypted file pays that check.

Files encrypted by the release that first shipped encryption have SQLCipher 4's
defaults (:data:`SQLCIPHER_4`), and their backups keep them. A file opens only
with the settings it was written with, and nothing outside the file says which
(an encrypted file is all random bytes), so :func:`file_profile` tries
:data:`PROFILES` newest first, reading page 1 on a short-lived connection of its
own, before each connection is keyed (:func:`key_connection`; a fraction of a
millisecond, and pooled connections are made once). New files, exports and
backups get :data:`CURRENT`; ``services.encryption`` rewrites an older live file at start
(after a backup). The backup API copies between files of either settings (each
side decrypts or encrypts with its own), as long as the page size is the same.

The key is 32 random bytes given as a *raw* key (``x'…'``), so no passphrase
derivation (PBKDF2, 256,000 rounds) runs at each connection: the key already
has full strength, and a reader connection opens in microseconds instead of
~0.1 s. ``cipher_memory_security`` stays OFF (SQLCipher's default since 4.5,
still in 4.19): it would wipe every freed block, which costs a third of the
speed, and guards only against someone reading this process's memory, who
could read the key anyway. Temporary tables and sorts stay in memory (the
build has ``SQLITE_TEMP_STORE=2``), and SQLCipher has no memory-mapped I/O.

Keys are kept by :mod:`lawsup_desktop.services.encryption` (the OS keyring);
this module only applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlcipher3 import dbapi2 as sqlcipher  # type: ignore[import-untyped]

KEY_BYTES = 32

if TYPE_CHECKING:
    # sqlcipher3 is a fork of the stdlib's sqlite3 module with the same API (and no
    # type information of its own).
    from sqlite3 import Connection as Connection
    from sqlite3 import DatabaseError as DatabaseError
    from sqlite3 import Error as Error
    from sqlite3 import IntegrityError as IntegrityError
else:
    Connection = sqlcipher.Connection
    Error = sqlcipher.Error
    DatabaseError = sqlcipher.DatabaseError
    IntegrityError = sqlcipher.IntegrityError
dbapi: Any = sqlcipher
"""The DB-API module for SQLAlchemy's ``module=`` argument."""

_SQLITE_HEADER = b"SQLite format 3\x00"


class FileKind(Enum):
    MISSING = "missing"
    """No file, or an empty one (SQLite creates it on first write)."""
    PLAIN = "plain"
    """An unencrypted SQLite file (its header says so)."""
    OPAQUE = "opaque"
    """Anything else: encrypted (an encrypted file starts with its random salt),
    damaged, or not a database at all. Only opening it with a key tells."""


def file_kind(path: Path) -> FileKind:
    try:
        with path.open("rb") as f:
            head = f.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return FileKind.MISSING
    if not head:
        return FileKind.MISSING
    return FileKind.PLAIN if head == _SQLITE_HEADER else FileKind.OPAQUE


def new_key() -> bytes:
    import secrets

    return secrets.token_bytes(KEY_BYTES)


def _key_literal(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError(f"a database key has {KEY_BYTES} bytes, not {len(key)}")
    return f"\"x'{key.hex()}'\""


@dataclass(frozen=True)
class CipherProfile:
    """The SQLCipher settings a file is written with; it opens only with the same."""

    name: str
    hmac_algorithm: str
    kdf_algorithm: str
    """With a raw key, PBKDF2 (2 rounds) derives only the HMAC key."""
    page_size: int = 4096

    def apply(self, connection: Any, schema: str | None = None) -> None:
        """Set on a keyed connection (or an attached ``schema``) before it reads.
        Every setting is given, so SQLCipher's process-wide defaults never count."""
        prefix = f"{schema}." if schema else ""
        for pragma, value in (
            ("cipher_page_size", self.page_size),
            ("cipher_hmac_algorithm", self.hmac_algorithm),
            ("cipher_kdf_algorithm", self.kdf_algorithm),
        ):
            connection.execute(f"PRAGMA {prefix}{pragma} = {value}")


CURRENT = CipherProfile("lawsup-2", "HMAC_SHA256", "PBKDF2_HMAC_SHA256")
"""What new files, exports and backups are written with."""
SQLCIPHER_4 = CipherProfile("sqlcipher-4", "HMAC_SHA512", "PBKDF2_HMAC_SHA512")
"""SQLCipher 4's defaults: files (and their backups) from before :data:`CURRENT`."""
PROFILES = (CURRENT, SQLCIPHER_4)
"""Every setting a station file may have, newest first (the order they are tried)."""

_SQLITE_NOTADB = 26


def apply_key(connection: Any, key: bytes | None, profile: CipherProfile = CURRENT) -> None:
    """Key a fresh connection with ``profile``; it must be the first statement on
    it. ``None``: plain. For a file whose settings are unknown, :func:`key_connection`."""
    # SQLCipher writes its own complaints (a wrong key, say) to stderr; the error
    # raised to the caller says the same, so its log stays quiet.
    connection.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        connection.execute(f"PRAGMA key = {_key_literal(key)}")
        profile.apply(connection)


def key_connection(
    connection: Any,
    key: bytes | None,
    path: Path,
    *,
    read_only: bool = False,
    timeout: float = 5.0,
) -> CipherProfile | None:
    """Key a fresh connection to ``path`` with the settings the file was written
    with (:func:`file_profile`); returns them.

    None: ``key`` is None (plain), or no settings read the file (a wrong key, a
    damaged file): the connection is then keyed with :data:`CURRENT` and its
    first read fails as any wrong key does (``file is not a database``)."""
    if key is None:
        apply_key(connection, None)
        return None
    profile = file_profile(path, key, read_only=read_only, timeout=timeout)
    apply_key(connection, key, profile or CURRENT)
    return profile


def file_profile(
    path: Path, key: bytes, *, read_only: bool = False, timeout: float = 5.0
) -> CipherProfile | None:
    """The settings ``path`` is encrypted with: :data:`PROFILES` tried newest first,
    each on a connection of its own that reads page 1 (a connection that failed
    to read stays unable to write, even once keyed again). None: none read it
    with ``key``. A missing, empty or plain file: :data:`CURRENT`, which it would
    be written with. ``timeout``: how long a read waits for a writer's lock."""
    if file_kind(path) is not FileKind.OPAQUE:
        return CURRENT
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    for profile in PROFILES:
        probe = sqlcipher.connect(target, uri=read_only, timeout=timeout)
        try:
            apply_key(probe, key, profile)
            probe.execute("PRAGMA schema_version").fetchone()
        except DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) != _SQLITE_NOTADB:
                raise  # not about the settings (busy, I/O): the first read would say so
            continue
        finally:
            probe.close()
        return profile
    return None


def connect(
    path: Path,
    key: bytes | None,
    *,
    read_only: bool = False,
    timeout: float = 5.0,
    check_same_thread: bool = True,
) -> Connection:
    """A connection to ``path`` keyed with the settings the file has (a new file:
    :data:`CURRENT`). A wrong key shows at the first read, as
    ``DatabaseError("file is not a database")``."""
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    connection: Connection = sqlcipher.connect(
        target, uri=read_only, timeout=timeout, check_same_thread=check_same_thread
    )
    try:
        key_connection(connection, key, path, read_only=read_only, timeout=timeout)
    except BaseException:
        connection.close()
        raise
    return connection


def export(
    source: Connection, target: Path, key: bytes | None, profile: CipherProfile = CURRENT
) -> None:
    """Write the whole of ``source`` into the new file ``target``, encrypted with
    ``key`` (None: plain), with ``sqlcipher_export``: the one way between a plain
    and an encrypted file (the backup API refuses to cross). Schema, data, and the
    user version are copied; ``target`` must not exist. An encrypted ``target``
    gets ``profile`` (an attached file would get SQLCipher's defaults)."""
    if target.exists():
        raise FileExistsError(target)
    literal = "''" if key is None else _key_literal(key)
    user_version = int(source.execute("PRAGMA user_version").fetchone()[0])
    source.execute(f"ATTACH DATABASE ? AS exported KEY {literal}", (str(target),))
    try:
        if key is not None:
            profile.apply(source, "exported")
        source.execute("SELECT sqlcipher_export('exported')").fetchone()
        source.execute(f"PRAGMA exported.user_version = {user_version}")
    finally:
        source.execute("DETACH DATABASE exported")
