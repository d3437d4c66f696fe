"""SQLCipher: every connection to a station file, encrypted or (by the user's choice) plain.

All connections go through the ``sqlcipher3`` library, the plain ones too: two
copies of SQLite in one process must not open the same file (closing a file in
one drops the POSIX locks the other holds), so the stdlib ``sqlite3`` is not
used on station files at all.

Cipher settings: SQLCipher 4 defaults (AES-256 in CBC mode per 4 KB page, an
HMAC-SHA512 per page, a random salt per file). The key is 32 random bytes
given as a *raw* key (``x'…'``), so no passphrase derivation (PBKDF2, 256,000
rounds) runs at each connection: the key already has full strength, and a
reader connection opens in microseconds instead of ~0.1 s.
``cipher_memory_security`` stays OFF (SQLCipher's default since 4.5): it would
wipe every freed block, which costs a third of the speed, and guards only
against someone reading this process's memory, who could read the key anyway.

Keys are kept by :mod:`lawsup_desktop.services.encryption` (the OS keyring);
this module only applies them.
"""

from __future__ import annotations

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


def apply_key(connection: Any, key: bytes | None) -> None:
    """Key a fresh connection; it must be the first statement on it. ``None``: plain."""
    # SQLCipher writes its own complaints (a wrong key, say) to stderr; the error
    # raised to the caller says the same, so its log stays quiet.
    connection.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        connection.execute(f"PRAGMA key = {_key_literal(key)}")


def connect(
    path: Path,
    key: bytes | None,
    *,
    read_only: bool = False,
    timeout: float = 5.0,
    check_same_thread: bool = True,
) -> Connection:
    """A keyed connection to ``path``. A wrong key shows at the first read, as
    ``DatabaseError("file is not a database")``."""
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    connection: Connection = sqlcipher.connect(
        target, uri=read_only, timeout=timeout, check_same_thread=check_same_thread
    )
    try:
        apply_key(connection, key)
    except BaseException:
        connection.close()
        raise
    return connection


def export(source: Connection, target: Path, key: bytes | None) -> None:
    """Write the whole of ``source`` into the new file ``target``, encrypted with
    ``key`` (None: plain), with ``sqlcipher_export``: the one way between a plain
    and an encrypted file (the backup API refuses to cross). Schema, data, and the
    user version are copied; ``target`` must not exist."""
    if target.exists():
        raise FileExistsError(target)
    literal = "''" if key is None else _key_literal(key)
    user_version = int(source.execute("PRAGMA user_version").fetchone()[0])
    source.execute(f"ATTACH DATABASE ? AS exported KEY {literal}", (str(target),))
    try:
        source.execute("SELECT sqlcipher_export('exported')").fetchone()
        source.execute(f"PRAGMA exported.user_version = {user_version}")
    finally:
        source.execute("DETACH DATABASE exported")
