"""The settings dialog: interface language, data folder, sync server address."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QPushButton, QWidget

from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.forms.ui_settings_dialog import Ui_SettingsDialog
from lawsup_desktop.ui.preferences import (
    Preferences,
    save_data_dir,
    saved_data_dir,
    server_url_problem,
)


class SettingsDialog(QDialog):
    """Edits the preferences. The language takes effect at once, the sync server at
    the next sync, a new data folder at the next start."""

    applied = Signal()
    """Preferences were saved: whoever shows them refreshes."""

    def __init__(
        self, preferences: Preferences, data_folder: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._preferences = preferences
        self._data_folder = data_folder
        saved = saved_data_dir()
        self._next_data_folder: Path | None = saved if saved != data_folder else None
        self._chosen_folder: Path | None = None

        self.ui = Ui_SettingsDialog()
        self.ui.setupUi(self)
        for language, name in i18n.LANGUAGE_NAMES.items():
            self.ui.language.addItem(name, language)
        self.ui.language.setCurrentIndex(self.ui.language.findData(preferences.language))
        self.ui.data_folder.setText(str(data_folder))
        self.ui.server_url.setText(preferences.server_url)
        self.ui.server_url_error.hide()

        self.ui.change_data_folder.clicked.connect(self.choose_data_folder)
        self.ui.server_url.textEdited.connect(self._clear_server_url_error)
        self.ui.buttons.accepted.connect(self.accept)
        self.ui.buttons.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self.apply)
        self.retranslate()

    @property
    def ok_button(self) -> QPushButton:
        return self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def apply_button(self) -> QPushButton:
        return self.ui.buttons.button(QDialogButtonBox.StandardButton.Apply)

    def select_language(self, language: str) -> None:
        self.ui.language.setCurrentIndex(self.ui.language.findData(language))

    def retranslate(self) -> None:
        if self._next_data_folder is not None:
            self.ui.data_folder_pending.setText(
                self.tr("下次启动时将打开：{path}").format(path=self._next_data_folder)
            )
        self.ui.data_folder_pending.setVisible(self._next_data_folder is not None)
        if not self.ui.server_url_error.isHidden():
            self._check_server_url()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self.retranslate()
        super().changeEvent(event)

    def choose_data_folder(self) -> None:
        start = self._next_data_folder or self._data_folder
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择数据文件夹"), str(start))
        if not chosen:
            return
        path = Path(chosen)
        self._chosen_folder = path
        self._next_data_folder = path if path != self._data_folder else None
        self.retranslate()

    def apply(self) -> bool:
        """Save what the dialog shows; False (and the reason shown) if a value is wrong."""
        if not self._check_server_url():
            self.ui.server_url.setFocus()
            return False
        self._preferences.set_server_url(self.ui.server_url.text())
        if self._chosen_folder is not None:
            save_data_dir(self._chosen_folder)
            self._chosen_folder = None
        language = str(self.ui.language.currentData())
        if language != self._preferences.language:
            self._preferences.set_language(language)
        if language != i18n.current_language():
            i18n.set_language(language)
        self.applied.emit()
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def _check_server_url(self) -> bool:
        problem = server_url_problem(self.ui.server_url.text())
        self.ui.server_url_error.setText(problem or "")
        self.ui.server_url_error.setVisible(problem is not None)
        return problem is None

    def _clear_server_url_error(self) -> None:
        self.ui.server_url_error.hide()
