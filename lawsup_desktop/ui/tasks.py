"""The one way the UI runs slow work: off the GUI thread, back with the result.

Usage::

    handle = tasks.run(
        lambda ctx: service.import_cases(path, ctx),
        on_success=self._show_imported,
        progress_label=self.tr("正在导入案件…"),
        parent_widget=self,
    )

The job runs on a worker thread of the manager's :class:`QThreadPool` and
gets a :class:`~lawsup_desktop.services.progress.TaskContext`. Its result, its
error and its progress come back to the GUI thread through queued signals, so
``on_success`` / ``on_failure`` may touch widgets. A job that raises
:class:`~lawsup_desktop.services.progress.Cancelled` ends quietly. A failure
without ``on_failure`` goes to the error hook. A job that returns a value
succeeded, even if a cancel came too late to stop it: the work is done and the
UI must show it.

:meth:`TaskManager.run`, :meth:`TaskHandle.wait` and :meth:`TaskManager.wait_all`
are for the GUI thread; the waits run a local event loop so the callbacks
are delivered before they return.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QPushButton, QWidget

from lawsup_desktop.services.progress import Cancelled, Progress, TaskContext
from lawsup_desktop.ui.error_hook import show_error

log = logging.getLogger(__name__)

T = TypeVar("T")

ErrorHandler = Callable[[QWidget | None, BaseException], object]
"""Shows an error the job's owner did not handle: ``(parent_widget, exc)``."""

DEFAULT_SHOW_DELAY_MS = 300
"""Quick jobs finish before their progress dialog would appear, so it never flashes."""

_QT_INT_MAX = 2**31 - 1


