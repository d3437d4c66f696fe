# ruff: noqa: F811
"""Pages built before an enrolment must not write the ids the enrolment (and the first
sync after it) replaced: the station takes the bureau's id, and the first pull gives
the negative list (problem types) the bureau's ids. Real main window, real enrolment
dialog, real central service on loopback (tests/gui/test_sync_page.py's fixtures)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from lawsup_central.devserver import Service
from lawsup_desktop.domain.vocabulary import IncidentCategory, KeyCategory, Satisfaction
from lawsup_desktop.store.models import Incident, ProblemType, Rectification, Unit
from lawsup_desktop.sync import engine, state
from lawsup_desktop.ui.app import configure_application
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.follow_ups.dialog import FollowUpDialog
from lawsup_desktop.ui.incidents.page import IncidentsPage
from lawsup_desktop.ui.main_window import MainWindow
from lawsup_desktop.ui.rectifications.page import RectificationPage
from lawsup_desktop.ui.sync.controller import sync_controller
from lawsup_desktop.ui.sync.page import SyncPage
from lawsup_desktop.ui.watch.page import WatchPage
from tests.gui.helpers import type_text
from tests.gui.test_incidents_page import wait_idle
from tests.gui.test_shell import ModalWatcher
from tests.gui.test_sync_page import TIMEOUT_MS, add_station, central, context  # noqa: F401
from tests.memory_keyring import memory_keyring  # noqa: F401 - autouse fixture
from tests.unit.incident_helpers import add_incidents, add_unit_with_officer

FINDING_TYPE = "降格处理"


@pytest.fixture
def window(context: AppContext, qtbot: QtBot) -> Iterator[MainWindow]:
    """The main window over a station with one team, a key incident still to be
    watched and a criminal one due for a follow-up."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    configure_application(app)
    unit_id, officer_id = add_unit_with_officer(context.db, context.workstation,
                                                "治安中队", "钱警官")
    now = dt.datetime.now().replace(second=0, microsecond=0)
    common = {"unit_id": unit_id, "handling_officer_id": officer_id}
    add_incidents(
        context.db, context.workstation,
        {**common, "incident_no": "E202611001", "received_at": now - dt.timedelta(hours=5),
         "category": IncidentCategory.PUBLIC_ORDER, "is_key": True,
         "key_category": KeyCategory.GAMBLING, "summary": "棋牌室聚众赌博，调解了事"},
        {**common, "incident_no": "E202611002", "received_at": now - dt.timedelta(days=3),
         "category": IncidentCategory.CRIMINAL, "caller_name": "王某",
         "caller_phone": "13912345678", "summary": "电动车被盗"},
    )
    result = MainWindow(context)
    qtbot.addWidget(result)
    result.show()
    qtbot.waitExposed(result)
    yield result
    result.close()


def settled(qtbot: QtBot, window: MainWindow) -> None:
    """Every write and read under way is done, the pages' included."""
    assert window.context.tasks.wait_all(TIMEOUT_MS)
    pages = [p for p in (window.built_page("daily_watch"), window.built_page("rectifications"))
             if isinstance(p, WatchPage | RectificationPage)]
    qtbot.waitUntil(lambda: not any(p.is_loading() for p in pages), timeout=TIMEOUT_MS)


def enrol_through_the_sync_page(window: MainWindow, central: Service, qtbot: QtBot) -> None:
    _station_code, code = add_station(central)
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    dialog = page.open_enroll_dialog()
    qtbot.waitExposed(dialog)
    dialog.server_url.setText(central.base_url)
    type_text(qtbot, dialog.code, code)
    qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.enroll_dialog is None, timeout=TIMEOUT_MS)
    assert state.status(window.context.db).enrolled


def enter_new_item(ledger: RectificationPage, qtbot: QtBot, description: str) -> None:
    """新建整改事项 on the ledger, with the finding's problem type and the team."""
    new_item = ledger.new_item()
    qtbot.waitExposed(new_item)
    new_item.problem_type.setCurrentIndex(new_item.problem_type.findText(FINDING_TYPE))
    type_text(qtbot, new_item.description, description)
    new_item.people.unit.setCurrentIndex(new_item.people.unit.findText("治安中队"))
    qtbot.mouseClick(new_item.ok_button, Qt.MouseButton.LeftButton)
    # Saved: the dialog closes (and is deleted); refused: it says why and stays.
    qtbot.waitUntil(lambda: not shiboken6.isValid(new_item) or new_item.error_text() != "",
                    timeout=TIMEOUT_MS)
    assert not shiboken6.isValid(new_item), new_item.error_text()
    assert ledger.status.text().startswith("已登记整改事项")


