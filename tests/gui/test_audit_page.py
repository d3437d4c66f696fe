"""The 案件审核 page driven as a supervisor would: a case with two suspects typed in
(a wrong ID number first), the audit form filled (submission refused while points are
missing), walked through all five levels with one return for correction (a second
decision at a signed level refused), the printed form previewed and saved, and read
back: every opinion of both rounds is on it. Screenshots of the editor and page 1."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, QSettings, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from lawsup_desktop.domain.audit_form import REVIEW_POINTS
from lawsup_desktop.domain.vocabulary import CaseKind, Decision, PersonRole
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.audits import AuditService, StepInput
from lawsup_desktop.services.cases import CaseService, PersonInput
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.app import configure_application, start
from lawsup_desktop.ui.audit.case_editor import CaseEditor, PersonColumn
from lawsup_desktop.ui.audit.chain import StepDialog
from lawsup_desktop.ui.audit.model import Column
from lawsup_desktop.ui.audit.page import AuditPage
from lawsup_desktop.ui.main_window import MainWindow
from tests.gui.helpers import type_text
from tests.unit.audit_helpers import (
    Roster,
    case_input,
    complete_content,
    make_roster,
    register_case,
    walk_with_one_return,
)

TIMEOUT_MS = 15000
ID_FIRST = "11010519491231002X"  # DOMAIN.md's example: a woman born 1949-12-31
ID_SECOND = "440301198807160031"  # check character computed per GB 11643: a man, 1988-07-16


@pytest.fixture
def app(qapp: QApplication, tmp_path: Path) -> Iterator[QApplication]:
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    configure_application(qapp)
    yield qapp
    i18n.set_language("zh_CN")


@pytest.fixture
def roster(db: Database, workstation: WorkstationInfo) -> Roster:
    return make_roster(db, workstation)


@pytest.fixture
def window(app: QApplication, qtbot: QtBot, folder: DataFolder,
           roster: Roster) -> Iterator[MainWindow]:
    result = start(folder, app, error_hook=False)
    assert isinstance(result, MainWindow)
    qtbot.addWidget(result)
    qtbot.waitExposed(result)
    result.resize(1440, 1100)
    yield result
    result.close()
    result.context.close()


def wait_idle(page: AuditPage, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    page.context.tasks.wait_all(TIMEOUT_MS)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)


def activate(window: QWidget, qtbot: QtBot) -> None:
    """Shortcuts reach the active window only (a closed dialog leaves none active)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT_MS)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tick(qtbot: QtBot, box: QWidget) -> None:
    """Click a check box on its indicator (its middle may lie past the label)."""
    assert box.isEnabled(), box.objectName()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def show_tab(qtbot: QtBot, page: AuditPage, index: int) -> None:
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert page.tabs.currentIndex() == index


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def add_person(qtbot: QtBot, editor: CaseEditor, name: str, id_number: str, measure: str,
               start: str) -> None:
    choose(editor.person_role, "犯罪嫌疑人/违法嫌疑人")
    type_text(qtbot, editor.person_name, name)
    type_text(qtbot, editor.person_id, id_number)
    choose(editor.measure_kind, measure)
    type_text(qtbot, editor.measure_start, start)
    click(qtbot, editor.add_person_button)


def record(qtbot: QtBot, page: AuditPage, decision: str, opinion: str, reviewer: str) -> None:
    click(qtbot, page.chain.record_button)
    dialog = page.step_dialog
    assert isinstance(dialog, StepDialog)
    qtbot.waitExposed(dialog)
    choose(dialog.decision, decision)
    type_text(qtbot, dialog.opinion, opinion)
    choose(dialog.reviewer, reviewer)
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(page, qtbot)


ROUND_1 = [
    ("同意", "呈请审核：事实清楚，拟提请批准逮捕。", "王主办"),
    ("同意", "同意呈报，请法制审核。", "陈所长"),
    ("退回补正", "证据不足：缺少现场监控录像，请补充后重新呈报。", "张法制"),
]
ROUND_2 = [
    ("同意", "已补充监控录像三段，重新呈请审核。", "王主办"),
    ("同意", "补充材料属实，同意呈报。", "陈所长"),
    ("同意", "证据已确实充分，程序合法，同意。", "张法制"),
    ("同意", "经法制大队审核，适用法律准确，同意。", "周法制"),
    ("同意", "同意提请批准逮捕。", "吴局长"),
]


