"""The 警情与回访 page driven as a supervisor would: filters, header sorts and the
search (one and two Chinese characters) give exactly the rows IncidentQuery gives
for the same filter; overdue follow-ups stand out; Enter opens the detail with its
follow-ups, watch findings, linked case and rectifications and audit trail; the
visible list goes to XLSX row for row; the page follows a language switch."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QLabel,
)
from pytestqt.qtbot import QtBot

from lawsup_desktop.domain.vocabulary import (
    CaseKind,
    Disposition,
    FollowUpMethod,
    IncidentCategory,
    KeyCategory,
    PartyRole,
    Satisfaction,
    WatchState,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.follow_ups import CheckedItem, FollowUpInput, FollowUpService
from lawsup_desktop.services.incidents import (
    FollowUpStatus,
    IncidentFilter,
    IncidentQuery,
    SortKey,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.services.watch import WatchService
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Case
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.app import configure_application, start
from lawsup_desktop.ui.incidents import page as page_module
from lawsup_desktop.ui.incidents.model import OVERDUE_COLORS, WINDOW, Column
from lawsup_desktop.ui.incidents.page import IncidentsPage
from lawsup_desktop.ui.main_window import MainWindow
from tests.gui.helpers import type_text
from tests.unit.incident_helpers import add_incidents, add_unit_with_officer

TIMEOUT_MS = 15000
TODAY = dt.date(2026, 11, 25)  # a Wednesday
CATEGORIES = [IncidentCategory.CRIMINAL, IncidentCategory.DISPUTE,
              IncidentCategory.PUBLIC_ORDER, IncidentCategory.TRAFFIC]
KEYS = [None, KeyCategory.GAMBLING, None, KeyCategory.FRAUD, None, KeyCategory.VICE]
DISPOSITIONS = [Disposition.MEDIATION, Disposition.CRIMINAL_CASE, None,
                Disposition.ADMINISTRATIVE_CASE, Disposition.ON_THE_SPOT_PENALTY]
CALLERS = ["王芳", "李明", "王建国", "赵丽", "芳草", "陈晨", "刘洋"]
PLACES = ["城关镇幸福路12号", "河西村", "南门菜市场", "芳华小区3栋", "火车站广场"]
SUMMARIES = ["邻里纠纷，双方争吵", "有人聚众赌博", "电动车被盗", "接到诈骗电话被骗2000元",
             "交通事故，无人受伤"]


@pytest.fixture
def station(db: Database, workstation: WorkstationInfo) -> dict[str, Any]:
    """Forty incidents of every kind over three weeks in two units; one key incident
    with a watch finding, a linked case and a dissatisfied follow-up."""
    other_unit, other_officer = add_unit_with_officer(db, workstation, "治安中队", "周警官")
    specs = []
    for n in range(40):
        key = KEYS[n % len(KEYS)]
        specs.append({
            "incident_no": f"J202611{n:04d}",
            "received_at": dt.datetime(2026, 11, 25, 22, 0) - dt.timedelta(hours=13 * n),
            "category": CATEGORIES[n % len(CATEGORIES)],
            "is_key": key is not None,
            "key_category": key,
            "disposition": DISPOSITIONS[n % len(DISPOSITIONS)],
            "unit_id": other_unit if n % 3 == 0 else workstation.unit_id,
            "caller_name": CALLERS[n % len(CALLERS)],
            "caller_phone": f"1380000{n:04d}",
            "address": PLACES[n % len(PLACES)],
            "summary": SUMMARIES[n % len(SUMMARIES)],
            "handling_notes": "民警到场处置" if n % 2 else "",
        })
    ids = add_incidents(db, workstation, *specs)
    featured = ids[1]  # J2026110001: gambling, key, criminal
    with db.write(workstation.actor) as session:
        session.add(Case(case_no="XZ-2026-0107", name="刘某某赌博案",
                         kind=CaseKind.ADMINISTRATIVE, cause="赌博", incident_id=featured))
    watch = WatchService(db, workstation.actor)
    problem = next(p for p in watch.problem_types() if p.label.zh == "降格处理")
    finding = watch.record_finding(
        featured, problem_type_id=problem.id, note="聚众赌博按纠纷调解处理，未受案",
        responsible_unit_id=other_unit, responsible_officer_id=other_officer, today=TODAY)
    watch.mark_reviewed(ids[3])  # J2026110003 watched: no problem
    follow_ups = FollowUpService(db, workstation.actor)
    follow_ups.record(featured, FollowUpInput(
        method=FollowUpMethod.PHONE, party_name="李明", party_role=PartyRole.CALLER,
        party_phone="13800000001", contacted_at=dt.datetime(2026, 11, 25, 9, 30),
        satisfaction=Satisfaction.UNREACHABLE, next_attempt_at=dt.datetime(2026, 11, 25, 15)),
        now=dt.datetime(2026, 11, 25, 10))
    follow_ups.record(featured, FollowUpInput(
        method=FollowUpMethod.HOME_VISIT, party_name="李明", party_role=PartyRole.CALLER,
        party_phone="13800000001", contacted_at=dt.datetime(2026, 11, 25, 15, 0),
        satisfaction=Satisfaction.DISSATISFIED, notes="认为处理太轻",
        checks={"reception": CheckedItem(True, "接警及时"), "on_scene": CheckedItem(True)}),
        now=dt.datetime(2026, 11, 25, 16))
    follow_ups.record(ids[4], FollowUpInput(
        method=FollowUpMethod.ON_SITE, party_name="芳草", party_role=PartyRole.CALLER,
        contacted_at=dt.datetime(2026, 11, 24, 11, 0), satisfaction=Satisfaction.SATISFIED),
        now=dt.datetime(2026, 11, 24, 12))
    return {"ids": ids, "featured": featured, "other_unit": other_unit,
            "finding": finding.rectification_number}


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    configure_application(qapp)
    yield qapp
    i18n.set_language("zh_CN")


@pytest.fixture
def window(app: QApplication, qtbot: QtBot, folder: DataFolder, station: dict[str, Any],
           monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[MainWindow]:
    monkeypatch.setattr(page_module, "today", lambda: TODAY)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    result = start(folder, app, error_hook=False)
    assert isinstance(result, MainWindow)
    qtbot.addWidget(result)
    qtbot.waitExposed(result)
    result.resize(1500, 900)
    yield result
    result.close()
    result.context.close()


def wait_idle(page: IncidentsPage, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    page.context.tasks.wait_all(TIMEOUT_MS)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)


def open_page(window: MainWindow, qtbot: QtBot) -> IncidentsPage:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.built_page("incidents")
    assert isinstance(page, IncidentsPage)
    assert window.stack.currentWidget() is page
    wait_idle(page, qtbot)
    return page


def shown_ids(page: IncidentsPage) -> list[str]:
    return [str(page.model.id_at(r)) for r in range(page.model.rowCount())]


def cell(page: IncidentsPage, row: int, column: Column) -> str:
    return str(page.model.data(page.model.index(row, column)))


def choose(page: IncidentsPage, qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Pick an entry as the keyboard does: focus the combo, then type its first letters
    until it is current (Chinese entries are chosen by index, as with the arrow keys)."""
    index = combo.findText(text)
    assert index >= 0, (combo.objectName(), text, [combo.itemText(i)
                                                   for i in range(combo.count())])
    combo.setFocus()
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)
    wait_idle(page, qtbot)


