"""Follow-ups (回访) driven as a supervisor does them, from the due list of the
今日盯警 page: an unreachable party (a bad phone number first, which keeps what
was typed), then a dissatisfied one, which raises a rectification item due in 5
working days; the dialog in English; screenshots of the due list and the dialog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lawsup_desktop.domain.vocabulary import (
    FollowUpMethod,
    FollowUpState,
    IncidentCategory,
    KeyCategory,
    PartyRole,
    RectificationSource,
    Satisfaction,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.follow_ups import add_working_days, load_calendar
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import FollowUp, Incident, Rectification
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.app import configure_application, start
from lawsup_desktop.ui.follow_ups.dialog import FollowUpDialog, record_follow_up
from lawsup_desktop.ui.follow_ups.due_list import OVERDUE_BACKGROUND
from lawsup_desktop.ui.main_window import MainWindow
from lawsup_desktop.ui.watch.page import WatchPage
from tests.gui.helpers import type_text
from tests.gui.test_shell import ModalWatcher
from tests.unit.incident_helpers import add_incidents, add_unit_with_officer

TIMEOUT_MS = 10000


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    configure_application(qapp)
    yield qapp
    i18n.set_language("zh_CN")


@pytest.fixture
def station(db: Database, workstation: WorkstationInfo) -> dict[str, str]:
    """Three incidents that need a follow-up (two overdue) and one that does not."""
    unit_id, officer_id = add_unit_with_officer(db, workstation, "刑侦中队", "赵警官")
    now = dt.datetime.now().replace(second=0, microsecond=0)
    common = {"unit_id": unit_id, "handling_officer_id": officer_id}
    theft, fraud, assault, dispute = add_incidents(
        db, workstation,
        {**common, "incident_no": "J202611001", "received_at": now - dt.timedelta(days=12),
         "category": IncidentCategory.CRIMINAL, "caller_name": "王某某",
         "caller_phone": "13912345678", "summary": "报警人称电动车在小区楼下被盗。"},
        {**common, "incident_no": "J202611002", "received_at": now - dt.timedelta(days=10),
         "category": IncidentCategory.CRIMINAL, "caller_name": "李某",
         "caller_phone": "0310-1234567", "summary": "报警人称被人打伤。"},
        {**common, "incident_no": "J202611003", "received_at": now - dt.timedelta(hours=3),
         "category": IncidentCategory.PUBLIC_ORDER, "is_key": True,
         "key_category": KeyCategory.FRAUD, "caller_name": "赵某",
         "caller_phone": "13700001111", "summary": "报警人称被冒充客服骗走5000元。"},
        {**common, "incident_no": "J202611004", "received_at": now - dt.timedelta(days=11),
         "category": IncidentCategory.DISPUTE, "caller_name": "孙某"},
    )
    return {"unit": unit_id, "officer": officer_id, "theft": theft, "fraud": fraud,
            "assault": assault, "dispute": dispute}


@pytest.fixture
def window(app: QApplication, qtbot: QtBot, folder: DataFolder,
           station: dict[str, str]) -> Iterator[MainWindow]:
    result = start(folder, app, error_hook=False)
    assert isinstance(result, MainWindow)
    qtbot.addWidget(result)
    result.resize(1200, 760)
    qtbot.waitExposed(result)
    result.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is result, timeout=TIMEOUT_MS)
    yield result
    result.close()
    result.context.close()


def due_page(window: MainWindow, qtbot: QtBot) -> WatchPage:
    page = window.built_page("daily_watch")
    assert isinstance(page, WatchPage)
    qtbot.waitUntil(lambda: page.due_list.due is not None and not page.is_loading(),
                    timeout=TIMEOUT_MS)
    return page


def laid_out(qtbot: QtBot, page: WatchPage) -> None:
    """Before a screenshot: the counts' labels have grown to their new texts."""
    labels = page.count_labels.values()
    qtbot.waitUntil(lambda: all(lb.width() >= lb.sizeHint().width() for lb in labels),
                    timeout=TIMEOUT_MS)


def in_dialog(handle: Callable[[FollowUpDialog], None]) -> ModalWatcher:
    def run(widget: QWidget) -> None:
        assert isinstance(widget, FollowUpDialog), widget
        handle(widget)

    return ModalWatcher(run)


def wait_loaded(qtbot: QtBot, dialog: FollowUpDialog) -> None:
    qtbot.waitUntil(lambda: dialog.incident is not None and dialog.save_button.isEnabled(),
                    timeout=TIMEOUT_MS)


def retype(qtbot: QtBot, field: QWidget, text: str) -> None:
    field.clear()  # type: ignore[attr-defined]
    type_text(qtbot, field, text)


