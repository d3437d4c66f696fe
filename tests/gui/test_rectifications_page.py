"""The 整改台账 page driven as a supervisor would: an item raised by a daily-watch
finding taken through every state with a progress entry and a photo as evidence;
a second item typed in that goes overdue as the clock moves and escalates; bulk
reassign and extension; both ledgers exported and read back; a conflict between
two windows that keeps what was typed; screenshots."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QSettings, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from lawsup_desktop.domain.rectification import DueStatus, TransitionKind
from lawsup_desktop.domain.vocabulary import (
    IncidentCategory,
    KeyCategory,
    RectificationState,
    RiskLevel,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.rectifications import RectificationService
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.services.watch import WatchService
from lawsup_desktop.store.database import Database
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.app import configure_application, start
from lawsup_desktop.ui.main_window import MainWindow
from lawsup_desktop.ui.rectifications import clock as page_clock
from lawsup_desktop.ui.rectifications.dialogs import (
    ExtendDialog,
    NewItemDialog,
    NoteDialog,
    ReassignDialog,
    SignOffDialog,
)
from lawsup_desktop.ui.rectifications.model import DUE_COLORS, Column
from lawsup_desktop.ui.rectifications.page import RectificationPage
from tests.gui.helpers import type_text
from tests.unit.incident_helpers import add_incidents, add_unit_with_officer

TIMEOUT_MS = 10000
TODAY = dt.date(2026, 3, 2)  # a Monday
S = RectificationState


class Clock:
    """The test's calendar: the page and its service ask it for "today"."""

    def __init__(self, today: dt.date) -> None:
        self.today = today

    def __call__(self) -> dt.date:
        return self.today


@pytest.fixture
def test_clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Clock:
    clock = Clock(TODAY)
    monkeypatch.setattr(page_clock, "today", clock)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config")
    )
    return clock


@pytest.fixture
def station(db: Database, workstation: WorkstationInfo) -> dict[str, str]:
    """刑侦中队 with 赵警官, and a fraud incident that the daily watch found handled
    by mediation: the finding raises a rectification item (5 working days)."""
    unit_id, officer_id = add_unit_with_officer(db, workstation, "刑侦中队", "赵警官")
    (incident_id,) = add_incidents(db, workstation, {
        "incident_no": "J2026030100017", "received_at": dt.datetime(2026, 3, 1, 21, 40),
        "category": IncidentCategory.CRIMINAL, "is_key": True,
        "key_category": KeyCategory.FRAUD,
    })
    watch = WatchService(db, workstation.actor)
    problem = next(p for p in watch.problem_types() if p.label.zh == "降格处理")
    outcome = watch.record_finding(
        incident_id, problem_type_id=problem.id, note="电信诈骗警情按纠纷调解处理，未受案",
        responsible_unit_id=unit_id, responsible_officer_id=officer_id,
        risk_level=RiskLevel.HIGH, today=TODAY,
    )
    assert outcome.rectification_id is not None
    return {"unit": unit_id, "officer": officer_id, "watch_item": outcome.rectification_id,
            "watch_number": str(outcome.rectification_number)}


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    configure_application(qapp)
    yield qapp
    i18n.set_language("zh_CN")


@pytest.fixture
def window(app: QApplication, qtbot: QtBot, folder: DataFolder, station: dict[str, str],
           test_clock: Clock) -> Iterator[MainWindow]:
    result = start(folder, app, error_hook=False)
    assert isinstance(result, MainWindow)
    qtbot.addWidget(result)
    qtbot.waitExposed(result)
    result.resize(1500, 900)
    yield result
    result.close()
    result.context.close()


def wait_idle(page: RectificationPage, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    page.context.tasks.wait_all(TIMEOUT_MS)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)


def open_page(window: MainWindow, qtbot: QtBot) -> RectificationPage:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = window.built_page("rectifications")
    assert isinstance(page, RectificationPage)
    assert window.stack.currentWidget() is page
    wait_idle(page, qtbot)
    return page


def cell(page: RectificationPage, row: int, column: Column) -> str:
    return str(page.model.data(page.model.index(row, column)))


def row_of(page: RectificationPage, number: str) -> int:
    for row in range(page.model.rowCount()):
        if cell(page, row, Column.NUMBER) == number:
            return row
    raise AssertionError(f"{number} is not in the ledger")


