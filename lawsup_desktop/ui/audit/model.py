"""The case list: a model over the case ids SQL filtered and sorted; the display
rows of the ids the view shows are read on demand, in the background, by the page.
Sorting is a new query (the header click asks the page), never a proxy model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum

from PySide6.QtCore import QObject, Qt, Signal

from lawsup_desktop.services.cases import CaseRow, CaseSort
from lawsup_desktop.ui.lazy_rows import AnyIndex, OnDemandRowsModel

BLOCK = 200
"""Rows read per query: a screenful or two."""

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    CASE_NO = 0
    NAME = 1
    KIND = 2
    CAUSE = 3
    UNIT = 4
    LEAD = 5
    ACCEPTED = 6
    REGISTERED = 7
    PERSONS = 8
    AUDIT = 9


SORT_KEYS: dict[Column, CaseSort] = {
    Column.CASE_NO: CaseSort.CASE_NO,
    Column.NAME: CaseSort.NAME,
    Column.KIND: CaseSort.KIND,
    Column.CAUSE: CaseSort.CAUSE,
    Column.UNIT: CaseSort.UNIT,
    Column.LEAD: CaseSort.LEAD_OFFICER,
    Column.ACCEPTED: CaseSort.ACCEPTED_AT,
    Column.REGISTERED: CaseSort.REGISTERED_AT,
}
"""Columns a header click sorts by (persons and audit state are not sortable in SQL)."""


class CaseListModel(OnDemandRowsModel):
    sort_requested = Signal(int, object)  # column, Qt.SortOrder

    def __init__(self, language: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(len(Column), BLOCK, parent)
        self._language = language

    def reset(self, ids: Sequence[str]) -> None:
        self.beginResetModel()
        self._replace(ids)
        self.endResetModel()

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    def invalidate(self, case_id: str) -> None:
        """The case changed: read its row again when shown."""
        self._rows.pop(case_id, None)
        row = self.row_of(case_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    # -- Qt -------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_requested.emit(column, order)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            Column.CASE_NO: self.tr("案件编号"),
            Column.NAME: self.tr("案件名称"),
            Column.KIND: self.tr("类别"),
            Column.CAUSE: self.tr("案由"),
            Column.UNIT: self.tr("办案单位"),
            Column.LEAD: self.tr("主办民警"),
            Column.ACCEPTED: self.tr("受案时间"),
            Column.REGISTERED: self.tr("立案时间"),
            Column.PERSONS: self.tr("人员"),
            Column.AUDIT: self.tr("审核状态"),
        }[Column(section)]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        case_id = self._ids[index.row()]
        if role == ID_ROLE:
            return case_id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._rows.get(case_id)
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                self._need(index.row())
                return "…"
            return None
        return self._text(row, Column(index.column()))

    def _text(self, row: CaseRow, column: Column) -> str:
        language = self._language()
        if column == Column.CASE_NO:
            return row.case_no
        if column == Column.NAME:
            return row.name
        if column == Column.KIND:
            return row.kind.label.in_language(language)
        if column == Column.CAUSE:
            return row.cause
        if column == Column.UNIT:
            return row.unit_name or "—"
        if column == Column.LEAD:
            return row.lead_officer_name or "—"
        if column == Column.ACCEPTED:
            return _when(row.accepted_at)
        if column == Column.REGISTERED:
            return _when(row.registered_at)
        if column == Column.PERSONS:
            return str(row.persons)
        return row.audit_label.in_language(language)


def _when(value: object) -> str:
    from datetime import datetime

    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else "—"
