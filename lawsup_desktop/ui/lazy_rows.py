"""The base of the big list models: ids in the order SQL gave them, display rows read
on demand. The view asks for a row by showing it; the model gathers the ids it
lacks into one ``rows_needed`` request per event-loop turn, and the page reads
them in the background and hands them back with :meth:`add_rows`.

A list with per-record sync badges names its ``badge_column``; the page's
:class:`~lawsup_desktop.ui.list_loading.ListLoader` reads the badges with the rows
(:meth:`ListLoader.show_badges`) and keeps them in :attr:`OnDemandRowsModel.badges`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QTimer,
    Signal,
)

from lawsup_desktop.ui.sync.badges import BadgeState, BadgeStore

AnyIndex = QModelIndex | QPersistentModelIndex


class HasId(Protocol):
    @property
    def id(self) -> str: ...


class OnDemandRowsModel(QAbstractTableModel):
    rows_needed = Signal(object)
    """Ids whose rows the view needs: read them, then :meth:`add_rows`."""
    badge_column: int | None = None
    """The column showing each record's sync badge (None: the list shows none)."""

    def __init__(self, columns: int, block: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._block = block
        self._ids: list[str] = []
        self._rows: dict[str, Any] = {}
        self._pending: set[str] = set()
        self._asked: list[str] = []
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)
        self._flush.timeout.connect(self._ask_rows)
        self.badges = BadgeStore()

    def _replace(self, ids: Sequence[str], rows: Sequence[HasId] = ()) -> None:
        """New contents; call between beginResetModel and endResetModel."""
        self._ids = list(ids)
        self._rows = {r.id: r for r in rows}
        self._pending = set()
        self._asked = []

    def add_rows(self, rows: Sequence[HasId], asked: Sequence[str] = ()) -> None:
        """Rows read for the view (or changed by an action): shown at once."""
        for row in rows:
            self._rows[row.id] = row
        self._pending -= set(asked) | {r.id for r in rows}
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, self._columns - 1)
            )

    def add_badges(self, states: Mapping[str, BadgeState]) -> None:
        """Badges read with rows: given before the rows, so they paint together."""
        self.badges.update(dict(states))

    def renew_badges(self, states: Mapping[str, BadgeState]) -> None:
        """The badges of the read rows again (sync changed them): shown at once."""
        self.badges.clear()
        self.badges.update(dict(states))
        if self.badge_column is not None and self._ids:
            self.dataChanged.emit(self.index(0, self.badge_column),
                                  self.index(len(self._ids) - 1, self.badge_column))

    def read_ids(self) -> list[str]:
        """The ids whose rows were read (the ones whose badges can show)."""
        return list(self._rows)

    def forget_pending(self, ids: Sequence[str]) -> None:
        """A read failed: let the rows be asked for again."""
        self._pending -= set(ids)

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: str) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def is_loaded(self, record_id: str) -> bool:
        return record_id in self._rows

    def _need(self, row: int) -> None:
        # Ask for the block of not-yet-read ids from this row on (one query, many rows).
        block = [
            i
            for i in self._ids[row : row + self._block]
            if i not in self._rows and i not in self._pending
        ]
        if not block:
            return
        self._pending |= set(block)
        self._asked.extend(block)
        self._flush.start()

    def _ask_rows(self) -> None:
        asked, self._asked = self._asked, []
        if asked:
            self.rows_needed.emit(asked)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns
