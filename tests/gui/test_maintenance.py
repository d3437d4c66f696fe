"""Backups, restore and the lock screen, driven through the main window as a user
would: the File menu, the confirmation, typing passwords, Ctrl+L, idle time."""

# The shell tests' fixtures are imported, then named as parameters.
# ruff: noqa: F811

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.backup import BackupKind, backup_now, list_backups
from lawsup_desktop.services.operator_lock import OperatorLockService
from lawsup_desktop.store.models import Incident
from lawsup_desktop.ui.main_window import MainWindow
from lawsup_desktop.ui.maintenance.lock import LockController, LockScreen, LockSettingsDialog
from tests.gui.helpers import type_text
from tests.gui.test_shell import (  # noqa: F401 - fixtures
    TIMEOUT_MS,
    _global_settings,
    app,
    starter,
    window,
)
from tests.unit.incident_helpers import add_incidents

PASSWORD = "zhang-2026"


def incident_numbers(window: MainWindow) -> set[str]:
    with window.context.db.read() as session:
        return {i.incident_no for i in session.query(Incident)}


def activate(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)


def lock_controller(window: MainWindow) -> LockController:
    return window.maintenance.lock


# ---------------------------------------------------------------- backups


def test_file_menu_holds_backup_restore_and_lock(window: MainWindow) -> None:
    texts = [a.text() for a in window.file_menu.actions() if not a.isSeparator()]
    assert texts == [
        "导入警情(&I)…", "立即备份(&B)", "从备份恢复(&R)…", "锁定(&L)", "锁屏密码与自动锁定(&P)…",
        "设置(&S)…", "退出(&X)",
    ]
    assert window.maintenance.lock_action.shortcut().toString() == "Ctrl+L"


def test_backup_now_from_the_file_menu(
    window: MainWindow, folder: DataFolder, qtbot: QtBot
) -> None:
    add_incidents(window.context.db, window.context.workstation, {"incident_no": "J-MENU"})
    window.maintenance.backup_action.trigger()
    handle = window.maintenance.backups.last_task
    assert handle is not None and handle.wait(TIMEOUT_MS)
    manual = [b for b in list_backups(folder) if b.kind is BackupKind.MANUAL]
    assert len(manual) == 1
    assert window.statusBar().currentMessage() == f"已备份到 {manual[0].path}"


def test_automatic_backup_runs_after_start_in_the_background(
    window: MainWindow, folder: DataFolder, qtbot: QtBot
) -> None:
    backups = window.maintenance.backups
    backups.stop_automatic()
    assert not any(b.kind is BackupKind.AUTOMATIC for b in list_backups(folder))
    backups.start_automatic(first_delay_ms=0, interval_ms=60_000)
    qtbot.waitUntil(
        lambda: any(b.kind is BackupKind.AUTOMATIC for b in list_backups(folder)),
        timeout=TIMEOUT_MS,
    )
    assert backups.last_task is not None and backups.last_task.wait(TIMEOUT_MS)
    # Not again the same day.
    backups.run_automatic_backup()
    assert backups.last_task.wait(TIMEOUT_MS)
    assert [b.kind for b in list_backups(folder)].count(BackupKind.AUTOMATIC) == 1


def _choose_restore(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, path: Path
) -> QMessageBox:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(path), ""))
    window.maintenance.restore_action.trigger()
    backups = window.maintenance.backups
    qtbot.waitUntil(lambda: backups.confirmation is not None, timeout=TIMEOUT_MS)
    box = backups.confirmation
    assert box is not None
    qtbot.waitExposed(box)
    return box


def test_restore_shows_date_and_counts_asks_then_restores_and_reloads(
    window: MainWindow, folder: DataFolder, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, ws = window.context.db, window.context.workstation
    add_incidents(db, ws, {"incident_no": "J-1"}, {"incident_no": "J-2"})
    made_at = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)
    old = backup_now(folder, now=made_at)
    add_incidents(db, ws, {"incident_no": "J-3"})
    window.show_page("case_audit")
    page_before = window.built_page("case_audit")

    box = _choose_restore(window, qtbot, monkeypatch, old.path)
    local = made_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert box.text() == "用这份备份替换当前数据库？"
    info = box.informativeText()
    assert f"备份时间：{local}" in info
    assert "派出所：城关派出所" in info
    assert "警情：2" in info and "回访：0" in info and "整改事项：0" in info
    assert "当前数据库会先自动备份" in info
    restore_button = box.findChild(QPushButton, "restore")
    qtbot.mouseClick(restore_button, Qt.MouseButton.LeftButton)

    handle = window.maintenance.backups.last_task
    assert handle is not None and handle.wait(TIMEOUT_MS * 2)
    assert handle.error is None
    assert incident_numbers(window) == {"J-1", "J-2"}
    safety = [b for b in list_backups(folder) if b.kind is BackupKind.BEFORE_RESTORE]
    assert len(safety) == 1
    assert window.statusBar().currentMessage() == (
        f"已从备份恢复（{local}）。原数据库已备份为 {safety[0].path.name}。"
    )
    # The window's data was reopened: its pages are rebuilt.
    assert window.current_page().key == "case_audit"
    assert window.built_page("case_audit") is not page_before


