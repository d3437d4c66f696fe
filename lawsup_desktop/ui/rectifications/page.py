"""整改台账: the ledger of rectification items with its filters, counts and bulk
actions, the item panel beside it, and the ledgers out (XLSX / PDF).

The table shows a window of ids that SQL filtered and sorted; rows are read as
they scroll into view. At the page's first showing, and again whenever the day
changes while the program runs, overdue items are escalated in the background.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.errors import ConflictError, LawsupError
from lawsup_desktop.domain.rectification import EscalationLevel
from lawsup_desktop.domain.vocabulary import RectificationSource, RectificationState, RiskLevel
from lawsup_desktop.services.ledger_export import ExportResult, export_ledger
from lawsup_desktop.services.rectifications import (
    DEFAULT_SORT,
    EscalationDone,
    LedgerFilter,
    LedgerSort,
    LedgerView,
    RectificationRow,
    RectificationService,
)
from lawsup_desktop.services.roster import OfficerChoice, RosterService, UnitChoice
from lawsup_desktop.services.watch import ProblemTypeChoice
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.list_loading import ListLoader, debounced
from lawsup_desktop.ui.rectifications import clock
from lawsup_desktop.ui.rectifications.detail import ItemPanel
from lawsup_desktop.ui.rectifications.dialogs import (
    ExtendDialog,
    FormDialog,
    NewItemDialog,
    ReassignDialog,
)
from lawsup_desktop.ui.rectifications.model import (
    SORT_KEYS,
    WINDOW,
    Column,
    LedgerModel,
)
from lawsup_desktop.ui.sync.controller import sync_controller
from lawsup_desktop.ui.tasks import TaskHandle

S = RectificationState
STATE_STYLE = {
    S.PENDING: ("#e3ecf7", "#1f4e8c"),
    S.IN_PROGRESS: ("#fff1b8", "#7a5c00"),
    S.AWAITING_VERIFICATION: ("#e7def5", "#55308d"),
    S.SIGNED_OFF: ("#dcefdc", "#1d5e2a"),
}
DAY_CHECK_MS = 10 * 60 * 1000
"""How often the page looks whether the day changed (then escalates again)."""
DUE_WINDOWS = (3, 7, 30)

Roster = tuple[list[ProblemTypeChoice], list[UnitChoice], list[OfficerChoice]]
Loaded = tuple[LedgerView, list[RectificationRow]]


class _SortableModel(LedgerModel):
    sort_requested = Signal(int, object)  # column, Qt.SortOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_requested.emit(column, order)


class RectificationPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rectifications_page")
        self.context = context
        self.clock: Callable[[], dt.date] = lambda: clock.today()
        """What "today" is for the ledger (tests move it: this attribute or clock.today)."""
        self.service = RectificationService(
            context.db, context.folder.attachments, lambda: self.clock(),
            actor=context.workstation.actor,
        )
        self.roster_service = RosterService(context.db)
        self.sort = DEFAULT_SORT
        self.problem_types: list[ProblemTypeChoice] = []
        self.units: list[UnitChoice] = []
        self.officers: list[OfficerChoice] = []
        self.load_handle: TaskHandle[Loaded] | None = None
        self.escalate_handle: TaskHandle[list[EscalationDone]] | None = None
        self.export_handle: TaskHandle[ExportResult] | None = None
        self.handles: list[TaskHandle[Any]] = []
        self.escalated_on: dt.date | None = None
        self.last_export: ExportResult | None = None
        self.dialog: FormDialog | None = None
        self.loader = ListLoader(context.tasks, self)
        self.view: LedgerView | None = None

        # Header: the title, the counts per state.
        self.heading = QLabel(self)
        self.heading.setObjectName("page_heading")
        self.heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.count_labels: dict[RectificationState, QLabel] = {}
        counts_row = QHBoxLayout()
        counts_row.addWidget(self.heading)
        counts_row.addSpacing(16)
        for state in RectificationState:
            label = QLabel(self)
            label.setObjectName(f"count_{state.value}")
            background, color = STATE_STYLE[state]
            label.setStyleSheet(f"background: {background}; color: {color}; border-radius: 4px;"
                                " padding: 3px 10px; font-weight: bold;")
            self.count_labels[state] = label
            counts_row.addWidget(label)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("total")
        counts_row.addWidget(self.total_label)
        counts_row.addStretch(1)

        # Filters.
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self.search_timer = debounced(self.search, self.reload)
        self.state_filter = self._combo("filter_state")
        self.risk_filter = self._combo("filter_risk")
        self.unit_filter = self._combo("filter_unit")
        self.officer_filter = self._combo("filter_officer")
        self.problem_filter = self._combo("filter_problem_type")
        self.source_filter = self._combo("filter_source")
        self.escalation_filter = self._combo("filter_escalation")
        self.due_filter = self._combo("filter_due")
        self.overdue_filter = self._combo("filter_overdue")
        filters_top = QHBoxLayout()
        filters_top.addWidget(self.search, 2)
        for combo in (self.state_filter, self.risk_filter, self.overdue_filter, self.due_filter,
                      self.escalation_filter):
            filters_top.addWidget(combo, 1)
        filters_bottom = QHBoxLayout()
        for combo in (self.unit_filter, self.officer_filter, self.problem_filter,
                      self.source_filter):
            filters_bottom.addWidget(combo, 1)
        self.clear_filters_button = QPushButton(self)
        self.clear_filters_button.setObjectName("clear_filters")
        self.clear_filters_button.clicked.connect(self.clear_filters)
        filters_bottom.addWidget(self.clear_filters_button)

        # Actions.
        self.new_button = self._button("new_item", self.new_item)
        self.reassign_button = self._button("reassign", self.reassign)
        self.extend_button = self._button("extend", self.extend)
        self.xlsx_button = self._button("export_xlsx", lambda: self.export(".xlsx"))
        self.pdf_button = self._button("export_pdf", lambda: self.export(".pdf"))
        self.refresh_button = self._button("refresh", self.refresh)
        actions_row = QHBoxLayout()
        for button in (self.new_button, self.reassign_button, self.extend_button):
            actions_row.addWidget(button)
        actions_row.addStretch(1)
        for button in (self.xlsx_button, self.pdf_button, self.refresh_button):
            actions_row.addWidget(button)

        # The ledger and the item panel.
        self.model = _SortableModel(lambda: self.context.language, self)
        self.model.rows_needed.connect(self._fetch_rows)
        self.model.window_needed.connect(self._fetch_window)
        self.model.sort_requested.connect(self._sort_requested)
        # Each window's sync badges come with its rows; read again when sync changed them.
        self.loader.show_badges(context.db, "rectification", self.model,
                                sync_controller(context).changed)
        self.table = QTableView(self)
        self.table.setObjectName("ledger")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in ((Column.NUMBER, 116), (Column.STATE, 64), (Column.DUE, 160),
                              (Column.ESCALATION, 76), (Column.RISK, 40),
                              (Column.PROBLEM_TYPE, 80), (Column.DESCRIPTION, 240),
                              (Column.UNIT, 86), (Column.OFFICER, 64), (Column.SOURCE, 76),
                              (Column.SYNC, 84)):
            self.table.setColumnWidth(column, width)
        header.setSortIndicator(Column.DUE, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self._sort_requested)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.open_detail())
        self.panel = ItemPanel(context, self.service, self)
        self.panel.changed.connect(self._item_changed)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(counts_row)
        layout.addLayout(filters_top)
        layout.addLayout(filters_bottom)
        layout.addLayout(actions_row)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

        # Keyboard: Ctrl+N new item, Ctrl+F search, F5 refresh, Enter opens the item.
        self.new_action = self._action("Ctrl+N", self.new_item)
        self.find_action = self._action("Ctrl+F", self.focus_search)
        self.refresh_action = self._action("F5", self.refresh)

        self.day_timer = QTimer(self)
        self.day_timer.setInterval(DAY_CHECK_MS)
        self.day_timer.timeout.connect(self.check_day)
        self.day_timer.start()

        self.retranslate()
        self._update_actions()
        self._load_roster()
        # Escalate first (it changes what the ledger shows), then load the ledger.
        self.escalate()

    # -- building -------------------------------------------------------------

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        return combo

    def _button(self, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _action(self, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def retranslate(self) -> None:
        self.heading.setText(self.tr("整改台账"))
        self.search.setPlaceholderText(self.tr("搜索编号或问题描述（Ctrl+F）"))
        self.clear_filters_button.setText(self.tr("清除筛选"))
        self.new_button.setText(self.tr("新建整改事项（Ctrl+N）"))
        self.reassign_button.setText(self.tr("批量改派…"))
        self.extend_button.setText(self.tr("批量延期…"))
        self.xlsx_button.setText(self.tr("导出 Excel…"))
        self.pdf_button.setText(self.tr("导出 PDF…"))
        self.refresh_button.setText(self.tr("刷新（F5）"))
        self._fill_filters()
        self._show_counts(self.view)
        self.panel.retranslate()
        # The table's headers and labels (states, risks...) are in the language too.
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        self.model.add_rows([])

    def _fill_filters(self) -> None:
        language = self.context.language

        def fill(combo: QComboBox, everything: str, items: Sequence[tuple[str, object]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for text, value in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
            combo.blockSignals(False)

        fill(self.state_filter, self.tr("全部状态"),
             [(s.label.in_language(language), s) for s in RectificationState])
        fill(self.risk_filter, self.tr("全部风险等级"),
             [(r.label.in_language(language), r) for r in RiskLevel])
        fill(self.overdue_filter, self.tr("超期：不限"),
             [(self.tr("仅超期"), "overdue"), (self.tr("未超期"), "not_overdue")])
        fill(self.due_filter, self.tr("期限：不限"),
             [(self.tr("{days} 天内到期").format(days=d), d) for d in DUE_WINDOWS])
        fill(self.escalation_filter, self.tr("全部督办层级"),
             [(level.label.in_language(language), int(level)) for level in EscalationLevel])
        fill(self.unit_filter, self.tr("全部责任单位"), [(u.name, u.id) for u in self.units])
        unit_id = self.unit_filter.currentData()
        fill(self.officer_filter, self.tr("全部责任人"),
             [(o.name, o.id) for o in self.officers if unit_id is None or o.unit_id == unit_id])
        fill(self.problem_filter, self.tr("全部问题类型"),
             [(p.label.in_language(language), p.id) for p in self.problem_types])
        fill(self.source_filter, self.tr("全部来源"),
             [(s.label.in_language(language), s) for s in RectificationSource])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the roster -----------------------------------------------------------

    def _load_roster(self, *, then_reload: bool = False) -> None:
        roster = self.roster_service
        self._track(self.context.tasks.run(
            lambda _ctx: (roster.problem_types(), roster.units(), roster.officers()),
            lambda loaded: self._roster_loaded(loaded, then_reload),
        ))

    def reload_roster(self) -> None:
        """Read the negative list and the roster again (a sync may have given them the
        bureau's ids: see MainWindow.refresh_rosters); if the list's ids changed, the
        ledger and the open item too, so the filter and the item's problem type hold
        the new ones."""
        self._load_roster(then_reload=True)

    def _roster_loaded(self, roster: Roster, then_reload: bool) -> None:
        renamed = {p.id for p in roster[0]} != {p.id for p in self.problem_types}
        self.problem_types, self.units, self.officers = roster
        self._fill_filters()
        self.panel.set_problem_types(self.problem_types)
        if then_reload and renamed:
            self.reload(reload_panel=True)

    # -- the filter and the ledger -------------------------------------------

    def current_filter(self) -> LedgerFilter:
        def one(combo: QComboBox) -> frozenset[Any]:
            value = combo.currentData()
            return frozenset() if value is None else frozenset({value})

        today = self.clock()
        due_days = self.due_filter.currentData()
        overdue = self.overdue_filter.currentData()
        return LedgerFilter(
            states=one(self.state_filter),
            risk_levels=one(self.risk_filter),
            unit_ids=one(self.unit_filter),
            officer_ids=one(self.officer_filter),
            problem_type_ids=one(self.problem_filter),
            sources=one(self.source_filter),
            escalation_levels=one(self.escalation_filter),
            due_from=today if due_days is not None else None,
            due_to=today + dt.timedelta(days=int(due_days)) if due_days is not None else None,
            overdue=None if overdue is None else overdue == "overdue",
            text=self.search.text(),
        )

    def _filter_changed(self) -> None:
        if self.sender() is self.unit_filter:
            self._fill_filters()  # the officers of the chosen unit
        self.reload()

    def clear_filters(self) -> None:
        for combo in self.findChildren(QComboBox):
            if combo.objectName().startswith("filter_"):
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._fill_filters()
        self.reload()

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        key = SORT_KEYS.get(Column(column))
        if key is None:  # not sortable: put the indicator back
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            back = next(c for c, k in SORT_KEYS.items() if k == self.sort.key)
            header.setSortIndicator(back, Qt.SortOrder.DescendingOrder if self.sort.descending
                                    else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
            return
        sort = LedgerSort(key, order == Qt.SortOrder.DescendingOrder)
        if sort != self.sort:
            self.sort = sort
            self.reload()

    def reload(self, *, reload_panel: bool = False) -> TaskHandle[Loaded]:
        """Read the counts and the first window of the ledger for the filter and sort."""
        service, flt, sort = self.service, self.current_filter(), self.sort

        def job(_ctx: object) -> Loaded:
            view = service.ledger(flt, sort, offset=0, limit=WINDOW)
            return view, service.rows(view.ids)

        handle = self.loader.load(
            job, lambda loaded: self._loaded(loaded, reload_panel), self._failed,
            ids_of=lambda loaded: loaded[0].ids,
        )
        self.load_handle = handle
        return handle

    def refresh(self) -> None:
        """F5: escalate if the day changed, then read everything again."""
        if self.escalated_on != self.clock():
            self.escalate()
        else:
            self.reload(reload_panel=True)

    def is_loading(self) -> bool:
        handles = (self.load_handle, self.escalate_handle, *self.handles)
        return (self.panel.is_loading() or self.loader.is_loading()
                or any(h is not None and not h.done for h in handles))

    def _loaded(self, loaded: Loaded, reload_panel: bool) -> None:
        view, rows = loaded
        selected = self.selected_ids()
        self.model.reset(view.ids, view.total, rows)
        self.view = view
        self._show_counts(view)
        for rid in selected:
            row = self.model.row_of(rid)
            if row >= 0:
                self.table.selectionModel().select(
                    self.model.index(row, 0),
                    self.table.selectionModel().SelectionFlag.Select
                    | self.table.selectionModel().SelectionFlag.Rows,
                )
        if reload_panel and self.panel.rectification_id is not None:
            self.panel.load(self.panel.rectification_id, keep_typed=True)
        self._update_actions()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, LawsupError):
            self.status.setText(exc.in_language(self.context.language))
        else:
            self.context.tasks.report_error(self, exc)

    def _show_counts(self, view: LedgerView | None) -> None:
        language = self.context.language
        for state, label in self.count_labels.items():
            count = "…" if view is None else str(view.counts.get(state, 0))
            label.setText(f"{state.label.in_language(language)} {count}")
        self.total_label.setText(
            "" if view is None else self.tr("当前筛选共 {total} 项").format(total=view.total)
        )

    def _fetch_rows(self, ids: list[str]) -> None:
        service = self.service
        def failed(exc: BaseException) -> None:
            self.model.forget_pending(ids)
            self._failed(exc)

        self.loader.fetch(
            lambda _ctx: service.rows(ids), lambda rows: self.model.add_rows(rows, ids), failed,
            ids_of=lambda rows: [r.id for r in rows],
        )

    def _fetch_window(self, offset: int) -> None:
        service, flt, sort = self.service, self.current_filter(), self.sort

        def added(ids: list[str]) -> None:
            self.model.add_ids(offset, ids)
            self._update_actions()

        def failed(exc: BaseException) -> None:
            self.model.window_failed()
            self._failed(exc)

        self.loader.fetch(
            lambda _ctx: service.ids(flt, sort, offset=offset, limit=WINDOW), added, failed,
        )

    def _track(self, handle: TaskHandle[Any]) -> TaskHandle[Any]:
        self.handles = [h for h in self.handles if not h.done] + [handle]
        return handle

    # -- escalation -----------------------------------------------------------

    def escalate(self) -> TaskHandle[list[EscalationDone]]:
        """Raise the escalation of overdue items as of today, then reload."""
        service, today = self.service, self.clock()

        def failed(exc: BaseException) -> None:
            self._failed(exc)
            self.reload()  # the ledger is still worth showing

        self.escalate_handle = self.context.tasks.run(
            lambda _ctx: service.escalate_overdue(today),
            lambda done: self._escalated(today, done),
            failed,
        )
        return self.escalate_handle

    def _escalated(self, today: dt.date, done: list[EscalationDone]) -> None:
        self.escalated_on = today
        if done:
            language = self.context.language
            numbers = "、".join(f"{d.number}→{d.to_level.label.in_language(language)}"
                               for d in done[:5])
            more = "…" if len(done) > 5 else ""
            self.status.setText(self.tr("{count} 项整改事项超期升级督办：{numbers}").format(
                count=len(done), numbers=numbers + more))
        self.reload(reload_panel=True)

    def check_day(self) -> None:
        """The day timer: a new day (the program ran overnight) escalates again."""
        running = self.escalate_handle is not None and not self.escalate_handle.done
        if not running and self.escalated_on != self.clock():
            self.escalate()

    # -- selection and the item ----------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [rid for r in rows if (rid := self.model.id_at(r)) is not None]

    def select(self, rectification_id: str) -> bool:
        row = self.model.row_of(rectification_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_actions()
        current = self.table.currentIndex()
        ids = self.selected_ids()
        rid = self.model.id_at(current.row()) if current.isValid() else None
        if rid not in ids:
            rid = ids[0] if ids else None
        if rid is not None and rid != self.panel.rectification_id:
            self.panel.load(rid)

    def open_detail(self) -> None:
        """Enter: show the current item in the panel and go there."""
        index: QModelIndex = self.table.currentIndex()
        rid = self.model.id_at(index.row()) if index.isValid() else None
        if rid is None:
            return
        if rid != self.panel.rectification_id:
            self.panel.load(rid)
        sizes = self.splitter.sizes()
        if sizes[1] < 200:
            self.splitter.setSizes([sizes[0] + sizes[1] - 420, 420])
        self.panel.description.setFocus()

    def _item_changed(self, row: RectificationRow) -> None:
        self.model.add_rows([row])
        self.reload()

    def _update_actions(self) -> None:
        has_selection = bool(self.table.selectionModel().selectedRows())
        self.reassign_button.setEnabled(has_selection)
        self.extend_button.setEnabled(has_selection)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- new item and bulk actions -------------------------------------------

    def _open(self, dialog: FormDialog) -> FormDialog:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _refused(self, dialog: FormDialog, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            dialog.show_refusal(exc.in_language(self.context.language))
            self.reload(reload_panel=True)
        elif isinstance(exc, LawsupError):
            dialog.show_refusal(exc.in_language(self.context.language))
        else:
            dialog.show_refusal("")
            self.context.tasks.report_error(dialog, exc)

    def new_item(self) -> NewItemDialog:
        dialog = NewItemDialog(self.problem_types, self.units, self.officers, self.clock(),
                               self.context.language, self)
        dialog.submitted.connect(lambda: self._create(dialog))
        self._open(dialog)
        return dialog

    def _create(self, dialog: NewItemDialog) -> None:
        service, draft = self.service, dialog.draft()
        self._track(self.context.tasks.run(
            lambda _ctx: service.create(draft),
            lambda row: self._created(dialog, row),
            lambda exc: self._refused(dialog, exc),
            parent_widget=dialog,
        ))

    def _created(self, dialog: NewItemDialog, row: RectificationRow) -> None:
        dialog.accept()
        self.status.setText(self.tr("已登记整改事项 {number}。").format(number=row.number))
        handle = self.reload()
        handle.succeeded.connect(lambda _r: self.select(row.id))

    def _versions(self, ids: Sequence[str]) -> dict[str, int]:
        rows = {r.id: r for r in self.model.loaded_rows()}
        return {i: rows[i].version for i in ids if i in rows}

    def reassign(self) -> ReassignDialog | None:
        ids = self.selected_ids()
        if not ids:
            return None
        dialog = ReassignDialog(len(ids), self.units, self.officers, self)
        dialog.submitted.connect(lambda: self._reassign(dialog, ids))
        self._open(dialog)
        return dialog

    def _reassign(self, dialog: ReassignDialog, ids: list[str]) -> None:
        service, versions = self.service, self._versions(ids)
        unit, officer = dialog.people.unit_id(), dialog.people.officer_id()
        note = dialog.note.text()
        self._track(self.context.tasks.run(
            lambda _ctx: service.reassign(ids, unit, officer, note, versions),
            lambda rows: self._bulk_done(dialog, rows, self.tr("已改派 {count} 项。")),
            lambda exc: self._refused(dialog, exc),
            parent_widget=dialog,
        ))

    def extend(self) -> ExtendDialog | None:
        ids = self.selected_ids()
        if not ids:
            return None
        rows = [r for r in self.model.loaded_rows() if r.id in ids]
        latest = max((r.due_date for r in rows), default=self.clock())
        suggested = max(latest, self.clock()) + dt.timedelta(days=7)
        dialog = ExtendDialog(len(ids), suggested, self)
        dialog.submitted.connect(lambda: self._extend(dialog, ids))
        self._open(dialog)
        return dialog

    def _extend(self, dialog: ExtendDialog, ids: list[str]) -> None:
        service, versions = self.service, self._versions(ids)
        new_due, reason = dialog.new_due_date(), dialog.reason.text()
        self._track(self.context.tasks.run(
            lambda _ctx: service.extend_due_date(ids, new_due, reason, versions),
            lambda rows: self._bulk_done(dialog, rows, self.tr("已延长 {count} 项的整改期限。")),
            lambda exc: self._refused(dialog, exc),
            parent_widget=dialog,
        ))

    def _bulk_done(self, dialog: FormDialog, rows: list[RectificationRow], text: str) -> None:
        dialog.accept()
        self.model.add_rows(rows)
        self.status.setText(text.format(count=len(rows)))
        self.reload(reload_panel=True)

    # -- ledgers out ------------------------------------------------------------

    def export(self, suffix: str) -> TaskHandle[ExportResult] | None:
        """Export the ledger as filtered and sorted now, to a file the user names."""
        kind = "Excel (*.xlsx)" if suffix == ".xlsx" else "PDF (*.pdf)"
        default = Path.home() / f"{self.tr('整改台账')}_{self.clock().isoformat()}{suffix}"
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("导出整改台账"), str(default), kind
        )
        if not name:
            return None
        target = Path(name)
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        service, flt, sort = self.service, self.current_filter(), self.sort
        station = self.context.workstation.station_name
        language = "en" if self.context.language.startswith("en") else "zh"
        self.export_handle = self.context.tasks.run(
            lambda ctx: export_ledger(service, target, flt, sort, ctx, station_name=station,
                                      language=language),
            self._exported,
            self._failed,
            progress_label=self.tr("正在导出整改台账到“{name}”…").format(name=target.name),
            parent_widget=self,
            cancellable=True,
        )
        self.export_handle.cancelled.connect(
            lambda: self.status.setText(self.tr("已取消导出，未生成文件。")))
        return self.export_handle

    def _exported(self, result: ExportResult) -> None:
        self.last_export = result
        self.status.setText(self.tr("已导出 {rows} 项到 {path}").format(
            rows=result.rows, path=result.path))