def click_header(page: IncidentsPage, qtbot: QtBot, column: Column) -> None:
    header = page.table.horizontalHeader()
    page.table.scrollTo(page.model.index(0, column))
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    wait_idle(page, qtbot)


def test_filters_and_header_sorts_give_the_rows_the_query_gives(
    window: MainWindow, qtbot: QtBot, db: Database, station: dict[str, Any], artifacts: Path,
) -> None:
    query = IncidentQuery(db)
    page = open_page(window, qtbot)

    def expect(f: IncidentFilter, sort: SortKey = SortKey.RECEIVED_AT,
               descending: bool = True) -> list[str]:
        ids = query.ids(f, sort, descending, today=TODAY)
        assert shown_ids(page) == ids
        assert page.count_label.text() == f"共 {len(ids)} 条"
        return ids

    everything = expect(IncidentFilter())
    assert len(everything) == 40
    assert cell(page, 0, Column.INCIDENT_NO) == "J2026110000"  # the newest first
    assert cell(page, 1, Column.FOLLOW_UP) == "不满意"
    assert cell(page, 1, Column.WATCH) == "发现问题"
    assert cell(page, 2, Column.WATCH) == ""  # not a key incident: not watched

    # Overdue follow-ups stand out in red, and nothing else does.
    overdue = query.ids(IncidentFilter(follow_up=frozenset({FollowUpStatus.OVERDUE})),
                        today=TODAY)
    assert overdue
    for row in range(page.model.rowCount()):
        brush = page.model.data(page.model.index(row, Column.ADDRESS),
                                Qt.ItemDataRole.BackgroundRole)
        is_red = isinstance(brush, QBrush) and brush.color() == QColor(OVERDUE_COLORS[0])
        assert is_red == (page.model.id_at(row) in overdue)
    assert "逾期未回访" in cell(page, page.model.row_of(overdue[0]), Column.FOLLOW_UP)

    choose(page, qtbot, page.category_filter, "刑事")
    criminal = expect(IncidentFilter(categories=frozenset({IncidentCategory.CRIMINAL})))
    assert 0 < len(criminal) < 40
    choose(page, qtbot, page.unit_filter, "治安中队")
    expect(IncidentFilter(categories=frozenset({IncidentCategory.CRIMINAL}),
                          unit_ids=frozenset({station["other_unit"]})))
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    wait_idle(page, qtbot)
    expect(IncidentFilter())

    choose(page, qtbot, page.key_filter, "仅重点警情")
    expect(IncidentFilter(key_only=True))
    choose(page, qtbot, page.key_filter, "涉赌")
    gambling = expect(IncidentFilter(key_categories=frozenset({KeyCategory.GAMBLING})))
    assert station["featured"] in gambling
    choose(page, qtbot, page.watch_filter, "发现问题")
    assert expect(IncidentFilter(key_categories=frozenset({KeyCategory.GAMBLING}),
                                 watch_states=frozenset({WatchState.PROBLEM_FOUND}))) == [
        station["featured"]]
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    wait_idle(page, qtbot)

    choose(page, qtbot, page.disposition_filter, "调解")
    expect(IncidentFilter(dispositions=frozenset({Disposition.MEDIATION})))
    choose(page, qtbot, page.follow_up_filter, "逾期未回访")
    expect(IncidentFilter(dispositions=frozenset({Disposition.MEDIATION}),
                          follow_up=frozenset({FollowUpStatus.OVERDUE})))
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    wait_idle(page, qtbot)

    # Dates: the last 3 days, then a range typed into the date fields.
    assert not page.date_from.isVisible()
    choose(page, qtbot, page.date_filter, "近 3 天")
    recent = expect(IncidentFilter(received_from=TODAY - dt.timedelta(days=2),
                                   received_to=TODAY))
    assert 0 < len(recent) < 40
    choose(page, qtbot, page.date_filter, "自定日期")
    assert page.date_from.isVisible()
    for edit, digits in ((page.date_from, "20261110"), (page.date_to, "20261115")):
        edit.setFocus()
        edit.setSelectedSection(QDateEdit.Section.YearSection)
        qtbot.keyClicks(edit, digits)  # each section moves on to the next when full
        wait_idle(page, qtbot)
    expect(IncidentFilter(received_from=dt.date(2026, 11, 10),
                          received_to=dt.date(2026, 11, 15)))
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    wait_idle(page, qtbot)

    # A click on a header sorts in SQL; a second click turns the order round.
    click_header(page, qtbot, Column.CALLER)
    by_caller = expect(IncidentFilter(), SortKey.CALLER, False)
    click_header(page, qtbot, Column.CALLER)
    assert expect(IncidentFilter(), SortKey.CALLER, True) != by_caller
    click_header(page, qtbot, Column.UNIT)
    expect(IncidentFilter(), SortKey.UNIT, False)
    click_header(page, qtbot, Column.SUMMARY)  # not sortable: nothing changes
    expect(IncidentFilter(), SortKey.UNIT, False)
    assert page.table.horizontalHeader().sortIndicatorSection() == Column.UNIT

    page.table.setFocus()
    page.table.scrollTo(page.model.index(0, 0))
    assert page.panel.isHidden()  # the list has the whole width until a row is opened
    page.grab().save(str(artifacts / "incidents_list.png"))

    # The page follows a language switch at once.
    i18n.set_language("en")
    qtbot.waitUntil(lambda: page.heading.text() == "Incidents and follow-ups",
                    timeout=TIMEOUT_MS)
    assert page.count_label.text() == "40 incidents"
    assert page.model.headerData(Column.CALLER, Qt.Orientation.Horizontal) == "Caller"
    assert page.category_filter.itemText(0) == "All categories"
    assert page.export_button.text() == "Export XLSX…"
    assert cell(page, page.model.row_of(station["featured"]), Column.FOLLOW_UP) == "Dissatisfied"


