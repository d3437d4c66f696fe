"""今日盯警 driven as a supervisor does it, keyboard only: 50 key incidents cleared —
49 "no problem" (one of them taken back with Ctrl+Z and done again) and one
finding that raises a rectification item for the unit and officer preset from the
incident — with the counts following; the page in English; a screenshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from lawsup_desktop.domain.vocabulary import (
    Disposition,
    IncidentCategory,
    KeyCategory,
    RectificationSource,
    WatchState,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.services.watch import WatchService
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Incident, ProblemType, Rectification, WatchReview
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.app import configure_application, start
from lawsup_desktop.ui.main_window import MainWindow
from lawsup_desktop.ui.watch.page import WatchPage
from tests.gui.helpers import type_text
from tests.gui.test_follow_up_dialog import laid_out
from tests.unit.incident_helpers import add_incidents, add_unit_with_officer

TIMEOUT_MS = 10000
COUNT = 50
FINDING_AT = 29
"""The queue position (0-based, oldest first) of the one incident with a problem."""
KEY_CATEGORIES = list(KeyCategory)


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    configure_application(qapp)
    yield qapp
    i18n.set_language("zh_CN")


@pytest.fixture
def station(db: Database, workstation: WorkstationInfo) -> dict[str, object]:
    """Two teams, each with an officer, and 50 key incidents received over the last
    50 hours, alternately handled by each team."""
    criminal = add_unit_with_officer(db, workstation, "刑侦中队", "赵警官")
    order = add_unit_with_officer(db, workstation, "治安中队", "钱警官")
    start_at = dt.datetime.now().replace(microsecond=0) - dt.timedelta(hours=COUNT + 1)
    specs = []
    for n in range(COUNT):
        unit_id, officer_id = criminal if n % 2 else order
        specs.append({
            "incident_no": f"J2026{n + 1:04d}",
            "received_at": start_at + dt.timedelta(hours=n),
            "category": IncidentCategory.CRIMINAL if n % 3 == 0 else IncidentCategory.PUBLIC_ORDER,
            "is_key": True,
            "key_category": KEY_CATEGORIES[n % len(KEY_CATEGORIES)],
            "address": f"城关镇解放路{n + 1}号",
            "summary": f"第{n + 1}起：报警人称在棋牌室内有人聚众赌博，金额较大。",
            "caller_name": f"报警人{n + 1}",
            "caller_phone": "13812345678",
            "unit_id": unit_id,
            "handling_officer_id": officer_id,
            "disposition": Disposition.MEDIATION if n == FINDING_AT
            else Disposition.ADMINISTRATIVE_CASE,
            "handling_notes": "民警到场后对双方进行了调解。" if n == FINDING_AT
            else "民警到场，查获赌资，依法受案调查。",
        })
    ids = add_incidents(db, workstation, *specs)
    return {"ids": ids, "criminal": criminal, "order": order}


@pytest.fixture
def window(app: QApplication, qtbot: QtBot, folder: DataFolder,
           station: dict[str, object]) -> Iterator[MainWindow]:
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


def loaded_page(window: MainWindow, qtbot: QtBot) -> WatchPage:
    page = window.built_page("daily_watch")
    assert isinstance(page, WatchPage), "the daily watch is the first page, built at start"
    qtbot.waitUntil(lambda: page.counts is not None and not page.is_loading(),
                    timeout=TIMEOUT_MS)
    return page


def settle(page: WatchPage, qtbot: QtBot) -> None:
    """Wait until every write and the counts after them are done."""
    assert page.context.tasks.wait_all(TIMEOUT_MS)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)


def activate(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=TIMEOUT_MS)


def counts(page: WatchPage) -> tuple[str, str, str]:
    labels = page.count_labels
    return labels["pending"].text(), labels["reviewed"].text(), labels["problems"].text()


def test_fifty_key_incidents_cleared_with_the_keyboard_only(
    window: MainWindow, qtbot: QtBot, db: Database, station: dict[str, object],
    artifacts: Path,
) -> None:
    page = loaded_page(window, qtbot)
    table = page.table
    ids = station["ids"]
    assert isinstance(ids, list)
    assert [i.incident_id for i in page.model.items] == ids  # oldest first
    assert counts(page) == ("待盯 50（新增 50）", "今日已盯 0", "今日发现问题 0")
    assert page.tabs.tabText(0) == "盯警队列（50）"
    assert table.hasFocus()
    assert "第1起" in page.detail.toPlainText()
    assert "城关镇解放路1号" in page.detail.toPlainText()
    # The shortcuts are on the buttons and in their tooltips.
    assert "空格" in page.review_button.text() and "Ctrl+Enter" in page.review_button.toolTip()
    assert "F" in page.finding_button.text() and "Ctrl+D" in page.finding_button.toolTip()
    assert "Ctrl+Z" in page.undo_button.text()

    # Up and down move through the queue, the details follow.
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert page.current_item() is not None and page.current_item().incident_no == "J20260003"  # type: ignore[union-attr]
    assert "第3起" in page.detail.toPlainText()
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert page.current_item().incident_no == "J20260001"  # type: ignore[union-attr]

    # Three reviewed (Space, Space, Ctrl+Enter); the queue moves on at once.
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert page.current_item().incident_no == "J20260002"  # type: ignore[union-attr]
    qtbot.keyClick(table, Qt.Key.Key_Space)
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.current_item().incident_no == "J20260004"  # type: ignore[union-attr]
    settle(page, qtbot)
    # "New" stays as of the page's read (the markers in the list say the same).
    assert counts(page) == ("待盯 47（新增 47）", "今日已盯 3", "今日发现问题 0")
    assert "J20260003" in page.status.text()

    # Ctrl+Z: the last one was a slip; it is back, selected, and reviewed again.
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(page, qtbot)
    assert page.current_item().incident_no == "J20260003"  # type: ignore[union-attr]
    assert counts(page)[:2] == ("待盯 48（新增 48）", "今日已盯 2")
    with db.read() as session:
        incident = session.get(Incident, ids[2])
        assert incident is not None and incident.watch_state == WatchState.PENDING
    qtbot.keyClick(table, Qt.Key.Key_Space)

    # On to the incident with a problem, all "no problem" on the way.
    while page.current_item().incident_no != f"J2026{FINDING_AT + 1:04d}":  # type: ignore[union-attr]
        qtbot.keyClick(table, Qt.Key.Key_Space)
    settle(page, qtbot)
    left = COUNT - FINDING_AT
    assert counts(page)[:2] == (f"待盯 {left}（新增 {left}）", f"今日已盯 {FINDING_AT}")
    assert "调解" in page.detail.toPlainText()
    laid_out(qtbot, page)
    assert window.grab().save(str(artifacts / "watch_page.png"))

    # F: the finding form, preset with the incident's unit and handling officer.
    qtbot.keyClick(table, Qt.Key.Key_F)
    dialog = page.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    activate(qtbot, dialog)
    assert dialog.problem_type.lineEdit().hasFocus()
    assert dialog.people.unit.currentText() == "刑侦中队"
    assert dialog.people.officer.currentText() == "赵警官"
    assert "5个工作日" in dialog.intro.text()
    # Enter with no type and no note: refused, naming the field; the form stays.
    qtbot.keyClick(dialog.problem_type, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=TIMEOUT_MS)
    assert dialog.error_text().startswith("问题类型")
    assert dialog.isVisible()
    type_text(qtbot, dialog.problem_type.lineEdit(), "降格")
    popup = dialog.problem_type.completer().popup()
    assert popup.isVisible()  # the type-ahead list offers 降格处理: Down, Enter takes it
    assert dialog.problem_type.completer().completionCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.problem_type.currentText() == "降格处理"
    activate(qtbot, dialog)  # the offscreen platform hands activation back to the main window
    qtbot.keyClick(dialog.problem_type, Qt.Key.Key_Tab)
    assert dialog.note.hasFocus()
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # the note is still missing
    qtbot.waitUntil(lambda: dialog.error_text().startswith("问题说明"), timeout=TIMEOUT_MS)
    assert dialog.problem_type.currentText() == "降格处理"  # nothing typed is lost
    type_text(qtbot, dialog.note, "涉赌警情按纠纷调解处理，未受案")
    assert dialog.grab().save(str(artifacts / "watch_finding_dialog.png"))
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=TIMEOUT_MS)  # saved, closed
    assert page.current_item().incident_no == f"J2026{FINDING_AT + 2:04d}"  # type: ignore[union-attr]
    assert "整改事项" in page.status.text()

    # The rest.
    activate(qtbot, window)
    assert table.hasFocus()  # the keys are back in the queue
    while page.current_item() is not None:
        qtbot.keyClick(table, Qt.Key.Key_Space)
    settle(page, qtbot)
    assert counts(page) == ("待盯 0", f"今日已盯 {COUNT}", "今日发现问题 1")
    assert page.model.items == []
    assert "没有待盯" in page.detail.toPlainText()

    with db.read() as session:
        states = dict(session.execute(
            select(Incident.watch_state, func.count()).group_by(Incident.watch_state)).all())
        assert states == {WatchState.NO_PROBLEM: COUNT - 1, WatchState.PROBLEM_FOUND: 1}
        assert session.scalar(select(func.count()).select_from(WatchReview)
                              .where(WatchReview.deleted_at.is_(None))) == COUNT
        (item,) = session.scalars(select(Rectification)).all()
        review = session.get(WatchReview, item.watch_review_id)
        assert review is not None and review.incident_id == ids[FINDING_AT]
        problem = session.get(ProblemType, item.problem_type_id)
        assert problem is not None and problem.name_zh == "降格处理"
        unit_id, officer_id = station["criminal"]  # type: ignore[misc]
        assert (item.responsible_unit_id, item.responsible_officer_id) == (unit_id, officer_id)
        assert item.source == RectificationSource.DAILY_WATCH
        assert "未受案" in item.description


def test_the_page_speaks_english(window: MainWindow, qtbot: QtBot, artifacts: Path) -> None:
    page = loaded_page(window, qtbot)
    i18n.set_language("en")
    qtbot.waitUntil(lambda: page.heading.text() == "Today's watch", timeout=TIMEOUT_MS)
    assert page.review_button.text() == "No problem (Space)"
    assert page.count_labels["pending"].text() == "To watch 50 (50 new)"
    assert page.tabs.tabText(0) == "Watch queue (50)"
    assert page.tabs.tabText(1) == "Follow-ups due (50)"
    assert page.model.headerData(2, Qt.Orientation.Horizontal) == "Incident no."
    assert "Summary" in page.detail.toPlainText()
    assert page.due_list.record_button.text() == "Record follow-up (Enter)"
    laid_out(qtbot, page)
    assert window.grab().save(str(artifacts / "watch_page_en.png"))


def test_an_incident_reviewed_elsewhere_is_refused_in_the_users_language(
    window: MainWindow, qtbot: QtBot, db: Database, workstation: WorkstationInfo,
    station: dict[str, object],
) -> None:
    page = loaded_page(window, qtbot)
    ids = station["ids"]
    assert isinstance(ids, list)
    # Another window (same station) reviews the first incident meanwhile.
    WatchService(db, workstation.actor).mark_reviewed(ids[0])
    assert page.current_item().incident_id == ids[0]  # type: ignore[union-attr]
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    settle(page, qtbot)
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.isVisible()]
    assert [b.text() for b in boxes] == ["警情 J20260001 已被修改，请刷新后重试。"]
    for box in boxes:
        box.close()
    # The queue is what the database says: the item is gone, nothing was written twice.
    assert [i.incident_id for i in page.model.items] == ids[1:]
    assert counts(page)[:2] == ("待盯 49", "今日已盯 1")
    assert page.current_item().incident_id == ids[1]  # type: ignore[union-attr]
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(WatchReview)) == 1