def closed(dialog: QWidget) -> bool:
    """Closed (and maybe already deleted, as the page's dialogs are)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def png_file(path: Path, width: int = 4, height: int = 3) -> Path:
    """A small but real PNG (red pixels), written by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )
    return path


def select_number(page: RectificationPage, qtbot: QtBot, number: str) -> None:
    row = row_of(page, number)
    page.table.setFocus()
    rect = page.table.visualRect(page.model.index(row, Column.NUMBER))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(page, qtbot)
    assert page.panel.detail is not None and page.panel.detail.row.number == number


def transition(page: RectificationPage, qtbot: QtBot, kind: TransitionKind) -> None:
    click(qtbot, page.panel.transition_buttons[kind])
    wait_idle(page, qtbot)


def visible_transitions(page: RectificationPage) -> set[TransitionKind]:
    return {k for k, b in page.panel.transition_buttons.items() if b.isVisible()}


def test_a_watch_finding_goes_through_every_state_with_progress_and_a_photo(
    window: MainWindow, qtbot: QtBot, station: dict[str, str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, artifacts: Path,
) -> None:
    page = open_page(window, qtbot)
    number = station["watch_number"]
    assert page.model.rowCount() == 1
    assert cell(page, 0, Column.NUMBER) == number
    assert cell(page, 0, Column.SOURCE) == "每日盯警"
    assert cell(page, 0, Column.PROBLEM_TYPE) == "降格处理"
    assert cell(page, 0, Column.RISK) == "高"
    assert page.count_labels[S.PENDING].text() == "待整改 1"

    # Enter opens the item in the panel.
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    wait_idle(page, qtbot)
    panel = page.panel
    assert panel.detail is not None and panel.detail.row.number == number
    assert "每日盯警 J2026030100017" in panel.source.text()
    assert "关联警情盯警记录" in panel.source.text()
    assert visible_transitions(page) == {TransitionKind.START}

    transition(page, qtbot, TransitionKind.START)
    assert panel.detail.row.state == S.IN_PROGRESS
    assert visible_transitions(page) == {TransitionKind.SUBMIT}
    assert page.count_labels[S.IN_PROGRESS].text() == "整改中 1"

    # A dated progress entry, typed.
    type_text(qtbot, panel.progress_note, "已约谈赵警官，补充受案登记")
    click(qtbot, panel.progress_button)
    wait_idle(page, qtbot)
    assert panel.progress_list.count() == 1
    assert panel.progress_list.item(0).text() == (
        "2026-03-02  已约谈赵警官，补充受案登记（张法制）")
    assert panel.progress_note.text() == ""

    # Evidence: an executable renamed .jpg is refused with a clear message, a real
    # photo is stored.
    fake = tmp_path / "现场照片.jpg"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    photo = png_file(tmp_path / "受案登记表.png")
    picked = iter([[str(fake)], [str(photo)]])
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *args, **kwargs: (next(picked), ""))
    click(qtbot, panel.attach_button)
    wait_idle(page, qtbot)
    assert "佐证材料" in panel.message_text() and "现场照片.jpg" not in [
        panel.evidence_list.item(i).text() for i in range(panel.evidence_list.count())]
    assert panel.evidence_list.count() == 0
    click(qtbot, panel.attach_button)
    wait_idle(page, qtbot)
    assert panel.evidence_list.count() == 1
    assert panel.evidence_list.item(0).text().startswith("受案登记表.png（")
    assert "image/png" in panel.evidence_list.item(0).text()
    # A file attached by mistake is taken off again, with a reason.
    wrong = png_file(tmp_path / "误传.png", width=2)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(wrong)], ""))
    click(qtbot, panel.attach_button)
    wait_idle(page, qtbot)
    assert panel.evidence_list.count() == 2
    panel.evidence_list.setCurrentRow(1)
    click(qtbot, panel.remove_button)
    removal = panel.dialog
    assert isinstance(removal, NoteDialog) and not removal.ok_button.isEnabled()
    type_text(qtbot, removal.note, "与本案无关")
    click(qtbot, removal.ok_button)
    wait_idle(page, qtbot)
    assert closed(removal)
    assert [panel.evidence_list.item(i).text().split("（")[0]
            for i in range(panel.evidence_list.count())] == ["受案登记表.png"]
    panel.evidence_list.setCurrentRow(0)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    click(qtbot, panel.open_button)
    assert len(opened) == 1 and Path(opened[0].toLocalFile()).read_bytes() == photo.read_bytes()

    transition(page, qtbot, TransitionKind.SUBMIT)
    assert panel.detail.row.state == S.AWAITING_VERIFICATION
    assert visible_transitions(page) == {TransitionKind.SEND_BACK, TransitionKind.SIGN_OFF}

    # Verification fails: sent back with a reason (OK waits for one).
    click(qtbot, panel.transition_buttons[TransitionKind.SEND_BACK])
    dialog = panel.dialog
    assert isinstance(dialog, NoteDialog) and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()
    type_text(qtbot, dialog.note, "受案登记表缺少审批签字")
    click(qtbot, dialog.ok_button)
    wait_idle(page, qtbot)
    assert closed(dialog)
    assert panel.detail.row.state == S.IN_PROGRESS
    transition(page, qtbot, TransitionKind.SUBMIT)

    # Sign-off without a verification note is refused inside the dialog.
    click(qtbot, panel.transition_buttons[TransitionKind.SIGN_OFF])
    sign_off = panel.dialog
    assert isinstance(sign_off, SignOffDialog)
    click(qtbot, sign_off.ok_button)
    wait_idle(page, qtbot)
    assert sign_off.isVisible() and "核验意见" in sign_off.error_text()
    type_text(qtbot, sign_off.verification, "已补办受案手续，审批齐全")
    click(qtbot, sign_off.ok_button)
    wait_idle(page, qtbot)
    assert closed(sign_off)
    assert panel.detail.row.state == S.SIGNED_OFF
    assert visible_transitions(page) == {TransitionKind.REOPEN}
    assert "已补办受案手续，审批齐全" in panel.verification.text()
    assert not panel.attach_button.isEnabled() and not panel.progress_button.isEnabled()
    assert cell(page, row_of(page, number), Column.STATE) == "已销号"
    assert page.count_labels[S.SIGNED_OFF].text() == "已销号 1"

    # Reopened with a reason, then signed off again.
    click(qtbot, panel.transition_buttons[TransitionKind.REOPEN])
    reopen = panel.dialog
    assert isinstance(reopen, NoteDialog)
    type_text(qtbot, reopen.note, "县局抽查发现案卷仍缺告知书")
    click(qtbot, reopen.ok_button)
    wait_idle(page, qtbot)
    assert panel.detail.row.state == S.IN_PROGRESS
    transition(page, qtbot, TransitionKind.SUBMIT)
    click(qtbot, panel.transition_buttons[TransitionKind.SIGN_OFF])
    again = panel.dialog
    assert isinstance(again, SignOffDialog)
    type_text(qtbot, again.verification, "告知书已补齐")
    click(qtbot, again.ok_button)
    wait_idle(page, qtbot)
    assert panel.detail.row.state == S.SIGNED_OFF

    # The history: every step with who and when.
    history = [
        tuple(panel.history.item(r, c).text() for c in range(4))
        for r in range(panel.history.rowCount())
    ]
    assert [h[1] for h in history] == [
        "登记", "开始整改", "整改进展", "撤下佐证", "提交核验", "核验未通过退回", "提交核验",
        "销号", "重新打开", "提交核验", "销号",
    ]
    assert all(h[0] == "2026-03-02" and h[2] == "张法制" for h in history)
    assert ("2026-03-02", "核验未通过退回", "张法制", "受案登记表缺少审批签字") in history
    assert ("2026-03-02", "重新打开", "张法制", "县局抽查发现案卷仍缺告知书") in history
    assert ("2026-03-02", "撤下佐证", "张法制", "误传.png：与本案无关") in history

    window.resize(1600, 1060)
    page.splitter.setSizes([640, 960])
    qtbot.wait(50)
    assert page.grab().save(str(artifacts / "rectification_detail.png"))


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def new_item(page: RectificationPage, qtbot: QtBot, description: str, due: dt.date,
             unit: str = "刑侦中队", officer: str = "赵警官") -> str:
    """Ctrl+N, fill the form as a user, 登记; returns the new item's number."""
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert isinstance(dialog, NewItemDialog) and dialog.isVisible()
    choose(dialog.source, "执法巡查")
    type_text(qtbot, dialog.source_note, "3月执法巡查通报第2条")
    choose(dialog.problem_type, "久拖不决")
    type_text(qtbot, dialog.description, description)
    choose(dialog.risk, "中")
    choose(dialog.people.unit, unit)
    choose(dialog.people.officer, officer)
    dialog.due.setDate(dialog.due.date().fromString(due.isoformat(), "yyyy-MM-dd"))
    type_text(qtbot, dialog.measures, "三日内提请结案审批")
    before = page.model.rowCount()
    click(qtbot, dialog.ok_button)
    wait_idle(page, qtbot)
    assert closed(dialog)
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1, timeout=TIMEOUT_MS)
    wait_idle(page, qtbot)
    assert page.panel.detail is not None
    return page.panel.detail.row.number


