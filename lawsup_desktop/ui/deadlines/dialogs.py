"""The small dialogs of the warnings list: clear a warning with a note, record a
suspension (鉴定) or an approved extension. Each is window-modal without blocking
(``open()``): the page does the write in the background and either closes the
dialog or shows, inside it, why the write was refused."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

DATETIME_FORMAT = "yyyy-MM-dd HH:mm"


def datetime_edit(parent: QWidget, value: dt.datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(parent)
    edit.setDisplayFormat(DATETIME_FORMAT)
    edit.setCalendarPopup(True)
    edit.setDateTime(QDateTime(QDate(value.year, value.month, value.day),
                               QTime(value.hour, value.minute)))
    return edit


def python_datetime(edit: QDateTimeEdit) -> dt.datetime:
    value = edit.dateTime().toPython()
    assert isinstance(value, dt.datetime)
    return value.replace(second=0, microsecond=0)


class ActionDialog(QDialog):
    """What the three dialogs share: a subject line, a form, a refusal line, OK/Cancel."""

    submitted = Signal()

    def __init__(self, subject: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        self.subject = QLabel(subject, self)
        self.subject.setObjectName("dialog_subject")
        self.subject.setWordWrap(True)
        self.subject.setTextFormat(Qt.TextFormat.PlainText)
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setObjectName("dialog_error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #a4231b;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.subject)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def can_submit(self) -> bool:
        return True

    def refresh_ok(self) -> None:
        self.ok_button.setEnabled(self.can_submit())

    def set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        if busy:
            self.error.hide()

    def show_refusal(self, message: str) -> None:
        """The write was refused: say why, keep what was typed."""
        self.set_busy(False)
        self.refresh_ok()
        self.error.setText(message)
        self.error.show()

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""

    def _submit(self) -> None:
        if self.can_submit():
            self.set_busy(True)
            self.submitted.emit()


class ClearDialog(ActionDialog):
    """逐一销账: what was done about this warning is required."""

    def __init__(self, subject: str, parent: QWidget | None = None) -> None:
        super().__init__(subject, parent)
        self.setObjectName("clear_warning_dialog")
        self.setWindowTitle(self.tr("销账"))
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("clearance_note")
        self.note.setPlaceholderText(self.tr("例如：已电话提醒主办民警，当日已提请批准逮捕"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        self.form.addRow(self.tr("处理情况（必填）："), self.note)
        self.note.textChanged.connect(self.refresh_ok)
        self.refresh_ok()
        self.note.setFocus()

    def can_submit(self) -> bool:
        return bool(self.note.toPlainText().strip())

    def note_text(self) -> str:
        return self.note.toPlainText()


class SuspensionDialog(ActionDialog):
    """A pause of the clock (e.g. 鉴定) from one moment to another, or still running."""

    def __init__(self, subject: str, now: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__(subject, parent)
        self.setObjectName("suspension_dialog")
        self.setWindowTitle(self.tr("记录中止计算（鉴定等）"))
        self.starts = datetime_edit(self, now)
        self.starts.setObjectName("suspension_from")
        self.ends = datetime_edit(self, now)
        self.ends.setObjectName("suspension_to")
        self.running = QCheckBox(self.tr("尚未结束"), self)
        self.running.setObjectName("suspension_running")
        self.running.toggled.connect(lambda on: self.ends.setEnabled(not on))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("suspension_reason")
        self.reason.setPlaceholderText(self.tr("例如：伤情鉴定"))
        self.reason.textChanged.connect(self.refresh_ok)
        self.form.addRow(self.tr("开始："), self.starts)
        self.form.addRow(self.tr("结束："), self.ends)
        self.form.addRow("", self.running)
        self.form.addRow(self.tr("事由："), self.reason)
        self.refresh_ok()

    def can_submit(self) -> bool:
        return bool(self.reason.text().strip())

    def values(self) -> tuple[dt.datetime, dt.datetime | None, str]:
        ends = None if self.running.isChecked() else python_datetime(self.ends)
        return python_datetime(self.starts), ends, self.reason.text()


class ExtensionDialog(ActionDialog):
    """An approved extension by some days (or months), with the approval."""

    def __init__(
        self, subject: str, unit: str, limit: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(subject, parent)
        self.setObjectName("extension_dialog")
        self.setWindowTitle(self.tr("记录延长期限"))
        self.amount = QSpinBox(self)
        self.amount.setObjectName("extension_amount")
        self.amount.setRange(1, 999)
        self.amount.setSuffix(f" {unit}")
        self.approval = QLineEdit(self)
        self.approval.setObjectName("extension_approval")
        self.approval.setPlaceholderText(self.tr("例如：经县局负责人王某批准（文号）"))
        self.approval.textChanged.connect(self.refresh_ok)
        self.limit = QLabel(limit, self)
        self.limit.setWordWrap(True)
        self.form.addRow(self.tr("延长："), self.amount)
        self.form.addRow(self.tr("批准情况："), self.approval)
        self.form.addRow("", self.limit)
        self.refresh_ok()

    def can_submit(self) -> bool:
        return bool(self.approval.text().strip())

    def values(self) -> tuple[int, str]:
        return self.amount.value(), self.approval.text()
