"""The 期限预警 page driven as a supervisor would: open it with Ctrl+5, see the
warnings coloured and counted, clear one with a typed note, record an extension
that the law refuses, and use the deadline calculator; screenshots of both tabs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from lawsup_desktop.domain.deadlines import DeadlineState
from lawsup_desktop.domain.vocabulary import CaseKind, MeasureKind, PersonRole
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.cases import CaseInput, CaseService, MeasureInput, PersonInput
from lawsup_desktop.services.deadlines import DeadlineService
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.app import configure_application, start
from lawsup_desktop.ui.deadlines import alerts as alerts_module
from lawsup_desktop.ui.deadlines import clock
from lawsup_desktop.ui.deadlines.model import STATE_COLORS, Column
from lawsup_desktop.ui.deadlines.page import DeadlinesPage
from lawsup_desktop.ui.main_window import MainWindow

TIMEOUT_MS = 10000
NOW = dt.datetime(2026, 11, 27, 10, 0)  # a Friday
T = dt.datetime
REQUEST = "criminal_detention_request"


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(alerts_module, "START_DELAY_MS", 0)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config")
    )


@pytest.fixture
def station(db: Database, workstation: WorkstationInfo) -> dict[str, str]:
    """Three detained suspects whose arrest requests are overdue, due today and due
    tomorrow (临期), and a public-order case due in weeks (正常)."""
    cases = CaseService(db, workstation)
    measures = {}
    for number, (suspect, started) in enumerate(
        [("王某", T(2026, 11, 22, 9, 0)), ("李某", T(2026, 11, 24, 15, 0)),
         ("赵某", T(2026, 11, 25, 8, 30))], start=1,
    ):
        detail = cases.create_case(
            CaseInput(case_no=f"X2026-10{number}", name=f"{suspect}盗窃案",
                      kind=CaseKind.CRIMINAL, cause="盗窃", unit_id=workstation.unit_id,
                      lead_officer_id=workstation.operator_id,
                      accepted_at=started - dt.timedelta(hours=2),
                      registered_at=started - dt.timedelta(hours=1)),
            [PersonInput(PersonRole.SUSPECT, suspect,
                         measures=(MeasureInput(MeasureKind.CRIMINAL_DETENTION, started),))],
        )
        measures[suspect] = detail.persons[0].measures[0].id
    measures["孙某案"] = cases.create_case(
        CaseInput(case_no="A2026-201", name="孙某殴打他人案", kind=CaseKind.ADMINISTRATIVE,
                  cause="殴打他人", unit_id=workstation.unit_id, lead_officer_id=None,
                  accepted_at=T(2026, 11, 20, 9, 0)),
    ).id
    return measures


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    configure_application(qapp)
    yield qapp
    i18n.set_language("zh_CN")


@pytest.fixture
def window(
    app: QApplication, qtbot: QtBot, folder: DataFolder, station: dict[str, str]
) -> Iterator[MainWindow]:
    result = start(folder, app, error_hook=False)
    assert isinstance(result, MainWindow)
    qtbot.addWidget(result)
    qtbot.waitExposed(result)
    result.resize(1280, 800)
    yield result
    result.close()
    result.context.close()


def type_text(qtbot: QtBot, field: QWidget, text: str) -> None:
    """ASCII key by key, Chinese through the input method (as tests/gui/test_shell.py)."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    for chunk in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if chunk.isascii():
            qtbot.keyClicks(field, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(field, event)


def open_page(window: MainWindow, qtbot: QtBot) -> DeadlinesPage:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = window.built_page("deadlines")
    assert isinstance(page, DeadlinesPage)
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    return page


def shown(page: DeadlinesPage, row: int, column: Column) -> str:
    return str(page.model.data(page.model.index(row, column)))


def rows_of(page: DeadlinesPage) -> list[tuple[str, str, str]]:
    return [
        (shown(page, r, Column.STATE), shown(page, r, Column.PERSON), shown(page, r, Column.RULE))
        for r in range(page.model.rowCount())
    ]


def test_warnings_are_listed_by_urgency_coloured_and_counted(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = open_page(window, qtbot)
    qtbot.waitUntil(lambda: "…" not in shown(page, 0, Column.CASE), timeout=TIMEOUT_MS)
    request = "刑事拘留后提请批准逮捕"
    assert rows_of(page) == [("已逾期", "王某", request), ("今日到期", "李某", request),
                             ("临期", "赵某", request)]
    assert shown(page, 0, Column.DUE) == "2026-11-25 日终（24:00）"
    assert shown(page, 0, Column.CASE) == "X2026-101  王某盗窃案"
    assert shown(page, 0, Column.MEASURE) == "刑事拘留"
    assert shown(page, 0, Column.UNIT) == "城关派出所 / 张法制"
    assert shown(page, 0, Column.REMAINING) == "逾期 1 天"
    assert shown(page, 1, Column.REMAINING) == "剩 13 小时 59 分"
    for row, state in enumerate((DeadlineState.OVERDUE, DeadlineState.DUE_TODAY,
                                 DeadlineState.APPROACHING)):
        brush = page.model.data(page.model.index(row, Column.RULE),
                                Qt.ItemDataRole.BackgroundRole)
        assert brush.color() == QColor(STATE_COLORS[state][0])
    assert page.count_labels[DeadlineState.OVERDUE].text() == "已逾期 1"
    assert page.count_labels[DeadlineState.DUE_TODAY].text() == "今日到期 1"
    assert page.count_labels[DeadlineState.APPROACHING].text() == "临期 1"
    assert page.count_labels[DeadlineState.NORMAL].isHidden()
    # The status bar says the same, and clicking it opens the page.
    alerts = window.deadline_alerts
    qtbot.waitUntil(lambda: alerts.counts is not None, timeout=TIMEOUT_MS)
    assert alerts.button.text() == "期限：已逾期 1，今日到期 1，临期 1"

    # 正常 items too, through the filter: the detention limits and the public-order case.
    page.show_normal.click()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    assert page.model.rowCount() == 3 + 4
    assert page.count_labels[DeadlineState.NORMAL].text() == "正常 4"
    assert shown(page, 6, Column.STATE) == "正常"
    assert page.model.data(page.model.index(6, 0), Qt.ItemDataRole.BackgroundRole) is None


def test_a_warning_is_cleared_with_a_typed_note_and_leaves_the_list(
    window: MainWindow, qtbot: QtBot, db: Database, station: dict[str, str], artifacts: Path
) -> None:
    page = open_page(window, qtbot)
    assert page.select(station["李某"], REQUEST)
    qtbot.waitUntil(lambda: page.result is not None, timeout=TIMEOUT_MS)
    steps = page.steps.toPlainText()
    assert "到期：2026-11-27 日终（24:00）" in steps
    assert "《中华人民共和国刑事诉讼法》（2018年）第91条第1款" in steps
    qtbot.waitUntil(lambda: "…" not in shown(page, 1, Column.CASE), timeout=TIMEOUT_MS)
    assert page.grab().save(str(artifacts / "deadlines_page.png"))

    qtbot.keyClick(page.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialog = page.findChild(QWidget, "clear_warning_dialog")
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()  # a note is required
    type_text(qtbot, dialog.note, "已电话提醒主办民警，今日17时前提请批捕")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=TIMEOUT_MS)

    assert [person for _state, person, _rule in rows_of(page)] == ["王某", "赵某"]
    assert page.count_labels[DeadlineState.DUE_TODAY].text() == "今日到期 0"
    assert window.deadline_alerts.button.text() == "期限：已逾期 1，今日到期 0，临期 1"
    assert "已销账" in page.status.text()
    cleared = [i for i in DeadlineService(db).warnings(NOW, include_cleared=True) if i.cleared]
    assert [(i.person_name, i.rule_code) for i in cleared] == [("李某", REQUEST)]
    # Counted again from the database, it stays cleared.
    page.reload()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    assert page.model.rowCount() == 2


def test_an_extension_beyond_the_law_is_refused_in_the_dialog(
    window: MainWindow, qtbot: QtBot, station: dict[str, str]
) -> None:
    page = open_page(window, qtbot)
    assert page.select(station["王某"], REQUEST)
    dialog = page.record_extension()
    assert dialog is not None
    assert "依法最长 30 日" in dialog.limit.text()
    dialog.amount.setValue(28)
    type_text(qtbot, dialog.approval, "县局负责人批准")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=TIMEOUT_MS)
    assert "超过法定上限" in dialog.error_text()
    assert dialog.isVisible()

    # Within the law: recorded, the deadline moves and the warning is no longer overdue.
    dialog.amount.selectAll()
    qtbot.keyClicks(dialog.amount, "4")
    assert dialog.amount.value() == 4
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT_MS):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=TIMEOUT_MS)
    assert "王某" not in [person for _s, person, _r in rows_of(page)]  # now due 11-29: 正常


