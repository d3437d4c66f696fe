"""The incident list: a model over the incidents SQL filtered and sorted, read in
windows.

The first window comes with the count (:meth:`IncidentQuery.page`): the model then
has a place for every incident (the scroll bar covers the whole list), and reads
the window of any place the view shows and it lacks (``window_needed``, by
offset). So 200,000 incidents cost what the screenfuls looked at cost. A row
changed by an action is read again (``rows_needed``). Sorting is a new query,
never a proxy model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor

from lawsup_desktop.services.incidents import FollowUpStatus, IncidentRow, SortKey
from lawsup_desktop.ui.lazy_rows import AnyIndex, OnDemandRowsModel

WINDOW = 100
"""Rows per read: the first screenful or two, one query each."""
UNREAD = ""
"""The id at a position whose window was not read yet."""

OVERDUE_COLORS = ("#fbd9d6", "#a4231b")
"""Background and text of an incident whose follow-up is overdue."""
STATUS_COLORS = {
    FollowUpStatus.DISSATISFIED: "#a4231b",
    FollowUpStatus.UNREACHABLE: "#7a5c00",
    FollowUpStatus.DUE: "#1f4e8c",
    FollowUpStatus.DONE: "#1d5e2a",
}

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    INCIDENT_NO = 0
    RECEIVED_AT = 1
    CATEGORY = 2
    KEY_CATEGORY = 3
    ADDRESS = 4
    SUMMARY = 5
    CALLER = 6
    UNIT = 7
    DISPOSITION = 8
    WATCH = 9
    FOLLOW_UP = 10
    SYNC = 11  # the sync badge: narrow, last, so the columns people scan stay put


SORT_KEYS: dict[Column, SortKey] = {
    Column.INCIDENT_NO: SortKey.INCIDENT_NO,
    Column.RECEIVED_AT: SortKey.RECEIVED_AT,
    Column.CATEGORY: SortKey.CATEGORY,
    Column.KEY_CATEGORY: SortKey.KEY_CATEGORY,
    Column.ADDRESS: SortKey.ADDRESS,
    Column.CALLER: SortKey.CALLER,
    Column.UNIT: SortKey.UNIT,
    Column.DISPOSITION: SortKey.DISPOSITION,
    Column.WATCH: SortKey.WATCH_STATE,
    Column.FOLLOW_UP: SortKey.FOLLOW_UP_STATE,
}
"""The columns a header click sorts by, in SQL (the summary and the sync badge are
not sortable)."""


class IncidentListModel(OnDemandRowsModel):
    window_needed = Signal(int)
    """The offset of a window of rows the view shows and the model lacks (read it
    with the list's filter and sort, then :meth:`add_window`)."""
    sort_requested = Signal(int, object)  # column, Qt.SortOrder
    badge_column = Column.SYNC

    def __init__(self, language: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(len(Column), WINDOW, parent)
        self._language = language
        self._windows_asked: set[int] = set()
        self._windows_wanted: list[int] = []
        self._window_flush = QTimer(self)
        self._window_flush.setSingleShot(True)
        self._window_flush.setInterval(0)
        self._window_flush.timeout.connect(self._ask_windows)

    # -- contents -------------------------------------------------------------

    def reset(self, rows: Sequence[IncidentRow], total: int) -> None:
        """The first window of a new list of ``total`` incidents. Every row has its
        place at once (the scroll bar covers the whole list); the positions not read
        yet hold no id until their window comes."""
        self.beginResetModel()
        self._replace([r.id for r in rows] + [UNREAD] * max(total - len(rows), 0), rows)
        self._windows_asked = {0} if rows else set()
        self._windows_wanted = []
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many incidents the filter lets through."""
        return len(self._ids)

    def add_window(self, offset: int, rows: Sequence[IncidentRow]) -> None:
        """The rows read from ``offset`` (of the list the model holds now)."""
        end = min(offset + len(rows), len(self._ids))
        for position, row in zip(range(offset, end), rows, strict=False):
            self._ids[position] = row.id
            self._rows[row.id] = row
        if end > offset:
            self.dataChanged.emit(self.index(offset, 0), self.index(end - 1, len(Column) - 1))

    def window_failed(self, offset: int) -> None:
        """A read failed: let the window be asked for again."""
        self._windows_asked.discard(offset)

    def is_read(self, row: int) -> bool:
        incident_id = self.id_at(row)
        return bool(incident_id) and incident_id in self._rows

    def row_at(self, row: int) -> IncidentRow | None:
        incident_id = self.id_at(row)
        return self._rows.get(incident_id) if incident_id else None

    def loaded_rows(self) -> list[IncidentRow]:
        """The rows read so far, in the list's order."""
        return [self._rows[i] for i in self._ids if i and i in self._rows]

    def invalidate(self, incident_id: str) -> None:
        """The incident changed: read its row again; the old one shows meanwhile."""
        if self.row_of(incident_id) >= 0:
            self.rows_needed.emit([incident_id])

    def relabel(self) -> None:
        """The language changed: headers and labels again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(Column) - 1))

    def is_asking(self) -> bool:
        """Windows or rows the view asked for are about to be requested."""
        return self._window_flush.isActive() or self._flush.isActive()

    def _want_window(self, row: int) -> None:
        offset = row - row % WINDOW
        if offset in self._windows_asked:
            return
        self._windows_asked.add(offset)
        self._windows_wanted.append(offset)
        self._window_flush.start()

    def _ask_windows(self) -> None:
        # One request per window the view showed in this event-loop turn.
        wanted, self._windows_wanted = self._windows_wanted, []
        for offset in wanted:
            self.window_needed.emit(offset)

    # -- Qt -------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_requested.emit(column, order)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            Column.INCIDENT_NO: self.tr("接警编号"),
            Column.RECEIVED_AT: self.tr("报警时间"),
            Column.CATEGORY: self.tr("类别"),
            Column.KEY_CATEGORY: self.tr("重点类别"),
            Column.ADDRESS: self.tr("发生地点"),
            Column.SUMMARY: self.tr("简要警情"),
            Column.CALLER: self.tr("报警人"),
            Column.UNIT: self.tr("处警单位"),
            Column.DISPOSITION: self.tr("处置结果"),
            Column.WATCH: self.tr("盯警"),
            Column.FOLLOW_UP: self.tr("回访"),
            Column.SYNC: self.tr("同步"),
        }[Column(section)]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        incident_id = self._ids[index.row()]
        if role == ID_ROLE:
            return incident_id or None
        row = self._rows.get(incident_id) if incident_id else None
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._want_window(index.row())
                return "…"
            return None
        if role == ROW_ROLE:
            return row
        column = Column(index.column())
        if column == Column.SYNC and role != Qt.ItemDataRole.BackgroundRole:
            return self.badges.data(incident_id, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column).replace("\n", " ")
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (Column.ADDRESS, Column.SUMMARY):
                return self._text(row, column)
            return None
        overdue = row.follow_up_status == FollowUpStatus.OVERDUE
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return QBrush(QColor(OVERDUE_COLORS[0]))
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue:
                return QBrush(QColor(OVERDUE_COLORS[1]))
            if column == Column.FOLLOW_UP and row.follow_up_status in STATUS_COLORS:
                return QBrush(QColor(STATUS_COLORS[row.follow_up_status]))
        return None

    def _text(self, row: IncidentRow, column: Column) -> str:
        language = self._language()
        if column == Column.INCIDENT_NO:
            return row.incident_no
        if column == Column.RECEIVED_AT:
            return row.received_at.strftime("%Y-%m-%d %H:%M")
        if column == Column.CATEGORY:
            return row.category.label.in_language(language)
        if column == Column.KEY_CATEGORY:
            return row.key_category.label.in_language(language) if row.key_category else ""
        if column == Column.ADDRESS:
            return row.address
        if column == Column.SUMMARY:
            return row.summary
        if column == Column.CALLER:
            return row.caller_name
        if column == Column.UNIT:
            return row.unit_name or "—"
        if column == Column.DISPOSITION:
            return row.disposition.label.in_language(language) if row.disposition else "—"
        if column == Column.WATCH:
            # Only key incidents are watched: for the others the state says nothing.
            return row.watch_state.label.in_language(language) if row.is_key else ""
        if column == Column.FOLLOW_UP:
            return follow_up_text(row, language)
        return ""  # the sync badge comes from self.badges


def follow_up_text(row: IncidentRow, language: str) -> str:
    """The follow-up status, with its due date while one is still owed."""
    status = row.follow_up_status.label.in_language(language)
    if row.follow_up_due is None:
        return status
    return QCoreApplication.translate("IncidentListModel", "{status}（{day} 到期）").format(
        status=status, day=row.follow_up_due.strftime("%m-%d"))