def background(page: RectificationPage, row: int) -> QColor | None:
    brush = page.model.data(page.model.index(row, Column.DESCRIPTION),
                            Qt.ItemDataRole.BackgroundRole)
    return None if brush is None else brush.color()


def test_an_overdue_item_escalates_as_days_pass_and_both_ledgers_hold_it(
    window: MainWindow, qtbot: QtBot, station: dict[str, str], test_clock: Clock,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, artifacts: Path,
) -> None:
    page = open_page(window, qtbot)
    # A manual item whose due date is in 2 days: amber.
    due = TODAY + dt.timedelta(days=2)
    late = new_item(page, qtbot, "王某盗窃案受案已满30日未作处理决定", due)
    assert late == "ZG-2026-00002"
    row = row_of(page, late)
    assert cell(page, row, Column.SOURCE) == "执法巡查"
    assert cell(page, row, Column.DUE) == "2026-03-04（即将到期）"
    assert background(page, row) == QColor(DUE_COLORS[DueStatus.DUE_SOON][0])
    assert cell(page, row, Column.ESCALATION) == "责任人"
    assert "3月执法巡查通报第2条" in page.panel.source.text()
    assert page.count_labels[S.PENDING].text() == "待整改 2"

    # The program stays open; three days after the due date it escalates by itself.
    test_clock.today = due + dt.timedelta(days=3)
    page.day_timer.timeout.emit()
    wait_idle(page, qtbot)
    row = row_of(page, late)
    assert cell(page, row, Column.ESCALATION) == "单位领导"
    assert cell(page, row, Column.DUE) == "2026-03-04（超期 3 天）"
    assert background(page, row) == QColor(DUE_COLORS[DueStatus.OVERDUE][0])
    assert f"{late}→单位领导" in page.status.text()
    assert page.panel.detail is not None and "督办层级：单位领导" in page.panel.status_line.text()
    # The watch item (due 03-09) is not overdue yet: no colour, no escalation.
    watch_row = row_of(page, station["watch_number"])
    assert cell(page, watch_row, Column.ESCALATION) == "责任人"
    assert background(page, watch_row) == QColor(DUE_COLORS[DueStatus.DUE_SOON][0])

    # Three days more: the bureau; the escalation filter finds it.
    test_clock.today = due + dt.timedelta(days=6)
    page.day_timer.timeout.emit()
    wait_idle(page, qtbot)
    assert cell(page, row_of(page, late), Column.ESCALATION) == "县局督办"
    choose(page.escalation_filter, "县局督办")
    wait_idle(page, qtbot)
    assert [cell(page, r, Column.NUMBER) for r in range(page.model.rowCount())] == [late]
    choose(page.escalation_filter, "全部督办层级")
    choose(page.overdue_filter, "仅超期")
    wait_idle(page, qtbot)
    # By now (03-10) the watch item is overdue too.
    assert page.model.rowCount() == 2
    choose(page.overdue_filter, "超期：不限")
    wait_idle(page, qtbot)
    assert page.panel.detail is not None
    events = [(e.kind, e.note) for e in page.panel.detail.events]
    assert ("escalate", "超期3天，升级至单位领导") in events
    assert page.panel.progress_date.date().toPython() == test_clock.today
    page.table.clearSelection()  # the rows' colours show, the panel keeps the item
    page.splitter.setSizes([900, 600])
    qtbot.wait(50)
    assert page.grab().save(str(artifacts / "rectification_ledger.png"))

    # Both ledgers out, read back.
    for suffix in (".xlsx", ".pdf"):
        target = tmp_path / f"台账{suffix}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *args, t=target, **kwargs: (str(t.with_suffix("")), ""))
        click(qtbot, page.xlsx_button if suffix == ".xlsx" else page.pdf_button)
        assert page.export_handle is not None
        assert page.export_handle.wait(TIMEOUT_MS)
        assert page.last_export is not None and page.last_export.path == target
        assert page.last_export.rows == 2
        assert str(target) in page.status.text()
    import openpyxl
    from pypdf import PdfReader

    sheet = openpyxl.load_workbook(tmp_path / "台账.xlsx").active
    values = [tuple(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    numbers = {r[0] for r in values}
    assert numbers == {late, station["watch_number"]}
    by_number = {r[0]: r for r in values}
    assert by_number[late][1:4] == ("执法巡查", "久拖不决", "王某盗窃案受案已满30日未作处理决定")
    assert by_number[late][5:7] == ("刑侦中队", "赵警官")
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "台账.pdf").pages)
    assert late in text and station["watch_number"] in text
    assert "王某盗窃案" in text


