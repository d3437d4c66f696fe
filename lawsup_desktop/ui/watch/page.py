"""今日盯警: the queue of key incidents not yet reviewed, oldest first, worked with the
keyboard — Up/Down to move, Space (or Ctrl+Enter) for "reviewed, no problem", F (or
Ctrl+D) for a finding, Ctrl+Z to take back the last "no problem" — and the
follow-up due list beside it (a tab).

The first page shown at start: it is built with widgets only (no service code is
imported at the top of this module) and reads its data on a worker thread once
the window is up. Each action is one short write in the background; the queue
moves on at once (the supervisor does not wait for the disk), and a refused
write puts the queue back as the database has it and says why.
"""

from __future__ import annotations

import dataclasses
import html
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.errors import ConflictError, LawsupError, NotFoundError
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.follow_ups.due_list import DueListPanel
from lawsup_desktop.ui.follow_ups.guard import while_alive
from lawsup_desktop.ui.list_loading import ListLoader

if TYPE_CHECKING:
    from lawsup_desktop.services.roster import OfficerChoice, UnitChoice
    from lawsup_desktop.services.watch import (
        ProblemTypeChoice,
        WatchItem,
        WatchOutcome,
        WatchQueue,
        WatchService,
    )
    from lawsup_desktop.ui.tasks import TaskHandle
    from lawsup_desktop.ui.watch.finding import FindingDialog

    Roster = tuple[list[ProblemTypeChoice], list[UnitChoice], list[OfficerChoice]]

NEW_COLOUR = QColor("#8c1d18")
LOAD_DELAY_MS = 150
"""After the window is up: the first paint does not wait for the queue."""
COUNT_STYLE = ("background: {background}; color: {color}; border-radius: 4px;"
               " padding: 3px 10px; font-weight: bold;")
COUNT_COLOURS = {
    "pending": ("#e3ecf7", "#1f4e8c"),
    "reviewed": ("#dcefdc", "#1d5e2a"),
    "problems": ("#fde2e1", "#8c1d18"),
}

AnyIndex = QModelIndex | QPersistentModelIndex
Write = tuple[Callable[[Any], Any], Callable[[Any], None], Callable[[BaseException], None]]


@dataclasses.dataclass(frozen=True)
class Loaded:
    queue: WatchQueue
    problem_types: list[ProblemTypeChoice]
    units: list[UnitChoice]
    officers: list[OfficerChoice]