def test_search_finds_one_and_two_chinese_characters(
    window: MainWindow, qtbot: QtBot, db: Database, station: dict[str, Any]
) -> None:
    query = IncidentQuery(db)
    page = open_page(window, qtbot)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()

    for text in ("赌", "王芳", "芳", "幸福", "0012"):
        page.search.clear()
        type_text(qtbot, page.search, text)
        assert page.search.text() == text
        wait_idle(page, qtbot)
        ids = query.ids(IncidentFilter(text=text), today=TODAY)
        assert 0 < len(ids) < 40, text
        assert shown_ids(page) == ids, text
        assert page.count_label.text() == f"共 {len(ids)} 条"
    # The query runs off the GUI thread: while it is slow the page stays live and says so.
    release = threading.Event()
    page_of = page.query.page

    def slow_page(*args: Any, **kwargs: Any) -> Any:
        release.wait(TIMEOUT_MS / 1000)
        return page_of(*args, **kwargs)

    page.query.page = slow_page  # type: ignore[method-assign]
    page.search.clear()
    type_text(qtbot, page.search, "李明")
    qtbot.waitUntil(lambda: page.count_label.text() == "正在查询…", timeout=TIMEOUT_MS)
    assert page.is_loading()
    release.set()
    wait_idle(page, qtbot)
    expected = query.ids(IncidentFilter(text="李明"), today=TODAY)
    assert shown_ids(page) == expected and page.count_label.text() == f"共 {len(expected)} 条"
    page.query.page = page_of  # type: ignore[method-assign]

    # One character finds it in any searchable field: caller 芳草, 王芳 and 芳华小区.
    page.search.clear()
    type_text(qtbot, page.search, "芳")
    wait_idle(page, qtbot)
    callers = {cell(page, r, Column.CALLER) for r in range(page.model.rowCount())}
    places = {cell(page, r, Column.ADDRESS) for r in range(page.model.rowCount())}
    assert {"王芳", "芳草"} <= callers and "芳华小区3栋" in places

    # A search combines with the filters.
    choose(page, qtbot, page.category_filter, "刑事")
    assert shown_ids(page) == query.ids(
        IncidentFilter(text="芳", categories=frozenset({IncidentCategory.CRIMINAL})),
        today=TODAY)
    page.search.clear()
    type_text(qtbot, page.search, "没有这样的警情")
    wait_idle(page, qtbot)
    assert page.model.rowCount() == 0 and page.count_label.text() == "共 0 条"