def test_unreachable_then_dissatisfied_follow_up_from_the_due_list(
    window: MainWindow, qtbot: QtBot, db: Database, station: dict[str, str], artifacts: Path
) -> None:
    page = due_page(window, qtbot)
    # Ctrl+Tab from the queue: the due list, with the keys in it.
    qtbot.keyClick(page.table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert page.tabs.currentWidget() is page.due_list
    due = page.due_list
    table = due.table
    assert due.summary.text() == "需回访 3 起，其中逾期 2 起"
    assert page.tabs.tabText(1) == "待回访（3）"
    numbers = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert numbers == ["J202611001", "J202611002", "J202611003"]  # oldest first, no dispute
    overdue = [table.item(r, 0).background().color() == OVERDUE_BACKGROUND
               for r in range(table.rowCount())]
    assert overdue == [True, True, False]
    assert table.item(0, 7).text().endswith("（逾期）")
    assert not table.item(2, 7).text().endswith("（逾期）")
    laid_out(qtbot, page)
    assert window.grab().save(str(artifacts / "follow_up_due_list.png"))

    # Enter on the oldest: the dialog. A bad phone number is refused, naming the
    # field, and everything typed stays; corrected, the unreachable attempt is saved.
    def unreachable(dialog: FollowUpDialog) -> None:
        wait_loaded(qtbot, dialog)
        assert "J202611001" in dialog.header.text()
        assert dialog.party_name.text() == "王某某"  # the caller, preset
        assert dialog.timeline.toPlainText() == "暂无回访记录"
        assert not dialog.next_attempt_at.isEnabled()
        retype(qtbot, dialog.party_phone, "12345")
        qtbot.mouseClick(dialog.satisfaction_buttons[Satisfaction.UNREACHABLE],
                         Qt.MouseButton.LeftButton)
        assert dialog.next_attempt_at.isEnabled()
        assert not dialog.check_boxes["civility"].isEnabled()
        type_text(qtbot, dialog.notes, "电话无人接听")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.error_text().startswith("回访对象电话：")
        assert dialog.isVisible()
        assert dialog.party_phone.property("invalid") is True
        assert dialog.party_phone.text() == "12345"
        assert dialog.party_name.text() == "王某某"
        assert dialog.notes.toPlainText() == "电话无人接听"
        assert dialog.satisfaction() == Satisfaction.UNREACHABLE
        retype(qtbot, dialog.party_phone, "139 1234 5678")
        assert dialog.party_phone.property("invalid") is False
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)

    table.setFocus()
    table.selectRow(0)
    watcher = in_dialog(unreachable)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert len(watcher.stop()) == 1
    qtbot.waitUntil(lambda: not due.is_loading(), timeout=TIMEOUT_MS)
    assert table.item(0, 0).text() == "J202611001"  # still due: nobody was reached
    assert table.item(0, 6).text() == "未联系上"
    assert table.item(0, 8).text() != ""  # the next attempt
    with db.read() as session:
        (first,) = session.scalars(select(FollowUp)).all()
        assert first.party_phone == "13912345678"
        assert first.satisfaction == Satisfaction.UNREACHABLE
        assert first.next_attempt_at is not None

    # The second attempt reaches the party, who is dissatisfied.
    def dissatisfied(dialog: FollowUpDialog) -> None:
        wait_loaded(qtbot, dialog)
        timeline = dialog.timeline.toPlainText()
        assert "电话回访 · 王某某（报警人）· 未联系上" in timeline
        assert "电话无人接听" in timeline and "下次回访" in timeline
        dialog.method.setCurrentIndex(dialog.method.findData(FollowUpMethod.HOME_VISIT))
        qtbot.mouseClick(dialog.check_boxes["reception"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.check_boxes["civility"], Qt.MouseButton.LeftButton)
        type_text(qtbot, dialog.check_notes["civility"], "民警态度生硬")
        qtbot.mouseClick(dialog.check_boxes["on_scene"], Qt.MouseButton.LeftButton)
        type_text(qtbot, dialog.check_notes["on_scene"], "未调取监控")
        qtbot.mouseClick(dialog.satisfaction_buttons[Satisfaction.DISSATISFIED],
                         Qt.MouseButton.LeftButton)
        assert not dialog.next_attempt_at.isEnabled()
        type_text(qtbot, dialog.notes, "当事人认为案件无进展，要求尽快破案")
        dialog.resize(1000, dialog.sizeHint().height())
        assert dialog.grab().save(str(artifacts / "follow_up_dialog.png"))
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=TIMEOUT_MS)
        qtbot.keyClick(dialog.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.error_text() != "",
                        timeout=TIMEOUT_MS)
        assert dialog.error_text() == ""
        assert not dialog.isVisible()

    window.activateWindow()  # the offscreen platform does not hand it back by itself
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)
    assert table.hasFocus() and due.selected_id() == station["theft"]
    watcher = in_dialog(dissatisfied)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert len(watcher.stop()) == 1

    with db.read() as session:
        expected = add_working_days(load_calendar(session), dt.date.today(), 5)
        incident = session.get(Incident, station["theft"])
        assert incident is not None and incident.follow_up_state == FollowUpState.DISSATISFIED
        second = session.scalars(
            select(FollowUp).where(FollowUp.satisfaction == Satisfaction.DISSATISFIED)).one()
        assert second.method == FollowUpMethod.HOME_VISIT
        assert second.checks["civility"] == {"checked": True, "note": "民警态度生硬"}
        assert second.checks["reception"] == {"checked": True, "note": ""}
        assert "appearance" not in second.checks
        item = session.scalars(
            select(Rectification).where(Rectification.follow_up_id == second.id)).one()
        assert item.source == RectificationSource.FOLLOW_UP
        assert item.due_date == expected
        assert (item.responsible_unit_id, item.responsible_officer_id) == (
            station["unit"], station["officer"])
        number = item.number
    notices = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QMessageBox) and w.objectName() == "follow_up_rectification_notice"
               and w.isVisible()]
    assert [n.text() for n in notices] == [f"已生成整改事项 {number}，期限 {expected.isoformat()}"]
    for notice in notices:
        notice.close()
    # Reached: off the due list.
    qtbot.waitUntil(lambda: not due.is_loading(), timeout=TIMEOUT_MS)
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [
        "J202611002", "J202611003"]
    assert due.summary.text() == "需回访 2 起，其中逾期 1 起"


