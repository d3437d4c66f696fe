"""Per-record sync badges in the incident list and the rectification ledger: a new
local record is 待同步 with its outbox op; a real sync against the central service (in
its own process, as tests/gui/test_sync_page.py runs it) turns it 已同步; a change the
service refused is 被拒绝 with the service's reason in the tooltip; an open conflict is
冲突. The badges come with the rows of every window and are read again when the sync
controller says something changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, insert, select, update

from lawsup_central.devserver import Service
from lawsup_desktop.domain.errors import Text
from lawsup_desktop.domain.vocabulary import IncidentCategory, KeyCategory, RiskLevel
from lawsup_desktop.services.watch import WatchService
from lawsup_desktop.store.base import new_id
from lawsup_desktop.store.sync_models import SyncConflict, SyncOutbox
from lawsup_desktop.sync.engine import raw_write
from lawsup_desktop.ui.app import configure_application
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.incidents import model as incident_model
from lawsup_desktop.ui.incidents.page import IncidentsPage
from lawsup_desktop.ui.rectifications import model as ledger_model
from lawsup_desktop.ui.rectifications.page import RectificationPage
from lawsup_desktop.ui.sync import badges
from lawsup_desktop.ui.sync.controller import sync_controller
from tests.gui.test_sync_page import (  # noqa: F401 - fixtures
    TIMEOUT_MS,
    central,
    context,
    edit_incident,
    enroll_quietly,
    memory_keyring,
)
from tests.unit.incident_helpers import add_incidents, add_unit_with_officer

REASON_ZH = "该警情已由县局指挥中心归档，不能再修改。"
REASON_EN = "The bureau's command centre archived this incident; it cannot change."

ListPage = IncidentsPage | RectificationPage


def show(page: ListPage, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    configure_application(app)  # the program's font and style sheet, as users see it
    qtbot.addWidget(page)
    page.resize(1500, 700)
    page.show()
    qtbot.waitExposed(page)
    idle(page, qtbot)


def idle(page: ListPage, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)
    page.context.tasks.wait_all(TIMEOUT_MS)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=TIMEOUT_MS)


def badge_index(page: ListPage, record_id: str) -> QModelIndex:
    model = page.model
    row = model.row_of(record_id)
    assert row >= 0, record_id
    assert model.badge_column is not None
    return model.index(row, model.badge_column)


def badge(page: ListPage, record_id: str, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return page.model.data(badge_index(page, record_id), role)


def wait_badge(page: ListPage, qtbot: QtBot, record_id: str, text: str) -> None:
    qtbot.waitUntil(lambda: badge(page, record_id) == text, timeout=TIMEOUT_MS)
    idle(page, qtbot)


def outbox(ctx: AppContext, entity: str, record_id: str) -> list[tuple[str, str]]:
    """(kind, state) of each op of the record waiting in the outbox."""
    with ctx.db.reader.connect() as conn:
        return [(k, s) for k, s in conn.execute(
            select(SyncOutbox.kind, SyncOutbox.state).where(
                SyncOutbox.entity == entity, SyncOutbox.record_id == record_id)
            .order_by(SyncOutbox.seq))]


def refuse(ctx: AppContext, entity: str, record_id: str) -> None:
    """What the engine's push writes when the service refuses the record's op."""
    with raw_write(ctx.db) as conn:
        done = conn.execute(update(SyncOutbox).where(
            SyncOutbox.entity == entity, SyncOutbox.record_id == record_id,
            SyncOutbox.state == "pending").values(
            state="rejected", reason_zh=REASON_ZH, reason_en=REASON_EN))
        assert done.rowcount >= 1


def clash(ctx: AppContext, entity: str, record_id: str) -> None:
    """What the engine's pull stores for a hard conflict the service reports."""
    with raw_write(ctx.db) as conn:
        conn.execute(insert(SyncConflict).values(
            id=new_id(), entity=entity, record_id=record_id, kind="field",
            fields={"summary": {"mine": "甲", "theirs": "乙", "base": "原"}},
            state="open", detail={}, created_at="2026-11-27T08:00:00+00:00"))


def sync_changed(ctx: AppContext) -> None:
    """Tell the pages sync changed things, as the controller does after a sync."""
    sync_controller(ctx).changed.emit()


