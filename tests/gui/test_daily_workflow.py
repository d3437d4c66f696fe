"""A supervisor's day, end to end through the real main window, as a user does it:
a GBK export from the police platform imported with Ctrl+I; the daily watch
(Ctrl+1) cleared with the keyboard, one finding raising a rectification item; on
警情与回访 (Ctrl+2) a two-character name searched, the incident opened with Enter and
two follow-ups recorded with Ctrl+R — unreachable, then dissatisfied, which raises
a rectification item due in 5 working days; screenshots of the watch page, the
list and the detail."""

# The follow-up tests' ``app`` and ``window`` fixtures are imported, then named as
# parameters; ``window`` starts the real application over this module's ``station``.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lawsup_desktop.domain.vocabulary import (
    FollowUpState,
    KeyCategory,
    RectificationSource,
    Satisfaction,
    WatchState,
)
from lawsup_desktop.services.follow_ups import add_working_days, load_calendar
from lawsup_desktop.services.incident_import import ImportField
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import FollowUp, Incident, ProblemType, Rectification
from lawsup_desktop.ui.follow_ups.dialog import FollowUpDialog
from lawsup_desktop.ui.incident_import.dialog import ImportDialog
from lawsup_desktop.ui.incidents.model import Column
from lawsup_desktop.ui.incidents.page import IncidentsPage
from lawsup_desktop.ui.main_window import MainWindow
from lawsup_desktop.ui.watch.page import WatchPage
from tests.gui.helpers import type_text
from tests.gui.test_follow_up_dialog import (  # noqa: F401 - fixtures
    app,
    in_dialog,
    laid_out,
    wait_loaded,
    window,
)
from tests.gui.test_import_dialog import _load, _wait, _write
from tests.gui.test_incidents_page import cell, open_page, shown_ids, wait_idle
from tests.gui.test_shell import ModalWatcher
from tests.gui.test_watch_page import activate, counts, settle
from tests.unit.incident_helpers import add_unit_with_officer

TIMEOUT_MS = 30000  # the machine is loaded; nothing here measures speed

HEADER = ["接警编号", "报警时间", "警情类别", "重点警情类别", "发生地点", "简要警情", "报警人",
          "联系电话", "处警单位", "处警结果"]
# (number, hours before now, category, key category, address, summary, caller, phone,
#  unit, disposition). 王芳 is the caller of one incident only; 王建国 and 芳草 share a
# character with her, so a search that matched single characters would show them too.
ROWS = [
    ("JJ20261101", 50, "刑事警情", "涉诈", "城关镇幸福路12号", "接到冒充客服电话被骗3000元",
     "李明", "13800000001", "刑侦中队", "刑事立案"),
    ("JJ20261102", 46, "治安警情", "涉赌", "南门菜市场二楼", "棋牌室内有人聚众赌博，赌资较大",
     "赵丽", "13800000002", "治安中队", "调解"),
    ("JJ20261103", 44, "纠纷", "", "河西村3组", "邻里因宅基地争吵，要求处理",
     "王芳", "13912345678", "治安中队", "调解"),
    ("JJ20261104", 40, "治安警情", "涉黄", "火车站旅馆", "有人在旅馆内招嫖",
     "陈晨", "13800000004", "治安中队", "行政受案"),
    ("JJ20261105", 36, "刑事警情", "涉黑恶", "建材市场", "有人强行收取保护费",
     "刘洋", "13800000005", "刑侦中队", "刑事立案"),
    ("JJ20261106", 30, "交通事故", "", "解放路与人民路口", "两车轻微剐蹭，无人受伤",
     "孙伟", "13800000006", "治安中队", "当场处罚"),
    ("JJ20261107", 26, "求助", "", "城关镇中学", "学生走失，家长求助",
     "周敏", "13800000007", "治安中队", "其他"),
    ("JJ20261108", 20, "治安警情", "涉赌", "河东村文化室", "有人打麻将赌博",
     "吴刚", "13800000008", "治安中队", "行政受案"),
    ("JJ20261109", 12, "纠纷", "", "芳华小区3栋", "楼上漏水，邻里纠纷",
     "王建国", "13800000009", "治安中队", "调解"),
    ("JJ20261110", 6, "刑事警情", "", "北大街5号", "电动车被盗",
     "芳草", "13800000010", "刑侦中队", "刑事立案"),
]
KEY_NUMBERS = [r[0] for r in ROWS if r[3]]  # the watch queue, oldest first
DUE_COUNT = sum(1 for r in ROWS if r[3] or r[2] == "刑事警情")  # the default follow-up rule
FINDING = "JJ20261102"  # gambling "mediated": a downgraded handling
SEARCHED = "JJ20261103"  # 王芳's


