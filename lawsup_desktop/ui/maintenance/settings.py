"""The maintenance preferences, kept in the profile's ``settings.ini`` beside the
shell's own (:mod:`lawsup_desktop.ui.preferences`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

_BACKUP_KEEP = "backup/keep"
_IDLE_MINUTES = "lock/idle_minutes"

DEFAULT_IDLE_MINUTES = 10
MAX_IDLE_MINUTES = 240


def _int(settings: QSettings, key: str, default: int, low: int, high: int) -> int:
    try:
        value = int(str(settings.value(key, default)))
    except ValueError:
        return default
    return value if low <= value <= high else default


class MaintenanceSettings:
    def __init__(self, path: Path) -> None:
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def backups_to_keep(self) -> int | None:
        """How many backups of each kind to keep; None when not set (or not valid):
        then the backup service's default (14). Not read from the service here, so
        the start does not import it (the backups themselves run on a worker)."""
        value = _int(self._settings, _BACKUP_KEEP, 0, 1, 1000)
        return value or None

    @property
    def idle_minutes(self) -> int:
        """Lock after this many minutes without input; 0: never."""
        return _int(self._settings, _IDLE_MINUTES, DEFAULT_IDLE_MINUTES, 0, MAX_IDLE_MINUTES)

    def set_idle_minutes(self, minutes: int) -> None:
        if not 0 <= minutes <= MAX_IDLE_MINUTES:
            raise ValueError(f"idle minutes out of range: {minutes}")
        self._settings.setValue(_IDLE_MINUTES, minutes)
        self._settings.sync()