def test_pages_built_before_enrolment_write_the_enrolled_ids_and_sync(
    window: MainWindow, central: Service, qtbot: QtBot
) -> None:
    context = window.context
    local_station = context.workstation.station_id
    # Built and loaded before the enrolment: the daily watch, the ledger, the incidents.
    watch = window.show_page("daily_watch")
    assert isinstance(watch, WatchPage)
    qtbot.waitUntil(lambda: bool(watch.problem_types), timeout=TIMEOUT_MS)  # loaded once shown
    ledger = window.show_page("rectifications")
    assert isinstance(ledger, RectificationPage)
    qtbot.waitUntil(lambda: bool(ledger.problem_types), timeout=TIMEOUT_MS)
    incidents = window.show_page("incidents")
    assert isinstance(incidents, IncidentsPage)
    wait_idle(incidents, qtbot)
    window.show_page("rectifications")
    settled(qtbot, window)
    local_types = {p.id for p in watch.problem_types}
    # An item entered before the enrolment, open in the ledger's panel.
    enter_new_item(ledger, qtbot, "执法巡查发现案卷缺页")
    settled(qtbot, window)
    with context.db.read() as session:
        opened = session.scalars(select(Rectification.id)).one()
    assert ledger.select(opened)
    settled(qtbot, window)
    assert ledger.panel.problem_type.currentText() == FINDING_TYPE

    enrol_through_the_sync_page(window, central, qtbot)
    with context.db.reader.connect() as conn:
        bureau_station = engine.get_meta(conn, "station_id")
    assert bureau_station != local_station
    assert context.workstation.station_id == bureau_station
    # The first sync (the window starts one a few seconds after enrolling): the
    # bureau's negative list replaces the station's seed copies, under the bureau's ids.
    handle = sync_controller(context).sync_now()
    assert handle.wait(TIMEOUT_MS) and handle.error is None, handle.error
    with context.db.read() as session:
        bureau_types = set(session.scalars(select(ProblemType.id)))
    assert not local_types & bureau_types  # every seed copy took the bureau's id
    settled(qtbot, window)

    # 1. The daily watch (built before): a finding raises a rectification item.
    window.show_page("daily_watch")
    settled(qtbot, window)
    assert watch.current_item() is not None
    finding = watch.record_finding()
    assert finding is not None
    qtbot.waitExposed(finding)
    finding.problem_type.setCurrentIndex(finding.problem_type.findText(FINDING_TYPE))
    type_text(qtbot, finding.note, "涉赌警情按纠纷调解")
    qtbot.mouseClick(finding.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: watch.dialog is None or finding.error_text() != "",
                    timeout=TIMEOUT_MS)
    assert watch.dialog is None, finding.error_text()
    settled(qtbot, window)

    # 2. The ledger (built before): a new item entered by hand; the item open in
    # its panel since before the enrolment keeps its problem type when saved.
    window.show_page("rectifications")
    assert ledger.panel.rectification_id == opened
    assert ledger.panel.problem_type.currentText() == FINDING_TYPE
    ledger.panel.description.setPlainText("台账补齐中")
    qtbot.mouseClick(ledger.panel.save_button, Qt.MouseButton.LeftButton)
    settled(qtbot, window)
    assert "已保存" in ledger.panel.message.text(), ledger.panel.message.text()
    enter_new_item(ledger, qtbot, "执法巡查发现台账不全")
    settled(qtbot, window)

    # 3. The incidents page (built before): Ctrl+R's follow-up, dissatisfied, raises
    # an item too.
    window.show_page("incidents")
    with context.db.read() as session:
        criminal = session.scalars(
            select(Incident.id).where(Incident.incident_no == "E202611002")).one()
    incidents.load_detail(criminal)
    wait_idle(incidents, qtbot)

    def dissatisfied(dialog: QWidget) -> None:
        assert isinstance(dialog, FollowUpDialog), dialog
        qtbot.waitUntil(lambda: dialog.incident is not None and dialog.save_button.isEnabled(),
                        timeout=TIMEOUT_MS)
        qtbot.mouseClick(dialog.satisfaction_buttons[Satisfaction.DISSATISFIED],
                         Qt.MouseButton.LeftButton)
        type_text(qtbot, dialog.notes, "认为处警不及时")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.error_text() != "",
                        timeout=TIMEOUT_MS)
        assert dialog.error_text() == ""

    watcher = ModalWatcher(dissatisfied)
    assert incidents.record_follow_up()
    assert len(watcher.stop()) == 1
    for notice in QApplication.topLevelWidgets():
        if isinstance(notice, QMessageBox) and notice.isVisible():
            notice.close()  # the raised item's number and due date
    settled(qtbot, window)

    # Every item refers to the bureau's negative list and the enrolled station's units.
    with context.db.read() as session:
        items = session.scalars(select(Rectification)).all()
        assert len(items) == 4
        for item in items:
            if item.problem_type_id is not None:
                assert item.problem_type_id in bureau_types, item.number
            unit = session.get(Unit, item.responsible_unit_id)
            assert unit is not None and unit.station_id == bureau_station, item.number
        kept = session.get(Rectification, opened)
        assert kept is not None and kept.description == "台账补齐中"
        assert kept.problem_type_id in bureau_types  # saved from the panel, not cleared

    # And they sync: nothing refused, nothing left.
    handle = sync_controller(context).sync_now()
    assert handle.wait(TIMEOUT_MS) and handle.error is None, handle.error
    report = handle.result
    assert report is not None and report.rejected == 0 and report.conflicts == 0, report
    status = state.status(context.db)
    assert status.pending == 0 and status.rejected == 0, status