def test_bulk_reassign_and_extension_on_a_multi_selection(
    window: MainWindow, qtbot: QtBot, station: dict[str, str], db: Database,
    workstation: WorkstationInfo,
) -> None:
    add_unit_with_officer(db, workstation, "治安中队", "钱警官")
    page = open_page(window, qtbot)
    second = new_item(page, qtbot, "刘某殴打他人案未按期告知处理结果",
                      TODAY + dt.timedelta(days=10))
    page.table.setFocus()
    page.table.selectAll()
    assert len(page.selected_ids()) == 2
    click(qtbot, page.reassign_button)
    reassign = page.dialog
    assert isinstance(reassign, ReassignDialog)
    choose(reassign.people.unit, "治安中队")
    assert [reassign.people.officer.itemText(i) for i in range(reassign.people.officer.count())] \
        == ["（未指定）", "钱警官"]
    choose(reassign.people.officer, "钱警官")
    type_text(qtbot, reassign.note, "案件移交治安中队办理")
    click(qtbot, reassign.ok_button)
    wait_idle(page, qtbot)
    assert closed(reassign)
    assert {cell(page, r, Column.UNIT) for r in range(2)} == {"治安中队"}
    assert {cell(page, r, Column.OFFICER) for r in range(2)} == {"钱警官"}

    # Extension: refused without a later date (inside the dialog), then done.
    page.table.selectAll()
    click(qtbot, page.extend_button)
    extend = page.dialog
    assert isinstance(extend, ExtendDialog)
    assert not extend.ok_button.isEnabled()  # a reason is required
    extend.due.setDate(extend.due.date().fromString("2026-03-05", "yyyy-MM-dd"))
    type_text(qtbot, extend.reason, "需调取外地证据")
    click(qtbot, extend.ok_button)
    wait_idle(page, qtbot)
    assert extend.isVisible() and "新期限必须晚于" in extend.error_text()
    extend.due.setDate(extend.due.date().fromString("2026-03-31", "yyyy-MM-dd"))
    click(qtbot, extend.ok_button)
    wait_idle(page, qtbot)
    assert closed(extend)
    assert {cell(page, r, Column.DUE) for r in range(2)} == {"2026-03-31"}
    assert page.panel.detail is not None
    kinds = [e.kind for e in page.panel.detail.events]
    assert kinds[-2:] == ["reassign", "extend_due"]

    # The unit filter narrows to 治安中队; sorting by number (a click) reverses the order.
    choose(page.unit_filter, "治安中队")
    wait_idle(page, qtbot)
    assert page.model.rowCount() == 2
    header = page.table.horizontalHeader()
    numbers = sorted([station["watch_number"], second])
    header.setSortIndicator(Column.NUMBER, Qt.SortOrder.DescendingOrder)  # as a click does
    wait_idle(page, qtbot)
    assert [cell(page, r, Column.NUMBER) for r in range(2)] == numbers[::-1]
    # A click on the 编号 header toggles to ascending.
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(Column.NUMBER) + 10,
                                header.height() // 2))
    wait_idle(page, qtbot)
    assert [cell(page, r, Column.NUMBER) for r in range(2)] == numbers

    # Ctrl+F goes to the search; typing filters (in SQL); F5 reads again.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    type_text(qtbot, page.search, "殴打")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=TIMEOUT_MS)
    wait_idle(page, qtbot)
    assert cell(page, 0, Column.NUMBER) == second
    select_number(page, qtbot, second)
    # Another window adds a progress entry; F5 shows it here.
    RectificationService(db, page.context.folder.attachments, lambda: TODAY,
                         actor=workstation.actor).add_progress(
        page.model.id_at(0) or "", TODAY, "另一窗口的进展")
    assert page.panel.progress_list.count() == 0
    qtbot.keyClick(page.table, Qt.Key.Key_F5)
    wait_idle(page, qtbot)
    assert page.model.rowCount() == 1
    assert [page.panel.progress_list.item(i).text()
            for i in range(page.panel.progress_list.count())] == [
        "2026-03-02  另一窗口的进展（张法制）"]