def test_enter_opens_the_detail_with_follow_ups_findings_and_audit_trail(
    window: MainWindow, qtbot: QtBot, station: dict[str, Any], artifacts: Path,
    workstation: WorkstationInfo,
) -> None:
    page = open_page(window, qtbot)
    assert page.panel.detail is None
    assert "双击" in page.panel.summary_view.toPlainText()
    row = page.model.row_of(station["featured"])
    rect = page.table.visualRect(page.model.index(row, Column.INCIDENT_NO))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.panel.detail is None  # a click only selects
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    wait_idle(page, qtbot)
    detail = page.panel.detail
    assert detail is not None and detail.row.id == station["featured"]
    assert page.panel.heading.text() == "警情 J2026110001"

    summary = page.panel.summary_view.toPlainText()
    for text in ("J2026110001", "2026-11-25 09:00", "纠纷", "是（涉赌）", "李明", "13800000001",
                 "城关派出所", "刑事立案", "发现问题", "不满意", "有人聚众赌博", "民警到场处置"):
        assert text in summary, text
    timeline = page.panel.follow_ups_view.toPlainText()
    assert page.panel.tabs.tabText(1) == "回访（2）"
    assert timeline.index("未联系上") < timeline.index("不满意")  # oldest first
    for text in ("上门走访", "认为处理太轻", "接警情况：接警及时", "现场处置", "张法制"):
        assert text in timeline, text
    watch = page.panel.watch_view.toPlainText()
    for text in ("降格处理", "聚众赌博按纠纷调解处理，未受案", "治安中队", "周警官",
                 station["finding"], "XZ-2026-0107", "刘某某赌博案"):
        assert text in watch, text
    assert watch.count("ZG-") >= 2  # the finding's item and the dissatisfied follow-up's
    audit = page.panel.audit_view.toPlainText()
    changed = (f"盯警状态：{WatchState.PENDING.label.zh} → "
               f"{WatchState.PROBLEM_FOUND.label.zh}")  # labels, not stored codes
    for text in ("新建警情", "新建回访", "新建盯警", "修改警情", changed,
                 "回访状态：未联系上 → 不满意", workstation.operator_name):
        assert text in audit, text

    # Double-click opens another incident.
    other = page.model.row_of(station["ids"][4])
    rect = page.table.visualRect(page.model.index(other, Column.INCIDENT_NO))
    # A double-click as the window system delivers it: a click, then the double-click.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(page, qtbot)
    assert page.panel.detail is not None and page.panel.detail.row.id == station["ids"][4]
    assert page.panel.isVisible()
    assert "当场面访" in page.panel.follow_ups_view.toPlainText()

    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.table.visualRect(page.model.index(row, 0)).center())
    qtbot.keyClick(page.table, Qt.Key.Key_Enter)
    wait_idle(page, qtbot)
    for index, name in ((0, "fields"), (2, "watch"), (3, "audit")):
        page.panel.tabs.setCurrentIndex(index)
        page.panel.grab().save(str(artifacts / f"incident_detail_{name}.png"))
    page.panel.tabs.setCurrentIndex(1)
    page.grab().save(str(artifacts / "incident_detail.png"))

    # The detail follows a language switch too.
    i18n.set_language("en")
    qtbot.waitUntil(lambda: page.panel.heading.text() == "Incident J2026110001",
                    timeout=TIMEOUT_MS)
    assert page.panel.tabs.tabText(1) == "Follow-ups (2)"
    assert page.panel.follow_up_button.text() == "Record follow-up… (Ctrl+R)"
    assert "Home visit" in page.panel.follow_ups_view.toPlainText()
    trail = page.panel.audit_view.toPlainText()
    assert "Created incident" in trail and "Follow-up state: Unreachable → Dissatisfied" in trail


