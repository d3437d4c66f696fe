"""The ledger table: a model over a window of item ids, rows read on demand.

The ids come from :meth:`RectificationService.ledger` in the order SQL sorted
them; further windows are asked for as the view scrolls (``fetchMore``); a row's
fields are read only when the view first shows it (``rows_needed``), in the
background, by the page. Sorting is a new query, never a proxy model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from lawsup_desktop.domain.rectification import DueStatus, EscalationLevel
from lawsup_desktop.services.rectifications import LedgerSortKey, RectificationRow
from lawsup_desktop.ui.lazy_rows import AnyIndex, OnDemandRowsModel

WINDOW = 200
"""Ids per window and rows per read: a screenful or two, one query each."""

# Background and text colour of a row by its due status: red overdue, amber due soon.
DUE_COLORS: dict[DueStatus, tuple[str, str]] = {
    DueStatus.OVERDUE: ("#fbd9d6", "#a4231b"),
    DueStatus.DUE_SOON: ("#fff1b8", "#7a5c00"),
}
ESCALATION_COLORS = {
    EscalationLevel.UNIT_LEADER: "#a34a00",
    EscalationLevel.BUREAU: "#a4231b",
}


class Column(IntEnum):
    # What the supervisor scans first comes first: where it stands and how late.
    NUMBER = 0
    STATE = 1
    DUE = 2
    ESCALATION = 3
    RISK = 4
    PROBLEM_TYPE = 5
    DESCRIPTION = 6
    UNIT = 7
    OFFICER = 8
    SOURCE = 9
    SYNC = 10  # the sync badge: narrow, last, so the columns people scan stay put


SORT_KEYS: dict[Column, LedgerSortKey] = {
    Column.NUMBER: LedgerSortKey.NUMBER,
    Column.STATE: LedgerSortKey.STATE,
    Column.RISK: LedgerSortKey.RISK,
    Column.PROBLEM_TYPE: LedgerSortKey.PROBLEM_TYPE,
    Column.UNIT: LedgerSortKey.UNIT,
    Column.OFFICER: LedgerSortKey.OFFICER,
    Column.DUE: LedgerSortKey.DUE_DATE,
    Column.ESCALATION: LedgerSortKey.ESCALATION,
    Column.SOURCE: LedgerSortKey.SOURCE,
}
"""The columns a click on the header sorts by (the description and the sync badge are
not sortable)."""

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class LedgerModel(OnDemandRowsModel):
    window_needed = Signal(int)
    """The offset of the next window of ids (read it, then :meth:`add_ids`)."""
    badge_column = Column.SYNC

    def __init__(self, language: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(len(Column), WINDOW, parent)
        self._language = language
        self._total = 0
        self._window_pending = False

    # -- contents -------------------------------------------------------------

    def reset(self, ids: Sequence[str], total: int, rows: Sequence[RectificationRow] = ()) -> None:
        self.beginResetModel()
        self._replace(ids, rows)
        self._total = total
        self._window_pending = False
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def add_ids(self, offset: int, ids: Sequence[str]) -> None:
        """The window read from ``offset``; ignored if the list moved on since."""
        self._window_pending = False
        if offset != len(self._ids) or not ids:
            if not ids:
                self._total = len(self._ids)  # the ledger shrank meanwhile
            return
        self.beginInsertRows(QModelIndex(), len(self._ids), len(self._ids) + len(ids) - 1)
        self._ids.extend(ids)
        self.endInsertRows()

    def window_failed(self) -> None:
        self._window_pending = False

    def row_at(self, row: int) -> RectificationRow | None:
        rid = self.id_at(row)
        return None if rid is None else self._rows.get(rid)

    def loaded_rows(self) -> list[RectificationRow]:
        return [self._rows[i] for i in self._ids if i in self._rows]

    # -- fetching -------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._ids) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._window_pending or len(self._ids) >= self._total:
            return
        self._window_pending = True
        self.window_needed.emit(len(self._ids))

    # -- Qt -------------------------------------------------------------------

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            Column.NUMBER: self.tr("编号"),
            Column.STATE: self.tr("状态"),
            Column.RISK: self.tr("风险"),
            Column.PROBLEM_TYPE: self.tr("问题类型"),
            Column.DESCRIPTION: self.tr("问题描述"),
            Column.UNIT: self.tr("责任单位"),
            Column.OFFICER: self.tr("责任人"),
            Column.DUE: self.tr("整改期限"),
            Column.ESCALATION: self.tr("督办层级"),
            Column.SOURCE: self.tr("来源"),
            Column.SYNC: self.tr("同步"),
        }[Column(section)]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        rid = self._ids[index.row()]
        if role == ID_ROLE:
            return rid
        row = self._rows.get(rid)
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._need(index.row())
                return "…"
            return None
        if role == ROW_ROLE:
            return row
        column = Column(index.column())
        if column == Column.SYNC and role != Qt.ItemDataRole.BackgroundRole:
            return self.badges.data(rid, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._text(row, column)
            if role == Qt.ItemDataRole.ToolTipRole:
                return text if column in (Column.DESCRIPTION, Column.DUE) else None
            return text.replace("\n", " ") if column == Column.DESCRIPTION else text
        colors = DUE_COLORS.get(row.due_status)
        if role == Qt.ItemDataRole.BackgroundRole and colors is not None:
            return QBrush(QColor(colors[0]))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.ESCALATION and row.escalation_level in ESCALATION_COLORS:
                return QBrush(QColor(ESCALATION_COLORS[row.escalation_level]))
            if colors is not None:
                return QBrush(QColor(colors[1]))
        return None

    def _text(self, row: RectificationRow, column: Column) -> str:
        language = self._language()
        english = language.startswith("en")
        if column == Column.NUMBER:
            return row.number
        if column == Column.STATE:
            return row.state.label.in_language(language)
        if column == Column.RISK:
            return row.risk_level.label.in_language(language)
        if column == Column.PROBLEM_TYPE:
            return (row.problem_type_en if english else row.problem_type) or "—"
        if column == Column.DESCRIPTION:
            return row.description
        if column == Column.UNIT:
            return row.unit_name or "—"
        if column == Column.OFFICER:
            return row.officer_name or "—"
        if column == Column.DUE:
            return due_text(row)
        if column == Column.ESCALATION:
            text = row.escalation_level.label.in_language(language)
            return f"{text} ★" if row.bureau_supervised else text
        if column == Column.SOURCE:
            return row.source.label.in_language(language)
        return ""  # the sync badge comes from self.badges


def due_text(row: RectificationRow) -> str:
    """The due date with how it stands: "2026-03-05（超期 2 天）"."""
    day = row.due_date.isoformat()
    if row.due_status == DueStatus.OVERDUE:
        return QCoreApplication.translate("LedgerModel", "{day}（超期 {days} 天）").format(
            day=day, days=row.overdue_days)
    if row.due_status == DueStatus.DUE_SOON:
        return QCoreApplication.translate("LedgerModel", "{day}（即将到期）").format(day=day)
    return day