class TaskState(enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


def _in_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() == app.thread()


def _alive(widget: QWidget | None) -> QWidget | None:
    """``widget``, or ``None`` if its C++ side was already deleted."""
    return widget if widget is not None and shiboken6.isValid(widget) else None


def _wait_in_event_loop(
    is_done: Callable[[], bool], wake_up: SignalInstance, timeout_ms: int | None
) -> bool:
    """Run a local event loop until ``is_done()``; ``False`` on timeout."""
    deadline = None if timeout_ms is None else time.monotonic() + timeout_ms / 1000
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    wake_up.connect(loop.quit)
    try:
        while not is_done():
            if deadline is not None:
                remaining_ms = int((deadline - time.monotonic()) * 1000)
                if remaining_ms <= 0:
                    return False
                timer.start(remaining_ms)
            loop.exec()
        return True
    finally:
        timer.stop()
        wake_up.disconnect(loop.quit)


class TaskProgressDialog(QProgressDialog):
    """The progress dialog of one task; Cancel asks the job to stop.

    The dialog stays up (saying it is cancelling) until the job has really
    stopped, so the user cannot start a second run over a first one that is
    still winding down. Esc and the window's close button act as Cancel.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None, label: str, cancellable: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("请稍候"))
        self.setWindowModality(
            Qt.WindowModality.WindowModal if parent is not None
            else Qt.WindowModality.ApplicationModal
        )
        self.setAutoClose(False)
        self.setAutoReset(False)
        # Our own bar: QProgressDialog.setValue() runs processEvents() when
        # modal, which would deliver the task's result in the middle of a
        # progress update.
        self._bar = QProgressBar(self)
        self.setBar(self._bar)
        self._label = label
        self._cancellable = cancellable
        self._cancelling = False
        self._finished = False
        self._cancel_button: QPushButton | None = None
        if cancellable:
            self._cancel_button = QPushButton(self.tr("取消"), self)
            self.setCancelButton(self._cancel_button)
            # By default ``canceled`` hides the dialog at once; we keep it.
            self.canceled.disconnect(self.cancel)
            self.canceled.connect(self._request_cancel)
        else:
            self.setCancelButton(None)
        self._bar.setRange(0, 0)
        self.setLabelText(label)

    @property
    def cancel_button(self) -> QPushButton | None:
        return self._cancel_button

    def show_progress(self, progress: Progress) -> None:
        if progress.total is None or progress.total == 0:
            self._bar.setRange(0, 0)  # busy indicator
        else:
            done, total = min(progress.done, progress.total), progress.total
            if total > _QT_INT_MAX:
                done, total = done * 1000 // total, 1000
            self._bar.setRange(0, total)
            self._bar.setValue(done)
        if not self._cancelling:
            self.setLabelText(f"{self._label}\n{progress.text}" if progress.text else self._label)

    def finish(self) -> None:
        """Close for good: the job is over."""
        self._finished = True
        self.hide()
        self.deleteLater()

    @Slot()
    def _request_cancel(self) -> None:
        if self._cancelling or not self._cancellable:
            return
        self._cancelling = True
        self.setLabelText(self.tr("正在取消…"))
        if self._cancel_button is not None:
            self._cancel_button.setEnabled(False)
        self.cancel_requested.emit()

    def reject(self) -> None:  # Esc
        if self._finished:
            super().reject()
        else:
            self._request_cancel()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._finished:
            event.accept()
            return
        event.ignore()
        self._request_cancel()


class TaskHandle(QObject, Generic[T]):
    """One job started by :meth:`TaskManager.run`.

    Signals are emitted on the GUI thread after the callbacks ran. Connecting
    right after ``run()`` returns is safe: nothing is delivered before the
    GUI thread goes back to its event loop.
    """

    progressed = Signal(object)  # Progress
    succeeded = Signal(object)  # the job's result
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()  # after any of the three above

    # From the worker thread to the GUI thread (queued).
    _progress_posted = Signal()
    _job_ended = Signal(object, object)  # TaskState, result or exception

    def __init__(
        self,
        manager: TaskManager,
        fn: Callable[[TaskContext], T],
        on_success: Callable[[T], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        progress_label: str | None,
        parent_widget: QWidget | None,
        cancellable: bool,
    ) -> None:
        # No QObject parent: the manager keeps the handle while it runs,
        # the caller afterwards, so finished handles do not pile up.
        super().__init__()
        self._manager = manager
        self._fn = fn
        self._on_success = on_success
        self._on_failure = on_failure
        self._progress_label = progress_label
        self._parent_widget = parent_widget
        self._cancellable = cancellable
        self._lock = threading.Lock()
        self._state = TaskState.PENDING
        self._result: T | None = None
        self._error: BaseException | None = None
        self._progress_pending = False
        self._delivered = threading.Event()
        self._dialog: TaskProgressDialog | None = None
        self._show_timer: QTimer | None = None
        self.context = TaskContext(on_progress=self._on_report)
        self._progress_posted.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)
        self._job_ended.connect(self._deliver_end, Qt.ConnectionType.QueuedConnection)

    # -- for callers and tests -------------------------------------------

    @property
    def state(self) -> TaskState:
        with self._lock:
            return self._state

    @property
    def done(self) -> bool:
        """Whether the job ended and its callbacks ran."""
        return self._delivered.is_set()

    @property
    def result(self) -> T | None:
        """The job's result once it succeeded."""
        return self._result

    @property
    def error(self) -> BaseException | None:
        """The job's exception once it failed."""
        return self._error

    @property
    def progress_dialog(self) -> TaskProgressDialog | None:
        """The progress dialog while it is shown."""
        return self._dialog

    def cancel(self) -> None:
        """Ask the job to stop (see :meth:`TaskContext.cancel`). Any thread."""
        self.context.cancel()

    def wait(self, timeout_ms: int | None = None) -> bool:
        """Wait until the job ended and its callbacks ran; ``False`` on timeout.

        On the GUI thread this runs a local event loop (the callbacks need
        it); on another thread it simply blocks.
        """
        if _in_gui_thread():
            return _wait_in_event_loop(lambda: self.done, self.finished, timeout_ms)
        return self._delivered.wait(None if timeout_ms is None else timeout_ms / 1000)

    # -- worker thread ---------------------------------------------------

    def _execute(self) -> None:
        with self._lock:
            self._state = TaskState.RUNNING
        try:
            self.context.check_cancelled()  # cancelled while still queued
            result = self._fn(self.context)
        except Cancelled:
            self._job_ended.emit(TaskState.CANCELLED, None)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, not lost
            self._job_ended.emit(TaskState.FAILED, exc)
        else:
            self._job_ended.emit(TaskState.SUCCEEDED, result)

    def _on_report(self, _progress: Progress) -> None:
        # Coalesce: a job may report far faster than the screen needs; the
        # GUI thread reads the latest report when it gets to it.
        with self._lock:
            if self._progress_pending:
                return
            self._progress_pending = True
        self._progress_posted.emit()

    # -- GUI thread ------------------------------------------------------

    def _start_dialog_timer(self, delay_ms: int) -> None:
        if self._progress_label is None:
            return
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._show_dialog)
        self._show_timer.start(delay_ms)

    @Slot()
    def _show_dialog(self) -> None:
        if self.done or self._progress_label is None:
            return
        dialog = TaskProgressDialog(
            _alive(self._parent_widget), self._progress_label, self._cancellable
        )
        dialog.cancel_requested.connect(self.cancel)
        progress = self.context.progress
        if progress is not None:
            dialog.show_progress(progress)
        self._dialog = dialog
        dialog.show()

    @Slot()
    def _deliver_progress(self) -> None:
        with self._lock:
            self._progress_pending = False
        progress = self.context.progress
        if self.done or progress is None:
            return
        if self._dialog is not None:
            self._dialog.show_progress(progress)
        self.progressed.emit(progress)

    @Slot(object, object)
    def _deliver_end(self, state: TaskState, payload: object) -> None:
        with self._lock:
            self._state = state
        if self._show_timer is not None:
            self._show_timer.stop()
        if self._dialog is not None:
            self._dialog.finish()
            self._dialog = None
        parent = _alive(self._parent_widget)
        try:
            if state is TaskState.SUCCEEDED:
                self._result = payload  # type: ignore[assignment]
                if self._on_success is not None:
                    self._call_back(self._on_success, payload, parent)
                self.succeeded.emit(payload)
            elif state is TaskState.FAILED:
                assert isinstance(payload, BaseException)
                self._error = payload
                if self._on_failure is not None:
                    self._call_back(self._on_failure, payload, parent)
                else:
                    self._manager.report_error(parent, payload)
                self.failed.emit(payload)
            else:
                log.debug("task %r cancelled", self._fn)
                self.cancelled.emit()
        finally:
            self._delivered.set()
            self._manager._forget(self)
            self.finished.emit()

    def _call_back(
        self, callback: Callable[[T], None] | Callable[[BaseException], None],
        arg: object, parent: QWidget | None,
    ) -> None:
        try:
            callback(arg)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - a callback failed: the user must still hear of it
            self._manager.report_error(parent, exc)


