"""Preferences in QSettings; business data stays in SQLite.

Two stores:

* the profile's own ``settings.ini`` inside its data folder (language, sync
  server address, window geometry): a copied or restored data folder keeps them;
* the user's global QSettings (UserScope, IniFormat), holding only which data
  folder to open, because that must be known before any data folder is.

This module must not import QtWidgets: the command line reads
:func:`saved_data_dir` before deciding whether to start the GUI at all.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

ORGANIZATION = "lawsup"
APPLICATION = "lawsup"

SOURCE_LANGUAGE = "zh_CN"
"""The language the program is written in; needs no translator."""

LANGUAGES = (SOURCE_LANGUAGE, "en")

_DATA_FOLDER = "data/folder"
_LANGUAGE = "ui/language"
_SERVER_URL = "sync/server_url"
_WINDOW_GEOMETRY = "window/geometry"
_WINDOW_STATE = "window/state"


def global_settings() -> QSettings:
    """The user's settings outside any data folder (named explicitly, so they do not
    depend on the QCoreApplication's names being set yet)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def saved_data_dir() -> Path | None:
    """The data folder chosen in the settings dialog, or None to use the default."""
    value = global_settings().value(_DATA_FOLDER, "")
    return Path(str(value)) if value else None


def save_data_dir(path: Path | None) -> None:
    """Open ``path`` at the next start (None: go back to the default folder)."""
    settings = global_settings()
    if path is None:
        settings.remove(_DATA_FOLDER)
    else:
        settings.setValue(_DATA_FOLDER, str(path))
    settings.sync()


def server_url_problem(text: str) -> str | None:
    """Why ``text`` is not a usable sync server address, or None if it is (or is empty)."""
    text = text.strip()
    if not text:
        return None
    if any(c.isspace() for c in text):
        return QCoreApplication.translate("Preferences", "地址中不能有空格。")
    try:
        parts = urlsplit(text)
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        return QCoreApplication.translate("Preferences", "地址格式不正确。")
    if parts.scheme.lower() not in ("http", "https"):
        return QCoreApplication.translate(
            "Preferences", "地址须以 http:// 或 https:// 开头，例如 https://fzdd.example.com。"
        )
    if not parts.hostname:
        return QCoreApplication.translate("Preferences", "地址中缺少服务器名称。")
    return None


class Preferences:
    """The profile's preferences, kept in ``settings.ini`` in its data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def language(self) -> str:
        value = str(self._settings.value(_LANGUAGE, SOURCE_LANGUAGE))
        return value if value in LANGUAGES else SOURCE_LANGUAGE

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        self._settings.setValue(_LANGUAGE, language)
        self._settings.sync()

    @property
    def server_url(self) -> str:
        """The sync server's address; empty when none is set."""
        return str(self._settings.value(_SERVER_URL, "")).strip()

    def set_server_url(self, url: str) -> None:
        problem = server_url_problem(url)
        if problem is not None:
            raise ValueError(problem)
        self._settings.setValue(_SERVER_URL, url.strip())
        self._settings.sync()

    def window_geometry(self) -> QByteArray | None:
        return self._bytes(_WINDOW_GEOMETRY)

    def window_state(self) -> QByteArray | None:
        return self._bytes(_WINDOW_STATE)

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._settings.setValue(_WINDOW_GEOMETRY, geometry)
        self._settings.setValue(_WINDOW_STATE, state)
        self._settings.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None
