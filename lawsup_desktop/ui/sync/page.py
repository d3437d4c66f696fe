"""同步: the bureau's server and this workstation's enrolment, "sync now", the
history, the conflicts inbox (mine / theirs / base per field, chosen per field) and
the changes the service refused, with its reason."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.services.progress import Progress
from lawsup_desktop.sync import engine
from lawsup_desktop.sync.engine import HistoryEntry, OpenConflict, RejectedOp
from lawsup_desktop.sync.state import SyncStatus
from lawsup_desktop.ui import i18n
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.sync import labels
from lawsup_desktop.ui.sync.badges import CONFLICT, REJECTED, badge_icon, badge_view
from lawsup_desktop.ui.sync.controller import SyncController, interval_minutes, sync_controller
from lawsup_desktop.ui.sync.enroll_dialog import EnrollDialog
from lawsup_desktop.ui.sync.status import status_line
from lawsup_desktop.ui.tasks import TaskHandle

MINE, THEIRS = "mine", "theirs"
CHOOSABLE = frozenset({"field", "edit_delete"})
"""Conflict kinds where the user picks values; the others (a second decision at one
review level, a duplicate record) stand as the service decided and are acknowledged."""
CHOSEN = QColor("#dff3e4")
WARNING_STYLE = "color: #a1261d;"
CAUTION_STYLE = "color: #7a5200;"


class SyncPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_page")
        self.context = context
        self.controller: SyncController = sync_controller(context)
        self.status: SyncStatus | None = None
        self.conflicts: list[OpenConflict] = []
        self.rejected: list[RejectedOp] = []
        self.entries: list[HistoryEntry] = []
        self.resolve_handle: TaskHandle[None] | None = None
        self.enroll_dialog: EnrollDialog | None = None
        self._language = i18n.current_language()

        self.heading = QLabel(self)
        self.heading.setObjectName("page_heading")

        # -- the server box ------------------------------------------------------
        self.server_box = QGroupBox(self)
        grid = QGridLayout(self.server_box)
        self.server_caption = QLabel(self.server_box)
        self.server_value = QLabel(self.server_box)
        self.server_value.setObjectName("server_value")
        self.server_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.enrolment_caption = QLabel(self.server_box)
        self.enrolment_value = QLabel(self.server_box)
        self.enrolment_value.setObjectName("enrolment_value")
        self.enroll_button = QPushButton(self.server_box)
        self.enroll_button.setObjectName("enroll_button")
        self.enroll_button.clicked.connect(self.open_enroll_dialog)
        self.ca_caption = QLabel(self.server_box)
        self.ca_value = QLabel(self.server_box)
        self.ca_value.setObjectName("ca_value")
        self.ca_choose = QPushButton(self.server_box)
        self.ca_choose.clicked.connect(self.choose_ca_bundle)
        self.ca_clear = QPushButton(self.server_box)
        self.ca_clear.clicked.connect(lambda: self.set_ca_bundle(None))
        self.interval_caption = QLabel(self.server_box)
        self.interval = QSpinBox(self.server_box)
        self.interval.setObjectName("interval")
        self.interval.setRange(1, 24 * 60)
        self.interval.setValue(interval_minutes(context))
        self.interval.valueChanged.connect(self.controller.set_interval_minutes)
        ca_buttons = QHBoxLayout()
        ca_buttons.addWidget(self.ca_choose)
        ca_buttons.addWidget(self.ca_clear)
        grid.addWidget(self.server_caption, 0, 0)
        grid.addWidget(self.server_value, 0, 1)
        grid.addWidget(self.enroll_button, 0, 2)
        grid.addWidget(self.enrolment_caption, 1, 0)
        grid.addWidget(self.enrolment_value, 1, 1, 1, 2)
        grid.addWidget(self.ca_caption, 2, 0)
        grid.addWidget(self.ca_value, 2, 1)
        grid.addLayout(ca_buttons, 2, 2)
        grid.addWidget(self.interval_caption, 3, 0)
        grid.addWidget(self.interval, 3, 1, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(1, 1)

        # -- the state and "sync now" ----------------------------------------------
        self.summary = QLabel(self)
        self.summary.setObjectName("sync_summary")
        self.error = QLabel(self)
        self.error.setObjectName("sync_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(WARNING_STYLE)
        self.clock = QLabel(self)
        self.clock.setObjectName("clock_warning")
        self.clock.setWordWrap(True)
        self.clock.setStyleSheet(CAUTION_STYLE)
        self.keyring = QLabel(self)
        self.keyring.setObjectName("keyring_warning")
        self.keyring.setWordWrap(True)
        self.keyring.setStyleSheet(CAUTION_STYLE)
        self.sync_action = QAction(self)
        self.sync_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+Shift+S")])
        self.sync_action.triggered.connect(self.sync_now)
        self.addAction(self.sync_action)
        self.sync_button = QPushButton(self)
        self.sync_button.setObjectName("sync_now")
        self.sync_button.clicked.connect(self.sync_action.trigger)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("sync_progress")
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(240)
        self.progress.hide()
        self.progress_text = QLabel(self)
        sync_row = QHBoxLayout()
        sync_row.addWidget(self.sync_button)
        sync_row.addWidget(self.progress)
        sync_row.addWidget(self.progress_text)
        sync_row.addStretch(1)

        # -- conflicts, refusals, history --------------------------------------------
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("sync_tabs")
        self.tabs.addTab(self._build_conflicts(), "")
        self.tabs.addTab(self._build_rejected(), "")
        self.tabs.addTab(self._build_history(), "")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.server_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(self.clock)
        layout.addWidget(self.keyring)
        layout.addLayout(sync_row)
        layout.addWidget(self.tabs, 1)

        self.controller.changed.connect(self.reload)
        self.controller.running_changed.connect(self._running)
        self.controller.progressed.connect(self._progressed)
        self.retranslate()
        self._running(self.controller.scheduler.running)

    def _build_conflicts(self) -> QWidget:
        tab = QWidget(self)
        self.conflict_list = QListWidget(tab)
        self.conflict_list.setObjectName("conflict_list")
        self.conflict_list.currentRowChanged.connect(self._show_conflict)
        self.conflict_heading = QLabel(tab)
        self.conflict_heading.setObjectName("conflict_heading")
        self.conflict_heading.setWordWrap(True)
        self.conflict_fields = QTableWidget(0, 5, tab)
        self.conflict_fields.setObjectName("conflict_fields")
        self.conflict_fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflict_fields.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.conflict_fields.setWordWrap(True)
        self.conflict_fields.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # choices are the combos
        self.conflict_fields.verticalHeader().hide()
        header = self.conflict_fields.horizontalHeader()
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.conflict_fields.cellClicked.connect(self._cell_clicked)
        self.all_mine = QPushButton(tab)
        self.all_mine.setObjectName("all_mine")
        self.all_mine.clicked.connect(lambda: self.choose_all(MINE))
        self.all_theirs = QPushButton(tab)
        self.all_theirs.setObjectName("all_theirs")
        self.all_theirs.clicked.connect(lambda: self.choose_all(THEIRS))
        self.resolve_button = QPushButton(tab)
        self.resolve_button.setObjectName("resolve")
        self.resolve_button.clicked.connect(self.resolve_current)
        self.no_conflicts = QLabel(tab)
        self.no_conflicts.setObjectName("no_conflicts")
        self.no_conflicts.setAlignment(Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_mine)
        buttons.addWidget(self.all_theirs)
        buttons.addStretch(1)
        buttons.addWidget(self.resolve_button)
        detail = QWidget(tab)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.conflict_heading)
        detail_layout.addWidget(self.conflict_fields, 1)
        self.conflict_hint = QLabel(tab)
        self.conflict_hint.setWordWrap(True)
        detail_layout.addWidget(self.conflict_hint)
        detail_layout.addLayout(buttons)
        splitter = self.conflict_splitter = QSplitter(tab)
        splitter.addWidget(self.conflict_list)
        splitter.addWidget(detail)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([240, 720])
        layout = QVBoxLayout(tab)
        layout.addWidget(self.no_conflicts)
        layout.addWidget(splitter, 1)
        layout.addStretch(0)
        return tab

    def _build_rejected(self) -> QWidget:
        self.rejected_table = _table(self, "rejected_table", 5)
        self.rejected_table.horizontalHeader().setSectionResizeMode(
            4, QHeaderView.ResizeMode.Stretch)
        return self.rejected_table

    def _build_history(self) -> QWidget:
        self.history_table = _table(self, "history_table", 7)
        self.history_table.horizontalHeader().setSectionResizeMode(
            6, QHeaderView.ResizeMode.Stretch)
        return self.history_table

    # -- texts -----------------------------------------------------------------

    def retranslate(self) -> None:
        self._language = i18n.current_language()
        self.heading.setText(self.tr("同步"))
        self.server_box.setTitle(self.tr("县局同步服务器"))
        self.server_caption.setText(self.tr("服务器地址："))
        self.enrolment_caption.setText(self.tr("注册状态："))
        self.ca_caption.setText(self.tr("县局 CA 证书："))
        self.ca_choose.setText(self.tr("选择…"))
        self.ca_clear.setText(self.tr("使用系统证书"))
        self.interval_caption.setText(self.tr("自动同步间隔："))
        self.interval.setSuffix(self.tr(" 分钟"))
        self.sync_action.setText(self.tr("立即同步"))
        self.sync_button.setText(self.tr("立即同步 (F5)"))
        self.sync_button.setToolTip(self.tr("立即与县局服务器同步（F5 或 Ctrl+Shift+S）"))
        self.all_mine.setText(self.tr("全部用本机的"))
        self.all_theirs.setText(self.tr("全部用服务器的"))
        self.no_conflicts.setText(self.tr("没有待处理的冲突。"))
        self.conflict_fields.setHorizontalHeaderLabels([
            self.tr("字段"), self.tr("本机（我的）"), self.tr("服务器（对方的）"),
            self.tr("修改前"), self.tr("采用")])
        self.rejected_table.setHorizontalHeaderLabels([
            self.tr("修改时间（本机）"), self.tr("记录"), self.tr("状态"), self.tr("字段"),
            self.tr("拒绝原因")])
        self.history_table.setHorizontalHeaderLabels([
            self.tr("开始（本机时间）"), self.tr("服务器时间"), self.tr("上报"), self.tr("接收"),
            self.tr("冲突"), self.tr("被拒绝"), self.tr("错误")])
        self.reload()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- reading -------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the (small) sync tables and show them."""
        db = self.context.db
        status = self.status = self.controller.status()
        self.conflicts = engine.open_conflicts(db)
        self.rejected = engine.rejected_ops(db)
        self.entries = engine.history(db)
        ca = engine.ca_bundle(db)

        self.server_value.setText(status.server_url or self.tr("（未注册）"))
        if status.enrolled:
            with db.reader.connect() as conn:
                code = engine.get_meta(conn, "station_code")
                device = engine.get_meta(conn, "device_id")
            self.enrolment_value.setText(self.tr("已注册：{code}，设备 {device}").format(
                code=code, device=device[:8]))
            self.enroll_button.setText(self.tr("重新注册…"))
        else:
            self.enrolment_value.setText(self.tr("本机尚未注册，不能同步。"))
            self.enroll_button.setText(self.tr("注册本机…"))
        self.ca_value.setText(str(ca) if ca else self.tr("系统自带的证书"))
        self.ca_clear.setEnabled(ca is not None)
        self.summary.setText(status_line(status) if status.enrolled else "")
        self.summary.setVisible(status.enrolled)
        self.sync_action.setEnabled(status.enrolled and not self.controller.scheduler.running)
        self.sync_button.setEnabled(self.sync_action.isEnabled())
        self._show_messages(status)
        self._fill_conflicts()
        self._fill_rejected()
        self._fill_history()
        self.tabs.setTabText(0, self.tr("冲突（{n}）").format(n=len(self.conflicts)))
        self.tabs.setTabText(1, self.tr("被拒绝的更改（{n}）").format(n=len(self.rejected)))
        self.tabs.setTabText(2, self.tr("同步记录"))

    def _show_messages(self, status: SyncStatus) -> None:
        error = self.controller.last_error(status)
        self.error.setText(self.tr("上次同步失败：{error}").format(
            error=error.in_language(self._language)) if error else "")
        self.error.setVisible(error is not None)
        clock = self.controller.clock_warning
        self.clock.setText(clock.in_language(self._language) if clock else "")
        self.clock.setVisible(clock is not None)
        warning = self.controller.token_warning
        self.keyring.setText(warning.in_language(self._language) if warning else "")
        self.keyring.setVisible(warning is not None)

    def _fill_conflicts(self) -> None:
        current = self.current_conflict()
        self.conflict_list.blockSignals(True)
        self.conflict_list.clear()
        for conflict in self.conflicts:
            item = QListWidgetItem(badge_icon(CONFLICT), "{record}\n{kind}".format(
                record=labels.record_label(conflict.entity, conflict.record_title,
                                           conflict.record_id),
                kind=labels.kind_label(conflict.kind)))
            item.setToolTip(badge_view(CONFLICT).tooltip)
            item.setData(Qt.ItemDataRole.UserRole, conflict.id)
            self.conflict_list.addItem(item)
        self.conflict_list.blockSignals(False)
        ids = [c.id for c in self.conflicts]
        row = ids.index(current.id) if current is not None and current.id in ids else 0
        self.no_conflicts.setVisible(not self.conflicts)
        self.conflict_splitter.setVisible(bool(self.conflicts))
        self.conflict_list.setCurrentRow(row if self.conflicts else -1)
        self._show_conflict(row if self.conflicts else -1)

    def _fill_rejected(self) -> None:
        table = self.rejected_table
        table.setRowCount(len(self.rejected))
        for row, op in enumerate(self.rejected):
            badge = badge_view(REJECTED, op.reason)
            when = op.created_at if op.created_at.tzinfo else op.created_at.replace(tzinfo=UTC)
            cells = [
                _item(when.astimezone().strftime("%Y-%m-%d %H:%M")),
                _item(labels.record_label(op.entity, op.record_title, op.record_id)),
                _item(badge.text),
                _item("、".join(labels.field_label(f) for f in op.fields)),
                _item(op.reason.in_language(self._language)),
            ]
            cells[2].setIcon(badge.icon)
            cells[2].setToolTip(badge.tooltip)
            cells[2].setForeground(badge.foreground)
            for column, cell in enumerate(cells):
                table.setItem(row, column, cell)
        table.resizeRowsToContents()

    def _fill_history(self) -> None:
        table = self.history_table
        table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            started = entry.started_at if entry.started_at.tzinfo else \
                entry.started_at.replace(tzinfo=UTC)
            cells = [
                _item(started.astimezone().strftime("%Y-%m-%d %H:%M:%S")),
                _item(labels.local_time(entry.server_time) if entry.server_time else ""),
                _item(str(entry.pushed)), _item(str(entry.pulled)),
                _item(str(entry.conflicts)), _item(str(entry.rejected)),
                _item(entry.error.in_language(self._language) if entry.error else
                      self.tr("成功")),
            ]
            for cell in cells[2:6]:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if entry.error is not None:
                cells[6].setForeground(QColor("#a1261d"))
            for column, cell in enumerate(cells):
                table.setItem(row, column, cell)

    # -- the conflicts inbox --------------------------------------------------------

    def current_conflict(self) -> OpenConflict | None:
        row = self.conflict_list.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _show_conflict(self, row: int) -> None:
        conflict = self.conflicts[row] if 0 <= row < len(self.conflicts) else None
        table = self.conflict_fields
        table.setRowCount(0)
        choosable = conflict is not None and conflict.kind in CHOOSABLE
        self.all_mine.setEnabled(choosable)
        self.all_theirs.setEnabled(choosable)
        self.resolve_button.setEnabled(conflict is not None)
        self.resolve_button.setText(self.tr("解决冲突") if choosable or conflict is None
                                    else self.tr("确认知悉"))
        if choosable or conflict is None:
            self.conflict_hint.setText(self.tr(
                "逐个字段选择保留哪一边的值（点击该值，或在“采用”列中选择）。解决后，"
                "所选的值在下次同步时上报县局，其他工作站随后也会收到。"))
        else:
            self.conflict_hint.setText(self.tr(
                "这类冲突由县局服务器裁定，保留服务器的结果。确认后不再显示；"
                "如需更正，请按正常流程另行录入。"))
        if conflict is None:
            self.conflict_heading.setText("")
            return
        self.conflict_heading.setText(self.tr("{record}：{kind}（服务器记录于 {time}）").format(
            record=labels.record_label(conflict.entity, conflict.record_title,
                                       conflict.record_id),
            kind=labels.kind_label(conflict.kind),
            time=labels.value_text(conflict.created_at) if conflict.created_at else "—"))
        table.setRowCount(len(conflict.fields))
        for index, field in enumerate(conflict.fields):
            name = _item(labels.field_label(field.name))
            name.setData(Qt.ItemDataRole.UserRole, field.name)
            table.setItem(index, 0, name)
            table.setItem(index, 1, _item(labels.value_text(field.mine)))
            table.setItem(index, 2, _item(labels.value_text(field.theirs)))
            table.setItem(index, 3, _item(labels.value_text(field.base)))
            choice = QComboBox(table)
            choice.setObjectName(f"choose_{field.name}")
            choice.addItem(self.tr("本机的"), MINE)
            choice.addItem(self.tr("服务器的"), THEIRS)
            # The service's value is what every workstation has now: the safe default.
            choice.setCurrentIndex(1)
            choice.setEnabled(choosable)
            choice.currentIndexChanged.connect(lambda _i, r=index: self._mark_choice(r))
            table.setCellWidget(index, 4, choice)
            self._mark_choice(index)
        table.resizeRowsToContents()

    def choice_box(self, field: str) -> QComboBox:
        for row in range(self.conflict_fields.rowCount()):
            item = self.conflict_fields.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == field:
                box = self.conflict_fields.cellWidget(row, 4)
                assert isinstance(box, QComboBox)
                return box
        raise KeyError(field)

    def choose(self, field: str, side: str) -> None:
        box = self.choice_box(field)
        box.setCurrentIndex(box.findData(side))

    def choose_all(self, side: str) -> None:
        for row in range(self.conflict_fields.rowCount()):
            box = self.conflict_fields.cellWidget(row, 4)
            if isinstance(box, QComboBox) and box.isEnabled():
                box.setCurrentIndex(box.findData(side))

    def choices(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for row in range(self.conflict_fields.rowCount()):
            item = self.conflict_fields.item(row, 0)
            box = self.conflict_fields.cellWidget(row, 4)
            if item is not None and isinstance(box, QComboBox):
                out[str(item.data(Qt.ItemDataRole.UserRole))] = str(box.currentData())
        return out

    def _cell_clicked(self, row: int, column: int) -> None:
        # Clicking a value picks it: column 1 is mine, 2 theirs.
        box = self.conflict_fields.cellWidget(row, 4)
        if isinstance(box, QComboBox) and box.isEnabled() and column in (1, 2):
            box.setCurrentIndex(box.findData(MINE if column == 1 else THEIRS))

    def _mark_choice(self, row: int) -> None:
        box = self.conflict_fields.cellWidget(row, 4)
        if not isinstance(box, QComboBox):
            return
        side = box.currentData()
        for column, which in ((1, MINE), (2, THEIRS)):
            item = self.conflict_fields.item(row, column)
            if item is not None:
                font = item.font()
                font.setBold(side == which)
                item.setFont(font)
                item.setBackground(CHOSEN if side == which else QColor(0, 0, 0, 0))

    def resolve_current(self) -> TaskHandle[None] | None:
        """Resolve the shown conflict with the chosen sides; it syncs with the next sync."""
        conflict = self.current_conflict()
        if conflict is None:
            return None
        self.resolve_button.setEnabled(False)
        handle = self.controller.resolve(conflict.id, self.choices(), on_failure=self._failed)
        self.resolve_handle = handle
        return handle

    def _failed(self, exc: BaseException) -> None:
        self.context.tasks.report_error(self, exc)
        self.reload()

    # -- actions ---------------------------------------------------------------------

    def sync_now(self) -> TaskHandle[object] | None:
        if self.status is None or not self.status.enrolled:
            return None
        return self.controller.sync_now()

    def _running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)
        self.progress_text.setText(self.tr("正在同步…") if running else "")
        enrolled = self.status is not None and self.status.enrolled
        self.sync_action.setEnabled(enrolled and not running)
        self.sync_button.setEnabled(enrolled and not running)

    def _progressed(self, progress: Progress) -> None:
        if progress.total:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(min(progress.done, progress.total))
        else:
            self.progress.setRange(0, 0)
        self.progress_text.setText(progress.text)

    def open_enroll_dialog(self) -> EnrollDialog:
        dialog = EnrollDialog(self.controller, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._forget_dialog)
        self.enroll_dialog = dialog
        dialog.open()
        return dialog

    def _forget_dialog(self) -> None:
        self.enroll_dialog = None

    def choose_ca_bundle(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择县局 CA 证书"), "",
            self.tr("证书 (*.pem *.crt *.cer);;所有文件 (*)"))
        if chosen:
            self.set_ca_bundle(Path(chosen))

    def set_ca_bundle(self, path: Path | None) -> None:
        try:
            self.controller.set_ca_bundle(path)
        except LawsupError as exc:
            self.context.tasks.report_error(self, exc)


def _table(parent: QWidget, name: str, columns: int) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setMinimumSectionSize(64)
    return table


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item
