"""First-run setup: which station this installation belongs to, and who works on it."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QWidget

from lawsup_desktop.domain.errors import LawsupError, Text, ValidationError
from lawsup_desktop.domain.vocabulary import Role
from lawsup_desktop.services.station import (
    FIELD_OPERATOR_NAME,
    FIELD_STATION_CODE,
    FIELD_STATION_NAME,
    StationService,
    WorkstationInfo,
)
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.forms.ui_setup_dialog import Ui_SetupDialog
from lawsup_desktop.ui.tasks import TaskManager

DEFAULT_ROLE = Role.SUPERVISOR
"""The program is made for the station's legal supervisor."""


class SetupDialog(QDialog):
    """Asks for the station and the operator, then sets the installation up.

    A value the service refuses is explained under the form, in the user's
    language, and its field is marked; everything typed stays as it was.
    ``workstation`` holds the result once the dialog is accepted.
    """

    def __init__(
        self, service: StationService, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._error: LawsupError | None = None
        self._busy = False
        self.workstation: WorkstationInfo | None = None

        self.ui = Ui_SetupDialog()
        self.ui.setupUi(self)
        self._fields: dict[Text, QLineEdit] = {
            FIELD_STATION_NAME: self.ui.station_name,
            FIELD_STATION_CODE: self.ui.station_code,
            FIELD_OPERATOR_NAME: self.ui.operator_name,
        }
        for role in Role:
            self.ui.operator_role.addItem("", role.value)
        self.ui.operator_role.setCurrentIndex(self.ui.operator_role.findData(DEFAULT_ROLE.value))
        self.ui.error_label.hide()
        for field in self._fields.values():
            field.textEdited.connect(self._clear_mark)
        self.ui.buttons.accepted.connect(self.submit)
        self.ui.buttons.rejected.connect(self.reject)
        self.retranslate()

    @property
    def submit_button(self) -> QWidget:
        return self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def selected_role(self) -> Role:
        return Role(self.ui.operator_role.currentData())

    def select_role(self, role: Role) -> None:
        self.ui.operator_role.setCurrentIndex(self.ui.operator_role.findData(role.value))

    def error_text(self) -> str:
        """The message shown under the form ("" when there is none)."""
        return self.ui.error_label.text() if not self.ui.error_label.isHidden() else ""

    def retranslate(self) -> None:
        language = i18n.current_language()
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("完成设置"))
        for index, role in enumerate(Role):
            self.ui.operator_role.setItemText(index, role.label.in_language(language))
        if self._error is not None:
            self.ui.error_label.setText(self._error.in_language(language))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self.retranslate()
        super().changeEvent(event)

    def submit(self) -> None:
        """Set the installation up with what was typed (on a worker thread)."""
        if self._busy:
            return
        values = (
            self.ui.station_code.text(),
            self.ui.station_name.text(),
            self.ui.operator_name.text(),
            self.selected_role(),
        )
        self._set_busy(True)
        self._tasks.run(
            lambda _ctx: self._service.set_up(*values),
            on_success=self._done,
            on_failure=self._failed,
            parent_widget=self,
        )

    def reject(self) -> None:
        if not self._busy:  # the setup is being written: let it finish first
            super().reject()

    def _done(self, workstation: WorkstationInfo) -> None:
        self._set_busy(False)
        self.workstation = workstation
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(exc, LawsupError):
            self._tasks.report_error(self, exc)
            return
        self._error = exc
        self.ui.error_label.setText(exc.in_language(i18n.current_language()))
        self.ui.error_label.show()
        field = self._fields.get(exc.field) if isinstance(exc, ValidationError) else None
        if field is not None:
            self._mark(field, True)
            field.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ui.buttons.setEnabled(not busy)
        for field in self._fields.values():
            field.setReadOnly(busy)
        self.ui.operator_role.setEnabled(not busy)

    def _clear_mark(self) -> None:
        sender = self.sender()
        if isinstance(sender, QLineEdit):
            self._mark(sender, False)

    @staticmethod
    def _mark(field: QLineEdit, invalid: bool) -> None:
        # Read by the stylesheet (QLineEdit[invalid="true"]); re-polish to apply it.
        field.setProperty("invalid", invalid)
        field.style().unpolish(field)
        field.style().polish(field)