def test_the_dialog_speaks_english_and_cancel_saves_nothing(
    window: MainWindow, qtbot: QtBot, db: Database, station: dict[str, str]
) -> None:
    i18n.set_language("en")
    seen: list[tuple[str, str, str]] = []

    def look_and_cancel(dialog: FollowUpDialog) -> None:
        wait_loaded(qtbot, dialog)
        seen.append((dialog.windowTitle(), dialog.save_button.text(),
                     dialog.satisfaction_buttons[Satisfaction.UNREACHABLE].text()))
        type_text(qtbot, dialog.party_name, "x")
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    watcher = in_dialog(look_and_cancel)
    assert record_follow_up(window, window.context, station["fraud"]) is False
    watcher.stop()
    assert seen == [("Record a follow-up", "Save (Ctrl+S)", "Unreachable")]
    with db.read() as session:
        assert session.scalars(select(FollowUp)).all() == []


def test_a_bad_phone_names_the_field_and_keeps_everything_typed(
    window: MainWindow, qtbot: QtBot, db: Database, station: dict[str, str]
) -> None:
    dialog = FollowUpDialog(window.context, station["assault"], window)
    qtbot.addWidget(dialog)
    dialog.open()
    wait_loaded(qtbot, dialog)
    retype(qtbot, dialog.party_name, "赵某某")
    dialog.party_role.setCurrentIndex(dialog.party_role.findData(PartyRole.VICTIM))
    retype(qtbot, dialog.party_phone, "138-1234")
    qtbot.mouseClick(dialog.check_boxes["leads"], Qt.MouseButton.LeftButton)
    type_text(qtbot, dialog.check_notes["leads"], "提供了嫌疑人体貌特征")
    qtbot.mouseClick(dialog.satisfaction_buttons[Satisfaction.BASICALLY_SATISFIED],
                     Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.error_text().startswith("回访对象电话：")
    assert dialog.focusWidget() is dialog.party_phone  # the field to correct
    assert dialog.party_phone.property("invalid") is True
    assert (dialog.party_name.text(), dialog.party_phone.text()) == ("赵某某", "138-1234")
    assert dialog.party_role.currentData() == PartyRole.VICTIM
    assert dialog.check_boxes["leads"].isChecked()
    assert dialog.check_notes["leads"].text() == "提供了嫌疑人体貌特征"
    assert dialog.satisfaction() == Satisfaction.BASICALLY_SATISFIED
    with db.read() as session:
        assert session.scalars(select(FollowUp)).all() == []

    retype(qtbot, dialog.party_phone, "13812345678")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=TIMEOUT_MS)
    saved = dialog.result_saved
    assert saved is not None and saved.rectification_id is None  # basically satisfied
    assert saved.follow_up.party_role == PartyRole.VICTIM
