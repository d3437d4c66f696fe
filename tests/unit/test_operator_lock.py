"""The operator's lock-screen password: scrypt hashes, setting, changing, verifying."""

from __future__ import annotations

import pytest

from lawsup_desktop.domain.errors import ValidationError
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.encryption import open_file
from lawsup_desktop.services.operator_lock import (
    OperatorLockService,
    ScryptParameters,
    WrongPassword,
    hash_password,
    password_matches,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database

FAST = ScryptParameters(n=2**4)  # the format and logic, not the cost, under test


def test_hashes_are_salted_scrypt_and_never_the_password() -> None:
    first, second = hash_password("秘密口令abc"), hash_password("秘密口令abc")
    assert first != second  # a fresh salt each time
    prefix, n, r, p, _salt, _digest = first.split("$")
    assert (prefix, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert "秘密口令abc" not in first
    assert password_matches("秘密口令abc", first) and password_matches("秘密口令abc", second)
    assert not password_matches("秘密口令abd", first)
    assert not password_matches("", first)


@pytest.mark.parametrize("stored", ["", "plain-text", "scrypt$16$8$1$!!$!!", "md5$1$1$1$AA==$AA=="])
def test_a_malformed_stored_value_never_matches(stored: str) -> None:
    assert not password_matches("whatever", stored)


def test_set_verify_and_change(
    db: Database, workstation: WorkstationInfo, folder: DataFolder
) -> None:
    service = OperatorLockService(db, FAST)
    assert not service.has_password()
    assert not service.verify("")

    service.set_password("first-pass", confirmation="first-pass")
    assert service.has_password()
    assert service.verify("first-pass") and not service.verify("First-pass")
    service.unlock("first-pass")
    with pytest.raises(WrongPassword) as wrong:
        service.unlock("nope")
    assert wrong.value.message.zh == "密码不正确，请重新输入。"
    assert wrong.value.message.en == "The password is not correct. Try again."

    # Changing needs the current password.
    with pytest.raises(WrongPassword, match="current password"):
        service.set_password("second-pass")
    with pytest.raises(WrongPassword, match="current password"):
        service.set_password("second-pass", old_password="not-it")
    assert service.verify("first-pass")
    service.set_password("second-pass", old_password="first-pass")
    assert service.verify("second-pass") and not service.verify("first-pass")

    with open_file(folder.database) as connection:
        [(stored,)] = connection.execute("SELECT password_hash FROM workstation").fetchall()
    assert stored.startswith("scrypt$") and "second-pass" not in stored


@pytest.mark.parametrize(
    ("password", "confirmation", "zh"),
    [
        ("12345", None, "新密码：至少需要 6 个字符"),
        (" spaced ", None, "新密码：首尾不能有空格"),
        ("x" * 129, None, "新密码：不能超过 128 个字符"),
        ("good-pass", "good-pas", "确认新密码：两次输入的密码不一致"),
    ],
)
def test_unfit_new_passwords_are_refused_naming_the_field(
    db: Database, workstation: WorkstationInfo, password: str, confirmation: str | None, zh: str
) -> None:
    service = OperatorLockService(db, FAST)
    with pytest.raises(ValidationError) as refused:
        service.set_password(password, confirmation=confirmation)
    assert str(refused.value.message.zh) == zh
    assert not service.has_password()
