"""The error hook: known errors as a plain message, the rest logged with details."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # TODO(lead): move to conftest

import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from lawsup_desktop.domain.errors import RuleViolation, Text
from lawsup_desktop.ui.error_hook import (
    ErrorDialog,
    install_error_hook,
    show_error,
    uninstall_error_hook,
)

# The hook replaces sys.excepthook itself; pytest-qt's capture would hide it.
pytestmark = pytest.mark.qt_no_exception_capture

TIMEOUT_MS = 5000

CASE_CLOSED = RuleViolation(
    Text("案件已结案，不能再修改。", "The case is closed and cannot be changed.")
)


@dataclass
class Hook:
    log_path: Path
    language: list[str]

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8")


@pytest.fixture
def hook(qapp: QApplication, tmp_path: Path) -> Iterator[Hook]:
    language = ["zh_CN"]
    previous = sys.excepthook, threading.excepthook
    log_path = install_error_hook(tmp_path / "logs", lambda: language[0])
    try:
        yield Hook(log_path, language)
    finally:
        uninstall_error_hook()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, (ErrorDialog, QMessageBox)):
                widget.close()
    assert (sys.excepthook, threading.excepthook) == previous


def _visible(kind: type[QWidget]) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def _the_error_dialog(qtbot: QtBot) -> ErrorDialog:
    qtbot.waitUntil(lambda: len(_visible(ErrorDialog)) == 1, timeout=TIMEOUT_MS)
    dialog = _visible(ErrorDialog)[0]
    assert isinstance(dialog, ErrorDialog)
    return dialog


def failing_function() -> None:
    raise RuntimeError("意外的测试错误")


def test_install_creates_the_log_file(hook: Hook) -> None:
    assert hook.log_path.name == "lawsup.log"
    assert "started" in hook.log_text()


def test_known_error_shows_a_warning_in_chinese(qtbot: QtBot, hook: Hook) -> None:
    show_error(None, CASE_CLOSED)

    qtbot.waitUntil(lambda: len(_visible(QMessageBox)) == 1, timeout=TIMEOUT_MS)
    box = _visible(QMessageBox)[0]
    assert isinstance(box, QMessageBox)
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.text() == "案件已结案，不能再修改。"
    assert _visible(ErrorDialog) == []
    assert "Traceback" not in hook.log_text()

    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _visible(QMessageBox) == [], timeout=TIMEOUT_MS)


def test_known_error_follows_the_users_language(qtbot: QtBot, hook: Hook) -> None:
    hook.language[0] = "en"
    box = show_error(None, CASE_CLOSED)
    assert isinstance(box, QMessageBox)
    assert box.isVisible()
    assert box.text() == "The case is closed and cannot be changed."


def test_unexpected_error_is_logged_and_shown_with_copyable_details(
    qtbot: QtBot, qapp: QApplication, hook: Hook
) -> None:
    try:
        failing_function()
    except RuntimeError as exc:
        show_error(None, exc)

    log_text = hook.log_text()
    assert "Traceback" in log_text
    assert "in failing_function" in log_text
    assert "RuntimeError: 意外的测试错误" in log_text

    dialog = _the_error_dialog(qtbot)
    assert str(hook.log_path) in dialog.log_label.text()
    assert "in failing_function" in dialog.details()
    assert dialog.details_box.isReadOnly()

    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == dialog.details()
    assert "RuntimeError: 意外的测试错误" in QGuiApplication.clipboard().text()

    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _visible(ErrorDialog) == [], timeout=TIMEOUT_MS)


def test_uncaught_error_in_a_slot_reaches_the_dialog(qtbot: QtBot, hook: Hook) -> None:
    QTimer.singleShot(0, failing_function)

    dialog = _the_error_dialog(qtbot)
    assert "in failing_function" in dialog.details()
    assert "in failing_function" in hook.log_text()


def test_uncaught_error_in_a_thread_is_shown_on_the_gui_thread(
    qtbot: QtBot, qapp: QApplication, hook: Hook
) -> None:
    thread = threading.Thread(target=failing_function, name="worker-for-test")
    thread.start()
    thread.join(TIMEOUT_MS / 1000)

    dialog = _the_error_dialog(qtbot)
    assert dialog.thread() == qapp.thread()
    assert "in failing_function" in dialog.details()
    assert "worker-for-test" in hook.log_text()


def test_further_errors_join_the_open_dialog(qtbot: QtBot, hook: Hook) -> None:
    first = show_error(None, RuntimeError("first"))
    second = show_error(None, ValueError("second"))

    assert second is first
    assert len(_visible(ErrorDialog)) == 1
    assert isinstance(first, ErrorDialog)
    assert "RuntimeError: first" in first.details()
    assert "ValueError: second" in first.details()


def test_show_error_without_the_hook_still_shows_the_dialog(
    qtbot: QtBot, qapp: QApplication
) -> None:
    dialog = show_error(None, RuntimeError("before install"))
    try:
        assert isinstance(dialog, ErrorDialog)
        assert dialog.isVisible()
        assert "RuntimeError: before install" in dialog.details()
    finally:
        dialog.close()