@pytest.fixture
def station(db: Database, workstation: WorkstationInfo) -> dict[str, str]:
    """A fresh station with two teams on its roster, each with one officer."""
    criminal_unit, criminal_officer = add_unit_with_officer(db, workstation, "刑侦中队", "赵警官")
    order_unit, order_officer = add_unit_with_officer(db, workstation, "治安中队", "钱警官")
    return {"criminal_unit": criminal_unit, "criminal_officer": criminal_officer,
            "order_unit": order_unit, "order_officer": order_officer}


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """The platform's export, as it comes: GBK, CRLF, received times of the last days."""
    now = dt.datetime.now().replace(second=0, microsecond=0)
    lines = [",".join(HEADER)]
    for number, hours, *rest in ROWS:
        received = (now - dt.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")
        lines.append(",".join([number, received, *rest]))
    return _write(tmp_path / "警综平台导出.csv", lines, "gbk")


def import_with_ctrl_i(window: MainWindow, qtbot: QtBot, export: Path) -> None:
    def drive(widget: QWidget) -> None:
        assert isinstance(widget, ImportDialog), widget
        _load(qtbot, widget, export)
        assert "GBK" in widget.file_info.text()
        mapping = widget.current_mapping()
        assert mapping[ImportField.INCIDENT_NO] == "接警编号"
        assert mapping[ImportField.KEY_CATEGORY] == "重点警情类别"
        assert mapping[ImportField.CALLER_NAME] == "报警人"
        assert mapping[ImportField.UNIT] == "处警单位"
        assert widget.preview_table.rowCount() == len(ROWS)
        loaded = widget.task
        qtbot.mouseClick(widget.validate_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: widget.task is not loaded, timeout=TIMEOUT_MS)
        _wait(qtbot, widget)
        assert widget.report is not None and widget.report.ok, widget.summary.text()
        assert "校验通过" in widget.summary.text()
        qtbot.mouseClick(widget.import_button, Qt.MouseButton.LeftButton)
        _wait(qtbot, widget)
        report = widget.imported_report
        assert report is not None and report.committed, widget.summary.text()
        assert report.created == len(ROWS)
        assert f"新增{len(ROWS)}" in widget.summary.text()
        qtbot.mouseClick(widget.close_button, Qt.MouseButton.LeftButton)

    activate(qtbot, window)
    watcher = ModalWatcher(drive)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert len(watcher.stop()) == 1


def work_the_watch_queue(window: MainWindow, qtbot: QtBot, artifacts: Path) -> WatchPage:
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page = window.built_page("daily_watch")
    assert isinstance(page, WatchPage) and window.stack.currentWidget() is page
    # The page, built at start, read again after the import: the key incidents are
    # in the queue, oldest first, and the due list counts what needs a follow-up.
    qtbot.waitUntil(lambda: [i.incident_no for i in page.model.items] == KEY_NUMBERS,
                    timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not page.due_list.is_loading(), timeout=TIMEOUT_MS)
    assert page.due_list.due is not None and page.due_list.due.total == DUE_COUNT
    settle(page, qtbot)
    table = page.table
    activate(qtbot, window)
    table.setFocus()
    total = len(KEY_NUMBERS)
    assert counts(page)[0].startswith(f"待盯 {total}")

    qtbot.keyClick(table, Qt.Key.Key_Space)  # the fraud case: handled as it should be
    assert page.current_item() is not None and page.current_item().incident_no == FINDING  # type: ignore[union-attr]
    settle(page, qtbot)
    assert "聚众赌博" in page.detail.toPlainText()
    laid_out(qtbot, page)
    assert window.grab().save(str(artifacts / "workflow_watch_page.png"))

    # F: gambling "mediated" is a downgraded handling; the form is filled by keyboard.
    qtbot.keyClick(table, Qt.Key.Key_F)
    dialog = page.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    activate(qtbot, dialog)
    assert dialog.people.unit.currentText() == "治安中队"  # preset from the incident
    typed, completer = dialog.problem_type.lineEdit(), dialog.problem_type.completer()
    assert typed is not None and completer is not None
    type_text(qtbot, typed, "降格")
    popup = completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=TIMEOUT_MS)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.problem_type.currentText() == "降格处理"
    activate(qtbot, dialog)
    qtbot.keyClick(dialog.problem_type, Qt.Key.Key_Tab)
    assert dialog.note.hasFocus()
    type_text(qtbot, dialog.note, "涉赌警情按纠纷调解处理，未受案")
    # The import knows no handling officer: Tab to the officer, Down picks 钱警官.
    qtbot.keyClick(dialog.note, Qt.Key.Key_Tab)
    assert dialog.people.unit.hasFocus()
    qtbot.keyClick(dialog.people.unit, Qt.Key.Key_Tab)
    assert dialog.people.officer.hasFocus()
    qtbot.keyClick(dialog.people.officer, Qt.Key.Key_Down)
    assert dialog.people.officer.currentText() == "钱警官"
    qtbot.keyClick(dialog.people.officer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=TIMEOUT_MS)  # saved, closed
    assert "整改事项" in page.status.text()

    activate(qtbot, window)
    assert table.hasFocus()  # the keys are back in the queue
    qtbot.keyClick(table, Qt.Key.Key_Space)
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    while page.current_item() is not None:
        qtbot.keyClick(table, Qt.Key.Key_Space)
    settle(page, qtbot)
    assert page.model.items == []
    assert counts(page) == ("待盯 0", f"今日已盯 {total}", "今日发现问题 1")
    assert "没有待盯" in page.detail.toPlainText()
    return page


