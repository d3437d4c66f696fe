"""Translators and the run-time language switch.

Chinese is the source language and needs no translator of ours. For any other
language every ``*_<language>.qm`` in the bundled translations folder is
loaded, so a feature area that adds ``<area>_en.qm`` is picked up without a
change here. Qt's own translation (``qtbase_<language>.qm``: the buttons of
standard dialogs) is loaded for every language, Chinese included.

Installing or removing a translator makes Qt send ``QEvent.LanguageChange`` to
every widget; widgets answer it by retranslating themselves (compiled forms
with ``retranslateUi``, hand-written widgets with ``retranslate()``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from lawsup_desktop.ui.bundle import resource_path
from lawsup_desktop.ui.preferences import LANGUAGES, SOURCE_LANGUAGE

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {SOURCE_LANGUAGE: "中文", "en": "English"}
"""Each language named in itself: never translated, so a user can always find theirs."""

_LOCALES = {
    SOURCE_LANGUAGE: QLocale(QLocale.Language.Chinese, QLocale.Country.China),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
}

_installed: list[QTranslator] = []
_language = SOURCE_LANGUAGE


def translations_dir() -> Path:
    return resource_path("translations")


def translation_files(language: str) -> list[Path]:
    """The program's compiled translations for ``language``, one per feature area."""
    if language == SOURCE_LANGUAGE:
        return []
    return sorted(translations_dir().glob(f"*_{language}.qm"))


def qt_translation_file(language: str) -> Path | None:
    """Qt's own translation for ``language``, if this Qt ships one."""
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    path = folder / f"qtbase_{language}.qm"
    return path if path.is_file() else None


def current_language() -> str:
    return _language


def set_language(language: str) -> None:
    """Switch the whole application to ``language`` (``"zh_CN"`` or ``"en"``), now."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    global _language
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("set_language() needs a QCoreApplication")
    # The new language counts from the first LanguageChange event on, so that
    # widgets retranslating themselves read the new value.
    _language = language
    QLocale.setDefault(_LOCALES[language])
    for translator in _installed:
        app.removeTranslator(translator)
        translator.deleteLater()
    _installed.clear()
    ours = translation_files(language)
    qt_file = qt_translation_file(language)
    for path in ([qt_file] if qt_file is not None else []) + ours:
        translator = QTranslator(app)
        if translator.load(str(path)):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("cannot load translation %s", path)
    if language != SOURCE_LANGUAGE and not ours:
        log.warning("no translations for %s in %s", language, translations_dir())
