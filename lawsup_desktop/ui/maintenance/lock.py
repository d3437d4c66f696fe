"""The lock screen: after some idle time, or on demand (Ctrl+L), the workbench hides
its content until the operator types the password.

The lock screen is a child of the main window laid over all of it, menu bar
included: it cannot be moved away like a dialog. While locked, the window's
other children are disabled (no focus, no input can reach them), an
application-wide event filter swallows every shortcut and every input event
meant for anything but the lock screen, and the program's other windows are
hidden until the operator unlocks.

Idle time is measured by the same filter, installed while unlocked on each
of the program's windows (``QWindow``: the platform's keys, clicks, mouse
movements and wheel turns reach it before any widget) as it gets the focus,
and on each widget that gets the focus (text typed through an input method
reaches only that widget): any of them restarts the idle timer. Not on the
whole application while unlocked: a Python filter there is handed every
object Qt sends an event to, private classes included, and converting the
first of those makes PySide create every Qt type and enum it knows (about
35 ms at start, on the first table view). Without a password there is nothing
to unlock with, so the workbench does not lock; the lock command offers to
set one first.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.services.operator_lock import OperatorLockService
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.ui.maintenance.settings import MAX_IDLE_MINUTES, MaintenanceSettings

if TYPE_CHECKING:
    from lawsup_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

_T = QEvent.Type
BLOCKED_WHILE_LOCKED = frozenset({
    _T.KeyPress, _T.KeyRelease, _T.ShortcutOverride, _T.Shortcut,
    _T.MouseButtonPress, _T.MouseButtonRelease, _T.MouseButtonDblClick, _T.MouseMove,
    _T.Wheel, _T.ContextMenu, _T.InputMethod, _T.TouchBegin, _T.TouchUpdate, _T.TouchEnd,
    _T.TabletPress, _T.TabletRelease, _T.TabletMove, _T.DragEnter, _T.Drop,
})
ACTIVITY = frozenset({
    _T.KeyPress, _T.MouseButtonPress, _T.MouseMove, _T.Wheel, _T.TouchBegin, _T.InputMethod,
    _T.TabletPress,
})


class LockScreen(QFrame):
    """What the locked window shows: who is locked out, and the password field."""

    password_submitted = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock_screen")
        self.setAutoFillBackground(True)  # opaque: nothing of the page shows through
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)

        self.title = QLabel(self)
        self.title.setObjectName("lock_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.title.setFont(font)
        self.who = QLabel(self)
        self.who.setObjectName("lock_operator")
        self.password = QLineEdit(self)
        self.password.setObjectName("lock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMinimumWidth(260)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.setDefault(True)
        self.error = QLabel(self)
        self.error.setObjectName("lock_error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)

        box = QVBoxLayout()
        box.setSpacing(12)
        for widget in (self.title, self.who, self.password, self.unlock_button, self.error):
            box.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(box)
        outer.addStretch(2)

        self.password.returnPressed.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)

    def retranslate(self, operator_name: str) -> None:
        self.title.setText(self.tr("工作台已锁定"))
        self.who.setText(self.tr("请操作员 {name} 输入密码解锁。").format(name=operator_name))
        self.password.setPlaceholderText(self.tr("操作员密码"))
        self.unlock_button.setText(self.tr("解锁(&U)"))

    def error_text(self) -> str:
        return self.error.text()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.password.clear()
        self.password.setFocus()

    def busy(self, busy: bool) -> None:
        self.password.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        if not busy:
            self.password.setFocus()

    def _submit(self) -> None:
        if self.password.isEnabled():
            self.password_submitted.emit(self.password.text())


class LockController(QObject):
    """Locks and unlocks one main window; measures idle time for the whole program."""

    locked_changed = Signal(bool)

    def __init__(self, window: MainWindow, settings: MaintenanceSettings) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.service = OperatorLockService(window.context.db)
        self.screen: LockScreen | None = None
        self.settings_dialog: LockSettingsDialog | None = None
        self.offer: QMessageBox | None = None
        self._disabled: list[QWidget] = []
        self._hidden: list[QWidget] = []
        self.idle_timer = QTimer(self)
        self.idle_timer.setObjectName("idle_lock_timer")
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._idle)
        self._stopped = False
        self.set_idle_minutes(settings.idle_minutes)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusWindowChanged.connect(self._watch)
        app.focusChanged.connect(self._watch_focus)

    # -- state ------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self.screen is not None

    def set_idle_minutes(self, minutes: int) -> None:
        self.set_idle_interval_ms(minutes * 60_000)

    def set_idle_interval_ms(self, interval_ms: int) -> None:
        """0: never lock by itself."""
        self.idle_timer.stop()
        self.idle_timer.setInterval(interval_ms)
        if interval_ms > 0 and not self.locked:
            self.idle_timer.start()

    def stop(self) -> None:
        """The window closes: no more idle locking, no more filtering."""
        self.idle_timer.stop()
        app = QApplication.instance()
        if isinstance(app, QApplication) and not self._stopped:
            app.removeEventFilter(self)
            app.focusWindowChanged.disconnect(self._watch)
            app.focusChanged.disconnect(self._watch_focus)
        self._stopped = True

    def _watch(self, target: QObject | None) -> None:
        """Count input to ``target`` as activity (installing twice is harmless: Qt
        keeps one)."""
        if target is not None and not self._stopped:
            target.installEventFilter(self)

    def _watch_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._watch(new)

    def _idle(self) -> None:
        if self.locked:
            return
        if not self.service.has_password():
            log.info("idle, but no lock password is set: not locking")
            return
        log.info("locking after %d ms without input", self.idle_timer.interval())
        self.lock()

    # -- locking ------------------------------------------------------------

    def request_lock(self) -> None:
        """The menu's and Ctrl+L's lock: offers to set a password first if none is."""
        if self.lock():
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("锁定工作台"),
            self.tr("尚未设置锁屏密码。设置密码后才能锁定工作台。现在设置吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window,
        )
        box.setObjectName("offer_lock_password")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(result: int) -> None:
            self.offer = None
            if result == QMessageBox.StandardButton.Yes:
                self.open_settings(lock_after=True)

        box.finished.connect(answered)
        self.offer = box
        box.open()

    def lock(self) -> bool:
        """Lock now; False (and nothing happens) when no password is set."""
        if self.locked:
            return True
        if not self.service.has_password():
            return False
        self.idle_timer.stop()
        window = self.window
        app = QApplication.instance()
        assert app is not None
        # While locked, every event of the program passes the filter (see above).
        app.installEventFilter(self)
        # Every other window of the program goes out of sight until unlocked.
        self._hidden = [
            w for w in QApplication.topLevelWidgets()
            if w.isVisible() and w is not window and w.isWindow()
        ]
        for widget in self._hidden:
            widget.hide()
        children = window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        self._disabled = [w for w in children if w.isEnabled() and not w.isWindow()]
        for widget in self._disabled:
            widget.setEnabled(False)
        screen = LockScreen(window)
        screen.retranslate(window.context.workstation.operator_name)
        screen.password_submitted.connect(self._check)
        screen.setGeometry(window.rect())
        screen.show()
        screen.raise_()
        self.screen = screen
        window.activateWindow()
        screen.password.setFocus()
        self.locked_changed.emit(True)
        return True

    def _check(self, password: str) -> None:
        screen = self.screen
        if screen is None:
            return
        if not password:
            screen.show_error(self.tr("请输入密码。"))
            return
        screen.busy(True)
        service = self.service

        def job(_ctx: TaskContext) -> bool:
            return service.verify(password)  # scrypt: off the GUI thread

        def checked(ok: bool) -> None:
            if self.screen is not screen:
                return
            screen.busy(False)
            if ok:
                self.unlock()
            else:
                log.info("wrong password on the lock screen")
                screen.show_error(self.tr("密码不正确，请重新输入。"))

        def failed(exc: BaseException) -> None:
            screen.busy(False)
            self.window.context.tasks.report_error(self.window, exc)

        self.window.context.tasks.run(job, checked, failed)

    def unlock(self) -> None:
        screen, self.screen = self.screen, None
        if screen is None:
            return
        screen.hide()
        screen.deleteLater()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for widget in self._disabled:
            if shiboken6.isValid(widget):
                widget.setEnabled(True)
        for widget in self._hidden:
            if shiboken6.isValid(widget):
                widget.show()
        self._disabled, self._hidden = [], []
        if self.idle_timer.interval() > 0:
            self.idle_timer.start()
        self.locked_changed.emit(False)

    # -- the event filter ---------------------------------------------------

    def _on_lock_screen(self, obj: QObject) -> bool:
        screen = self.screen
        return screen is not None and isinstance(obj, QWidget) and (
            obj is screen or screen.isAncestorOf(obj)
        )

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.screen is not None:
            if kind == _T.Resize and obj is self.window:
                self.screen.setGeometry(self.window.rect())
            elif kind in BLOCKED_WHILE_LOCKED and not self._on_lock_screen(obj):
                if kind == _T.Shortcut or isinstance(obj, QWidget):
                    return True  # swallowed: nothing behind the lock screen reacts
            elif kind == _T.Show and isinstance(obj, QWidget) and obj.isWindow() \
                    and obj is not self.window and obj.windowType() != Qt.WindowType.ToolTip \
                    and obj not in self._hidden:  # the window's own filter sees it too
                # A window opened by a background task while locked waits too.
                QTimer.singleShot(0, obj, obj.hide)
                self._hidden.append(obj)
            return False
        if kind in ACTIVITY and self.idle_timer.interval() > 0 and not self._stopped:
            self.idle_timer.start()  # restarts the countdown
        return False

    # -- password and idle time ---------------------------------------------

    def open_settings(self, *, lock_after: bool = False) -> LockSettingsDialog:
        dialog = LockSettingsDialog(self, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if lock_after:
            dialog.accepted.connect(self.lock)
        dialog.destroyed.connect(self._forget_settings)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def _forget_settings(self) -> None:
        self.settings_dialog = None


class LockSettingsDialog(QDialog):
    """Set or change the lock password (the current one is needed to change it), and
    the idle time before the workbench locks by itself."""

    def __init__(self, controller: LockController, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock_settings")
        self.controller = controller
        self.has_password = controller.service.has_password()
        self.setWindowTitle(self.tr("锁屏密码与自动锁定"))

        self.old_password = self._password_field("old_password")
        self.new_password = self._password_field("new_password")
        self.confirmation = self._password_field("confirmation")
        self.idle_minutes = QSpinBox(self)
        self.idle_minutes.setObjectName("idle_minutes")
        self.idle_minutes.setRange(0, MAX_IDLE_MINUTES)
        self.idle_minutes.setSuffix(self.tr(" 分钟"))
        self.idle_minutes.setSpecialValueText(self.tr("不自动锁定"))
        self.idle_minutes.setValue(controller.settings.idle_minutes)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)

        form = QFormLayout()
        if self.has_password:
            form.addRow(self.tr("原密码(&O)："), self.old_password)
        else:
            self.old_password.hide()
        form.addRow(self.tr("新密码(&N)："), self.new_password)
        form.addRow(self.tr("确认新密码(&C)："), self.confirmation)
        form.addRow(self.tr("空闲多久后锁定(&I)："), self.idle_minutes)
        hint = QLabel(
            self.tr("不修改密码时，密码栏留空即可。") if self.has_password
            else self.tr("设置密码后，可随时按 Ctrl+L 锁定工作台。"),
            self,
        )
        hint.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _password_field(self, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def error_text(self) -> str:
        return self.error.text()

    def submit(self) -> None:
        controller = self.controller
        minutes = self.idle_minutes.value()
        new, confirmation = self.new_password.text(), self.confirmation.text()
        old = self.old_password.text() if self.has_password else None
        if self.has_password and not (new or confirmation or old):
            self._save_idle(minutes)
            self.accept()
            return
        self.ok_button.setEnabled(False)
        service = controller.service

        def job(_ctx: TaskContext) -> None:
            service.set_password(new, old_password=old, confirmation=confirmation)

        def done(_result: None) -> None:
            self._save_idle(minutes)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.ok_button.setEnabled(True)
            if not isinstance(exc, LawsupError):
                raise exc
            self.error.setText(exc.in_language(controller.window.context.language))

        controller.window.context.tasks.run(job, done, failed)

    def _save_idle(self, minutes: int) -> None:
        self.controller.settings.set_idle_minutes(minutes)
        self.controller.set_idle_minutes(minutes)
