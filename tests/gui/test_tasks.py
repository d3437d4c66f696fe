"""The background-task helper: results, failures, progress and cancel."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # TODO(lead): move to conftest

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QThread
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from lawsup_desktop.services.progress import Cancelled, Progress, TaskContext
from lawsup_desktop.ui.error_hook import ErrorDialog
from lawsup_desktop.ui.tasks import TaskManager, TaskProgressDialog, TaskState

TIMEOUT_MS = 5000
TIMEOUT_S = TIMEOUT_MS / 1000


class Recorder:
    """Collects what the manager hands to the error hook."""

    def __init__(self) -> None:
        self.errors: list[tuple[QWidget | None, BaseException]] = []

    def __call__(self, parent: QWidget | None, exc: BaseException) -> None:
        self.errors.append((parent, exc))


@pytest.fixture
def unhandled() -> Recorder:
    return Recorder()


@pytest.fixture
def tasks(qapp: QApplication, unhandled: Recorder) -> Iterator[TaskManager]:
    manager = TaskManager(error_handler=unhandled)
    yield manager
    assert manager.shutdown(TIMEOUT_MS), "a test left a task running"


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _visible_progress_dialogs() -> list[TaskProgressDialog]:
    return [
        w for w in QApplication.topLevelWidgets()
        if isinstance(w, TaskProgressDialog) and w.isVisible()
    ]


def test_success_is_delivered_on_the_gui_thread(
    qapp: QApplication, tasks: TaskManager, unhandled: Recorder
) -> None:
    threads: dict[str, QThread] = {}
    results: list[int] = []

    def job(ctx: TaskContext) -> int:
        threads["job"] = QThread.currentThread()
        return 6 * 7

    def on_success(result: int) -> None:
        threads["callback"] = QThread.currentThread()
        results.append(result)

    handle = tasks.run(job, on_success)
    assert handle.wait(TIMEOUT_MS)

    assert results == [42]
    assert handle.state is TaskState.SUCCEEDED
    assert handle.result == 42
    assert threads["job"] != qapp.thread()
    assert threads["callback"] == qapp.thread()
    assert unhandled.errors == []


def test_succeeded_signal_carries_the_result(qtbot: QtBot, tasks: TaskManager) -> None:
    handle = tasks.run(lambda ctx: "完成")
    with qtbot.waitSignal(handle.succeeded, timeout=TIMEOUT_MS) as blocker:
        pass
    assert blocker.args == ["完成"]


def test_failure_goes_to_on_failure(tasks: TaskManager, unhandled: Recorder) -> None:
    failures: list[BaseException] = []
    successes: list[object] = []

    def job(ctx: TaskContext) -> None:
        raise ValueError("坏数据")

    handle = tasks.run(job, successes.append, failures.append)
    assert handle.wait(TIMEOUT_MS)

    assert successes == []
    assert len(failures) == 1
    assert isinstance(failures[0], ValueError)
    assert str(failures[0]) == "坏数据"
    assert handle.state is TaskState.FAILED
    assert unhandled.errors == []


def test_failure_without_on_failure_goes_to_the_error_hook(
    tasks: TaskManager, unhandled: Recorder, window: QWidget
) -> None:
    def job(ctx: TaskContext) -> None:
        raise KeyError("missing")

    handle = tasks.run(job, parent_widget=window)
    assert handle.wait(TIMEOUT_MS)

    assert len(unhandled.errors) == 1
    parent, exc = unhandled.errors[0]
    assert parent is window
    assert isinstance(exc, KeyError)


def test_a_failing_callback_is_reported_not_lost(
    tasks: TaskManager, unhandled: Recorder
) -> None:
    def on_success(result: int) -> None:
        raise RuntimeError("callback broke")

    handle = tasks.run(lambda ctx: 1, on_success)
    assert handle.wait(TIMEOUT_MS)

    assert [str(exc) for _, exc in unhandled.errors] == ["callback broke"]


def test_default_error_handler_shows_the_error_dialog(qtbot: QtBot, qapp: QApplication) -> None:
    manager = TaskManager()

    def job(ctx: TaskContext) -> None:
        raise RuntimeError("unexpected in a task")

    handle = manager.run(job)
    assert handle.wait(TIMEOUT_MS)
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, ErrorDialog) and w.isVisible()]
    try:
        assert len(dialogs) == 1
        assert "unexpected in a task" in dialogs[0].details()
        # The traceback reaches back into the job, on its worker thread.
        assert "in job" in dialogs[0].details()
    finally:
        for dialog in dialogs:
            dialog.close()


def test_progress_is_reported(qtbot: QtBot, tasks: TaskManager) -> None:
    seen: list[Progress] = []

    def job(ctx: TaskContext) -> str:
        for step in range(1, 4):
            ctx.report(step, 3, f"第{step}步")
        return "ok"

    handle = tasks.run(job)
    handle.progressed.connect(seen.append)
    assert handle.wait(TIMEOUT_MS)

    # Reports may be coalesced, but the last one always arrives, in order.
    assert seen, "no progress reached the GUI thread"
    assert seen[-1] == Progress(3, 3, "第3步")
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert handle.context.progress == Progress(3, 3, "第3步")


def test_cancel_stops_the_job_quietly(
    qtbot: QtBot, tasks: TaskManager, unhandled: Recorder
) -> None:
    started = threading.Event()
    steps: list[int] = []
    successes: list[object] = []
    failures: list[BaseException] = []

    def job(ctx: TaskContext) -> str:
        started.set()
        ctx.wait_cancelled(TIMEOUT_S)  # wakes at once on cancel
        ctx.check_cancelled()
        steps.append(1)  # must not be reached
        return "not cancelled"

    handle = tasks.run(job, successes.append, failures.append)
    assert started.wait(TIMEOUT_S)
    with qtbot.waitSignal(handle.cancelled, timeout=TIMEOUT_MS):
        handle.context.cancel()

    assert handle.wait(TIMEOUT_MS)
    assert handle.state is TaskState.CANCELLED
    assert steps == []
    assert successes == []
    assert failures == []
    assert unhandled.errors == []


def test_cancel_before_start_never_runs_the_job(qtbot: QtBot, qapp: QApplication) -> None:
    manager = TaskManager(max_threads=1)
    release = threading.Event()
    ran: list[str] = []

    first = manager.run(lambda ctx: release.wait(TIMEOUT_S))
    second = manager.run(lambda ctx: ran.append("second"))
    second.cancel()
    release.set()

    assert manager.wait_all(TIMEOUT_MS)
    assert first.state is TaskState.SUCCEEDED
    assert second.state is TaskState.CANCELLED
    assert ran == []


def test_cancelled_raised_by_the_job_itself_is_quiet(
    qtbot: QtBot, tasks: TaskManager, unhandled: Recorder
) -> None:
    def job(ctx: TaskContext) -> None:
        raise Cancelled()

    handle = tasks.run(job)
    with qtbot.waitSignal(handle.cancelled, timeout=TIMEOUT_MS):
        pass
    assert unhandled.errors == []


def test_progress_dialog_shows_progress_and_its_cancel_button_cancels(
    qtbot: QtBot, tasks: TaskManager, window: QWidget
) -> None:
    may_stop = threading.Event()

    def job(ctx: TaskContext) -> str:
        ctx.report(1, 4, "第一批")
        ctx.wait_cancelled(TIMEOUT_S)
        may_stop.wait(TIMEOUT_S)  # a job that takes a moment to wind down
        ctx.check_cancelled()
        return "not cancelled"

    handle = tasks.run(job, progress_label="正在导入案件…", parent_widget=window)
    qtbot.waitUntil(lambda: len(_visible_progress_dialogs()) == 1, timeout=TIMEOUT_MS)
    dialog = _visible_progress_dialogs()[0]
    assert dialog is handle.progress_dialog
    assert dialog.parentWidget() is window
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    qtbot.waitUntil(lambda: dialog.value() == 1, timeout=TIMEOUT_MS)
    assert dialog.maximum() == 4
    assert "正在导入案件…" in dialog.labelText()
    assert "第一批" in dialog.labelText()

    assert dialog.cancel_button is not None
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert handle.context.cancelled
    # Until the job has really stopped the dialog stays, saying so.
    assert dialog.isVisible()
    assert dialog.labelText() == "正在取消…"
    assert not dialog.cancel_button.isEnabled()

    with qtbot.waitSignal(handle.cancelled, timeout=TIMEOUT_MS):
        may_stop.set()
    assert handle.state is TaskState.CANCELLED
    assert handle.progress_dialog is None
    assert _visible_progress_dialogs() == []


def test_closing_the_progress_dialog_cancels(qtbot: QtBot, tasks: TaskManager) -> None:
    tasks.show_delay_ms = 0

    def job(ctx: TaskContext) -> None:
        ctx.wait_cancelled(TIMEOUT_S)
        ctx.check_cancelled()

    handle = tasks.run(job, progress_label="正在生成文书…")
    qtbot.waitUntil(lambda: handle.progress_dialog is not None, timeout=TIMEOUT_MS)
    dialog = handle.progress_dialog
    assert dialog is not None
    assert dialog.windowModality() == Qt.WindowModality.ApplicationModal
    with qtbot.waitSignal(handle.cancelled, timeout=TIMEOUT_MS):
        dialog.close()  # the title bar's close button
        # Until the job has really stopped the dialog stays, saying so.
        assert dialog.isVisible()
        assert dialog.labelText() == "正在取消…"


def test_quick_job_shows_no_progress_dialog(qtbot: QtBot, tasks: TaskManager) -> None:
    tasks.show_delay_ms = 50
    handle = tasks.run(lambda ctx: None, progress_label="正在保存…")
    assert handle.wait(TIMEOUT_MS)
    qtbot.wait(tasks.show_delay_ms + 50)  # past the moment the dialog would appear
    assert _visible_progress_dialogs() == []


def test_wait_all_waits_for_every_task_and_its_callbacks(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    results: list[int] = []
    busy: list[bool] = []
    tasks.busy_changed.connect(busy.append)

    handles = [tasks.run(lambda ctx, n=n: n * n, results.append) for n in range(5)]
    assert tasks.busy
    assert tasks.wait_all(TIMEOUT_MS)

    assert sorted(results) == [0, 1, 4, 9, 16]
    assert all(h.done for h in handles)
    assert not tasks.busy
    assert busy == [True, False]


def test_run_refuses_other_threads(tasks: TaskManager) -> None:
    errors: list[BaseException] = []

    def from_a_thread() -> None:
        try:
            tasks.run(lambda ctx: None)
        except RuntimeError as exc:
            errors.append(exc)

    thread = threading.Thread(target=from_a_thread)
    thread.start()
    thread.join(TIMEOUT_S)
    assert len(errors) == 1
    assert QCoreApplication.instance() is not None
