"""警情与回访: the incident list over the whole store with its filters, search and
count; the detail of the incident opened (Enter or a double-click) beside it;
recording a follow-up (Ctrl+R); the visible list out to XLSX.

Every filter, sort or search change is a new query in the background (filter
and sort in SQL); the table shows its first window at once and reads further
windows as it scrolls, so the page stays quick at 200,000 incidents.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent, QModelIndex, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
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

from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.domain.vocabulary import (
    Disposition,
    IncidentCategory,
    KeyCategory,
    WatchState,
)
from lawsup_desktop.services.incident_export import ExportResult, export_incidents_xlsx
from lawsup_desktop.services.incidents import (
    FollowUpStatus,
    IncidentDetail,
    IncidentFilter,
    IncidentQuery,
    IncidentRow,
    Page,
    SortKey,
    unit_choices,
)
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.incidents.detail import IncidentPanel
from lawsup_desktop.ui.incidents.model import SORT_KEYS, WINDOW, Column, IncidentListModel
from lawsup_desktop.ui.list_loading import ListLoader, debounced
from lawsup_desktop.ui.sync.controller import sync_controller
from lawsup_desktop.ui.tasks import TaskHandle

FOLLOW_UP_DIALOG = "lawsup_desktop.ui.follow_ups.dialog"
"""Where ``record_follow_up(parent, context, incident_id) -> bool`` lives."""
BUSY_DELAY_MS = 400
"""A query still running after this long shows "querying" instead of the old count."""
DATE_PRESETS = ("all", "today", "3", "7", "30", "custom")
KEY_ONLY = "key"
COLUMN_WIDTHS = {
    Column.INCIDENT_NO: 132, Column.RECEIVED_AT: 118, Column.CATEGORY: 70,
    Column.KEY_CATEGORY: 64, Column.ADDRESS: 170, Column.SUMMARY: 216, Column.CALLER: 64,
    Column.UNIT: 100, Column.DISPOSITION: 80, Column.WATCH: 80, Column.FOLLOW_UP: 176,
    Column.SYNC: 84,
}


def today() -> dt.date:
    """The page's "today" (tests replace this function before the page is built)."""
    return dt.date.today()


@dataclass(frozen=True)
class ListQuery:
    """What the table shows: the filter and the sort it was read with."""

    filter: IncidentFilter
    sort: SortKey = SortKey.RECEIVED_AT
    descending: bool = True


class IncidentsPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidents_page")
        self.context = context
        self.clock: Callable[[], dt.date] = lambda: today()
        """What "today" is for due and overdue follow-ups (tests set it)."""
        self.query = IncidentQuery(context.db)
        self.sort = SortKey.RECEIVED_AT
        self.descending = True
        self.shown: ListQuery | None = None
        """The query whose rows the table holds (the export writes exactly these)."""
        self.units: list[tuple[str, str]] = []
        self.loader = ListLoader(context.tasks, self)
        self.detail_handle: TaskHandle[IncidentDetail] | None = None
        self.export_handle: TaskHandle[ExportResult] | None = None
        self.last_export: ExportResult | None = None
        self._detail_generation = 0
        self._units_asked = False
        self.load_handle: TaskHandle[Page] | None = None
        # A query that takes a while (a 1-character search over 200,000) says so.
        self.busy_timer = QTimer(self)
        self.busy_timer.setSingleShot(True)
        self.busy_timer.setInterval(BUSY_DELAY_MS)
        self.busy_timer.timeout.connect(self._show_busy)
        self.model = IncidentListModel(lambda: self.context.language, self)
        self.model.window_needed.connect(self._fetch_window)
        self.model.rows_needed.connect(self._fetch_rows)
        self.model.sort_requested.connect(self._sort_requested)
        # Each window's sync badges come with its rows; read again when sync changed them.
        self.loader.show_badges(context.db, "incident", self.model,
                                sync_controller(context).changed)
        # The first window is read while the widgets are built (the default filter).
        self._load(ListQuery(IncidentFilter()))

        self.heading = QLabel(self)
        self.heading.setObjectName("page_heading")
        self.heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("incident_count")
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("export_xlsx")
        self.export_button.clicked.connect(lambda _checked=False: self.export_xlsx())
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("refresh")
        self.refresh_button.clicked.connect(lambda _checked=False: self.reload())
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)

        # Filters: each change is a new query; the search waits for a pause in typing.
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search_timer = debounced(self.search, self.reload)
        self.date_filter = self._combo("filter_date")
        self.date_from = self._date("filter_date_from")
        self.date_to = self._date("filter_date_to")
        self.date_dash = QLabel("–", self)
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("clear_filters")
        self.clear_button.clicked.connect(lambda _checked=False: self.clear_filters())
        filters_top = QHBoxLayout()
        filters_top.addWidget(self.search, 3)
        filters_top.addWidget(self.date_filter, 1)
        filters_top.addWidget(self.date_from)
        filters_top.addWidget(self.date_dash)
        filters_top.addWidget(self.date_to)
        filters_top.addWidget(self.clear_button)
        self.category_filter = self._combo("filter_category")
        self.key_filter = self._combo("filter_key")
        self.disposition_filter = self._combo("filter_disposition")
        self.unit_filter = self._combo("filter_unit")
        self.watch_filter = self._combo("filter_watch")
        self.follow_up_filter = self._combo("filter_follow_up")
        filters_bottom = QHBoxLayout()
        for combo in (self.category_filter, self.key_filter, self.disposition_filter,
                      self.unit_filter, self.watch_filter, self.follow_up_filter):
            filters_bottom.addWidget(combo, 1)

        self.table = QTableView(self)
        self.table.setObjectName("incident_list")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)  # the last column is the narrow sync badge
        header.setSortIndicator(Column.RECEIVED_AT, Qt.SortOrder.DescendingOrder)
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        self.table.setSortingEnabled(True)
        self.table.activated.connect(lambda index: self.open_detail(index))

        self.panel = IncidentPanel(lambda: self.context.language, self)
        self.panel.record_follow_up_requested.connect(self.record_follow_up)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.panel.hide()  # the list has the whole width until an incident is opened

        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(top)
        layout.addLayout(filters_top)
        layout.addLayout(filters_bottom)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

        # Keyboard: Ctrl+F search, Ctrl+R record a follow-up, F5 read again;
        # Enter on a row opens its detail (the table's "activated").
        self.find_action = self._action("Ctrl+F", self.focus_search)
        self.follow_up_action = self._action("Ctrl+R", self.record_follow_up)
        self.refresh_action = self._action("F5", self.reload)

        self.retranslate()
        self._date_preset_changed()

    # -- building -------------------------------------------------------------

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        combo.currentIndexChanged.connect(lambda _i: self._filter_changed(combo))
        return combo

    def _date(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDate(_qdate(self.clock()))
        edit.dateChanged.connect(lambda _d: self._custom_dates_changed())
        return edit

    def _action(self, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("警情与回访"))
        self.search.setPlaceholderText(
            self.tr("搜索接警编号、地点、警情内容、报警人、处警记录（Ctrl+F）"))
        self.export_button.setText(self.tr("导出 XLSX…"))
        self.refresh_button.setText(self.tr("刷新（F5）"))
        self.clear_button.setText(self.tr("清除筛选"))
        self.date_from.setToolTip(self.tr("报警日期自"))
        self.date_to.setToolTip(self.tr("报警日期至"))
        self._fill_filters()
        self._show_count()
        self.model.relabel()

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

        def labels(values: Sequence[Any]) -> list[tuple[str, object]]:
            return [(v.label.in_language(language), v.value) for v in values]

        presets = {"today": self.tr("今天"), "3": self.tr("近 3 天"), "7": self.tr("近 7 天"),
                   "30": self.tr("近 30 天"), "custom": self.tr("自定日期")}
        fill(self.date_filter, self.tr("全部日期"), [(presets[p], p) for p in DATE_PRESETS[1:]])
        fill(self.category_filter, self.tr("全部类别"), labels(list(IncidentCategory)))
        fill(self.key_filter, self.tr("全部警情"),
             [(self.tr("仅重点警情"), KEY_ONLY), *labels(list(KeyCategory))])
        fill(self.disposition_filter, self.tr("全部处置结果"), labels(list(Disposition)))
        fill(self.unit_filter, self.tr("全部单位"), self.units)
        fill(self.watch_filter, self.tr("全部盯警状态"), labels(list(WatchState)))
        fill(self.follow_up_filter, self.tr("全部回访状态"), labels(list(FollowUpStatus)))

    def _units_loaded(self, units: list[tuple[str, str]]) -> None:
        self.units = [(name, unit_id) for unit_id, name in units]
        self._fill_filters()

    # -- the filter and the list ---------------------------------------------

    def current_filter(self) -> IncidentFilter:
        def one(combo: QComboBox, kind: Callable[[Any], Any]) -> frozenset[Any]:
            value = combo.currentData()
            return frozenset() if value is None else frozenset({kind(value)})

        received_from, received_to = self._date_range()
        key = self.key_filter.currentData()
        return IncidentFilter(
            received_from=received_from,
            received_to=received_to,
            categories=one(self.category_filter, IncidentCategory),
            key_only=key == KEY_ONLY,
            key_categories=(frozenset({KeyCategory(key)}) if key not in (None, KEY_ONLY)
                            else frozenset()),
            dispositions=one(self.disposition_filter, Disposition),
            unit_ids=one(self.unit_filter, str),
            watch_states=one(self.watch_filter, WatchState),
            follow_up=one(self.follow_up_filter, FollowUpStatus),
            text=self.search.text(),
        )

    def _date_range(self) -> tuple[dt.date | None, dt.date | None]:
        preset = self.date_filter.currentData()
        today = self.clock()
        if preset is None:
            return None, None
        if preset == "today":
            return today, today
        if preset == "custom":
            first, last = _pydate(self.date_from.date()), _pydate(self.date_to.date())
            return min(first, last), max(first, last)
        return today - dt.timedelta(days=int(preset) - 1), today

    def _filter_changed(self, combo: QComboBox) -> None:
        if combo is self.date_filter:
            self._date_preset_changed()
        self.reload()

    def _date_preset_changed(self) -> None:
        custom = self.date_filter.currentData() == "custom"
        for widget in (self.date_from, self.date_to, self.date_dash):
            widget.setVisible(custom)

    def _custom_dates_changed(self) -> None:
        if self.date_filter.currentData() == "custom":
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
        self._date_preset_changed()
        self.reload()

    def list_query(self) -> ListQuery:
        return ListQuery(self.current_filter(), self.sort, self.descending)

    def reload(self) -> TaskHandle[Page]:
        """Read the count and the first window for the filter and sort chosen now."""
        self.search_timer.stop()
        self.status.clear()
        return self._load(self.list_query())

    def _load(self, wanted: ListQuery) -> TaskHandle[Page]:
        query, today = self.query, self.clock()
        self.busy_timer.start()

        def failed(exc: BaseException) -> None:
            if self.loader.generation == generation:  # not a query already replaced
                self.busy_timer.stop()
                self._show_count()
            self._failed(exc)

        generation = self.loader.generation + 1  # the one this load starts
        self.load_handle = self.loader.load(
            lambda _ctx: query.page(wanted.filter, wanted.sort, wanted.descending,
                                    limit=WINDOW, today=today),
            lambda page: self._loaded(wanted, page),
            failed,
            ids_of=lambda page: [r.id for r in page.rows],
        )
        return self.load_handle

    def _loaded(self, shown: ListQuery, page: Page) -> None:
        keep = self.current_incident_id()
        self.busy_timer.stop()
        self.shown = shown
        self.model.reset(page.rows, page.total)
        self._show_count()
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.table.selectRow(row)
        if not self._units_asked:  # after the first rows: they come first
            self._units_asked = True
            db = self.context.db
            self.loader.run(lambda _ctx: unit_choices(db), self._units_loaded)
            # The search index's once-a-session check (a pass over every document)
            # runs now, while the first rows are read, not on the first search typed.
            # Not through the loader: it is not the list loading, and nothing waits on it.
            query = self.query
            self.context.tasks.run(lambda _ctx: query.prepare_search(), parent_widget=self)

    def _show_busy(self) -> None:
        if self.load_handle is not None and not self.load_handle.done:
            self.count_label.setText(self.tr("正在查询…"))

    def _show_count(self) -> None:
        self.count_label.setText(
            "" if self.shown is None else self.tr("共 {n} 条").format(n=self.model.total))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, LawsupError):
            self.status.setText(exc.in_language(self.context.language))
        else:
            self.context.tasks.report_error(self, exc)

    def _fetch_window(self, offset: int) -> None:
        shown, query, today = self.shown, self.query, self.clock()
        if shown is None:
            return

        def failed(exc: BaseException) -> None:
            self.model.window_failed(offset)
            self._failed(exc)

        self.loader.fetch(
            lambda _ctx: query.page(shown.filter, shown.sort, shown.descending,
                                    offset=offset, limit=WINDOW, today=today).rows,
            lambda rows: self.model.add_window(offset, rows),
            failed,
            ids_of=_row_ids,
        )

    def _fetch_rows(self, ids: Sequence[str]) -> None:
        asked, query, today = list(ids), self.query, self.clock()

        def failed(exc: BaseException) -> None:
            self.model.forget_pending(asked)
            self._failed(exc)

        self.loader.fetch(lambda _ctx: query.rows(asked, today=today),
                          lambda rows: self.model.add_rows(rows, asked), failed, ids_of=_row_ids)

    def _sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        key = SORT_KEYS.get(Column(column))
        if key is None:  # not sortable in SQL: put the indicator back
            header = self.table.horizontalHeader()
            back = next(c for c, k in SORT_KEYS.items() if k == self.sort)
            header.blockSignals(True)
            header.setSortIndicator(back, Qt.SortOrder.DescendingOrder if self.descending
                                    else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
            header.viewport().update()
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.sort, self.descending):
            self.sort, self.descending = key, descending
            self.reload()

    def is_loading(self) -> bool:
        handles = (self.detail_handle, self.export_handle)
        return (self.loader.is_loading() or self.search_timer.isActive() or self.model.is_asking()
                or any(h is not None and not h.done for h in handles))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def loaded_rows(self) -> list[IncidentRow]:
        return self.model.loaded_rows()

    # -- the incident ------------------------------------------------------------

    def current_incident_id(self) -> str | None:
        index = self.table.currentIndex()
        # A place whose window is not read yet has no id.
        return (self.model.id_at(index.row()) or None) if index.isValid() else None

    def open_detail(self, index: QModelIndex | None = None) -> None:
        """Enter or a double-click: the incident's detail beside the list."""
        index = index if index is not None else self.table.currentIndex()
        incident_id = (self.model.id_at(index.row()) or None) if index.isValid() else None
        if incident_id is not None:
            self.load_detail(incident_id)

    def load_detail(self, incident_id: str) -> TaskHandle[IncidentDetail]:
        self._detail_generation += 1
        generation, query, today = self._detail_generation, self.query, self.clock()

        def show(detail: IncidentDetail) -> None:
            if generation == self._detail_generation:
                self.panel.show_detail(detail)
                self.model.add_rows([detail.row])  # the row as it is now

        self.detail_handle = self.loader.run(
            lambda _ctx: query.detail(incident_id, today=today), show, self._failed)
        if self.panel.isHidden():
            self.panel.show()
            width = sum(self.splitter.sizes())
            self.splitter.setSizes([max(width - 520, 300), 520])
        return self.detail_handle

    def record_follow_up(self) -> bool:
        """Ctrl+R: record a follow-up of the open incident (else the selected one)."""
        incident_id = self.panel.incident_id or self.current_incident_id()
        if incident_id is None:
            self.status.setText(self.tr("请先选择一条警情。"))
            return False
        self.status.clear()
        # Imported on use: the dialog is its own feature, loaded only when needed.
        dialog = importlib.import_module(FOLLOW_UP_DIALOG)
        record: Callable[[QWidget, AppContext, str], bool] = dialog.record_follow_up
        if not record(self, self.context, incident_id):
            return False
        self.model.invalidate(incident_id)
        self.load_detail(incident_id)
        self.status.setText(self.tr("已记录回访。"))
        return True

    # -- the list out --------------------------------------------------------------

    def default_export_path(self) -> Path:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = self.tr("警情列表")
        return Path(folder) / f"{name}_{self.clock().isoformat()}.xlsx"

    def export_xlsx(self) -> TaskHandle[ExportResult] | None:
        """The list as shown (filter and sort), every row of it, to a file the user names."""
        shown = self.shown
        if shown is None:
            return None
        name, _chosen = QFileDialog.getSaveFileName(
            self, self.tr("导出警情列表"), str(self.default_export_path()),
            self.tr("Excel 工作簿 (*.xlsx)"))
        if not name:
            return None
        target = Path(name)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        query, today = self.query, self.clock()
        language = "en" if self.context.language.startswith("en") else "zh"
        self.status.clear()
        handle = self.context.tasks.run(
            lambda ctx: export_incidents_xlsx(query, target, shown.filter, shown.sort,
                                              shown.descending, language=language, ctx=ctx,
                                              today=today),
            self._exported,
            self._failed,
            progress_label=self.tr("正在导出 {n} 条警情到“{name}”…").format(
                n=self.model.total, name=target.name),
            parent_widget=self,
            cancellable=True,
        )
        handle.cancelled.connect(lambda: self.status.setText(self.tr("已取消导出，未生成文件。")))
        self.export_handle = handle
        return handle

    def _exported(self, result: ExportResult) -> None:
        self.last_export = result
        self.status.setText(self.tr("已导出 {n} 条警情到 {path}").format(
            n=result.rows, path=result.path))


def _row_ids(rows: Sequence[IncidentRow]) -> list[str]:
    return [r.id for r in rows]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())
