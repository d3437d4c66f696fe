"""The operator's lock-screen password: set, change, verify.

Kept on this installation's :class:`~lawsup_desktop.store.models.Workstation`
row (business data lives in SQLite; the row is never synced nor audited, so
the hash never leaves the machine). Stored as
``scrypt$<n>$<r>$<p>$<salt>$<hash>`` (base64): scrypt with a random 16-byte
salt, n=2**14, r=8, p=1 (about 16 MB and some tens of milliseconds per try:
cheap for one unlock, expensive for guessing), and the parameters kept
with each hash so they can be raised later without breaking old ones.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from lawsup_desktop.domain.errors import LawsupError, Text, ValidationError
from lawsup_desktop.store.audit import SYSTEM
from lawsup_desktop.store.database import Database

if TYPE_CHECKING:
    from lawsup_desktop.store.models import Workstation

MIN_LENGTH = 6
MAX_LENGTH = 128
FIELD_NEW_PASSWORD = Text("新密码", "New password")
FIELD_OLD_PASSWORD = Text("原密码", "Current password")
FIELD_CONFIRMATION = Text("确认新密码", "Confirm new password")
FIELD_PASSWORD = Text("密码", "Password")


@dataclass(frozen=True)
class ScryptParameters:
    n: int = 2**14
    r: int = 8
    p: int = 1
    salt_bytes: int = 16
    hash_bytes: int = 32


DEFAULT_PARAMETERS = ScryptParameters()
_PREFIX = "scrypt"


class WrongPassword(LawsupError):
    """The password given is not the operator's."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
        maxmem=256 * 1024 * 1024, dklen=length,
    )


def hash_password(password: str, parameters: ScryptParameters = DEFAULT_PARAMETERS) -> str:
    salt = secrets.token_bytes(parameters.salt_bytes)
    digest = _scrypt(
        password, salt, parameters.n, parameters.r, parameters.p, parameters.hash_bytes
    )
    return "$".join(
        (_PREFIX, str(parameters.n), str(parameters.r), str(parameters.p), _b64(salt), _b64(digest))
    )


def password_matches(password: str, stored: str) -> bool:
    """Whether ``password`` gives ``stored`` (constant-time comparison)."""
    try:
        prefix, n, r, p, salt, digest = stored.split("$")
        if prefix != _PREFIX:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(
            password, base64.b64decode(salt, validate=True), int(n), int(r), int(p),
            len(expected),
        )
    except ValueError:  # a malformed stored value (base64, numbers, scrypt limits)
        return False
    return hmac.compare_digest(actual, expected)


def check_new_password(password: str, confirmation: str | None = None) -> None:
    """Raise a :class:`ValidationError` naming the field if ``password`` is unfit."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            FIELD_NEW_PASSWORD,
            Text(f"至少需要 {MIN_LENGTH} 个字符", f"must be at least {MIN_LENGTH} characters"),
        )
    if len(password) > MAX_LENGTH:
        raise ValidationError(
            FIELD_NEW_PASSWORD,
            Text(f"不能超过 {MAX_LENGTH} 个字符", f"must be at most {MAX_LENGTH} characters"),
        )
    if password != password.strip():
        raise ValidationError(
            FIELD_NEW_PASSWORD,
            Text("首尾不能有空格", "must not start or end with a space"),
        )
    if confirmation is not None and confirmation != password:
        raise ValidationError(
            FIELD_CONFIRMATION, Text("两次输入的密码不一致", "does not match the new password")
        )


def _wrong_password(field: Text) -> WrongPassword:
    return WrongPassword(
        Text(
            f"{field.zh}不正确，请重新输入。",
            f"The {field.en.lower()} is not correct. Try again.",
        )
    )


class OperatorLockService:
    """The lock-screen password of this installation's operator."""

    def __init__(self, db: Database, parameters: ScryptParameters = DEFAULT_PARAMETERS) -> None:
        self._db = db
        self._parameters = parameters

    def _stored(self) -> str | None:
        with self._db.read() as session:
            row = session.scalars(select(_workstation())).first()
            if row is None:
                raise LawsupError(
                    Text("本机尚未完成初始设置。", "This installation is not set up yet.")
                )
            return row.password_hash

    def has_password(self) -> bool:
        return self._stored() is not None

    def verify(self, password: str) -> bool:
        """Whether ``password`` unlocks; False too when no password is set."""
        stored = self._stored()
        return stored is not None and password_matches(password, stored)

    def unlock(self, password: str) -> None:
        """Raise :class:`WrongPassword` unless ``password`` is the operator's."""
        if not self.verify(password):
            raise _wrong_password(FIELD_PASSWORD)

    def set_password(
        self, new_password: str, *, old_password: str | None = None,
        confirmation: str | None = None,
    ) -> None:
        """Set the password, or change it: then the current one is required."""
        check_new_password(new_password, confirmation)
        # The slow hash is computed before the write transaction takes the lock.
        new_hash = hash_password(new_password, self._parameters)
        with self._db.write(SYSTEM) as session:
            row = session.scalars(select(_workstation())).first()
            if row is None:
                raise LawsupError(
                    Text("本机尚未完成初始设置。", "This installation is not set up yet.")
                )
            if row.password_hash is not None and (
                old_password is None or not password_matches(old_password, row.password_hash)
            ):
                raise _wrong_password(FIELD_OLD_PASSWORD)
            row.password_hash = new_hash


def _workstation() -> type[Workstation]:
    # The lock is built with the main window: the ORM models load after the first paint.
    from lawsup_desktop.store.models import Workstation

    return Workstation