def test_a_suspension_is_recorded_where_the_law_allows_it_and_refused_elsewhere(
    window: MainWindow, qtbot: QtBot, station: dict[str, str]
) -> None:
    page = open_page(window, qtbot)
    assert page.select(station["赵某"], REQUEST)
    dialog = page.record_suspension()
    assert dialog is not None and not dialog.ok_button.isEnabled()  # a reason is required
    type_text(qtbot, dialog.reason, "鉴定")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=TIMEOUT_MS)
    assert "不因鉴定等事由中止计算" in dialog.error_text()
    dialog.reject()

    page.show_normal.click()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    assert page.select(station["孙某案"], "public_order_case")
    qtbot.waitUntil(lambda: page.result is not None, timeout=TIMEOUT_MS)
    assert page.result is not None and page.result.due.day == dt.date(2026, 12, 21)
    dialog = page.record_suspension()
    assert dialog is not None
    dialog.starts.setDateTime(dialog.starts.dateTime().addDays(-5))  # 11-22 10:00
    dialog.ends.setDateTime(dialog.ends.dateTime().addDays(-1))  # 11-26 10:00
    type_text(qtbot, dialog.reason, "伤情鉴定")
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT_MS):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    assert page.select(station["孙某案"], "public_order_case")
    qtbot.waitUntil(lambda: page.result is not None, timeout=TIMEOUT_MS)
    assert page.result is not None and page.result.due.day == dt.date(2026, 12, 24)
    assert "中止计算 2026-11-22 10:00～2026-11-26 10:00" in page.steps.toPlainText()