class QueueModel(QAbstractTableModel):
    """The queue as it stands on screen (at most a few hundred items, all in memory)."""

    NEW, RECEIVED, NUMBER, KIND, UNIT, SUMMARY = range(6)

    def __init__(self, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.items: list[WatchItem] = []
        self.headers: list[str] = [""] * 6

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def data(self, index: AnyIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            language = self.language()
            if column == self.NEW:
                return self.tr("新") if item.is_new else ""
            if column == self.RECEIVED:
                return f"{item.received_at:%Y-%m-%d %H:%M}"
            if column == self.NUMBER:
                return item.incident_no
            if column == self.KIND:
                return (item.key_category.label.in_language(language)
                        if item.key_category is not None
                        else item.category.label.in_language(language))
            if column == self.UNIT:
                return item.unit_name
            return " ".join(item.summary.split())
        if role == Qt.ItemDataRole.FontRole and column == self.NEW and item.is_new:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == self.NEW:
            return NEW_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and column == self.SUMMARY:
            return item.summary
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def set_headers(self, headers: list[str]) -> None:
        self.headers = headers
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 5)
        if self.items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, 5))

    def reset(self, items: list[WatchItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def row_of(self, incident_id: str) -> int:
        return next((r for r, i in enumerate(self.items) if i.incident_id == incident_id), -1)

    def take(self, incident_id: str) -> WatchItem | None:
        row = self.row_of(incident_id)
        if row < 0:
            return None
        self.beginRemoveRows(QModelIndex(), row, row)
        item = self.items.pop(row)
        self.endRemoveRows()
        return item

    def put_back(self, item: WatchItem) -> int:
        """Insert ``item`` in queue order (oldest first); returns its row."""
        key = (item.received_at, item.incident_id)
        row = next((r for r, i in enumerate(self.items) if (i.received_at, i.incident_id) > key),
                   len(self.items))
        self.beginInsertRows(QModelIndex(), row, row)
        self.items.insert(row, item)
        self.endInsertRows()
        return row


class WatchPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("watch_page")
        self.context = context
        self._service: WatchService | None = None
        self.counts: WatchQueue | None = None
        self.problem_types: list[ProblemTypeChoice] = []
        self.units: list[UnitChoice] = []
        self.officers: list[OfficerChoice] = []
        self.load_handle: TaskHandle[Loaded] | None = None
        self.loader = ListLoader(context.tasks, self)
        self.handles: list[TaskHandle[Any]] = []
        self.undo_stack: list[tuple[str, WatchItem]] = []
        """(review id, the item as it was) of this session's "no problem" reviews."""
        self.dialog: FindingDialog | None = None
        self._writes = 0
        """Writes queued or running."""
        self._write_queue: deque[Write] = deque()
        self._reload_after_writes = False
        self._loaded_once = False
        self._status_text: Callable[[], str] = lambda: ""

        self.heading = QLabel(self)
        self.heading.setObjectName("page_heading")
        self.count_labels: dict[str, QLabel] = {}
        counts_row = QHBoxLayout()
        counts_row.addWidget(self.heading)
        counts_row.addSpacing(16)
        for key, (background, color) in COUNT_COLOURS.items():
            label = QLabel(self)
            label.setObjectName(f"count_{key}")
            label.setStyleSheet(COUNT_STYLE.format(background=background, color=color))
            self.count_labels[key] = label
            counts_row.addWidget(label)
        self.last_watch_label = QLabel(self)
        self.last_watch_label.setObjectName("last_watch")
        counts_row.addWidget(self.last_watch_label)
        counts_row.addStretch(1)

        # The queue and the selected incident.
        self.model = QueueModel(lambda: self.context.language, self)
        self.table = QTableView(self)
        self.table.setObjectName("watch_queue")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((QueueModel.NEW, 32), (QueueModel.RECEIVED, 120),
                              (QueueModel.NUMBER, 108), (QueueModel.KIND, 60),
                              (QueueModel.UNIT, 82)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = QTextBrowser(self)
        self.detail.setObjectName("incident_detail")
        self.detail.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the queue
        self.detail.setOpenLinks(False)

        self.review_button = self._button("mark_reviewed", self.mark_reviewed)
        self.finding_button = self._button("record_finding", self.record_finding)
        self.undo_button = self._button("undo_review", self.undo)
        self.refresh_button = self._button("refresh", self.reload)
        buttons = QHBoxLayout()
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.finding_button)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.refresh_button)
        self.keys_hint = QLabel(self)
        self.keys_hint.setObjectName("keys_hint")
        self.keys_hint.setWordWrap(True)
        self.keys_hint.setStyleSheet("color: #5b6673;")

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.keys_hint)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        self.queue_tab = QWidget(self)
        queue_layout = QVBoxLayout(self.queue_tab)
        queue_layout.setContentsMargins(0, 6, 0, 0)
        queue_layout.addWidget(self.splitter, 1)
        self.due_list = DueListPanel(context, self)
        self.due_list.loaded.connect(self._retitle_tabs)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("watch_tabs")
        self.tabs.addTab(self.queue_tab, "")
        self.tabs.addTab(self.due_list, "")
        self.tabs.currentChanged.connect(self._tab_changed)

        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(counts_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        # The keys. Space and F only while the queue has the focus (a button or a
        # field elsewhere keeps its own meaning of them); the others anywhere on the
        # queue tab.
        self.review_action = self._action(
            [QKeySequence(Qt.Key.Key_Space), QKeySequence("Ctrl+Return"),
             QKeySequence("Ctrl+Enter")],
            self.mark_reviewed,
        )
        self.finding_action = self._action(
            [QKeySequence(Qt.Key.Key_F), QKeySequence("Ctrl+D")], self.record_finding
        )
        self.undo_action = self._action([QKeySequence("Ctrl+Z")], self.undo)
        self.refresh_action = self._action([QKeySequence("F5")], self.reload)
        for action in (self.review_action, self.finding_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(action)
        for action in (self.undo_action, self.refresh_action):
            self.queue_tab.addAction(action)

        self.retranslate()
        self._show_item(None)
        self._update_actions()

    # -- building -----------------------------------------------------------------

    def _button(self, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click leaves the keys in the queue
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _action(self, keys: list[QKeySequence], slot: Callable[[], object]) -> QAction:
        action = QAction(self)
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def retranslate(self) -> None:
        self.heading.setText(self.tr("今日盯警"))
        self.model.set_headers([
            "", self.tr("接警时间"), self.tr("警情编号"), self.tr("类别"), self.tr("管辖单位"),
            self.tr("简要警情"),
        ])
        self.review_button.setText(self.tr("已盯无问题（空格）"))
        self.review_button.setToolTip(
            self.tr("标记为已盯、无问题，并转到下一条（空格 或 Ctrl+Enter）")
        )
        self.finding_button.setText(self.tr("发现问题…（F）"))
        self.finding_button.setToolTip(
            self.tr("记录发现的问题并生成整改事项（F 或 Ctrl+D）；Enter 保存")
        )
        self.undo_button.setText(self.tr("撤销（Ctrl+Z）"))
        self.undo_button.setToolTip(self.tr("撤销本人刚才的“已盯无问题”"))
        self.refresh_button.setText(self.tr("刷新（F5）"))
        self.keys_hint.setText(self.tr(
            "键盘操作：↑/↓ 选择警情；空格 或 Ctrl+Enter 已盯无问题；F 或 Ctrl+D 发现问题；"
            "Ctrl+Z 撤销；F5 刷新。"
        ))
        self._show_counts()
        self._retitle_tabs()
        self._show_item(self.current_item())
        self.status.setText(self._status_text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            QTimer.singleShot(LOAD_DELAY_MS, self, self.reload)
        if self.tabs.currentWidget() is self.queue_tab:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.queue_tab:
            self.table.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.due_list.table.setFocus(Qt.FocusReason.TabFocusReason)

    def _retitle_tabs(self) -> None:
        due = self.due_list.due
        self.tabs.setTabText(0, self.tr("盯警队列") if self.counts is None
                             else self.tr("盯警队列（{count}）").format(count=self.counts.pending))
        self.tabs.setTabText(1, self.tr("待回访") if due is None
                             else self.tr("待回访（{count}）").format(count=due.total))
        overdue = due is not None and due.overdue > 0
        self.tabs.tabBar().setTabTextColor(
            1, Qt.GlobalColor.darkRed if overdue else self.tabs.tabBar().palette().text().color()
        )

    def _say(self, text: Callable[[], str]) -> None:
        """A status line that is rebuilt in the new language on a language change."""
        self._status_text = text
        self.status.setText(text())

    # -- loading ------------------------------------------------------------------

    @property
    def service(self) -> WatchService:
        if self._service is None:
            from lawsup_desktop.services.watch import WatchService

            self._service = WatchService(self.context.db, self.context.workstation.actor)
        return self._service

    def reload(self) -> TaskHandle[Loaded] | None:
        """Read the queue, its counts, the roster and the due list (F5). Waits for
        writes under way."""
        if self._writes:
            self._reload_after_writes = True
            return None
        self.due_list.reload()
        db, actor = self.context.db, self.context.workstation.actor

        def read(_ctx: object) -> Loaded:
            from lawsup_desktop.services.roster import RosterService
            from lawsup_desktop.services.watch import WatchService

            roster = RosterService(db)
            return Loaded(WatchService(db, actor).queue(), roster.problem_types(),
                          roster.units(), roster.officers())

        # Through the loader: a read that started earlier but ends later (the first
        # load while an import was being written) never overwrites a newer one.
        self.load_handle = self.loader.load(
            read, while_alive(self, self._loaded), while_alive(self, self._failed)
        )
        return self.load_handle

    def reload_roster(self) -> None:
        """Read the negative list and the roster again, the queue left as it is (a sync
        may have given them the bureau's ids: see MainWindow.refresh_rosters). A finding
        form already open keeps its own list."""
        db = self.context.db

        def read(_ctx: object) -> Roster:
            from lawsup_desktop.services.roster import RosterService

            roster = RosterService(db)
            return roster.problem_types(), roster.units(), roster.officers()

        def loaded(roster: Roster) -> None:
            self.problem_types, self.units, self.officers = roster

        self._track(self.context.tasks.run(
            read, while_alive(self, loaded), while_alive(self, self._failed)))

    def is_loading(self) -> bool:
        handles = (self.load_handle, *self.handles)
        return (self._writes > 0 or self.due_list.is_loading()
                or any(h is not None and not h.done for h in handles))

    def _loaded(self, loaded: Loaded) -> None:
        current = self.current_item()
        self.counts = loaded.queue
        self.problem_types, self.units, self.officers = (
            loaded.problem_types, loaded.units, loaded.officers)
        self.model.reset(loaded.queue.items)
        row = self.model.row_of(current.incident_id) if current is not None else -1
        self._select_row(max(row, 0))
        self._show_counts()
        self._retitle_tabs()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, LawsupError):
            message = exc.in_language(self.context.language)
            self._say(lambda: message)
        else:
            self.context.tasks.report_error(self, exc)

    def _refresh_counts(self) -> None:
        service = self.service

        def read(_ctx: object) -> WatchQueue:
            return service.queue(limit=0)  # the counts only

        def counted(queue: WatchQueue) -> None:
            # "New since the last watch" stays as of the last full read, like the
            # markers in the list (each review moves the service's "last watch").
            previous = self.counts
            self.counts = queue if previous is None else dataclasses.replace(
                queue, new_since_last_watch=previous.new_since_last_watch,
                last_watch_at=previous.last_watch_at)
            self._show_counts()
            self._retitle_tabs()
            if not self.model.items and queue.pending:
                self.reload()  # the list showed only the oldest ones: read the next

        self._track(self.context.tasks.run(
            read, while_alive(self, counted), while_alive(self, self._failed)
        ))

    def _track(self, handle: TaskHandle[Any]) -> TaskHandle[Any]:
        self.handles = [h for h in self.handles if not h.done] + [handle]
        return handle

    def _show_counts(self) -> None:
        counts = self.counts
        if counts is None:
            for label in self.count_labels.values():
                label.setText("…")
            self.last_watch_label.setText("")
            return
        pending = self.tr("待盯 {count}").format(count=counts.pending)
        if counts.new_since_last_watch:
            pending += self.tr("（新增 {count}）").format(count=counts.new_since_last_watch)
        self.count_labels["pending"].setText(pending)
        self.count_labels["reviewed"].setText(
            self.tr("今日已盯 {count}").format(count=counts.reviewed_today))
        self.count_labels["problems"].setText(
            self.tr("今日发现问题 {count}").format(count=counts.problems_today))
        if counts.last_watch_at is None:
            self.last_watch_label.setText(self.tr("此前未盯警"))
        else:
            local = counts.last_watch_at.astimezone()
            self.last_watch_label.setText(
                self.tr("上次盯警 {when}").format(when=f"{local:%Y-%m-%d %H:%M}"))

    def _count(self, *, pending: int = 0, reviewed: int = 0, problems: int = 0,
               new: int = 0) -> None:
        """Move the counts with an action at once; the database has the last word
        when the writes are done (:meth:`_write_ended`)."""
        if self.counts is None:
            return
        c = self.counts
        self.counts = dataclasses.replace(
            c,
            pending=max(0, c.pending + pending),
            new_since_last_watch=max(0, c.new_since_last_watch + new),
            reviewed_today=max(0, c.reviewed_today + reviewed),
            problems_today=max(0, c.problems_today + problems),
        )
        self._show_counts()
        self._retitle_tabs()

    # -- the selected item --------------------------------------------------------

    def current_item(self) -> WatchItem | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.items):
            return None
        return self.model.items[index.row()]

    def _select_row(self, row: int) -> None:
        if not self.model.items:
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
            self._show_item(None)
        else:
            row = min(max(row, 0), len(self.model.items) - 1)
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, QueueModel.NUMBER))
            self.table.scrollTo(self.model.index(row, 0))
        self._update_actions()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_item(self.current_item())
        self._update_actions()

    def _show_item(self, item: WatchItem | None) -> None:
        if item is None:
            if self.counts is None:
                text = self.tr("正在读取待盯警情…")
            else:
                text = self.tr("没有待盯的重点警情。")
            self.detail.setHtml(f"<p style='color:#5b6673'>{html.escape(text)}</p>")
            return
        language = self.context.language
        kind = item.category.label.in_language(language)
        if item.key_category is not None:
            kind += " / " + item.key_category.label.in_language(language)
        disposition = (item.disposition.label.in_language(language)
                       if item.disposition is not None else self.tr("（未填写）"))
        rows = [
            (self.tr("警情编号"), item.incident_no),
            (self.tr("接警时间"), f"{item.received_at:%Y-%m-%d %H:%M}"),
            (self.tr("警情类别"), kind),
            (self.tr("发生地点"), item.address),
            (self.tr("报警人"), item.caller_name),
            (self.tr("管辖单位"), item.unit_name),
            (self.tr("处置结果"), disposition),
        ]
        cells = "".join(
            f"<tr><td style='color:#5b6673; padding-right:10px' nowrap>{html.escape(k)}</td>"
            f"<td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )

        def block(title: str, text: str) -> str:
            body = html.escape(text).replace("\n", "<br>") or html.escape(self.tr("（无）"))
            return f"<h4 style='margin-bottom:2px'>{html.escape(title)}</h4><p>{body}</p>"

        self.detail.setHtml(
            f"<table cellspacing='2'>{cells}</table>"
            + block(self.tr("简要警情"), item.summary)
            + block(self.tr("处警情况"), item.handling_notes)
        )

    def _update_actions(self) -> None:
        has_item = self.current_item() is not None
        self.review_button.setEnabled(has_item)
        self.finding_button.setEnabled(has_item)
        self.undo_button.setEnabled(bool(self.undo_stack))

    # -- actions --------------------------------------------------------------------

    def _write(self, fn: Callable[[Any], Any], on_success: Callable[[Any], None],
               on_failure: Callable[[BaseException], None]) -> None:
        """Queue one write; they run one after the other, in the order of the keys
        pressed (so Ctrl+Z takes back the last one pressed, and the status line
        speaks of it)."""
        self._write_queue.append((fn, on_success, on_failure))
        self._writes += 1
        if self._writes == 1:
            self._next_write()

    def _next_write(self) -> None:
        fn, on_success, on_failure = self._write_queue.popleft()

        def succeeded(result: Any) -> None:
            try:
                on_success(result)
            finally:
                self._write_ended()

        def failed(exc: BaseException) -> None:
            try:
                on_failure(exc)
            finally:
                self._write_ended()

        # Once the page is gone, a failed write still reaches the error hook.
        report = self.context.tasks.report_error
        self._track(self.context.tasks.run(
            fn, while_alive(self, succeeded),
            while_alive(self, failed, lambda exc: report(None, exc)),
        ))

    def _write_ended(self) -> None:
        self._writes -= 1
        if self._write_queue:
            self._next_write()
            return
        if self._reload_after_writes:
            self._reload_after_writes = False
            self.reload()
        else:
            self._refresh_counts()

    def _advance_past(self, item: WatchItem) -> None:
        """Take ``item`` off the queue and select the one that took its place."""
        row = self.model.row_of(item.incident_id)
        self.model.take(item.incident_id)
        if row >= 0:
            self._select_row(row)

    def mark_reviewed(self) -> None:
        """Space / Ctrl+Enter: reviewed, no problem; on to the next item at once."""
        item = self.current_item()
        if item is None:
            return None
        service = self.service
        self._advance_past(item)
        self._count(pending=-1, reviewed=1, new=-1 if item.is_new else 0)

        def done(outcome: WatchOutcome) -> None:
            self.undo_stack.append((outcome.review_id, item))
            self._say(lambda: self.tr("警情 {number} 已盯无问题（Ctrl+Z 撤销）。").format(
                number=item.incident_no))
            self._update_actions()

        self._write(
            lambda _ctx: service.mark_reviewed(item.incident_id, expected_version=item.version),
            done,
            lambda exc: self._refused(exc, item),
        )

    def _refused(self, exc: BaseException, item: WatchItem) -> None:
        """A write failed: the queue goes back to what the database has; say why."""
        self._reload_after_writes = True
        if isinstance(exc, LawsupError):
            message = exc.in_language(self.context.language)
            self._say(lambda: message)
        # Not someone else's change: the item is still to be done, show it again.
        if (not isinstance(exc, ConflictError | NotFoundError)
                and self.model.row_of(item.incident_id) < 0):
            self._select_row(self.model.put_back(item))
        self.context.tasks.report_error(self, exc)

    def record_finding(self) -> FindingDialog | None:
        """F / Ctrl+D: the finding form for the selected item; Enter saves it."""
        item = self.current_item()
        if item is None or (self.dialog is not None and self.dialog.isVisible()):
            return None
        if not self.problem_types:
            self._say(lambda: self.tr("负面清单尚未读取，请稍候再试。"))
            return None
        from lawsup_desktop.ui.watch.finding import FindingDialog

        dialog = FindingDialog(item, self.problem_types, self.units, self.officers,
                               self.context.language, self)
        dialog.submitted.connect(lambda: self._save_finding(dialog))
        dialog.finished.connect(lambda _result: self._finding_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _finding_closed(self, dialog: FindingDialog) -> None:
        dialog.deleteLater()
        if self.dialog is dialog:
            self.dialog = None
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_finding(self, dialog: FindingDialog) -> None:
        try:
            dialog.check()
        except LawsupError as exc:
            dialog.show_problem(exc)
            return
        item, service = dialog.item, self.service
        problem_type_id = dialog.problem_type_id()
        note = dialog.note.text()
        unit_id, officer_id = dialog.people.unit_id(), dialog.people.officer_id()

        def save(_ctx: object) -> WatchOutcome:
            return service.record_finding(
                item.incident_id,
                problem_type_id=problem_type_id or "",
                note=note,
                responsible_unit_id=unit_id,
                responsible_officer_id=officer_id,
                expected_version=item.version,
            )

        def saved(outcome: WatchOutcome) -> None:
            dialog.accept()
            self._advance_past(item)
            self._count(pending=-1, reviewed=1, problems=1, new=-1 if item.is_new else 0)
            due = outcome.rectification_due
            self._say(lambda: self.tr(
                "警情 {number}：已记录问题，生成整改事项 {item}，期限 {due}。"
            ).format(number=item.incident_no, item=outcome.rectification_number or "",
                     due=due.isoformat() if due else ""))

        def refused(exc: BaseException) -> None:
            if isinstance(exc, LawsupError):
                dialog.show_problem(exc)  # the form stays open, as typed
                if isinstance(exc, ConflictError | NotFoundError):
                    self._reload_after_writes = True
            else:
                dialog.show_refusal("")
                self.context.tasks.report_error(dialog, exc)

        self._write(save, saved, refused)

    def undo(self) -> None:
        """Ctrl+Z: take back this session's last "reviewed, no problem"."""
        if not self.undo_stack:
            return None
        if self._writes:
            self._say(lambda: self.tr("正在保存，请稍候再撤销。"))
            return None
        review_id, item = self.undo_stack.pop()
        service = self.service
        self._update_actions()

        def undone(outcome: WatchOutcome) -> None:
            back = dataclasses.replace(item, version=outcome.incident_version)
            if self.model.row_of(item.incident_id) < 0:
                self._select_row(self.model.put_back(back))
            else:
                self._select_row(self.model.row_of(item.incident_id))
            self._count(pending=1, reviewed=-1, new=1 if item.is_new else 0)
            self._say(lambda: self.tr("已撤销：警情 {number} 回到待盯队列。").format(
                number=item.incident_no))

        def refused(exc: BaseException) -> None:
            if isinstance(exc, LawsupError):
                message = exc.in_language(self.context.language)
                self._say(lambda: message)
            self.context.tasks.report_error(self, exc)

        self._write(lambda _ctx: service.undo_mark_reviewed(review_id), undone, refused)