def test_import_watch_search_and_follow_up_through_the_main_window(
    window: MainWindow, qtbot: QtBot, db: Database, station: dict[str, str], export: Path,
    artifacts: Path,
) -> None:
    # 1. Ctrl+I: the export goes in, exactly as it was.
    import_with_ctrl_i(window, qtbot, export)
    with db.read() as session:
        stored = {i.incident_no: i for i in session.scalars(select(Incident))}
        assert sorted(stored) == [r[0] for r in ROWS]
        assert sorted(n for n, i in stored.items() if i.is_key) == KEY_NUMBERS
        assert stored[FINDING].key_category == KeyCategory.GAMBLING
        assert stored["JJ20261105"].key_category == KeyCategory.GANG
        assert stored[SEARCHED].caller_name == "王芳"
        assert stored[SEARCHED].unit_id == station["order_unit"]
        assert stored["JJ20261101"].unit_id == station["criminal_unit"]

    # 2. Ctrl+1: the daily watch, cleared with the keyboard, one finding.
    work_the_watch_queue(window, qtbot, artifacts)
    with db.read() as session:
        states = {i.incident_no: i.watch_state for i in session.scalars(select(Incident))}
        assert {n for n, s in states.items() if s == WatchState.PROBLEM_FOUND} == {FINDING}
        assert {n for n, s in states.items() if s == WatchState.NO_PROBLEM} == (
            set(KEY_NUMBERS) - {FINDING})
        (finding,) = session.scalars(select(Rectification)).all()
        problem = session.get(ProblemType, finding.problem_type_id)
        assert problem is not None and problem.name_zh == "降格处理"
        assert finding.source == RectificationSource.DAILY_WATCH
        assert (finding.responsible_unit_id, finding.responsible_officer_id) == (
            station["order_unit"], station["order_officer"])
        assert "未受案" in finding.description

    # 3. Ctrl+2, Ctrl+F, a two-character name: exactly her incident.
    page = open_page(window, qtbot)
    assert page.model.rowCount() == len(ROWS)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    type_text(qtbot, page.search, "王芳")
    wait_idle(page, qtbot)
    assert shown_ids(page) == [stored[SEARCHED].id]
    assert page.count_label.text() == "共 1 条"
    assert cell(page, 0, Column.INCIDENT_NO) == SEARCHED
    assert cell(page, 0, Column.CALLER) == "王芳"
    assert window.grab().save(str(artifacts / "workflow_incident_list.png"))

    # Enter opens the detail beside the list.
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    wait_idle(page, qtbot)
    assert page.panel.isVisible()
    assert page.panel.heading.text() == f"警情 {SEARCHED}"
    summary = page.panel.summary_view.toPlainText()
    for text in ("王芳", "河西村3组", "宅基地", "治安中队", "调解"):
        assert text in summary, text

    # 4. Ctrl+R: nobody answers; the next attempt is set.
    def unreachable(dialog: FollowUpDialog) -> None:
        wait_loaded(qtbot, dialog)
        assert SEARCHED in dialog.header.text()
        assert dialog.party_name.text() == "王芳"  # the caller, preset
        qtbot.mouseClick(dialog.satisfaction_buttons[Satisfaction.UNREACHABLE],
                         Qt.MouseButton.LeftButton)
        assert dialog.next_attempt_at.isEnabled()
        type_text(qtbot, dialog.notes, "电话无人接听")
        activate(qtbot, dialog)
        qtbot.keyClick(dialog.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.error_text() != "",
                        timeout=TIMEOUT_MS)
        assert dialog.error_text() == ""

    record_follow_up(window, page, qtbot, unreachable)
    with db.read() as session:
        (first,) = session.scalars(select(FollowUp)).all()
        assert first.satisfaction == Satisfaction.UNREACHABLE
        assert first.next_attempt_at is not None

    # Ctrl+R again: reached, and dissatisfied.
    def dissatisfied(dialog: FollowUpDialog) -> None:
        wait_loaded(qtbot, dialog)
        assert "未联系上" in dialog.timeline.toPlainText()
        qtbot.mouseClick(dialog.satisfaction_buttons[Satisfaction.DISSATISFIED],
                         Qt.MouseButton.LeftButton)
        type_text(qtbot, dialog.notes, "当事人认为民警调解不公")
        activate(qtbot, dialog)
        qtbot.keyClick(dialog.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.error_text() != "",
                        timeout=TIMEOUT_MS)
        assert dialog.error_text() == ""

    before = dt.date.today()
    record_follow_up(window, page, qtbot, dissatisfied)
    after = dt.date.today()  # the follow-up's day: either, if midnight fell between
    with db.read() as session:
        calendar = load_calendar(session)
        expected = {add_working_days(calendar, day, 5) for day in (before, after)}
        incident = session.get(Incident, stored[SEARCHED].id)
        assert incident is not None and incident.follow_up_state == FollowUpState.DISSATISFIED
        second = session.scalars(
            select(FollowUp).where(FollowUp.satisfaction == Satisfaction.DISSATISFIED)).one()
        item = session.scalars(
            select(Rectification).where(Rectification.follow_up_id == second.id)).one()
        assert item.source == RectificationSource.FOLLOW_UP
        assert item.responsible_unit_id == station["order_unit"]
        assert item.due_date in expected
        assert item.due_date > after
        number, due = item.number, item.due_date
    notices = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QMessageBox) and w.objectName() == "follow_up_rectification_notice"
               and w.isVisible()]
    assert [n.text() for n in notices] == [f"已生成整改事项 {number}，期限 {due.isoformat()}"]
    for notice in notices:
        notice.close()

    # The detail's timeline shows both, oldest first.
    qtbot.waitUntil(lambda: page.panel.tabs.tabText(1) == "回访（2）", timeout=TIMEOUT_MS)
    page.panel.tabs.setCurrentIndex(1)
    timeline = page.panel.follow_ups_view.toPlainText()
    assert timeline.index("未联系上") < timeline.index("不满意")
    assert "电话无人接听" in timeline and "当事人认为民警调解不公" in timeline
    assert cell(page, 0, Column.FOLLOW_UP) == "不满意"
    assert page.status.text() == "已记录回访。"
    assert window.grab().save(str(artifacts / "workflow_incident_detail.png"))


def record_follow_up(window: MainWindow, page: IncidentsPage, qtbot: QtBot,
                     handle: Callable[[FollowUpDialog], None]) -> None:
    """Ctrl+R on the open incident; ``handle`` fills the modal dialog and saves it."""
    activate(qtbot, window)
    page.table.setFocus()
    watcher = in_dialog(handle)
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert len(watcher.stop()) == 1
    wait_idle(page, qtbot)