def test_ctrl_r_records_a_follow_up_then_the_row_and_detail_are_read_again(
    window: MainWindow, qtbot: QtBot, db: Database, station: dict[str, Any],
    workstation: WorkstationInfo, monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog_module = pytest.importorskip("lawsup_desktop.ui.follow_ups.dialog")
    page = open_page(window, qtbot)
    target = station["ids"][0]  # criminal, due today, no follow-up yet
    assert cell(page, 0, Column.FOLLOW_UP).startswith("待回访")
    calls: list[tuple[object, object, str]] = []

    def record(parent: object, context: object, incident_id: str) -> bool:
        # What the dialog does when the supervisor saves: one follow-up recorded.
        calls.append((parent, context, incident_id))
        FollowUpService(db, workstation.actor).record(incident_id, FollowUpInput(
            method=FollowUpMethod.PHONE, party_name="王芳", party_role=PartyRole.CALLER,
            party_phone="13800000000", contacted_at=dt.datetime(2026, 11, 25, 23, 0),
            satisfaction=Satisfaction.SATISFIED), now=dt.datetime(2026, 11, 25, 23, 30))
        return True

    monkeypatch.setattr(dialog_module, "record_follow_up", record)
    rect = page.table.visualRect(page.model.index(page.model.row_of(target), Column.CALLER))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    wait_idle(page, qtbot)
    assert page.panel.detail is not None and page.panel.detail.row.id == target
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    wait_idle(page, qtbot)
    assert calls == [(page, page.context, target)]
    qtbot.waitUntil(lambda: cell(page, 0, Column.FOLLOW_UP) == "已回访", timeout=TIMEOUT_MS)
    assert page.panel.tabs.tabText(1) == "回访（1）"
    assert "王芳" in page.panel.follow_ups_view.toPlainText()
    assert page.status.text() == "已记录回访。"


def test_export_writes_exactly_the_visible_rows_of_a_long_list(
    window: MainWindow, qtbot: QtBot, db: Database, station: dict[str, Any],
    workstation: WorkstationInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openpyxl import load_workbook

    numbers = itertools.count()
    add_incidents(db, workstation, *[
        {"incident_no": f"K{next(numbers):05d}", "category": IncidentCategory.DISPUTE,
         "received_at": dt.datetime(2026, 10, 1, 8) + dt.timedelta(minutes=7 * n),
         "caller_name": CALLERS[n % len(CALLERS)], "address": PLACES[n % len(PLACES)]}
        for n in range(2 * WINDOW + 30)
    ])
    query = IncidentQuery(db)
    page = open_page(window, qtbot)
    total = 40 + 2 * WINDOW + 30
    assert page.model.total == total and page.count_label.text() == f"共 {total} 条"
    # A place for every incident (the scroll bar covers them all), one window read.
    assert page.model.rowCount() == total
    assert [r for r in range(total) if page.model.is_read(r)] == list(range(WINDOW))
    # Scrolling to the end reads the window shown there, and only that one.
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.is_read(total - 1), timeout=TIMEOUT_MS)
    wait_idle(page, qtbot)
    assert not page.model.is_read(WINDOW) and cell(page, WINDOW, Column.INCIDENT_NO) == "…"
    assert cell(page, total - 1, Column.INCIDENT_NO).startswith("K")  # the oldest
    for offset in range(WINDOW, total, WINDOW):  # the windows between, as scrolled to
        page.table.scrollTo(page.model.index(offset, 0),
                            QAbstractItemView.ScrollHint.PositionAtTop)
        qtbot.waitUntil(lambda offset=offset: page.model.is_read(offset), timeout=TIMEOUT_MS)
    wait_idle(page, qtbot)
    assert shown_ids(page) == query.ids(IncidentFilter(), today=TODAY)

    choose(page, qtbot, page.category_filter, "纠纷")
    click_header(page, qtbot, Column.ADDRESS)
    wanted = IncidentFilter(categories=frozenset({IncidentCategory.DISPUTE}))
    expected = query.ids(wanted, SortKey.ADDRESS, False, today=TODAY)
    assert len(expected) > WINDOW
    assert page.model.rowCount() == len(expected)
    assert shown_ids(page)[:WINDOW] == expected[:WINDOW]

    target = tmp_path / "导出" / "警情.xlsx"
    target.parent.mkdir()
    offered: list[str] = []

    def save_dialog(_parent: object, _title: str, default: str, _filter: str) -> tuple[str, str]:
        offered.append(default)
        return str(target.with_suffix("")), ""  # typed without the suffix

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    handle = page.export_handle
    assert handle is not None and handle.wait(TIMEOUT_MS)
    wait_idle(page, qtbot)
    assert Path(offered[0]).name == "警情列表_2026-11-25.xlsx"
    assert page.last_export is not None and page.last_export.rows == len(expected)
    assert page.status.text() == f"已导出 {len(expected)} 条警情到 {target}"

    sheet = load_workbook(target, read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "接警编号"
    by_id = {r.id: r for r in query.rows(expected, today=TODAY)}
    assert [v[0] for v in values[1:]] == [by_id[i].incident_no for i in expected]
    assert [v[4] for v in values[1:]] == [by_id[i].address for i in expected]
    assert {v[2] for v in values[1:]} == {"纠纷"}

    # An export cancelled from its progress dialog writes nothing.
    release = threading.Event()
    ids_of = page.query.ids

    def slow_ids(*args: Any, **kwargs: Any) -> list[str]:
        release.wait(TIMEOUT_MS / 1000)
        return ids_of(*args, **kwargs)

    page.query.ids = slow_ids  # type: ignore[method-assign]
    cancelled = tmp_path / "取消.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(cancelled), ""))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    handle = page.export_handle
    assert handle is not None
    qtbot.waitUntil(lambda: handle.progress_dialog is not None, timeout=TIMEOUT_MS)
    progress = handle.progress_dialog
    assert progress is not None and progress.cancel_button is not None
    assert progress.labelText().startswith(f"正在导出 {len(expected)} 条警情到“取消.xlsx”")
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    assert handle.wait(TIMEOUT_MS)
    assert page.status.text() == "已取消导出，未生成文件。"
    assert not cancelled.exists() and not list(tmp_path.glob(".*partial"))


def test_ctrl_r_opens_the_real_follow_up_dialog_for_the_open_incident(
    window: MainWindow, qtbot: QtBot, station: dict[str, Any]
) -> None:
    pytest.importorskip("lawsup_desktop.ui.follow_ups.dialog")
    page = open_page(window, qtbot)
    assert not page.record_follow_up()  # nothing chosen yet: nothing opens
    assert page.status.text() == "请先选择一条警情。"
    target = station["ids"][2]
    rect = page.table.visualRect(page.model.index(page.model.row_of(target), Column.CALLER))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    wait_idle(page, qtbot)
    seen: list[str] = []

    def look_then_cancel() -> None:
        # The dialog runs its own event loop: look at it from a timer, then press Esc.
        dialog = QApplication.activeModalWidget()
        header = dialog.findChild(QLabel, "incident_header") if dialog is not None else None
        if dialog is None or header is None or "J2026110002" not in header.text():
            QTimer.singleShot(50, look_then_cancel)
            return
        seen.append(dialog.objectName())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(50, look_then_cancel)
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["follow_up_dialog"]
    wait_idle(page, qtbot)
    assert page.status.text() == ""  # cancelled: nothing recorded, nothing to say
    assert page.panel.tabs.tabText(1) == "回访（0）"