def test_a_conflicting_edit_reloads_the_item_and_keeps_what_was_typed(
    window: MainWindow, qtbot: QtBot, station: dict[str, str], db: Database,
    folder: DataFolder, workstation: WorkstationInfo,
) -> None:
    page = open_page(window, qtbot)
    select_number(page, qtbot, station["watch_number"])
    panel = page.panel
    panel.description.selectAll()
    type_text(qtbot, panel.description, "补充：调解协议未经审批")
    # Meanwhile a second window changes the item (its risk) first.
    other = RectificationService(db, folder.attachments, lambda: TODAY, actor=workstation.actor)
    detail = other.detail(station["watch_item"])
    other.update_details(detail.row.id, detail.row.version, description=detail.row.description,
                         measures="", risk_level=RiskLevel.LOW,
                         problem_type_id=detail.problem_type_id)
    click(qtbot, panel.save_button)
    wait_idle(page, qtbot)
    assert "已在别处被修改" in panel.message_text()
    assert "您输入的文字仍保留" in panel.message_text()
    assert panel.description.toPlainText().endswith("补充：调解协议未经审批")
    assert panel.risk.currentText() == "低"  # the other window's change, reloaded
    # Saving again now works, on the new version.
    click(qtbot, panel.save_button)
    wait_idle(page, qtbot)
    assert panel.message_text() == "已保存。"
    assert other.detail(station["watch_item"]).row.description == "补充：调解协议未经审批"


