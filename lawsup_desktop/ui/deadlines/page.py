"""期限预警: every due item by urgency, cleared one by one, with the counting of the
selected one; the deadline calculator in the second tab."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.deadlines import DeadlineResult, DeadlineState, RuleBook
from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.services.deadlines import DeadlineService, DueItem, DueState
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.deadlines import clock
from lawsup_desktop.ui.deadlines.calculator import CalculatorPanel, steps_html
from lawsup_desktop.ui.deadlines.dialogs import ClearDialog, ExtensionDialog, SuspensionDialog
from lawsup_desktop.ui.deadlines.model import PAGE_SIZE, STATE_COLORS, Column, WarningsModel
from lawsup_desktop.ui.tasks import TaskHandle

WARNING_STATES = (DeadlineState.OVERDUE, DeadlineState.DUE_TODAY, DeadlineState.APPROACHING)

Loaded = tuple[list[DueState], list[DueItem], dt.datetime, RuleBook]


class DeadlinesPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deadlines_page")
        self.context = context
        self.service = DeadlineService(context.db)
        self.book: RuleBook | None = None
        self.load_handle: TaskHandle[Loaded] | None = None
        self.explain_handle: TaskHandle[DeadlineResult] | None = None
        self.result: DeadlineResult | None = None
        self._explained: DueState | None = None
        self._generation = 0  # of the list's loads: only the latest one is shown

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("deadline_tabs")
        self.warnings_tab = QWidget(self.tabs)
        self.calculator = CalculatorPanel(context, self.service, self.tabs)
        self.tabs.addTab(self.warnings_tab, "")
        self.tabs.addTab(self.calculator, "")

        # Header: the counts per state, the filter, the actions.
        self.heading = QLabel(self.warnings_tab)
        self.heading.setObjectName("page_heading")
        self.count_labels: dict[DeadlineState, QLabel] = {}
        counts_row = QHBoxLayout()
        counts_row.setSpacing(8)
        for state in (*WARNING_STATES, DeadlineState.NORMAL):
            label = QLabel(self.warnings_tab)
            label.setObjectName(f"count_{state.value}")
            background, text = STATE_COLORS.get(state, ("#e8edf2", "#33414e"))
            label.setStyleSheet(
                f"background: {background}; color: {text}; border-radius: 4px;"
                " padding: 3px 10px; font-weight: bold;"
            )
            self.count_labels[state] = label
            counts_row.addWidget(label)
        self.show_normal = QCheckBox(self.warnings_tab)
        self.show_normal.setObjectName("show_normal")
        self.show_normal.toggled.connect(self.reload)
        self.busy = QProgressBar(self.warnings_tab)
        self.busy.setObjectName("busy")
        self.busy.setRange(0, 0)  # a busy indicator
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.busy_label = QLabel(self.warnings_tab)
        self.busy_label.hide()
        self.refresh_button = QPushButton(self.warnings_tab)
        self.refresh_button.setObjectName("refresh")
        self.clear_button = QPushButton(self.warnings_tab)
        self.clear_button.setObjectName("clear_warning")
        counts_row.addWidget(self.show_normal)
        counts_row.addStretch(1)
        counts_row.addWidget(self.busy_label)
        counts_row.addWidget(self.busy)
        counts_row.addWidget(self.refresh_button)
        counts_row.addWidget(self.clear_button)

        # The list.
        self.model = WarningsModel(lambda: self.context.language, self)
        self.model.rows_needed.connect(self._fetch_rows)
        self.table = QTableView(self.warnings_tab)
        self.table.setObjectName("warnings_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in (
            (Column.STATE, 92), (Column.DUE, 150), (Column.RULE, 200), (Column.CASE, 200),
            (Column.PERSON, 64), (Column.MEASURE, 100), (Column.UNIT, 150),
            (Column.REMAINING, 120),
        ):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(Column.CASE, QHeaderView.ResizeMode.Stretch)
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.clear_selected())

        # The detail pane: the counting of the selected item and its actions.
        self.detail = QWidget(self.warnings_tab)
        self.detail.setObjectName("deadline_detail")
        self.detail_title = QLabel(self.detail)
        self.detail_title.setObjectName("detail_title")
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        self.steps = QTextBrowser(self.detail)
        self.steps.setObjectName("detail_steps")
        self.suspend_button = QPushButton(self.detail)
        self.suspend_button.setObjectName("record_suspension")
        self.extend_button = QPushButton(self.detail)
        self.extend_button.setObjectName("record_extension")
        self.detail_clear_button = QPushButton(self.detail)
        self.detail_clear_button.setObjectName("detail_clear")
        detail_buttons = QHBoxLayout()
        detail_buttons.addWidget(self.suspend_button)
        detail_buttons.addWidget(self.extend_button)
        detail_buttons.addStretch(1)
        detail_buttons.addWidget(self.detail_clear_button)
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(8, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.steps, 1)
        detail_layout.addLayout(detail_buttons)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self.warnings_tab)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.status = QLabel(self.warnings_tab)
        self.status.setObjectName("page_status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)

        tab_layout = QVBoxLayout(self.warnings_tab)
        tab_layout.addWidget(self.heading)
        tab_layout.addLayout(counts_row)
        tab_layout.addWidget(self.splitter, 1)
        tab_layout.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.tabs)

        # Actions: keyboard first.
        self.clear_action = QAction(self)
        self.clear_action.setShortcut(QKeySequence("Ctrl+D"))
        self.clear_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.clear_action.triggered.connect(self.clear_selected)
        self.refresh_action = QAction(self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh_action.triggered.connect(self.reload)
        self.addActions([self.clear_action, self.refresh_action])
        self.refresh_button.clicked.connect(self.reload)
        self.clear_button.clicked.connect(self.clear_selected)
        self.detail_clear_button.clicked.connect(self.clear_selected)
        self.suspend_button.clicked.connect(self.record_suspension)
        self.extend_button.clicked.connect(self.record_extension)

        self.retranslate()
        self._show_selection(None)
        self.reload()

    # -- loading ----------------------------------------------------------------

    def reload(self) -> None:
        """Count every deadline again (in the background) and show the list."""
        if self.load_handle is not None and not self.load_handle.done:
            self.load_handle.cancel()
        service, include_normal = self.service, self.show_normal.isChecked()
        now = clock.now()

        def load(_ctx: Any) -> Loaded:
            keys = service.warning_keys(now, include_normal=include_normal)
            return keys, service.rows(keys[:PAGE_SIZE], now), now, service.rule_book()

        self._set_busy(True)
        self._generation += 1
        generation = self._generation
        self.load_handle = self.context.tasks.run(
            load,
            lambda loaded: self._loaded(generation, loaded),
            lambda exc: self._load_failed(generation, exc),
            parent_widget=self,
        )

    def _loaded(self, generation: int, loaded: Loaded) -> None:
        if generation != self._generation:
            return  # a newer load is on its way
        keys, rows, now, book = loaded
        selected = self.selected_key()
        self.book = book
        self.model.reset(keys, rows, now)
        self._set_busy(False)
        self._show_counts()
        row = -1 if selected is None else self.model.row_of(selected.subject_id, selected.rule_code)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self._show_selection(None)
        self._tell_alerts()

    def _load_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        self.context.tasks.report_error(self, exc)

    def _fetch_rows(self, keys: Sequence[DueState]) -> None:
        service, now = self.service, self.model.now
        self.context.tasks.run(
            lambda _ctx: service.rows(keys, now),
            lambda rows: self.model.add_rows(keys, rows),
            lambda exc: self._rows_failed(keys, exc),
            parent_widget=self,
        )

    def _rows_failed(self, keys: Sequence[DueState], exc: BaseException) -> None:
        self.model.forget_pending(keys)
        self.context.tasks.report_error(self, exc)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)
        self.refresh_button.setEnabled(not busy)

    def is_loading(self) -> bool:
        return self.load_handle is not None and not self.load_handle.done

    def _show_counts(self) -> None:
        counts = self.model.counts()
        names = {
            DeadlineState.OVERDUE: self.tr("已逾期 {n}"),
            DeadlineState.DUE_TODAY: self.tr("今日到期 {n}"),
            DeadlineState.APPROACHING: self.tr("临期 {n}"),
            DeadlineState.NORMAL: self.tr("正常 {n}"),
        }
        for state, label in self.count_labels.items():
            label.setText(names[state].format(n=counts[state]))
        self.count_labels[DeadlineState.NORMAL].setVisible(self.show_normal.isChecked())

    def counts(self) -> dict[DeadlineState, int]:
        return self.model.counts()

    def _tell_alerts(self) -> None:
        """Keep the status bar's counts in step with the list."""
        alerts = getattr(self.window(), "deadline_alerts", None)
        if alerts is not None:
            counts = self.model.counts()
            alerts.show_counts({s: counts[s] for s in WARNING_STATES})

    # -- selection and the counting ---------------------------------------------

    def selected_key(self) -> DueState | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.key_at(rows[0].row()) if rows else None

    def select(self, subject_id: str, rule_code: str) -> bool:
        row = self.model.row_of(subject_id, rule_code)
        if row >= 0:
            self.table.selectRow(row)
            self.table.setFocus()
        return row >= 0

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_selection(self.selected_key())

    def _show_selection(self, key: DueState | None) -> None:
        self._explained = key
        self.result = None
        has = key is not None
        for button in (self.suspend_button, self.extend_button):
            button.setEnabled(has)
        can_clear = has and key is not None and key.state is not DeadlineState.NORMAL
        self.detail_clear_button.setEnabled(can_clear)
        self.clear_button.setEnabled(can_clear)
        self.clear_action.setEnabled(can_clear)
        if key is None:
            self.detail_title.setText(self.tr("选择一条期限，查看计算步骤和法律依据。"))
            self.steps.clear()
            return
        self.detail_title.setText(self._describe(key))
        self.steps.setHtml(html.escape(self.tr("正在计算…")))
        service, now = self.service, self.model.now
        self.explain_handle = self.context.tasks.run(
            lambda _ctx: service.explain(key.subject_id, key.rule_code, now),
            lambda result: self._explain_done(key, result),
            lambda exc: self._explain_failed(key, exc),
            parent_widget=self,
        )

    def _explain_done(self, key: DueState, result: DeadlineResult) -> None:
        if key is not self._explained:
            return
        self.result = result
        self.steps.setHtml(steps_html(result, self.context.language, self.tr("依据：")))

    def _explain_failed(self, key: DueState, exc: BaseException) -> None:
        if key is not self._explained:
            return
        if isinstance(exc, LawsupError):
            self.steps.setPlainText(exc.in_language(self.context.language))
        else:
            self.context.tasks.report_error(self, exc)

    def _describe(self, key: DueState) -> str:
        language = self.context.language
        item = self.model.item_at(self.model.row_of(key.subject_id, key.rule_code))
        rule = self.book.get(key.rule_code) if self.book else None
        rule_name = rule.name.in_language(language) if rule else key.rule_code
        parts = [rule_name]
        if item is not None:
            parts.append(f"{item.case_no} {item.case_name}")
            if item.person_name:
                parts.append(item.person_name)
        parts.append(self.tr("到期：{due}（{state}）").format(
            due=key.due.shown.in_language(language), state=key.state.label.in_language(language)
        ))
        return " · ".join(parts)

    # -- actions ------------------------------------------------------------------

    def clear_selected(self) -> ClearDialog | None:
        """逐一销账 of the selected warning: asks for a note of what was done."""
        key = self.selected_key()
        if key is None or key.state is DeadlineState.NORMAL:
            self.status.setText(self.tr("请先选择一条预警（已逾期、今日到期或临期）。"))
            return None
        dialog = ClearDialog(self._describe(key), self)
        dialog.submitted.connect(lambda: self._clear(dialog, key))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _clear(self, dialog: ClearDialog, key: DueState) -> None:
        service, workstation, note = self.service, self.context.workstation, dialog.note_text()
        now = clock.now()
        self.context.tasks.run(
            lambda _ctx: service.clear_warning(workstation, key.subject_id, key.rule_code, note,
                                               now),
            lambda _info: self._cleared(dialog, key),
            lambda exc: self._refused(dialog, exc),
            parent_widget=dialog,
        )

    def _cleared(self, dialog: ClearDialog, key: DueState) -> None:
        dialog.accept()
        row = self.model.row_of(key.subject_id, key.rule_code)
        self.model.remove(key.subject_id, key.rule_code)
        self._show_counts()
        self._tell_alerts()
        self.status.setText(self.tr("已销账：{what}").format(what=self._describe(key)))
        if self.model.rowCount() > 0:
            self.table.selectRow(min(row, self.model.rowCount() - 1))
            self.table.setFocus()
        else:
            self._show_selection(None)

    def _refused(self, dialog: ClearDialog | SuspensionDialog | ExtensionDialog,
                 exc: BaseException) -> None:
        if isinstance(exc, LawsupError):
            dialog.show_refusal(exc.in_language(self.context.language))
        else:
            dialog.show_refusal("")
            self.context.tasks.report_error(dialog, exc)

    def record_suspension(self) -> SuspensionDialog | None:
        key = self.selected_key()
        if key is None:
            return None
        dialog = SuspensionDialog(self._describe(key), clock.now(), self)
        service, workstation = self.service, self.context.workstation

        def submit() -> None:
            starts, ends, reason = dialog.values()
            self.context.tasks.run(
                lambda _ctx: service.record_suspension(workstation, key.subject_id,
                                                       key.rule_code, starts, ends, reason),
                lambda _info: self._adjusted(dialog, key),
                lambda exc: self._refused(dialog, exc),
                parent_widget=dialog,
            )

        dialog.submitted.connect(submit)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def record_extension(self) -> ExtensionDialog | None:
        key = self.selected_key()
        if key is None:
            return None
        language = self.context.language
        rule = self.book.get(key.rule_code) if self.book else None
        unit = rule.unit.label.in_language(language) if rule else ""
        if rule is None or not rule.extensions:
            limit = self.tr("此期限依法不能延长。")
        else:
            limit = self.tr("依法最长 {total} {unit}（可延长 {extra} {unit}）").format(
                total=rule.value + rule.max_extension, extra=rule.max_extension, unit=unit
            )
        dialog = ExtensionDialog(self._describe(key), unit, limit, self)
        service, workstation = self.service, self.context.workstation

        def submit() -> None:
            amount, approval = dialog.values()
            self.context.tasks.run(
                lambda _ctx: service.record_extension(workstation, key.subject_id,
                                                      key.rule_code, amount, approval),
                lambda _info: self._adjusted(dialog, key),
                lambda exc: self._refused(dialog, exc),
                parent_widget=dialog,
            )

        dialog.submitted.connect(submit)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _adjusted(self, dialog: SuspensionDialog | ExtensionDialog, key: DueState) -> None:
        dialog.accept()
        self.status.setText(self.tr("已记录，期限已重新计算：{what}").format(
            what=self._describe(key)))
        self.reload()

    # -- texts ------------------------------------------------------------------

    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("预警清单"))
        self.tabs.setTabText(1, self.tr("期限计算器"))
        self.heading.setText(self.tr("期限预警"))
        self.show_normal.setText(self.tr("显示正常期限"))
        self.busy_label.setText(self.tr("正在计算期限…"))
        self.refresh_button.setText(self.tr("刷新"))
        self.refresh_button.setToolTip(self.refresh_action.shortcut().toString(
            QKeySequence.SequenceFormat.NativeText))
        self.clear_action.setText(self.tr("销账"))
        shortcut = self.clear_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.clear_button.setText(self.tr("销账… ({key})").format(key=shortcut))
        self.detail_clear_button.setText(self.tr("销账…"))
        self.suspend_button.setText(self.tr("记录中止（鉴定）…"))
        self.extend_button.setText(self.tr("记录延长…"))
        self._show_counts()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        key = self.selected_key()
        if key is None:
            self.detail_title.setText(self.tr("选择一条期限，查看计算步骤和法律依据。"))
        else:
            self.detail_title.setText(self._describe(key))
            if self.result is not None:
                self.steps.setHtml(steps_html(self.result, self.context.language,
                                              self.tr("依据：")))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
