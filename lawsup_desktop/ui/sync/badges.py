"""Per-record sync badges (本地 / 待同步 / 已同步 / 冲突 / 被拒绝), for any list.

Two halves, so a list model can use them without blocking the GUI thread:

* :func:`read_badges` (no Qt, any thread): the badge state of the ids a view shows,
  with the service's reason for refused changes;
* :func:`badge_view` (GUI thread): the text, colour, icon and tooltip of a state.

Hooking them into an :class:`~lawsup_desktop.ui.lazy_rows.OnDemandRowsModel`: in the
page's ``rows_needed`` job (already off the GUI thread) call
``read_badges(db, "incident", ids)`` next to the row read and return both; on the GUI
thread give the badges to a :class:`BadgeStore` the model owns
(``model.badges.update(states)``) before ``model.add_rows(rows, asked)``; the model's
``data()`` answers its badge column with ``self.badges.data(record_id, role)``. When
sync changed something (``sync_controller(context).changed``) call
``model.badges.clear()`` and re-read the visible ids' badges the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from lawsup_desktop.domain.errors import Text
from lawsup_desktop.store.database import Database
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.pages import QT_TRANSLATE_NOOP

LOCAL, PENDING, SYNCED, CONFLICT, REJECTED = "local", "pending", "synced", "conflict", "rejected"

_TEXTS = {
    LOCAL: QT_TRANSLATE_NOOP("SyncBadges", "本地"),
    PENDING: QT_TRANSLATE_NOOP("SyncBadges", "待同步"),
    SYNCED: QT_TRANSLATE_NOOP("SyncBadges", "已同步"),
    CONFLICT: QT_TRANSLATE_NOOP("SyncBadges", "冲突"),
    REJECTED: QT_TRANSLATE_NOOP("SyncBadges", "被拒绝"),
}
_TIPS = {
    LOCAL: QT_TRANSLATE_NOOP("SyncBadges", "只在本机，尚未上报县局（本机未注册或从未同步）。"),
    PENDING: QT_TRANSLATE_NOOP("SyncBadges", "本机有修改，等待下次同步上报。"),
    SYNCED: QT_TRANSLATE_NOOP("SyncBadges", "与县局服务器一致。"),
    CONFLICT: QT_TRANSLATE_NOOP("SyncBadges", "与其他工作站的修改冲突，请到“同步”页处理。"),
    REJECTED: QT_TRANSLATE_NOOP("SyncBadges", "县局服务器拒绝了本机的修改。"),
}
# Background and text colours (the colours of the other pages' state chips).
COLORS = {
    LOCAL: ("#e8edf2", "#33414e"),
    PENDING: ("#fff4d6", "#7a5200"),
    SYNCED: ("#dff3e4", "#1d6b34"),
    CONFLICT: ("#fde2e1", "#a1261d"),
    REJECTED: ("#f3e0f5", "#6f1d7a"),
}


@dataclass(frozen=True)
class BadgeState:
    state: str
    reason: Text | None = None
    """The service's reason, for a refused change."""


@dataclass(frozen=True)
class BadgeView:
    state: str
    text: str
    tooltip: str
    background: QColor
    foreground: QColor
    icon: QIcon


def read_badges(db: Database, entity: str, record_ids: list[str]) -> dict[str, BadgeState]:
    """The badge of each record (no Qt: call it in the job that reads the rows)."""
    # Here, not at the top: the first page's list imports this module as the main
    # window opens, and the engine brings the whole data model (read on a worker).
    from lawsup_desktop.sync import engine

    states = engine.badges(db, entity, record_ids)
    rejected = [i for i, s in states.items() if s == REJECTED]
    reasons = engine.rejection_reasons(db, entity, rejected) if rejected else {}
    return {i: BadgeState(s, reasons.get(i)) for i, s in states.items()}


def badge_text(state: str) -> str:
    return QCoreApplication.translate("SyncBadges", _TEXTS.get(state, _TEXTS[LOCAL]))


def badge_view(badge: BadgeState | str, reason: Text | None = None) -> BadgeView:
    """Text, tooltip (with the reason of a refusal), colours and icon of a badge."""
    if isinstance(badge, BadgeState):
        state, reason = badge.state, badge.reason or reason
    else:
        state = badge
    state = state if state in _TEXTS else LOCAL
    tooltip = QCoreApplication.translate("SyncBadges", _TIPS[state])
    if state == REJECTED and reason is not None:
        tooltip = QCoreApplication.translate("SyncBadges", "县局服务器拒绝了本机的修改：{reason}"
                                             ).format(reason=reason.in_language(
                                                 i18n.current_language()))
    background, foreground = COLORS[state]
    return BadgeView(state, badge_text(state), tooltip, QColor(background), QColor(foreground),
                     badge_icon(state))


class BadgeStore:
    """The badges of the rows a list model has read, answered per Qt item role."""

    def __init__(self) -> None:
        self._states: dict[str, BadgeState] = {}

    def update(self, states: dict[str, BadgeState]) -> None:
        self._states.update(states)

    def clear(self) -> None:
        self._states.clear()

    def state(self, record_id: str) -> BadgeState | None:
        return self._states.get(record_id)

    def data(self, record_id: str, role: int) -> object:
        """What a badge column shows for ``role`` (None: not read yet, or no such role)."""
        badge = self._states.get(record_id)
        if badge is None:
            return None
        view = badge_view(badge)
        if role == Qt.ItemDataRole.DisplayRole:
            return view.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return view.tooltip
        if role == Qt.ItemDataRole.DecorationRole:
            return view.icon
        if role == Qt.ItemDataRole.ForegroundRole:
            return view.foreground
        return None


@cache
def badge_icon(state: str) -> QIcon:
    """A small filled dot in the badge's text colour."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(COLORS.get(state, COLORS[LOCAL])[1]))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


def badge_style(state: str) -> str:
    """A style sheet that draws a QLabel as the badge's chip."""
    background, foreground = COLORS.get(state, COLORS[LOCAL])
    return (f"background: {background}; color: {foreground}; border-radius: 4px;"
            " padding: 1px 8px; font-weight: bold;")
