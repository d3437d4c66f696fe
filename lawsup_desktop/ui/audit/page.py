"""案件审核: the case list (filtered and sorted in SQL, rows read on demand),
and for the selected case its detail, its audit form, the review chain and the
printed form. Batch export writes the forms of the listed cases to a folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.audit_form import LEVELS, AuditState, AuditView, in_review_label
from lawsup_desktop.domain.vocabulary import CaseKind, MeasureKind
from lawsup_desktop.services.audits import AuditService, ExportReport, RectificationDraft
from lawsup_desktop.services.cases import CaseDetail, CaseQuery, CaseRow, CaseService
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.services.roster import OfficerChoice, RosterService, UnitChoice
from lawsup_desktop.ui.audit.case_editor import CaseEditor
from lawsup_desktop.ui.audit.chain import ChainPanel, StepDialog
from lawsup_desktop.ui.audit.common import fill_enum, when_text
from lawsup_desktop.ui.audit.form_editor import AuditFormEditor
from lawsup_desktop.ui.audit.model import SORT_KEYS, CaseListModel, Column
from lawsup_desktop.ui.audit.preview import PdfPreview
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.list_loading import ListLoader, debounced
from lawsup_desktop.ui.tasks import TaskHandle

RECTIFICATION_DAYS = 5  # the usual time to report back (DOMAIN.md)


class AuditPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_page")
        self.context = context
        self.cases = CaseService(context.db, context.workstation)
        self.audits = AuditService(context.db, context.workstation)
        self.roster = RosterService(context.db)
        self.units: list[UnitChoice] = []
        self.officers: list[OfficerChoice] = []
        self.query = CaseQuery()
        self.detail: CaseDetail | None = None
        self.handles: list[TaskHandle[Any]] = []
        self.editor: CaseEditor | None = None
        self.step_dialog: StepDialog | None = None
        self.last_export: ExportReport | None = None
        self.export_handle: TaskHandle[ExportReport] | None = None
        self.message: QMessageBox | None = None
        self.loader = ListLoader(context.tasks, self)

        self.heading = QLabel(self)
        self.heading.setObjectName("page_heading")
        self.heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("case_count")

        # Filters: each a new query.
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search_timer = debounced(self.search, self.reload)
        self.kind_filter = self._combo("filter_kind")
        self.unit_filter = self._combo("filter_unit")
        self.officer_filter = self._combo("filter_officer")
        self.state_filter = self._combo("filter_state")
        self.measure_filter = self._combo("filter_measure")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for combo in (self.kind_filter, self.unit_filter, self.officer_filter,
                      self.state_filter, self.measure_filter):
            filters.addWidget(combo, 1)

        self.new_button = self._button("new_case", self.new_case)
        self.edit_button = self._button("edit_case", self.edit_case)
        self.new_form_button = self._button("new_form", self.new_form)
        self.export_button = self._button("batch_export", self.batch_export)
        actions = QHBoxLayout()
        actions.addWidget(self.heading)
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        for button in (self.new_button, self.edit_button, self.new_form_button,
                       self.export_button):
            actions.addWidget(button)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_case)

        self.model = CaseListModel(lambda: self.context.language, self)
        self.model.rows_needed.connect(self._fetch_rows)
        self.model.sort_requested.connect(self._sort_requested)
        self.table = QTableView(self)
        self.table.setObjectName("case_list")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(
            Column.ACCEPTED, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in ((Column.CASE_NO, 150), (Column.NAME, 220), (Column.KIND, 50),
                              (Column.CAUSE, 110), (Column.UNIT, 110), (Column.LEAD, 90),
                              (Column.ACCEPTED, 130), (Column.REGISTERED, 130),
                              (Column.PERSONS, 44), (Column.AUDIT, 110)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.detail_view = QTextBrowser(self)
        self.detail_view.setObjectName("case_detail")
        self.form_editor = AuditFormEditor(context, self)
        self.form_editor.changed.connect(self._audit_changed)
        form_scroll = QScrollArea(self)
        form_scroll.setWidgetResizable(True)
        form_scroll.setWidget(self.form_editor)
        self.chain = ChainPanel(context, self)
        self.chain.record_requested.connect(self.record_step)
        self.chain.rectify_requested.connect(self.raise_rectifications)
        self.preview = PdfPreview(context, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("case_tabs")
        self.tabs.addTab(self.detail_view, "")
        self.tabs.addTab(form_scroll, "")
        self.tabs.addTab(self.chain, "")
        self.tabs.addTab(self.preview, "")

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self.retranslate()
        self._update_actions()
        self.load_roster()

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.currentIndexChanged.connect(lambda _i: self.reload())
        return combo

    def _button(self, name: str, slot: Any) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def retranslate(self) -> None:
        language = self.context.language
        self.heading.setText(self.tr("案件审核"))
        self.search.setPlaceholderText(self.tr("案件编号、名称或案由"))
        self.new_button.setText(self.tr("新建案件 (Ctrl+N)"))
        self.edit_button.setText(self.tr("编辑案件"))
        self.new_form_button.setText(self.tr("新建审核表"))
        self.export_button.setText(self.tr("批量导出…"))
        fill_enum(self.kind_filter, CaseKind, language, empty=self.tr("全部类别"))
        fill_enum(self.measure_filter, MeasureKind, language, empty=self.tr("全部强制措施"))
        self._fill_state_filter(language)
        self._fill_roster_filters()
        for index, text in enumerate((self.tr("案件详情"), self.tr("审核表"),
                                      self.tr("审核流程"), self.tr("打印预览"))):
            self.tabs.setTabText(index, text)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        self.form_editor.retranslate()
        self.chain.retranslate()
        self.preview.retranslate()
        self._show_detail()

    def _fill_state_filter(self, language: str) -> None:
        """Every state, and 审核中 also narrowed to each level ("in_review:3")."""
        current = self.state_filter.currentData()
        self.state_filter.blockSignals(True)
        self.state_filter.clear()
        self.state_filter.addItem(self.tr("全部审核状态"), None)
        for state in AuditState:
            self.state_filter.addItem(state.label.in_language(language), state.value)
            if state is AuditState.IN_REVIEW:
                for level in range(1, LEVELS + 1):
                    self.state_filter.addItem(
                        in_review_label(level).in_language(language),
                        f"{state.value}:{level}")
        self.state_filter.setCurrentIndex(max(self.state_filter.findData(current), 0))
        self.state_filter.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- loading ---------------------------------------------------------------------

    def is_loading(self) -> bool:
        return (any(not h.done for h in self.handles) or self.loader.is_loading()
                or self.form_editor.busy)

    def _run(self, fn: Any, on_success: Any, **kwargs: Any) -> TaskHandle[Any]:
        handle = self.context.tasks.run(fn, on_success, parent_widget=self, **kwargs)
        self.handles = [h for h in self.handles if not h.done] + [handle]
        return handle

    def load_roster(self) -> None:
        self._run(lambda _ctx: (self.roster.units(), self.roster.officers()), self._roster_loaded)

    def _roster_loaded(self, result: tuple[list[UnitChoice], list[OfficerChoice]]) -> None:
        self.units, self.officers = result
        self._fill_roster_filters()
        self.reload()

    def _fill_roster_filters(self) -> None:
        for combo, items, empty in (
                (self.unit_filter, [(u.name, u.id) for u in self.units], self.tr("全部单位")),
                (self.officer_filter, [(o.name, o.id) for o in self.officers],
                 self.tr("全部民警"))):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(empty, None)
            for text, value in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)

    def current_query(self) -> CaseQuery:
        # Combo data come back as plain strings: make them the enums again.
        kind, state, measure = (combo.currentData() for combo in (
            self.kind_filter, self.state_filter, self.measure_filter))
        state_code, _, level = (state or "").partition(":")
        return CaseQuery(
            kind=CaseKind(kind) if kind else None, unit_id=self.unit_filter.currentData(),
            officer_id=self.officer_filter.currentData(),
            audit_state=AuditState(state_code) if state_code else None,
            audit_level=int(level) if level else None,
            measure_kind=MeasureKind(measure) if measure else None,
            text=self.search.text().strip(),
            sort=self.query.sort, descending=self.query.descending)

    def reload(self, select_id: str | None = None) -> None:
        self.query = self.current_query()
        query = self.query
        keep = select_id or self.current_case_id()

        def done(ids: list[str]) -> None:
            self.model.reset(ids)
            self.count_label.setText(self.tr("共 {n} 件").format(n=len(ids)))
            row = self.model.row_of(keep) if keep else -1
            if row >= 0:
                self.table.selectRow(row)
            else:
                self._show_case(None)

        self.loader.load(lambda _ctx: self.cases.case_ids(query), done)

    def _fetch_rows(self, ids: Sequence[str]) -> None:
        asked = list(ids)
        self.loader.fetch(lambda _ctx: self.cases.rows(asked),
                          lambda rows: self.model.add_rows(rows, asked),
                          lambda exc: self._rows_failed(asked, exc))

    def _rows_failed(self, ids: list[str], exc: BaseException) -> None:
        self.model.forget_pending(ids)
        self.context.tasks.report_error(self, exc)

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        key = SORT_KEYS.get(Column(column))
        if key is None:
            return
        self.query = CaseQuery(**{**self.query.__dict__, "sort": key,
                                  "descending": order == Qt.SortOrder.DescendingOrder})
        self.reload()

    # -- the selected case -----------------------------------------------------------

    def current_case_id(self) -> str | None:
        return self.model.id_at(self.table.currentIndex().row())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        case_id = self.model.id_at(current.row())
        if case_id is None:
            self._show_case(None)
            return
        self._run(lambda _ctx: self.cases.detail(case_id), self._show_case)

    def _show_case(self, detail: CaseDetail | None) -> None:
        self.detail = detail
        audit = self.current_audit()
        self.form_editor.show_audit(audit)
        self.chain.show_audit(audit)
        self.preview.set_audit(audit.id if audit else None,
                               (audit.version, len(audit.steps)) if audit else None)
        self._show_detail()
        self._update_actions()

    def current_audit(self) -> AuditView | None:
        return self.detail.audits[-1] if self.detail and self.detail.audits else None

    def _update_actions(self) -> None:
        audit = self.current_audit()
        self.edit_button.setEnabled(self.detail is not None)
        # A new form only when there is none, or the last one has ended.
        self.new_form_button.setEnabled(
            self.detail is not None and (audit is None or audit.status.finished))

    def _show_detail(self) -> None:
        detail = self.detail
        if detail is None:
            hint = self.tr("请在上方列表中选择案件")
            self.detail_view.setHtml(f"<p>{_esc(hint)}</p>")
            return
        language = self.context.language
        rows = [
            (self.tr("案件编号"), detail.case_no), (self.tr("案件名称"), detail.name),
            (self.tr("案件类别"), detail.kind.label.in_language(language)),
            (self.tr("案由"), detail.cause),
            (self.tr("办案单位"), detail.unit.name if detail.unit else "—"),
            (self.tr("主办民警"), detail.lead_officer.name if detail.lead_officer else "—"),
            (self.tr("协办民警"), "、".join(o.name for o in detail.assisting) or "—"),
            (self.tr("受案时间"), when_text(detail.accepted_at) or "—"),
            (self.tr("立案时间"), when_text(detail.registered_at) or "—"),
        ]
        html = ["<table cellpadding='3'>"]
        html += [f"<tr><td><b>{_esc(k)}</b></td><td>{_esc(v)}</td></tr>" for k, v in rows]
        html.append("</table>")
        persons_heading = self.tr("人员与强制措施")
        history_heading = self.tr("审核历史")
        html.append(f"<h4>{_esc(persons_heading)}</h4><ul>")
        for person in detail.persons:
            measures = "；".join(f"{m.kind.label.in_language(language)} {when_text(m.started_at)}"
                                for m in person.measures)
            gender = person.gender.label.in_language(language) if person.gender else ""
            born = person.birth_date.isoformat() if person.birth_date else ""
            html.append("<li>" + _esc(" ".join(x for x in (
                person.role.label.in_language(language), person.name, person.id_number or "",
                gender, born, measures) if x)) + "</li>")
        html.append(f"</ul><h4>{_esc(history_heading)}</h4><ul>")
        for audit in detail.audits:
            steps = self.tr("{n} 条审核意见").format(n=len(audit.steps))
            html.append(f"<li>{_esc(audit.form_no)}："
                        f"{_esc(audit.status.label.in_language(language))}（{_esc(steps)}）</li>")
        html.append("</ul>")
        self.detail_view.setHtml("".join(html))

    # -- actions -------------------------------------------------------------------------

    def new_case(self) -> None:
        self._open_editor(None)

    def edit_case(self) -> None:
        if self.detail is not None:
            self._open_editor(self.detail)

    def _open_editor(self, detail: CaseDetail | None) -> None:
        self.editor = CaseEditor(self.context, self.units, self.officers, detail, self)
        self.editor.saved.connect(self._case_saved)
        self.editor.open()

    def _case_saved(self, detail: CaseDetail) -> None:
        self.model.invalidate(detail.id)
        self.reload(select_id=detail.id)

    def new_form(self) -> None:
        detail = self.detail
        if detail is None:
            return
        self._run(lambda _ctx: self.audits.create_form(detail.id), self._form_created)

    def _form_created(self, audit: AuditView) -> None:
        self._refresh_case()
        self.tabs.setCurrentIndex(1)

    def _audit_changed(self, audit: AuditView) -> None:
        self._refresh_case()

    def _refresh_case(self) -> None:
        if self.detail is None:
            return
        case_id = self.detail.id
        self.model.invalidate(case_id)
        self._run(lambda _ctx: self.cases.detail(case_id), self._show_case)

    def record_step(self) -> None:
        audit = self.current_audit()
        if audit is None or self.detail is None or audit.status.level is None:
            return
        self.step_dialog = StepDialog(self.context, audit, self.detail, self.officers, self)
        self.step_dialog.recorded.connect(self._audit_changed)
        self.step_dialog.open()

    def raise_rectifications(self) -> None:
        """One ledger item per line of the problems found, for the case's unit and
        lead officer, due in the usual five days."""
        audit, detail = self.current_audit(), self.detail
        if audit is None or detail is None:
            return
        lines = [line.strip() for line in audit.problems_found.splitlines() if line.strip()]
        if not lines:
            return
        answer = QMessageBox.question(
            self, self.tr("生成整改事项"),
            self.tr("将以下 {n} 个问题列入整改台账（责任单位：{unit}，责任人：{officer}，"
                    "期限 {days} 天）：\n\n{items}").format(
                n=len(lines), unit=detail.unit.name if detail.unit else "—",
                officer=detail.lead_officer.name if detail.lead_officer else "—",
                days=RECTIFICATION_DAYS, items="\n".join(lines)))
        if answer != QMessageBox.StandardButton.Yes:
            return
        due = dt.date.today() + dt.timedelta(days=RECTIFICATION_DAYS)
        drafts = [RectificationDraft(
            description=line, due_date=due,
            responsible_unit_id=detail.unit.id if detail.unit else None,
            responsible_officer_id=detail.lead_officer.id if detail.lead_officer else None)
            for line in lines]
        audit_id = audit.id
        self._run(lambda _ctx: self.audits.raise_rectifications(audit_id, drafts),
                  lambda numbers: self._tell(
                      self.tr("生成整改事项"),
                      self.tr("已列入整改台账：{numbers}").format(numbers="、".join(numbers))))

    def batch_export(self, directory: Path | None = None) -> None:
        """The newest form of every listed case, one PDF each, with progress and cancel."""
        if directory is None:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("导出到文件夹"))
            if not chosen:
                return
            directory = Path(chosen)
        query = self.query
        target = directory

        def export(ctx: TaskContext) -> ExportReport:
            ids = self.cases.case_ids(query)
            audit_ids = []
            for done, case_id in enumerate(ids, start=1):
                ctx.check_cancelled()
                audits = self.cases.detail(case_id).audits
                if audits:
                    audit_ids.append(audits[-1].id)
                ctx.report(done, len(ids), "")
            return self.audits.export_pdfs(audit_ids, target, ctx)

        self.export_handle = self._run(export, self._exported,
                                       progress_label=self.tr("正在导出审核表…"))

    def _exported(self, report: ExportReport) -> None:
        self.last_export = report
        language = self.context.language
        text = self.tr("已导出 {n} 份审核表。").format(n=len(report.written))
        if report.failed:
            text += "\n" + self.tr("以下审核表未导出：") + "\n" + "\n".join(
                f"{no}：{message.in_language(language)}" for no, message in report.failed)
        self._tell(self.tr("批量导出"), text)

    def _tell(self, title: str, text: str) -> None:
        """A result to read, without blocking the event loop (window-modal)."""
        self.message = QMessageBox(QMessageBox.Icon.Information, title, text,
                                   QMessageBox.StandardButton.Ok, self)
        self.message.setObjectName("result_message")
        self.message.open()

    def rows_loaded(self) -> list[CaseRow]:
        return [r for r in (self.model._rows.get(i) for i in self.model.ids) if r is not None]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