class TaskManager(QObject):
    """Runs jobs on its own thread pool and tracks them until they end."""

    busy_changed = Signal(bool)
    """``True`` when the first task starts, ``False`` when the last one ended."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        error_handler: ErrorHandler | None = None,
        show_delay_ms: int = DEFAULT_SHOW_DELAY_MS,
        max_threads: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        if max_threads is not None:
            self._pool.setMaxThreadCount(max_threads)
        self._error_handler = error_handler
        self.show_delay_ms = show_delay_ms
        self._running: list[TaskHandle[Any]] = []

    def run(
        self,
        fn: Callable[[TaskContext], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        progress_label: str | None = None,
        parent_widget: QWidget | None = None,
        cancellable: bool = True,
    ) -> TaskHandle[T]:
        """Start ``fn(ctx)`` on a worker thread; call it from the GUI thread.

        ``on_success(result)`` or ``on_failure(exc)`` then runs on the GUI
        thread. With ``progress_label``, a progress dialog modal to
        ``parent_widget`` appears if the job takes longer than
        ``show_delay_ms``.
        """
        if not _in_gui_thread():
            raise RuntimeError("TaskManager.run() must be called from the GUI thread")
        handle: TaskHandle[T] = TaskHandle(
            self, fn, on_success, on_failure, progress_label, parent_widget, cancellable
        )
        self._running.append(handle)
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        handle._start_dialog_timer(self.show_delay_ms)
        self._pool.start(handle._execute)
        return handle

    @property
    def running(self) -> list[TaskHandle[Any]]:
        """The tasks that have not ended yet (or whose callbacks did not run yet)."""
        return list(self._running)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def cancel_all(self) -> None:
        for handle in self._running:
            handle.cancel()

    def wait_all(self, timeout_ms: int | None = None) -> bool:
        """Wait (GUI thread) until every task ended and its callbacks ran.

        Tasks started by those callbacks are waited for too. ``False`` on
        timeout.
        """
        if not _in_gui_thread():
            raise RuntimeError("TaskManager.wait_all() must be called from the GUI thread")
        return _wait_in_event_loop(lambda: not self._running, self.busy_changed, timeout_ms)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """At exit: ask every task to stop, then wait for them."""
        self.cancel_all()
        finished = self.wait_all(timeout_ms)
        if not finished:
            log.warning("%d task(s) still running at shutdown", len(self._running))
        return finished

    def report_error(self, parent: QWidget | None, exc: BaseException) -> None:
        """Show an error nobody handled (the error hook unless told otherwise)."""
        if self._error_handler is not None:
            self._error_handler(parent, exc)
            return
        show_error(parent, exc)

    def _forget(self, handle: TaskHandle[Any]) -> None:
        if handle in self._running:
            self._running.remove(handle)
            if not self._running:
                self.busy_changed.emit(False)