def test_cancelling_the_restore_changes_nothing(
    window: MainWindow, folder: DataFolder, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, ws = window.context.db, window.context.workstation
    old = backup_now(folder)
    add_incidents(db, ws, {"incident_no": "J-STAYS"})
    box = _choose_restore(window, qtbot, monkeypatch, old.path)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.maintenance.backups.confirmation is None, timeout=TIMEOUT_MS)
    assert incident_numbers(window) == {"J-STAYS"}
    assert [b.kind for b in list_backups(folder)] == [BackupKind.MANUAL]


def test_a_file_that_is_not_a_backup_is_refused_clearly(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    garbage = tmp_path / "photo.sqlite"
    garbage.write_bytes(b"\x89PNG not a database" * 50)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(garbage), ""))
    window.maintenance.restore_action.trigger()
    handle = window.maintenance.backups.last_task
    assert handle is not None and handle.wait(TIMEOUT_MS)
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1
    assert boxes[0].text().startswith(f"{garbage} 不能用于恢复：")
    boxes[0].close()
    assert window.maintenance.backups.confirmation is None


# ---------------------------------------------------------------- lock


def _set_password(window: MainWindow) -> None:
    OperatorLockService(window.context.db).set_password(PASSWORD)


def _unlock(window: MainWindow, qtbot: QtBot, password: str) -> LockScreen:
    screen = lock_controller(window).screen
    assert screen is not None
    screen.password.clear()
    type_text(qtbot, screen.password, password)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    return screen


