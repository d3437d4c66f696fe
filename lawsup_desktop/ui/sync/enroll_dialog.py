"""Enrolment: the bureau's server address and one-time code → a device token in the
OS keyring (and nowhere else). Runs in the background; the dialog closes when done."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.sync import engine
from lawsup_desktop.sync.engine import Enrollment
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.preferences import server_url_problem
from lawsup_desktop.ui.sync.controller import SyncController
from lawsup_desktop.ui.tasks import TaskHandle


def keyring_missing() -> Text | None:
    """The notice to show when this computer has no usable keyring, else None."""
    from lawsup_desktop.sync.tokens import TokenStore

    store = TokenStore()
    store.load("")  # a harmless read: sets the warning where no keyring is usable
    return store.warning


class EnrollDialog(QDialog):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enroll_dialog")
        self.controller = controller
        self.handle: TaskHandle[Enrollment] | None = None
        self.enrollment: Enrollment | None = None
        db = controller.context.db
        status = controller.status()
        current_ca = engine.ca_bundle(db)

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.server_url = QLineEdit(self)
        self.server_url.setObjectName("server_url")
        self.server_url.setText(status.server_url or controller.context.preferences.server_url)
        self.code = QLineEdit(self)
        self.code.setObjectName("enroll_code")
        self.ca_bundle = QLineEdit(self)
        self.ca_bundle.setObjectName("ca_bundle")
        self.ca_bundle.setText(str(current_ca or ""))
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(self.browse)
        self.keyring_note = QLabel(self)
        self.keyring_note.setObjectName("keyring_note")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet("color: #7a5200;")
        self._no_keyring = keyring_missing()
        self.keyring_note.setVisible(self._no_keyring is not None)
        self.error = QLabel(self)
        self.error.setObjectName("enroll_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a1261d;")
        self.error.hide()

        self.form = QFormLayout()
        self.server_label = QLabel(self)
        self.code_label = QLabel(self)
        self.ca_label = QLabel(self)
        self.form.addRow(self.server_label, self.server_url)
        self.form.addRow(self.code_label, self.code)
        self.form.addRow(self.ca_label, ca_row)

        self.buttons = QDialogButtonBox(self)
        self.enroll_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.enroll_button.setObjectName("enroll_button")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start_enrolment)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("注册到县局同步服务器"))
        self.intro.setText(self.tr(
            "请输入县局法制大队提供的服务器地址和一次性注册码。注册后，本机的同步令牌只保存在"
            "系统密钥环中，不写入数据库、设置文件或日志。"))
        self.server_label.setText(self.tr("服务器地址(&A)："))
        self.server_label.setBuddy(self.server_url)
        self.server_url.setPlaceholderText("https://fzdd.example.com")
        self.code_label.setText(self.tr("注册码(&C)："))
        self.code_label.setBuddy(self.code)
        self.ca_label.setText(self.tr("县局 CA 证书："))
        self.ca_bundle.setPlaceholderText(self.tr("留空则使用系统自带的证书"))
        self.browse.setText(self.tr("选择…"))
        self.enroll_button.setText(self.tr("注册(&R)"))
        if self._no_keyring is not None:
            self.keyring_note.setText(self._no_keyring.in_language(i18n.current_language()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _choose_ca(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择县局 CA 证书"), self.ca_bundle.text(),
            self.tr("证书 (*.pem *.crt *.cer);;所有文件 (*)"))
        if chosen:
            self.ca_bundle.setText(chosen)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def start_enrolment(self) -> None:
        """Check what was typed, then enrol in the background."""
        url = self.server_url.text().strip()
        code = self.code.text().strip()
        problem = server_url_problem(url)
        if not url:
            problem = self.tr("请填写服务器地址。")
        if problem is not None:
            self._show_error(problem)
            self.server_url.setFocus()
            return
        if not code:
            self._show_error(self.tr("请填写注册码。"))
            self.code.setFocus()
            return
        ca_text = self.ca_bundle.text().strip()
        ca = Path(ca_text) if ca_text else None
        if ca is not None and not ca.is_file():
            self._show_error(self.tr("CA 证书文件不存在：{path}").format(path=ca_text))
            self.ca_bundle.setFocus()
            return
        self.error.hide()
        self._set_busy(True)
        self.handle = self.controller.enroll(url, code, ca, on_failure=self._failed)
        self.handle.succeeded.connect(self._done)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.server_url, self.code, self.ca_bundle, self.browse,
                       self.enroll_button):
            widget.setEnabled(not busy)
        if busy:
            self.enroll_button.setText(self.tr("正在注册…"))
        else:
            self.enroll_button.setText(self.tr("注册(&R)"))

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, LawsupError):
            self._show_error(exc.in_language(i18n.current_language()))
        else:
            self._show_error(self.tr("注册失败：{error}").format(error=type(exc).__name__))

    def _done(self, enrollment: Enrollment) -> None:
        self.enrollment = enrollment
        self._set_busy(False)
        self.accept()