def test_incident_list_badges_pending_synced_rejected_conflict(
    context: AppContext, central: Service, qtbot: QtBot, artifacts: Path  # noqa: F811
) -> None:
    enroll_quietly(context, central)
    ws = context.workstation
    # Two windows of older incidents, then four new ones on top (newest first).
    older = add_incidents(context.db, ws, *[
        {"incident_no": f"B2026112000{n:03d}", "summary": "旧警情",
         "received_at": dt.datetime(2026, 11, 1, 8, 0) + dt.timedelta(minutes=n)}
        for n in range(incident_model.WINDOW + 20)])
    fresh = add_incidents(context.db, ws, *[
        {"incident_no": f"J2026112700{n:03d}", "received_at": dt.datetime(2026, 11, 27, 9, n),
         "category": IncidentCategory.DISPUTE, "summary": summary, "address": "城关镇"}
        for n, summary in enumerate(("邻里纠纷", "噪音扰民", "家庭纠纷", "停车纠纷"))])
    first, refused, clashing, untouched = fresh

    page = IncidentsPage(context)
    show(page, qtbot)
    header = page.model.headerData(incident_model.Column.SYNC, Qt.Orientation.Horizontal)
    assert header == "同步"
    # A new local record: pending, and its insert op waits in the outbox.
    assert outbox(context, "incident", first) == [("insert", "pending")]
    assert badge(page, first) == "待同步"
    assert badge(page, first, Qt.ItemDataRole.ToolTipRole) == badges.badge_view("pending").tooltip
    assert isinstance(badge(page, first, Qt.ItemDataRole.DecorationRole), QIcon)
    assert badge(page, first, Qt.ItemDataRole.ForegroundRole) == QColor(
        badges.COLORS["pending"][1])

    # A real sync: the ops reach the service, the controller says so, the list re-reads.
    with qtbot.waitSignal(sync_controller(context).changed, timeout=TIMEOUT_MS):
        handle = sync_controller(context).sync_now()
        assert handle is not None
    wait_badge(page, qtbot, first, "已同步")
    assert outbox(context, "incident", first) == []
    assert badge(page, untouched) == "已同步"

    # The second window's rows come with their badges too.
    last = older[0]  # the oldest: at the bottom of the list, beyond the first window
    assert page.model.row_of(last) == -1  # its window was not read yet
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.row_of(last) >= 0, timeout=TIMEOUT_MS)
    wait_badge(page, qtbot, last, "已同步")

    # Edits: one the service refuses, one that clashes with another workstation's.
    edit_incident(context, refused, summary="改过的噪音扰民")
    edit_incident(context, clashing, summary="改过的家庭纠纷")
    sync_changed(context)
    wait_badge(page, qtbot, refused, "待同步")
    assert outbox(context, "incident", refused) == [("update", "pending")]
    refuse(context, "incident", refused)
    clash(context, "incident", clashing)
    sync_changed(context)
    wait_badge(page, qtbot, refused, "被拒绝")
    tooltip = badge(page, refused, Qt.ItemDataRole.ToolTipRole)
    assert REASON_ZH in tooltip
    assert badge(page, clashing) == "冲突"
    assert badge(page, first) == "已同步"
    assert badge(page, untouched) == "已同步"

    # A record typed in after the sync: pending again (the reload reads its badge).
    (typed,) = add_incidents(context.db, ws, {
        "incident_no": "J2026112700004", "received_at": dt.datetime(2026, 11, 27, 9, 4),
        "summary": "新录入的警情", "address": "城关镇"})
    idle(page, qtbot)
    page.reload()
    idle(page, qtbot)
    assert page.model.row_of(typed) == 0
    assert badge(page, typed) == "待同步"
    assert badge(page, refused) == "被拒绝"
    page.table.scrollToTop()
    idle(page, qtbot)
    page.grab().save(str(artifacts / "incidents_badges.png"))


def raise_rectification(ctx: AppContext) -> str:
    """A rectification item raised by a daily-watch finding, as a supervisor does."""
    ws = ctx.workstation
    unit_id, officer_id = add_unit_with_officer(ctx.db, ws, "刑侦中队", "赵警官")
    (incident_id,) = add_incidents(ctx.db, ws, {
        "incident_no": "J2026112700099", "received_at": dt.datetime(2026, 11, 26, 21, 40),
        "category": IncidentCategory.CRIMINAL, "is_key": True,
        "key_category": KeyCategory.FRAUD})
    watch = WatchService(ctx.db, ws.actor)
    problem = next(p for p in watch.problem_types() if p.label.zh == "降格处理")
    outcome = watch.record_finding(
        incident_id, problem_type_id=problem.id, note="按纠纷调解处理，未受案",
        responsible_unit_id=unit_id, responsible_officer_id=officer_id,
        risk_level=RiskLevel.HIGH, today=dt.date(2026, 11, 27))
    assert outcome.rectification_id is not None
    return outcome.rectification_id


def test_rectification_ledger_badges_pending_rejected_conflict_synced(
    context: AppContext, qtbot: QtBot  # noqa: F811
) -> None:
    item = raise_rectification(context)
    page = RectificationPage(context)
    show(page, qtbot)
    assert page.model.headerData(ledger_model.Column.SYNC, Qt.Orientation.Horizontal) == "同步"
    assert ("insert", "pending") in outbox(context, "rectification", item)
    assert badge(page, item) == "待同步"

    refuse(context, "rectification", item)
    sync_changed(context)
    wait_badge(page, qtbot, item, "被拒绝")
    tooltip = badge(page, item, Qt.ItemDataRole.ToolTipRole)
    assert REASON_ZH in tooltip and tooltip == badges.badge_view(
        badges.BadgeState("rejected", Text(REASON_ZH, REASON_EN))).tooltip

    clash(context, "rectification", item)
    sync_changed(context)
    wait_badge(page, qtbot, item, "冲突")

    # The conflict resolved and the refused op dropped: what the service holds.
    with raw_write(context.db) as conn:
        conn.execute(update(SyncConflict).where(SyncConflict.record_id == item)
                     .values(state="resolved"))
        conn.execute(delete(SyncOutbox).where(SyncOutbox.record_id == item))
        conn.exec_driver_sql(
            "INSERT INTO sync_record_state (entity, record_id, server_version) "
            "VALUES ('rectification', ?, 1)", (item,))
    sync_changed(context)
    wait_badge(page, qtbot, item, "已同步")


def test_the_badge_column_speaks_english(
    context: AppContext, qtbot: QtBot  # noqa: F811
) -> None:
    from lawsup_desktop.ui import i18n

    (incident,) = add_incidents(context.db, context.workstation, {"summary": "纠纷"})
    i18n.set_language("en")
    try:
        page = IncidentsPage(context)
        show(page, qtbot)
        assert page.model.headerData(incident_model.Column.SYNC,
                                     Qt.Orientation.Horizontal) == "Sync"
        assert badge(page, incident) == "Pending"
    finally:
        i18n.set_language("zh_CN")