def test_case_through_five_levels_with_a_return_to_the_printed_form(
    window: MainWindow, qtbot: QtBot, db: Database, workstation: WorkstationInfo,
    roster: Roster, tmp_path: Path, artifacts: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.show_page("case_audit")
    page = window.built_page("case_audit")
    assert isinstance(page, AuditPage)
    wait_idle(page, qtbot)
    assert page.model.rowCount() == 0

    # -- the case, with two suspects ----------------------------------------------------
    activate(window, qtbot)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    assert isinstance(editor, CaseEditor)
    qtbot.waitExposed(editor)
    type_text(qtbot, editor.case_no, "A4403012026110007")
    type_text(qtbot, editor.name, "马某某、刘某某寻衅滋事案")
    choose(editor.kind, "刑事")
    type_text(qtbot, editor.cause, "寻衅滋事")
    unit_names = [editor.unit.itemText(i) for i in range(editor.unit.count())]
    choose(editor.unit, next(n for n in unit_names[1:] if n != "刑侦中队"))  # the station's own
    choose(editor.lead, "王主办")
    assisting = editor.assisting.findItems("李协办", Qt.MatchFlag.MatchExactly)[0]
    assisting.setCheckState(Qt.CheckState.Checked)
    type_text(qtbot, editor.accepted_at, "2026-11-02 09:30")
    type_text(qtbot, editor.registered_at, "2026-11-03 16:00")

    # A wrong check character: refused, the field named, what was typed kept.
    add_person(qtbot, editor, "刘某某", "110105194912310021", "取保候审", "2026-11-04 10:00")
    assert "身份证号码" in editor.error_label.text()
    assert editor.error_label.isVisible()
    assert editor.person_id.text() == "110105194912310021"
    assert editor.persons.rowCount() == 0
    editor.person_id.clear()
    editor.person_name.clear()
    editor.measure_start.clear()
    add_person(qtbot, editor, "刘某某", ID_FIRST, "取保候审", "2026-11-04 10:00")
    add_person(qtbot, editor, "马某某", ID_SECOND, "刑事拘留", "2026-11-03 18:00")
    assert not editor.error_label.isVisible()
    assert editor.persons.rowCount() == 2
    derived = [(editor.persons.item(r, PersonColumn.GENDER).text(),
                editor.persons.item(r, PersonColumn.BIRTH).text()) for r in range(2)]
    assert derived == [("女", "1949-12-31"), ("男", "1988-07-16")]
    assert editor.grab().save(str(artifacts / "audit_case_editor.png"))
    click(qtbot, editor.buttons.button(QDialogButtonBox.StandardButton.Save))
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(page, qtbot)
    assert page.model.rowCount() == 1
    qtbot.waitUntil(lambda: page.detail is not None, timeout=TIMEOUT_MS)
    assert page.detail is not None
    assert [(p.name, p.id_number, [m.kind.label.zh for m in p.measures])
            for p in page.detail.persons] == [
        ("刘某某", ID_FIRST, ["取保候审"]), ("马某某", ID_SECOND, ["刑事拘留"])]
    assert "马某某" in page.detail_view.toPlainText()

    # -- the audit form ----------------------------------------------------------------------
    click(qtbot, page.new_form_button)
    wait_idle(page, qtbot)
    form = page.form_editor
    assert form.audit is not None
    assert form.state_label.text() == "草稿"
    type_text(qtbot, form.facts,
              "2026年11月1日22时许，马某某、刘某某在某烧烤店内酒后随意殴打他人，致一人轻微伤。")
    click(qtbot, form.submit_button)  # not yet: say exactly what is missing
    assert form.missing_label.isVisible()
    missing = form.missing_label.text()
    assert "拟处理意见未填写" in missing and "“事实是否清楚”未勾选" in missing
    assert "简要案情" not in missing and "文书是否齐全" not in missing
    type_text(qtbot, form.proposed, "拟对马某某提请批准逮捕；对刘某某取保候审。")
    labels = {p.code: p.label.zh for p in REVIEW_POINTS}
    for code, check in form.point_checks.items():
        if code != "transfer":
            tick(qtbot, check)
        type_text(qtbot, form.point_notes[code], f"经审查无异议（{labels[code]}）")
    type_text(qtbot, form.problems, "询问笔录缺少询问人签名一处。")
    tick(qtbot, form.is_major)
    activate(window, qtbot)
    form.facts.setFocus()
    qtbot.keyClick(form.facts, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(page, qtbot)
    assert form.audit is not None and form.audit.version > 1
    assert form.audit.is_major and form.audit.points["law"].checked
    assert form.state_label.text() == "草稿"
    QApplication.processEvents()
    assert page.grab().save(str(artifacts / "audit_editor.png"))
    click(qtbot, form.submit_button)
    wait_idle(page, qtbot)
    assert not form.missing_label.isVisible()
    assert form.state_label.text() == "审核中·第1级"

    # -- the chain: round 1 returned at level 3 ---------------------------------------------
    show_tab(qtbot, page, 2)
    for decision, opinion, reviewer in ROUND_1:
        record(qtbot, page, decision, opinion, reviewer)
    assert form.state_label.text() == "退回补正"
    assert form.save_button.isEnabled() and not form.facts.isReadOnly()

    # The officer corrects the form, then signs level 1 of round 2.
    show_tab(qtbot, page, 1)
    activate(window, qtbot)
    type_text(qtbot, form.facts, "已补充现场监控录像。")
    qtbot.keyClick(form.facts, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(page, qtbot)
    assert form.audit is not None and "已补充现场监控录像。" in form.audit.facts
    show_tab(qtbot, page, 2)
    for decision, opinion, reviewer in ROUND_2[:2]:
        record(qtbot, page, decision, opinion, reviewer)
    assert form.state_label.text() == "审核中·第3级"
    # A transcribing colleague signs level 3 while this dialog is open: the second
    # decision at that level is refused, and what was typed stays.
    click(qtbot, page.chain.record_button)
    dialog = page.step_dialog
    assert isinstance(dialog, StepDialog)
    assert dialog.reviewer.findText("王主办") < 0  # a handler is never offered
    type_text(qtbot, dialog.opinion, "重复录入的意见")
    assert dialog.heading.text() == "第2轮 · 第3级：法制监督员"
    assert dialog.grab().save(str(artifacts / "audit_step_dialog.png"))
    assert form.audit is not None
    AuditService(db, workstation).record_step(form.audit.id, StepInput(
        3, Decision.APPROVE, ROUND_2[2][1], roster.supervisor, datetime.now().replace(second=0)))
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=TIMEOUT_MS)
    assert "已签署意见" in dialog.error_label.text()
    assert dialog.isVisible() and dialog.opinion.toPlainText() == "重复录入的意见"
    dialog.reject()
    page._refresh_case()
    wait_idle(page, qtbot)
    assert form.state_label.text() == "审核中·第4级"
    for decision, opinion, reviewer in ROUND_2[3:]:
        record(qtbot, page, decision, opinion, reviewer)
    assert form.state_label.text() == "已通过"
    chain_text = [page.chain.tree.topLevelItem(i).text(0)
                  for i in range(page.chain.tree.topLevelItemCount())]
    assert chain_text == ["第1轮", "第2轮"]
    assert page.chain.tree.topLevelItem(0).child(2).text(1) == "退回补正"
    assert page.chain.tree.topLevelItem(1).child(4).text(3) == "吴局长"
    assert page.chain.tree.topLevelItem(1).child(4).text(5) == workstation.operator_name
    qtbot.waitUntil(lambda: [r.audit_label.zh for r in page.rows_loaded()] == ["已通过"],
                    timeout=TIMEOUT_MS)

    QApplication.processEvents()
    assert page.grab().save(str(artifacts / "audit_chain.png"))

    # -- preview, save, read back -------------------------------------------------------------
    show_tab(qtbot, page, 3)
    preview = page.preview
    with qtbot.waitSignal(preview.ready, timeout=TIMEOUT_MS):
        click(qtbot, preview.refresh_button)
    assert preview.document.pageCount() >= 1
    target = tmp_path / "审核表.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "PDF (*.pdf)")))
    click(qtbot, preview.save_button)
    assert target.exists()
    text = squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes()))
                          .pages))
    # Opinions may wrap across lines or pages: compare without whitespace, in pieces
    # shorter than a line.
    for _decision, opinion, _reviewer in ROUND_1 + ROUND_2:
        for piece in re.split(r"[，：；。]", opinion):
            assert squash(piece) in text, piece
    assert "A4403012026110007" in text and ID_FIRST in text and ID_SECOND in text
    image = preview.document.render(0, QSize(1240, 1754))
    assert not image.isNull()
    assert image.save(str(artifacts / "audit_pdf_page1.png"))