def test_the_calculator_counts_a_detention_over_the_national_day(
    window: MainWindow, qtbot: QtBot, artifacts: Path
) -> None:
    page = open_page(window, qtbot)
    page.tabs.setCurrentWidget(page.calculator)
    calculator = page.calculator
    qtbot.waitUntil(lambda: calculator.book is not None, timeout=TIMEOUT_MS)
    calculator.select_rule(REQUEST)
    calculator.start.setFocus()
    calculator.start.selectAll()
    qtbot.keyClicks(calculator.start, "2026-09-28 10:00")
    assert calculator.start.dateTime().toPython() == T(2026, 9, 28, 10, 0)
    assert calculator.custody.isChecked()  # a custody rule
    qtbot.keyClick(calculator.start, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: calculator.result is not None, timeout=TIMEOUT_MS)
    assert calculator.due_text() == "到期：2026-10-01 日终（24:00）"
    assert calculator.state.text() == "已逾期"
    steps = calculator.steps.toPlainText()
    assert "在押人员的期间至期满之日为止" in steps
    assert "第91条第1款" in steps
    assert page.grab().save(str(artifacts / "deadline_calculator.png"))

    # Without custody and as a public-order case the same start moves past the holiday.
    calculator.select_rule("public_order_case")
    calculator.custody.setChecked(False)
    calculator.extension.setValue(31)
    qtbot.mouseClick(calculator.calculate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not calculator.error.isHidden(), timeout=TIMEOUT_MS)
    assert "超过法定上限" in calculator.error.text() and calculator.due_text() == ""


def test_counts_in_the_status_bar_at_start_and_a_notification_once_a_day(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, db: Database,
    workstation: WorkstationInfo, station: dict[str, str],
) -> None:
    alerts = window.deadline_alerts
    assert window.built_page("deadlines") is None  # counted without building the page
    qtbot.waitUntil(lambda: alerts.counts is not None, timeout=TIMEOUT_MS)
    assert alerts.button.text() == "期限：已逾期 1，今日到期 1，临期 1"
    assert alerts.last_message == ("期限预警", "已逾期 1，今日到期 1，临期 1")
    assert alerts.notified_on == NOW.date()

    # Later the same day nothing is counted again; the next day it is, and notifies.
    alerts.last_message = None
    alerts._check_day()
    assert not window.context.tasks.busy and alerts.last_message is None
    DeadlineService(db).clear_warning(workstation, station["王某"], REQUEST, "已督促", NOW)
    monkeypatch.setattr(clock, "now", lambda: NOW + dt.timedelta(days=1))
    alerts._check_day()
    qtbot.waitUntil(lambda: alerts.last_message is not None, timeout=TIMEOUT_MS)
    # A day later: 李某's request is overdue, 赵某's due today; 王某's stays cleared.
    assert alerts.last_message == ("期限预警", "已逾期 1，今日到期 1，临期 0")

    # Clicking the counts opens the page.
    qtbot.mouseClick(alerts.button, Qt.MouseButton.LeftButton)
    assert isinstance(window.stack.currentWidget(), DeadlinesPage)


def test_the_page_in_english(window: MainWindow, qtbot: QtBot, artifacts: Path) -> None:
    page = open_page(window, qtbot)
    i18n.set_language("en")
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "Warnings", timeout=TIMEOUT_MS)
    assert page.count_labels[DeadlineState.OVERDUE].text() == "Overdue 1"
    assert page.model.headerData(Column.REMAINING, Qt.Orientation.Horizontal) == "Time left"
    assert shown(page, 0, Column.STATE) == "Overdue"
    assert shown(page, 0, Column.REMAINING) == "1 d overdue"
    assert window.deadline_alerts.button.text().startswith("Deadlines: Overdue 1")
    qtbot.wait(100)  # the new texts' sizes are laid out on the next turns of the loop
    assert page.grab().save(str(artifacts / "deadlines_page_en.png"))
