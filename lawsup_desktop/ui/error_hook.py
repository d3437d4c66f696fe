"""The one place where errors reach the user.

* A :class:`~lawsup_desktop.domain.errors.LawsupError` is something the user
  can act on: a warning box shows its message in the user's language.
* Anything else is a bug: its traceback goes to the log file and an
  :class:`ErrorDialog` shows it with a button to copy it for a bug report.

:func:`install_error_hook` routes uncaught exceptions of any thread here; on
a thread other than the GUI thread the error is handed over by a queued
signal. Every dialog is opened with ``open()``, never ``exec()``, so no
error blocks the program (or a test) in a nested event loop. While an
:class:`ErrorDialog` is open, further unexpected errors are added to it
instead of piling up more windows.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

import PySide6
import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    Qt,
    QThread,
    Signal,
    Slot,
    qVersion,
)
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop import __version__
from lawsup_desktop.domain.errors import LawsupError

log = logging.getLogger(__name__)

LOG_FILE_NAME = "lawsup.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"


class ErrorDialog(QDialog):
    """Tells the user an unexpected error happened and lets them copy the details."""

    def __init__(self, details: str, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("意外错误"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumSize(560, 360)

        message = QLabel(
            self.tr("程序发生了意外错误，刚才的操作可能没有完成。请把详情复制给系统管理员。"), self
        )
        message.setWordWrap(True)

        if log_path is not None:
            where = self.tr("详情已记录在日志文件：{path}").format(path=log_path)
        else:
            where = self.tr("日志文件尚未设置，详情没有写入日志。")
        self.log_label = QLabel(where, self)
        self.log_label.setTextFormat(Qt.TextFormat.PlainText)
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.details_box = QPlainTextEdit(self)
        self.details_box.setObjectName("details")
        self.details_box.setReadOnly(True)
        self.details_box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_box.setPlainText(details)

        buttons = QDialogButtonBox(self)
        self.copy_button = QPushButton(self.tr("复制详情"), self)
        self.copy_button.setObjectName("copy_details")
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = QPushButton(self.tr("关闭"), self)
        self.close_button.setObjectName("close")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.reject)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.log_label)
        layout.addWidget(self.details_box, 1)
        layout.addWidget(buttons)

    def details(self) -> str:
        return self.details_box.toPlainText()

    def add_details(self, details: str) -> None:
        """Add a further error that happened while this dialog was open."""
        self.details_box.appendPlainText("\n" + "-" * 40 + "\n" + details)

    @Slot()
    def copy_details(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.details())
        self.copy_button.setText(self.tr("已复制"))


class _GuiRelay(QObject):
    """Lives in the GUI thread; errors of other threads reach it by a queued signal."""

    error_posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.error_posted.connect(self._show, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _show(self, exc: BaseException) -> None:
        _show_safely(exc, logged=True)


class _InstalledHook:
    def __init__(
        self,
        log_path: Path,
        language_getter: Callable[[], str],
        handler: logging.Handler,
    ) -> None:
        self.log_path = log_path
        self.language_getter = language_getter
        self.handler = handler
        self.relay = _GuiRelay()
        self.previous_sys_hook = sys.excepthook
        self.previous_threading_hook = threading.excepthook
        self.previous_root_level = logging.getLogger().level


_installed: _InstalledHook | None = None
_open_dialog: ErrorDialog | None = None
# Open message boxes without a parent live only through this reference.
_open_boxes: set[QMessageBox] = set()


def install_error_hook(log_dir: Path, language_getter: Callable[[], str]) -> Path:
    """Route uncaught exceptions to :func:`show_error` and log to ``log_dir``.

    Call once from the GUI thread, at start-up. ``language_getter`` returns
    the user's language (``"zh_CN"``, ``"en"``…) for :class:`LawsupError`
    messages. Returns the log file's path.
    """
    global _installed
    if _installed is not None:
        uninstall_error_hook()
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / LOG_FILE_NAME
    handler = RotatingFileHandler(
        log_path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(logging.INFO)
    hook = _InstalledHook(log_path, language_getter, handler)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)
    sys.excepthook = _sys_excepthook
    threading.excepthook = _threading_excepthook
    _installed = hook
    log.info("lawsup %s started; %s", __version__, _environment())
    return log_path


def uninstall_error_hook() -> None:
    """Undo :func:`install_error_hook` (tests; a second install)."""
    global _installed
    hook = _installed
    if hook is None:
        return
    _installed = None
    sys.excepthook = hook.previous_sys_hook
    threading.excepthook = hook.previous_threading_hook
    root = logging.getLogger()
    root.removeHandler(hook.handler)
    root.setLevel(hook.previous_root_level)
    hook.handler.close()
    hook.relay.deleteLater()


def current_log_path() -> Path | None:
    """The log file, once the hook is installed."""
    return _installed.log_path if _installed is not None else None


def current_language() -> str:
    if _installed is None:
        return "zh_CN"
    return _installed.language_getter()


def show_error(parent: QWidget | None, exc: BaseException) -> QDialog:
    """Show ``exc`` to the user (GUI thread); returns the dialog, already open.

    A :class:`LawsupError` gets a warning box with its message in the
    user's language. Anything else is logged with its traceback and shown
    in an :class:`ErrorDialog`.
    """
    return _show(parent, exc, logged=False)


def _show(parent: QWidget | None, exc: BaseException, *, logged: bool) -> QDialog:
    global _open_dialog
    if parent is not None and not shiboken6.isValid(parent):
        parent = None
    if isinstance(parent, QProgressDialog):
        # A task's progress dialog is about to be deleted, children and all.
        parent = parent.parentWidget()
    if isinstance(exc, LawsupError):
        log.info("told the user: %s", exc)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("ErrorHook", "提示"),
            exc.in_language(current_language()),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # the message may quote user input
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _open_boxes.add(box)
        box.finished.connect(lambda _result: _open_boxes.discard(box))
        box.open()
        return box

    if not logged:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    details = _details(exc)
    if _open_dialog is not None and shiboken6.isValid(_open_dialog) and _open_dialog.isVisible():
        _open_dialog.add_details(details)
        return _open_dialog
    dialog = ErrorDialog(details, current_log_path(), parent)
    dialog.finished.connect(_forget_dialog)
    _open_dialog = dialog
    dialog.open()
    return dialog


def report_exception(exc: BaseException) -> None:
    """Show ``exc`` from any thread; never lets it vanish."""
    app = QCoreApplication.instance()
    if app is None:
        # No GUI (start-up, shutdown): log it and print it.
        log.error("unexpected error without GUI", exc_info=(type(exc), exc, exc.__traceback__))
        sys.__excepthook__(type(exc), exc, exc.__traceback__)
        return
    if QThread.currentThread() != app.thread():
        # Log here and now, in case the GUI thread never gets to show it.
        log.error("unexpected error in thread %s", threading.current_thread().name,
                  exc_info=(type(exc), exc, exc.__traceback__))
        if _installed is not None:
            _installed.relay.error_posted.emit(exc)
        else:
            sys.__excepthook__(type(exc), exc, exc.__traceback__)
        return
    _show_safely(exc, logged=False)


def _show_safely(exc: BaseException, *, logged: bool) -> None:
    try:
        _show(QApplication.activeWindow(), exc, logged=logged)
    except BaseException as failure:
        # The error display itself broke: at least both go to stderr and the log.
        log.critical("could not show an error", exc_info=(type(failure), failure,
                                                           failure.__traceback__))
        sys.__excepthook__(type(exc), exc, exc.__traceback__)
        sys.__excepthook__(type(failure), failure, failure.__traceback__)


def _sys_excepthook(
    exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None
) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc if exc is not None else exc_type(), tb)
        return
    if exc is None:
        exc = exc_type()
    if tb is not None and exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    report_exception(exc)


def _threading_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:  # as Python's own hook: a thread may end so
        return
    exc = args.exc_value if args.exc_value is not None else args.exc_type()
    if args.exc_traceback is not None and exc.__traceback__ is None:
        exc = exc.with_traceback(args.exc_traceback)
    report_exception(exc)


def _forget_dialog(_result: int = 0) -> None:
    global _open_dialog
    _open_dialog = None


def _environment(*, full: bool = False) -> str:
    """Versions and system; ``full`` adds the C library (for a bug report) through
    platform.platform(), which runs `uname -p` in a child process: not at every start."""
    system = (platform.platform() if full
              else f"{platform.system()}-{platform.release()}-{platform.machine()}")
    return (
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"Qt {qVersion()}, {system}"
    )


def _details(exc: BaseException) -> str:
    trace = "".join(traceback.format_exception(exc))
    return f"lawsup {__version__}; {_environment(full=True)}\n\n{trace}"