# --------------------------------------------------------------- the list, export, 生僻字


def answer_next_box(qtbot: QtBot, button: QMessageBox.StandardButton,
                    seen: list[str]) -> None:
    """Click ``button`` on the next modal message box, as the user would, keeping
    its text in ``seen``."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        target = box.button(button)
        assert target is not None
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)


@pytest.fixture
def registered(db: Database, workstation: WorkstationInfo, roster: Roster) -> dict[str, str]:
    """Three cases: a criminal one approved after a return, a criminal draft, an
    administrative one without a form."""
    cases = CaseService(db, workstation)
    audits = AuditService(db, workstation)
    approved = register_case(db, workstation, roster, "A0001")
    form = audits.create_form(approved.id, complete_content())
    walk_with_one_return(audits, form.id, roster)
    draft = register_case(db, workstation, roster, "A0002")
    audits.create_form(draft.id, complete_content())
    administrative = cases.create_case(
        case_input(roster, "X0003", kind=CaseKind.ADMINISTRATIVE, name="张某殴打他人案",
                   cause="殴打他人"),
        [PersonInput(PersonRole.SUSPECT, "张某", ID_SECOND)])
    return {"approved": approved.id, "draft": draft.id, "administrative": administrative.id}


def listed(page: AuditPage, qtbot: QtBot) -> list[str]:
    wait_idle(page, qtbot)
    for row in range(page.model.rowCount()):  # the view asks for rows as it shows them
        page.model.data(page.model.index(row, 0))
    qtbot.waitUntil(lambda: all(page.model.is_loaded(i) for i in page.model.ids),
                    timeout=TIMEOUT_MS)
    return [page.model.data(page.model.index(r, Column.CASE_NO))
            for r in range(page.model.rowCount())]


def test_list_filters_and_header_sort_are_queries_and_batch_export_writes_the_listed_forms(
    window: MainWindow, qtbot: QtBot, registered: dict[str, str], tmp_path: Path,
) -> None:
    window.show_page("case_audit")
    page = window.built_page("case_audit")
    assert isinstance(page, AuditPage)
    assert sorted(listed(page, qtbot)) == ["A0001", "A0002", "X0003"]

    header = page.table.horizontalHeader()
    case_no_x = header.sectionViewportPosition(Column.CASE_NO) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(case_no_x, header.height() // 2))
    first = listed(page, qtbot)
    assert page.query.sort.value == "case_no"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(case_no_x, header.height() // 2))
    assert listed(page, qtbot) == list(reversed(first))
    assert sorted(first) == first or sorted(first, reverse=True) == first

    choose(page.kind_filter, "行政")
    assert listed(page, qtbot) == ["X0003"]
    choose(page.kind_filter, "全部类别")
    choose(page.state_filter, "已通过")
    assert listed(page, qtbot) == ["A0001"]
    assert page.model.data(page.model.index(0, Column.AUDIT)) == "已通过"
    choose(page.state_filter, "草稿")
    assert listed(page, qtbot) == ["A0002"]
    choose(page.state_filter, "无审核表")
    assert listed(page, qtbot) == ["X0003"]
    choose(page.state_filter, "审核中·第1级")
    assert listed(page, qtbot) == []
    choose(page.state_filter, "全部审核状态")
    choose(page.measure_filter, "取保候审")
    assert sorted(listed(page, qtbot)) == ["A0001", "A0002"]
    choose(page.measure_filter, "全部强制措施")
    type_text(qtbot, page.search, "殴打")
    qtbot.waitUntil(lambda: page.query.text == "殴打", timeout=TIMEOUT_MS)
    assert listed(page, qtbot) == ["X0003"]
    page.search.clear()
    qtbot.waitUntil(lambda: page.query.text == "", timeout=TIMEOUT_MS)
    assert len(listed(page, qtbot)) == 3

    # Batch export of what the filter lists: the two cases with forms.
    target = tmp_path / "exported"
    page.batch_export(target)
    wait_idle(page, qtbot)
    assert page.last_export is not None
    written = sorted(p.name for p in page.last_export.written)
    assert len(written) == 2 and all(name.endswith(".pdf") for name in written)
    assert sorted(p.name for p in target.iterdir()) == written
    assert page.message is not None and "已导出 2 份审核表" in page.message.text()
    page.message.close()


def test_rare_character_is_reported_before_the_preview_and_printed_as_a_box(
    window: MainWindow, qtbot: QtBot, db: Database, workstation: WorkstationInfo,
    roster: Roster,
) -> None:
    cases = CaseService(db, workstation)
    case = cases.create_case(case_input(roster, "A0009", name="刘䶮故意伤害案"),
                             [PersonInput(PersonRole.SUSPECT, "刘䶮", ID_FIRST)])
    AuditService(db, workstation).create_form(case.id, complete_content())
    window.show_page("case_audit")
    page = window.built_page("case_audit")
    assert isinstance(page, AuditPage)
    listed(page, qtbot)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=TIMEOUT_MS)
    show_tab(qtbot, page, 3)
    preview = page.preview

    seen: list[str] = []
    answer_next_box(qtbot, QMessageBox.StandardButton.No, seen)
    click(qtbot, preview.refresh_button)
    qtbot.waitUntil(lambda: preview.status.text() == "已取消", timeout=TIMEOUT_MS)
    assert "䶮" in seen[0] and "U+4DAE" in seen[0]
    assert preview.pdf is None and not preview.save_button.isEnabled()

    answer_next_box(qtbot, QMessageBox.StandardButton.Yes, seen)
    with qtbot.waitSignal(preview.ready, timeout=TIMEOUT_MS):
        click(qtbot, preview.refresh_button)
    assert preview.pdf is not None and preview.document.pageCount() >= 1
    text = squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.pdf)).pages))
    assert "刘" in text and "䶮" not in text  # printed as a box, to be written by hand
    assert preview.print_button.isEnabled()


def test_the_page_reads_in_english(window: MainWindow, qtbot: QtBot,
                                   registered: dict[str, str]) -> None:
    window.show_page("case_audit")
    page = window.built_page("case_audit")
    assert isinstance(page, AuditPage)
    listed(page, qtbot)
    i18n.set_language("en")
    qtbot.waitUntil(lambda: page.new_button.text() == "New case (Ctrl+N)", timeout=TIMEOUT_MS)
    assert page.tabs.tabText(2) == "Review chain"
    assert page.kind_filter.itemText(0) == "All kinds"
    assert page.model.headerData(Column.AUDIT, Qt.Orientation.Horizontal) == "Audit state"
    assert page.form_editor.submit_button.text() == "Submit for review"


def test_case_editor_keeps_what_was_typed_when_the_service_refuses_and_edits_a_case(
    window: MainWindow, qtbot: QtBot, registered: dict[str, str], db: Database,
    workstation: WorkstationInfo,
) -> None:
    window.show_page("case_audit")
    page = window.built_page("case_audit")
    assert isinstance(page, AuditPage)
    listed(page, qtbot)
    click(qtbot, page.new_button)
    editor = page.editor
    assert isinstance(editor, CaseEditor)
    qtbot.waitExposed(editor)
    type_text(qtbot, editor.case_no, "A0001")  # already used
    type_text(qtbot, editor.name, "重复编号案")
    type_text(qtbot, editor.cause, "盗窃")
    add_person(qtbot, editor, "马某某", ID_SECOND, "刑事拘留", "2026-11-03 18:00")
    save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    click(qtbot, save)
    qtbot.waitUntil(lambda: editor.error_label.isVisible(), timeout=TIMEOUT_MS)
    refusal = editor.error_label.text()
    assert "案件编号" in refusal and "已被另一案件使用" in refusal
    assert editor.case_no.styleSheet() != "" and editor.isVisible()
    assert editor.name.text() == "重复编号案" and editor.persons.rowCount() == 1

    editor.case_no.clear()
    type_text(qtbot, editor.case_no, "A0010")
    type_text(qtbot, editor.accepted_at, "2026-11-05 10:00")
    type_text(qtbot, editor.registered_at, "2026-11-04 10:00")  # before the acceptance
    click(qtbot, save)
    qtbot.waitUntil(lambda: "立案时间" in editor.error_label.text(), timeout=TIMEOUT_MS)
    assert editor.registered_at.styleSheet() != "" and editor.case_no.styleSheet() == ""
    assert sorted(listed(page, qtbot)) == ["A0001", "A0002", "X0003"]  # nothing written
    editor.registered_at.clear()
    type_text(qtbot, editor.registered_at, "2026-11-05 16:00")
    click(qtbot, save)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=TIMEOUT_MS)
    assert sorted(listed(page, qtbot)) == ["A0001", "A0002", "A0010", "X0003"]

    # Editing it: the name changes and a second person is added.
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.case_no == "A0010",
                    timeout=TIMEOUT_MS)
    click(qtbot, page.edit_button)
    editor = page.editor
    assert isinstance(editor, CaseEditor) and editor.case_no.text() == "A0010"
    qtbot.waitExposed(editor)
    assert editor.persons.rowCount() == 1
    # A measure for the person already saved, written at once.
    editor.persons.selectRow(0)
    choose(editor.measure_kind, "逮捕")
    type_text(qtbot, editor.measure_start, "2026-11-08 10:00")
    click(qtbot, editor.add_measure_button)
    qtbot.waitUntil(lambda: editor.measures_added == 1, timeout=TIMEOUT_MS)
    assert "逮捕 2026-11-08 10:00" in editor.persons.item(0, PersonColumn.MEASURES).text()
    type_text(qtbot, editor.name, "（并案）")
    add_person(qtbot, editor, "刘某某", ID_FIRST, "取保候审", "2026-11-06 09:00")
    click(qtbot, editor.buttons.button(QDialogButtonBox.StandardButton.Save))
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=TIMEOUT_MS)
    wait_idle(page, qtbot)
    qtbot.waitUntil(lambda: page.detail is not None and len(page.detail.persons) == 2,
                    timeout=TIMEOUT_MS)
    assert page.detail is not None and "（并案）" in page.detail.name
    assert [m.kind.label.zh for m in page.detail.persons[0].measures] == ["刑事拘留", "逮捕"]
    assert page.detail.version > 1


def test_printing_renders_every_page_of_the_form_to_the_printer(
    window: MainWindow, qtbot: QtBot, registered: dict[str, str], tmp_path: Path,
) -> None:
    from PySide6.QtPrintSupport import QPrinter

    window.show_page("case_audit")
    page = window.built_page("case_audit")
    assert isinstance(page, AuditPage)
    choose(page.state_filter, "已通过")
    assert listed(page, qtbot) == ["A0001"]
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.preview.audit_id is not None, timeout=TIMEOUT_MS)
    show_tab(qtbot, page, 3)
    with qtbot.waitSignal(page.preview.ready, timeout=TIMEOUT_MS):
        click(qtbot, page.preview.refresh_button)
    # The system dialog is the user's; what it hands over is a printer. A PDF printer
    # stands in for the paper one.
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    pages = page.preview.print_to(printer)
    assert pages == page.preview.document.pageCount() >= 2
    assert len(PdfReader(printed).pages) == pages


def test_problems_found_become_rectification_items(
    window: MainWindow, qtbot: QtBot, registered: dict[str, str], db: Database,
) -> None:
    from lawsup_desktop.domain.vocabulary import RectificationSource
    from lawsup_desktop.services.rectifications import LedgerFilter, RectificationService

    window.show_page("case_audit")
    page = window.built_page("case_audit")
    assert isinstance(page, AuditPage)
    choose(page.state_filter, "已通过")
    assert listed(page, qtbot) == ["A0001"]
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=TIMEOUT_MS)
    show_tab(qtbot, page, 2)
    seen: list[str] = []
    answer_next_box(qtbot, QMessageBox.StandardButton.Yes, seen)
    click(qtbot, page.chain.rectify_button)
    wait_idle(page, qtbot)
    assert "询问笔录缺少询问人签名一处。" in seen[0] and "王主办" in seen[0]
    assert page.message is not None and "已列入整改台账" in page.message.text()
    page.message.close()
    ledger = RectificationService(db, page.context.folder.attachments, dt.date.today,
                                  actor=page.context.workstation.actor)
    rows = ledger.rows(ledger.ids(LedgerFilter(
        sources=frozenset({RectificationSource.CASE_AUDIT}))))
    assert [(r.description, r.number in page.message.text()) for r in rows] == [
        ("询问笔录缺少询问人签名一处。", True)]
