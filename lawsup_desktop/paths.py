"""Where a profile keeps its files. One data folder = one station database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("lawsup", appauthor=False)


@dataclass(frozen=True)
class DataFolder:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "lawsup.sqlite"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def settings(self) -> Path:
        return self.root / "settings.ini"
