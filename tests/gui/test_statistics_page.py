"""The 统计通报 page driven as a supervisor would: open it with Ctrl+6, see the charts
fill in after the page is painted, make the daily report and the bulletin, preview
and save them (read back with pypdf), confirm a suggested deduction, lodge and
decide an objection; screenshots of the charts, the preview and the points tab."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from lawsup_desktop.domain.vocabulary import (
    Decision,
    FollowUpMethod,
    IncidentCategory,
    ProcuratorateDecision,
    Satisfaction,
    ScoreState,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.points import PointsService
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.app import configure_application, start
from lawsup_desktop.ui.main_window import MainWindow
from lawsup_desktop.ui.statistics import page as page_module
from lawsup_desktop.ui.statistics.page import StatisticsPage
from tests.unit import report_helpers as h

TIMEOUT_MS = 15000
TODAY = dt.date(2026, 11, 21)
DAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(page_module, "today", lambda: TODAY)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config")
    )


@pytest.fixture
def world(db: Database, workstation: WorkstationInfo) -> h.World:
    ws, w = workstation, h.make_world(db, workstation)
    for month in range(6, 12):
        for n, category in enumerate((IncidentCategory.CRIMINAL, IncidentCategory.DISPUTE,
                                      IncidentCategory.DISPUTE, IncidentCategory.TRAFFIC)):
            incident = h.incident(db, ws, dt.datetime(2026, month, 2 + n, 9), category=category)
            h.follow_up(db, ws, incident, dt.datetime(2026, month, 3 + n, 9),
                        FollowUpMethod.PHONE,
                        Satisfaction.DISSATISFIED if n == 3 else Satisfaction.SATISFIED)
    key = h.incident(db, ws, dt.datetime.combine(DAY, dt.time(9)), key=True)
    h.watch_review(db, ws, key, DAY, problem_id=w.problem["downgraded"], unit_id=w.unit_b,
                   officer_id=w.officer_b, note="应立刑事案件却按治安处理")
    h.rectification(db, ws, DAY, DAY + dt.timedelta(days=7),
                    description="有案不立：盗窃警情未受案", unit_id=w.unit_a,
                    officer_id=w.officer_a, problem_id=w.problem["not_registered"])
    case_id = h.case(db, ws, w.unit_a, w.officer_a)
    at = dt.datetime(2026, 11, 5, 9)
    h.audit_with_steps(db, ws, case_id, [(1, 1, Decision.APPROVE, at),
                                         (1, 2, Decision.RETURN, at)])
    decisions = [ProcuratorateDecision.APPROVE_ARREST] * 3 + [
        ProcuratorateDecision.DECLINE_ARREST, ProcuratorateDecision.RETURN_FOR_INVESTIGATION]
    for month in (9, 10, 11):
        for n, decision in enumerate(decisions[: month - 6]):
            h.procuratorate(db, ws, case_id, dt.date(2026, month, 1 + n), decision)
    return w


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    configure_application(qapp)
    yield qapp
    i18n.set_language("zh_CN")


@pytest.fixture
def window(app: QApplication, qtbot: QtBot, folder: DataFolder,
           world: h.World) -> Iterator[MainWindow]:
    result = start(folder, app, error_hook=False)
    assert isinstance(result, MainWindow)
    qtbot.addWidget(result)
    qtbot.waitExposed(result)
    result.resize(1280, 860)
    yield result
    result.close()
    result.context.close()


def open_page(window: MainWindow, qtbot: QtBot) -> StatisticsPage:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = window.built_page("statistics")
    assert isinstance(page, StatisticsPage)
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    return page


def test_charts_fill_in_with_the_computed_rates(
    window: MainWindow, qtbot: QtBot, artifacts: Path
) -> None:
    from PySide6.QtCharts import QChartView, QLineSeries

    page = open_page(window, qtbot)
    views = {v.objectName(): v for v in page.findChildren(QChartView)}
    assert set(views) == {f"chart_{k}" for k in page_module.CHART_KEYS}
    lines = {s.name(): s for s in views["chart_procuratorate"].chart().series()
             if isinstance(s, QLineSeries)}
    # September: 3 approvals; October: 3 approvals and 1 decline; November: all five kinds.
    decline = [round(p.y(), 1) for p in lines["不捕率"].points()]
    returned = [round(p.y(), 1) for p in lines["退补率"].points()]
    assert decline[-3:] == [0.0, 25.0, 20.0]
    assert returned[-3:] == [0.0, 0.0, 20.0]
    assert page.statistics is not None
    assert page.statistics.months[-1] == "2026-11"
    assert all(v.isVisible() for v in views.values())
    page.grab().save(str(artifacts / "statistics_page.png"))


def _pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


def test_daily_report_and_bulletin_are_previewed_and_saved(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    artifacts: Path,
) -> None:
    page = open_page(window, qtbot)
    page.tabs.setCurrentIndex(1)
    page.daily_date.setDate(page_module._qdate(DAY))
    qtbot.mouseClick(page.daily_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.save_button.isEnabled(), timeout=TIMEOUT_MS)
    assert page._pdf_document.pageCount() >= 1
    target = tmp_path / "daily.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    text = _pdf_text(target)
    assert "每日执法情况" in text and "2026年11月20日" in text
    assert "应立刑事案件却按治安处理" in text or "有案不立：盗窃警情未受案" in text
    qtbot.wait(800)  # QPdfView renders its pages in the background: let it, for the picture
    page.grab().save(str(artifacts / "statistics_report_preview.png"))

    page.bulletin_from.setDate(page_module._qdate(dt.date(2026, 11, 7)))
    page.bulletin_to.setDate(page_module._qdate(DAY))
    qtbot.mouseClick(page.bulletin_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "巡查通报" in page.pdf_name, timeout=TIMEOUT_MS)
    assert page.pdf_name == "日常执法质量巡查通报-2026年第1期.pdf"
    bulletin = tmp_path / "bulletin.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(bulletin), ""))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    text = _pdf_text(bulletin)
    assert "2026年第1期" in text and "刑侦中队" in text


def test_a_suggested_deduction_is_confirmed_and_an_objection_decided(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, artifacts: Path,
) -> None:
    page = open_page(window, qtbot)
    page.tabs.setCurrentIndex(2)
    qtbot.mouseClick(page.suggest_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_loading() and page.entries_table.rowCount() > 0,
                    timeout=TIMEOUT_MS)
    assert page.points_data is not None
    rows = {page.entries_table.item(r, 1).text(): r
            for r in range(page.entries_table.rowCount())}
    assert "李民警" in rows  # the watch finding's officer
    page.entries_table.selectRow(rows["李民警"])
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    service = PointsService(window.context.db, window.context.workstation, lambda: TODAY)
    confirmed = [e for e in service.entries(dt.date(2026, 11, 1), TODAY)
                 if e.subject_name == "李民警" and e.state is ScoreState.CONFIRMED]
    assert len(confirmed) == 1
    ranking = {page.ranking_table.item(r, 1).text(): page.ranking_table.item(r, 4).text()
               for r in range(page.ranking_table.rowCount())}
    assert ranking.get("李民警") == "3", ranking

    # The officer objects (within the window), entered by the supervisor from the list.
    row = next(r for r in range(page.entries_table.rowCount())
               if page.entries_table.item(r, 1).text() == "李民警")
    page.entries_table.selectRow(row)
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("该警情系报警人谎报", True))
    qtbot.mouseClick(page.object_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    lodged = service.get(confirmed[0].id)
    assert lodged.objection == "该警情系报警人谎报" and lodged.objection_pending
    assert page.entries_label.text() == "待确认扣分 1 条，异议待复核 1 条"
    row = next(r for r in range(page.entries_table.rowCount())
               if page.entries_table.item(r, 5).text() == lodged.objection)
    page.entries_table.selectRow(row)
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda *a, **k: ("异议成立（撤销扣分）", True))
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("经复核，异议成立，撤销扣分。", True))
    qtbot.mouseClick(page.decide_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    decided = service.get(lodged.id)
    assert (decided.state, decided.objection_upheld) == (ScoreState.DISMISSED, True)
    ranking = {page.ranking_table.item(r, 1).text(): page.ranking_table.item(r, 4).text()
               for r in range(page.ranking_table.rowCount())}
    assert ranking.get("李民警") == "0", ranking
    page.grab().save(str(artifacts / "statistics_points.png"))


def test_the_page_switches_to_english(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtCharts import QChartView

    page = open_page(window, qtbot)
    i18n.set_language("en")
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "Charts", timeout=TIMEOUT_MS)
    assert page.daily_button.text() == "Make the daily report"
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    titles = {v.objectName(): v.chart().title()
              for v in page.findChildren(QChartView) if v.isVisible()}
    assert titles["chart_incidents"] == "Incidents by category (monthly)"
    assert titles["chart_procuratorate"] == "Return and non-arrest rates (by month of decision)"
