"""The follow-up due list (待回访): incidents that need a follow-up and have none that
reached the party, oldest first, overdue ones highlighted; Enter records one.

Part of the first page shown at start, so this module imports no service code at
its top: the list is read on a worker thread once the window is up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.follow_ups.guard import while_alive
from lawsup_desktop.ui.list_loading import ListLoader

if TYPE_CHECKING:
    from lawsup_desktop.services.follow_ups import DueItem, DueList
    from lawsup_desktop.ui.tasks import TaskHandle

SHOWN = 200
"""The oldest this many are listed (the counts cover all)."""
OVERDUE_BACKGROUND = QColor("#fde2e1")
OVERDUE_FOREGROUND = QColor("#8c1d18")


class DueListPanel(QWidget):
    """The due list; ``changed`` after a follow-up was recorded from it."""

    changed = Signal()
    loaded = Signal()

    COLUMNS = 9

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("follow_up_due_list")
        self.context = context
        self.due: DueList | None = None
        self.load_handle: TaskHandle[DueList] | None = None
        self.loader = ListLoader(context.tasks, self)
        self._failed_text = ""

        self.summary = QLabel(self)
        self.summary.setObjectName("due_summary")
        self.record_button = QPushButton(self)
        self.record_button.setObjectName("record_follow_up")
        self.record_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay in the list
        self.record_button.clicked.connect(lambda _checked=False: self.record_selected())
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("refresh_due")
        self.refresh_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.refresh_button.clicked.connect(lambda _checked=False: self.reload())
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.record_button)
        top.addWidget(self.refresh_button)

        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("due_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((116, 122, 96, 90, 66, 104, 70, 128, 120)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _index: self.record_selected())
        self.table.itemSelectionChanged.connect(self._update_actions)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        # Enter records a follow-up of the selected incident (the list has the focus).
        self.record_action = QAction(self)
        self.record_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.record_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.record_action.triggered.connect(lambda _checked=False: self.record_selected())
        self.table.addAction(self.record_action)
        self.refresh_action = QAction(self)
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh_action.triggered.connect(lambda _checked=False: self.reload())
        self.addAction(self.refresh_action)
        self.retranslate()
        self._update_actions()

    # -- text ---------------------------------------------------------------------

    def retranslate(self) -> None:
        self.record_button.setText(self.tr("登记回访（Enter）"))
        self.record_button.setToolTip(self.tr("为选中的警情登记回访（Enter 或双击）"))
        self.refresh_button.setText(self.tr("刷新（F5）"))
        self.table.setHorizontalHeaderLabels([
            self.tr("警情编号"), self.tr("接警时间"), self.tr("警情类别"), self.tr("管辖单位"),
            self.tr("报警人"), self.tr("联系电话"), self.tr("回访状态"), self.tr("回访期限"),
            self.tr("下次回访"),
        ])
        self._show(self.due)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- loading ------------------------------------------------------------------

    def reload(self) -> TaskHandle[DueList]:
        db, actor = self.context.db, self.context.workstation.actor

        def read(_ctx: object) -> DueList:
            # Imported here, on the worker: the service brings the data model, whose
            # import on the GUI thread would freeze the window just shown.
            from lawsup_desktop.services.follow_ups import FollowUpService

            return FollowUpService(db, actor).due_list(limit=SHOWN)

        self.load_handle = self.loader.load(
            read, while_alive(self, self._loaded), while_alive(self, self._failed)
        )
        return self.load_handle

    def is_loading(self) -> bool:
        return self.load_handle is not None and not self.load_handle.done

    def _loaded(self, due: DueList) -> None:
        self._failed_text = ""
        selected = self.selected_id()
        self.due = due
        self._show(due)
        row = next((r for r, item in enumerate(due.items) if item.incident_id == selected), 0)
        if due.items:
            self.table.selectRow(row)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, LawsupError):
            self._failed_text = exc.in_language(self.context.language)
            self.summary.setText(self._failed_text)
        else:
            self.context.tasks.report_error(self, exc)

    def _show(self, due: DueList | None) -> None:
        if due is None:
            self.summary.setText(self._failed_text or self.tr("正在读取待回访警情…"))
            return
        text = self.tr("需回访 {total} 起，其中逾期 {overdue} 起").format(
            total=due.total, overdue=due.overdue
        )
        if due.total > len(due.items):
            text += self.tr("（列出最早的 {shown} 起）").format(shown=len(due.items))
        if not due.total:
            text = self.tr("没有需要回访的警情。")
        self.summary.setText(text)
        language = self.context.language
        self.table.setRowCount(len(due.items))
        for row, item in enumerate(due.items):
            self._fill_row(row, item, language)
        self._update_actions()

    def _fill_row(self, row: int, item: DueItem, language: str) -> None:
        kind = item.category.label.in_language(language)
        if item.key_category is not None:
            kind += " / " + item.key_category.label.in_language(language)
        due = item.due_date.isoformat()
        if item.overdue:
            due += self.tr("（逾期）")
        values = (
            item.incident_no,
            f"{item.received_at:%Y-%m-%d %H:%M}",
            kind,
            item.unit_name,
            item.caller_name,
            item.caller_phone,
            item.state.label.in_language(language),
            due,
            f"{item.next_attempt_at:%Y-%m-%d %H:%M}" if item.next_attempt_at else "",
        )
        for column, value in enumerate(values):
            cell = QTableWidgetItem(value)
            cell.setData(Qt.ItemDataRole.UserRole, item.incident_id)
            if item.overdue:
                cell.setBackground(QBrush(OVERDUE_BACKGROUND))
                cell.setForeground(QBrush(OVERDUE_FOREGROUND))
            self.table.setItem(row, column, cell)

    # -- recording ----------------------------------------------------------------

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        cell = self.table.item(rows[0].row(), 0)
        value: Any = cell.data(Qt.ItemDataRole.UserRole) if cell is not None else None
        return str(value) if value else None

    def select(self, incident_id: str) -> bool:
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == incident_id:
                self.table.selectRow(row)
                return True
        return False

    def record_selected(self) -> bool:
        """Enter: the follow-up dialog for the selected incident; True if one was saved."""
        incident_id = self.selected_id()
        if incident_id is None:
            return False
        from lawsup_desktop.ui.follow_ups.dialog import record_follow_up

        saved = record_follow_up(self, self.context, incident_id)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if saved:
            self.changed.emit()
            self.reload()
        return saved

    def _update_actions(self) -> None:
        self.record_button.setEnabled(self.selected_id() is not None)
