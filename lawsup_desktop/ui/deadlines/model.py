"""The warnings list: a table model over the item keys, rows fetched page by page.

The keys (subject, rule, due moment, state) of every item come from one grouped
count; what a row shows (case, person, unit...) is read only for the pages the
view asks for, in the background (:attr:`WarningsModel.rows_needed`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from lawsup_desktop.domain.deadlines import DeadlineState, DueMoment
from lawsup_desktop.services.deadlines import DueItem, DueState

PAGE_SIZE = 200
"""Rows read at a time: a screenful or two, one query."""

Key = tuple[str, str]  # (subject id, rule code)
AnyIndex = QModelIndex | QPersistentModelIndex

# Background and text colour of a row by state: red, orange, amber; 正常 plain.
STATE_COLORS: dict[DeadlineState, tuple[str, str]] = {
    DeadlineState.OVERDUE: ("#fbd9d6", "#a4231b"),
    DeadlineState.DUE_TODAY: ("#ffe3c4", "#a34a00"),
    DeadlineState.APPROACHING: ("#fff1b8", "#7a5c00"),
}


class Column(IntEnum):
    STATE = 0
    DUE = 1
    RULE = 2
    CASE = 3
    PERSON = 4
    MEASURE = 5
    UNIT = 6
    REMAINING = 7


def key_of(state: DueState | DueItem) -> Key:
    return (state.subject_id, state.rule_code)


class WarningsModel(QAbstractTableModel):
    rows_needed = Signal(object)
    """A list of :class:`DueState` whose rows the view needs (fetch, then :meth:`add_rows`)."""

    def __init__(self, language: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._keys: list[DueState] = []
        self._rows: dict[Key, DueItem] = {}
        self._pending: set[Key] = set()
        self._gone: set[Key] = set()
        self.now = dt.datetime.now()

    # -- contents -----------------------------------------------------------

    def reset(self, keys: Sequence[DueState], rows: Sequence[DueItem], now: dt.datetime) -> None:
        self.beginResetModel()
        self._keys = list(keys)
        self._rows = {key_of(r): r for r in rows}
        self._pending = set()
        self._gone = set()
        self.now = now
        self.endResetModel()

    def add_rows(self, asked: Sequence[DueState], rows: Sequence[DueItem]) -> None:
        """The rows fetched for ``asked``; an asked item without a row is gone since
        (its case or measure ended) and shows dashes until the next reload."""
        self._rows.update({key_of(r): r for r in rows})
        asked_keys = {key_of(k) for k in asked}
        self._pending -= asked_keys
        self._gone |= asked_keys - set(self._rows)
        if self._keys:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._keys) - 1, len(Column) - 1)
            )

    def forget_pending(self, keys: Sequence[DueState]) -> None:
        """A fetch failed: let the rows be asked for again."""
        self._pending -= {key_of(k) for k in keys}

    def remove(self, subject_id: str, rule_code: str) -> bool:
        for row, key in enumerate(self._keys):
            if key_of(key) == (subject_id, rule_code):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._keys[row]
                self._rows.pop((subject_id, rule_code), None)
                self.endRemoveRows()
                return True
        return False

    def key_at(self, row: int) -> DueState | None:
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def item_at(self, row: int) -> DueItem | None:
        key = self.key_at(row)
        return None if key is None else self._rows.get(key_of(key))

    def row_of(self, subject_id: str, rule_code: str) -> int:
        return next(
            (r for r, k in enumerate(self._keys) if key_of(k) == (subject_id, rule_code)), -1
        )

    def counts(self) -> dict[DeadlineState, int]:
        counts = dict.fromkeys(DeadlineState, 0)
        for key in self._keys:
            counts[key.state] += 1
        return counts

    # -- Qt -----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            Column.STATE: self.tr("状态"),
            Column.DUE: self.tr("到期时间"),
            Column.RULE: self.tr("期限规则"),
            Column.CASE: self.tr("案件编号 / 名称"),
            Column.PERSON: self.tr("人员"),
            Column.MEASURE: self.tr("强制措施"),
            Column.UNIT: self.tr("办案单位 / 主办民警"),
            Column.REMAINING: self.tr("剩余时间"),
        }[Column(section)]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        key = self._keys[index.row()]
        column = Column(index.column())
        colors = STATE_COLORS.get(key.state)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(colors[0])) if colors else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(colors[1])) if colors and column is Column.STATE else None
        if role == Qt.ItemDataRole.FontRole and column is Column.STATE and colors:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return key.state.value
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        language = self._language()
        if column is Column.STATE:
            return key.state.label.in_language(language)
        if column is Column.DUE:
            return key.due.shown.in_language(language)
        if column is Column.REMAINING:
            return self.remaining(key.due, key.state)
        item = self._rows.get(key_of(key))
        if item is None:
            if key_of(key) in self._gone:
                return "—"
            self._ask_for(index.row())
            return "…"
        if column is Column.RULE:
            return item.rule_name.in_language(language)
        if column is Column.CASE:
            return f"{item.case_no}  {item.case_name}"
        if column is Column.PERSON:
            return item.person_name or "—"
        if column is Column.MEASURE:
            return item.measure_kind.label.in_language(language) if item.measure_kind else "—"
        names = [n for n in (item.unit_name, item.officer_name) if n]
        return " / ".join(names) or "—"

    def remaining(self, due: DueMoment, state: DeadlineState) -> str:
        """How long is left (or how long it is overdue), in words."""
        left = due.deadline - self.now
        if state is DeadlineState.OVERDUE:
            late = -left
            if late >= dt.timedelta(days=1):
                return self.tr("逾期 {days} 天").format(days=late.days)
            return self.tr("逾期 {hours} 小时").format(hours=max(1, late.seconds // 3600))
        if left < dt.timedelta(days=1):
            hours, rest = divmod(int(left.total_seconds()), 3600)
            return self.tr("剩 {hours} 小时 {minutes} 分").format(hours=hours, minutes=rest // 60)
        return self.tr("剩 {days} 天").format(days=(due.day - self.now.date()).days)

    def _ask_for(self, row: int) -> None:
        start = row - row % PAGE_SIZE
        wanted = [
            k for k in self._keys[start:start + PAGE_SIZE]
            if key_of(k) not in self._rows and key_of(k) not in self._pending
            and key_of(k) not in self._gone
        ]
        if wanted:
            self._pending.update(key_of(k) for k in wanted)
            self.rows_needed.emit(wanted)
