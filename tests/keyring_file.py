"""A test keyring kept in a JSON file, so that the child processes a test starts
(the crash writer, ``python -m lawsup_desktop``) see the same database keys as
the test itself. Selected in children by ``PYTHON_KEYRING_BACKEND`` (see
tests/conftest.py); the file is per test, in its temporary folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_VARIABLE = "LAWSUP_TEST_KEYRING"


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def path(self) -> Path:
        return Path(os.environ[FILE_VARIABLE])

    @property
    def passwords(self) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data

    def _save(self, passwords: dict[str, str]) -> None:
        partial = self.path.with_name(self.path.name + f".{os.getpid()}")
        partial.write_text(json.dumps(passwords), encoding="utf-8")
        os.replace(partial, self.path)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._save({**self.passwords, f"{service}/{username}": password})

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get(f"{service}/{username}")

    def delete_password(self, service: str, username: str) -> None:
        passwords = self.passwords
        if passwords.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self._save(passwords)