def test_a_long_ledger_is_read_window_by_window_and_an_export_can_be_cancelled(
    window: MainWindow, qtbot: QtBot, station: dict[str, str], db: Database,
    workstation: WorkstationInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lawsup_desktop.domain.vocabulary import RectificationSource
    from lawsup_desktop.services.rectifications import create_rectification
    from lawsup_desktop.ui.rectifications.model import WINDOW

    with db.write(workstation.actor) as session:
        for n in range(2 * WINDOW + 50):
            create_rectification(
                session, source=RectificationSource.INSPECTION, description=f"巡查问题{n:03d}",
                problem_type_id=None, responsible_unit_id=station["unit"],
                responsible_officer_id=None, due_date=TODAY + dt.timedelta(days=20 + n % 7),
                today=TODAY,
            )
    total = 2 * WINDOW + 51
    page = open_page(window, qtbot)
    assert page.model.total == total
    assert page.total_label.text() == f"当前筛选共 {total} 项"
    assert page.model.rowCount() == WINDOW  # one window of ids, not all of them
    # Scrolling to the end asks for the next windows, until all are there.
    for _ in range(5):
        page.table.scrollToBottom()
        wait_idle(page, qtbot)
    assert page.model.rowCount() == total
    last = page.model.rowCount() - 1
    qtbot.waitUntil(lambda: cell(page, last, Column.NUMBER).startswith("ZG-"),
                    timeout=TIMEOUT_MS)
    assert len({page.model.id_at(r) for r in range(total)}) == total

    # An export that the user cancels from its progress dialog writes nothing.
    import threading

    release = threading.Event()
    rows = page.service.rows

    def slow_rows(ids: list[str]) -> list[object]:
        release.wait(TIMEOUT_MS / 1000)
        return rows(ids)  # type: ignore[return-value]

    target = tmp_path / "台账.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(page.service, "rows", slow_rows)
    click(qtbot, page.xlsx_button)
    handle = page.export_handle
    assert handle is not None
    qtbot.waitUntil(lambda: handle.progress_dialog is not None, timeout=TIMEOUT_MS)
    dialog = handle.progress_dialog
    assert dialog is not None and dialog.cancel_button is not None
    click(qtbot, dialog.cancel_button)
    release.set()
    assert handle.wait(TIMEOUT_MS)
    assert page.status.text() == "已取消导出，未生成文件。"
    assert not target.exists() and list(tmp_path.glob(".export-*")) == []

    # The page follows a language switch at once.
    i18n.set_language("en")
    qtbot.waitUntil(lambda: page.heading.text() == "Rectification ledger", timeout=TIMEOUT_MS)
    assert page.model.headerData(Column.DUE, Qt.Orientation.Horizontal) == "Due date"
    assert cell(page, 0, Column.STATE) == S.PENDING.label.en == "To rectify"
    assert page.total_label.text() == f"{total} items in this filter"