def test_ctrl_l_locks_the_whole_window_until_the_password(
    window: MainWindow, qtbot: QtBot
) -> None:
    _set_password(window)
    window.show_page("deadlines")
    settings_before = window.settings_dialog
    activate(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    controller = lock_controller(window)
    assert controller.locked
    screen = controller.screen
    assert screen is not None and screen.isVisible()
    assert screen.geometry() == window.rect()  # menu bar included
    assert screen.title.text() == "工作台已锁定"
    assert screen.who.text() == "请操作员 张法制 输入密码解锁。"
    assert screen.password.hasFocus()

    # No way around it: shortcuts, clicks and the keyboard reach nothing behind it.
    for key in (Qt.Key.Key_1, Qt.Key.Key_Comma, Qt.Key.Key_Q):
        qtbot.keyClick(screen.password, key, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.current_page().key == "deadlines"
    assert window.settings_dialog is settings_before and window.about_dialog is None
    assert window.isVisible()
    assert not window.navigation.isEnabled() and not window.menuBar().isEnabled()
    first_item = window.navigation.visualItemRect(window.navigation.item(0)).center()
    qtbot.mouseClick(window, Qt.MouseButton.LeftButton,
                     pos=window.navigation.viewport().mapTo(window, first_item))
    assert window.current_page().key == "deadlines"

    _unlock(window, qtbot, "wrong-guess")
    qtbot.waitUntil(lambda: screen.error_text() != "", timeout=TIMEOUT_MS)
    assert screen.error_text() == "密码不正确，请重新输入。"
    assert controller.locked and screen.password.text() == ""

    _unlock(window, qtbot, PASSWORD)
    qtbot.waitUntil(lambda: not controller.locked, timeout=TIMEOUT_MS)
    assert controller.screen is None
    assert window.navigation.isEnabled() and window.menuBar().isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().key == "daily_watch"  # shortcuts work again


def test_other_windows_are_hidden_while_locked(window: MainWindow, qtbot: QtBot) -> None:
    _set_password(window)
    dialog = window.open_about()
    qtbot.waitExposed(dialog)
    assert lock_controller(window).lock()
    assert not dialog.isVisible()
    _unlock(window, qtbot, PASSWORD)
    qtbot.waitUntil(lambda: not lock_controller(window).locked, timeout=TIMEOUT_MS)
    assert dialog.isVisible()
    dialog.close()


def test_locking_without_a_password_offers_to_set_one_first(
    window: MainWindow, qtbot: QtBot
) -> None:
    controller = lock_controller(window)
    activate(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not controller.locked
    offer = controller.offer
    assert offer is not None
    assert offer.text() == "尚未设置锁屏密码。设置密码后才能锁定工作台。现在设置吗？"
    qtbot.mouseClick(offer.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    dialog = controller.settings_dialog
    assert isinstance(dialog, LockSettingsDialog)
    qtbot.waitExposed(dialog)
    assert not dialog.old_password.isVisible()  # nothing to confirm yet
    type_text(qtbot, dialog.new_password, PASSWORD)
    type_text(qtbot, dialog.confirmation, PASSWORD + "x")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=TIMEOUT_MS)
    assert dialog.error_text() == "确认新密码：两次输入的密码不一致"
    assert not OperatorLockService(window.context.db).has_password()

    dialog.confirmation.clear()
    type_text(qtbot, dialog.confirmation, PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.locked, timeout=TIMEOUT_MS)  # and then it locks
    assert OperatorLockService(window.context.db).verify(PASSWORD)
    _unlock(window, qtbot, PASSWORD)
    qtbot.waitUntil(lambda: not controller.locked, timeout=TIMEOUT_MS)


def test_changing_the_password_needs_the_current_one(
    window: MainWindow, folder: DataFolder, qtbot: QtBot
) -> None:
    _set_password(window)
    controller = lock_controller(window)
    dialog = controller.open_settings()
    qtbot.waitExposed(dialog)
    assert dialog.old_password.isVisible()
    type_text(qtbot, dialog.old_password, "not-the-one")
    type_text(qtbot, dialog.new_password, "new-pass-99")
    type_text(qtbot, dialog.confirmation, "new-pass-99")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=TIMEOUT_MS)
    assert dialog.error_text() == "原密码不正确，请重新输入。"

    dialog.old_password.clear()
    type_text(qtbot, dialog.old_password, PASSWORD)
    dialog.idle_minutes.setValue(5)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.settings_dialog is None, timeout=TIMEOUT_MS)
    service = OperatorLockService(window.context.db)
    assert service.verify("new-pass-99") and not service.verify(PASSWORD)
    assert controller.idle_timer.interval() == 5 * 60_000
    assert controller.settings.idle_minutes == 5


def test_idle_time_locks_and_input_postpones_it(window: MainWindow, qtbot: QtBot) -> None:
    _set_password(window)
    controller = lock_controller(window)
    assert controller.idle_timer.interval() == 10 * 60_000  # the default: ten minutes
    # Someone at work: each key press, click or mouse move restarts the countdown.
    activate(window, qtbot)
    controller.set_idle_interval_ms(60_000)
    qtbot.waitUntil(lambda: controller.idle_timer.remainingTime() < 59_000, timeout=TIMEOUT_MS)
    # A key as the platform delivers it: to the window, then to the focus widget.
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, Qt.Key.Key_Shift)
    assert controller.idle_timer.remainingTime() > 59_000
    qtbot.waitUntil(lambda: controller.idle_timer.remainingTime() < 59_000, timeout=TIMEOUT_MS)
    QTest.mouseMove(window.statusBar())
    assert controller.idle_timer.remainingTime() > 59_000
    # Chinese typed through an input method reaches only the focus widget, no key.
    window.navigation.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.navigation,
                    timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: controller.idle_timer.remainingTime() < 59_000, timeout=TIMEOUT_MS)
    typed = QInputMethodEvent()
    typed.setCommitString("张")
    QApplication.sendEvent(window.navigation, typed)
    assert controller.idle_timer.remainingTime() > 59_000
    assert not controller.locked
    # Nobody: it locks by itself.
    controller.set_idle_interval_ms(200)
    qtbot.waitUntil(lambda: controller.locked, timeout=TIMEOUT_MS)
    assert controller.screen is not None and controller.screen.isVisible()
    _unlock(window, qtbot, PASSWORD)
    qtbot.waitUntil(lambda: not controller.locked, timeout=TIMEOUT_MS)
    assert controller.idle_timer.isActive()  # counting again


def test_no_password_no_idle_lock(window: MainWindow, qtbot: QtBot) -> None:
    controller = lock_controller(window)
    controller.set_idle_interval_ms(50)
    qtbot.wait(300)
    assert not controller.locked


def test_menu_and_lock_screen_in_english(window: MainWindow, qtbot: QtBot) -> None:
    from lawsup_desktop.ui import i18n

    _set_password(window)
    i18n.set_language("en")
    maintenance = window.maintenance
    qtbot.waitUntil(lambda: maintenance.backup_action.text() == "&Back up now", timeout=TIMEOUT_MS)
    assert maintenance.restore_action.text() == "&Restore from a backup…"
    assert maintenance.lock_action.text() == "&Lock"
    assert lock_controller(window).lock()
    screen = lock_controller(window).screen
    assert screen is not None
    assert screen.title.text() == "The workbench is locked"
    assert screen.who.text() == "Operator 张法制: enter your password to unlock."
    _unlock(window, qtbot, "wrong-guess")
    qtbot.waitUntil(lambda: screen.error_text() != "", timeout=TIMEOUT_MS)
    assert screen.error_text() == "The password is not correct. Try again."
    _unlock(window, qtbot, PASSWORD)
    qtbot.waitUntil(lambda: not lock_controller(window).locked, timeout=TIMEOUT_MS)
