"""The item panel beside the ledger: every field, the source, the progress log, the
evidence, the transitions the item's state allows, and its history.

Every service call runs through the task manager. A refusal is shown in the
panel's message line in the user's language; a conflict (the item changed in
another window) reloads the item but keeps what the user typed in the fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.errors import ConflictError, LawsupError
from lawsup_desktop.domain.rectification import ALLOWED_TRANSITIONS, TransitionKind, next_states
from lawsup_desktop.domain.vocabulary import RectificationSource, RectificationState, RiskLevel
from lawsup_desktop.services.rectifications import (
    AttachmentView,
    EventView,
    RectificationDetail,
    RectificationRow,
    RectificationService,
)
from lawsup_desktop.services.watch import ProblemTypeChoice
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.rectifications.dialogs import (
    NoteDialog,
    SignOffDialog,
    date_edit,
    fill_enum,
    fill_problem_types,
    from_qdate,
    text_edit,
    to_qdate,
)
from lawsup_desktop.ui.rectifications.model import DUE_COLORS, due_text
from lawsup_desktop.ui.tasks import TaskHandle

S = RectificationState
EVIDENCE_FILTER = "*.png *.jpg *.jpeg *.gif *.webp *.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx"


class ItemPanel(QWidget):
    changed = Signal(object)
    """A :class:`RectificationRow` after an action changed the item."""

    def __init__(self, context: AppContext, service: RectificationService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("item_panel")
        self.context = context
        self.service = service
        self.detail: RectificationDetail | None = None
        self.load_handle: TaskHandle[RectificationDetail] | None = None
        self.busy_handles: list[TaskHandle[Any]] = []
        self.dialog: NoteDialog | SignOffDialog | None = None
        self._problem_types: list[ProblemTypeChoice] = []

        self.title = QLabel(self)
        self.title.setObjectName("item_title")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.status_line = QLabel(self)
        self.status_line.setObjectName("item_status")
        self.status_line.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("item_message")
        self.message.setWordWrap(True)
        self.message.hide()

        # Transition buttons: only those the state allows are shown.
        self.transition_buttons: dict[TransitionKind, QPushButton] = {}
        buttons_row = QHBoxLayout()
        for kind in TransitionKind:
            button = QPushButton(self)
            button.setObjectName(f"transition_{kind.value}")
            button.clicked.connect(lambda _c=False, k=kind: self.start_transition(k))
            self.transition_buttons[kind] = button
            buttons_row.addWidget(button)
        buttons_row.addStretch(1)

        # The item's fields.
        self.fields_box = QGroupBox(self)
        form = QFormLayout(self.fields_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.source = QLabel(self.fields_box)
        self.source.setObjectName("item_source")
        self.source.setWordWrap(True)
        self.problem_type = QComboBox(self.fields_box)
        self.problem_type.setObjectName("item_problem_type")
        self.risk = QComboBox(self.fields_box)
        self.risk.setObjectName("item_risk")
        self.description = text_edit(self.fields_box, 3)
        self.description.setObjectName("item_description")
        self.measures = text_edit(self.fields_box, 2)
        self.measures.setObjectName("item_measures")
        self.responsible = QLabel(self.fields_box)
        self.responsible.setObjectName("item_responsible")
        self.due = QLabel(self.fields_box)
        self.due.setObjectName("item_due")
        self.verification = QLabel(self.fields_box)
        self.verification.setObjectName("item_verification")
        self.verification.setWordWrap(True)
        self.save_button = QPushButton(self.fields_box)
        self.save_button.setObjectName("save_details")
        self.save_button.clicked.connect(self.save_details)
        self.field_labels = [QLabel(self.fields_box) for _ in range(8)]
        for label, field in zip(self.field_labels, (
            self.source, self.problem_type, self.risk, self.description, self.measures,
            self.responsible, self.due, self.verification,
        ), strict=True):
            form.addRow(label, field)
        form.addRow("", self.save_button)

        # Progress log.
        self.progress_box = QGroupBox(self)
        progress_layout = QVBoxLayout(self.progress_box)
        self.progress_list = QListWidget(self.progress_box)
        self.progress_list.setObjectName("progress_list")
        self.progress_list.setWordWrap(True)
        self.progress_list.setMinimumHeight(48)
        self.progress_list.setMaximumHeight(96)
        add_row = QHBoxLayout()
        self.progress_date = date_edit(self.progress_box, dt.date.today())
        self.progress_date.setObjectName("progress_date")
        self.progress_note = QLineEdit(self.progress_box)
        self.progress_note.setObjectName("progress_note")
        self.progress_note.returnPressed.connect(self.add_progress)
        self.progress_button = QPushButton(self.progress_box)
        self.progress_button.setObjectName("add_progress")
        self.progress_button.clicked.connect(self.add_progress)
        add_row.addWidget(self.progress_date)
        add_row.addWidget(self.progress_note, 1)
        add_row.addWidget(self.progress_button)
        progress_layout.addWidget(self.progress_list)
        progress_layout.addLayout(add_row)

        # Evidence.
        self.evidence_box = QGroupBox(self)
        evidence_layout = QVBoxLayout(self.evidence_box)
        self.evidence_list = QListWidget(self.evidence_box)
        self.evidence_list.setObjectName("evidence_list")
        self.evidence_list.setMinimumHeight(40)
        self.evidence_list.setMaximumHeight(96)
        self.evidence_list.itemActivated.connect(lambda _item: self.open_evidence())
        evidence_buttons = QHBoxLayout()
        self.attach_button = QPushButton(self.evidence_box)
        self.attach_button.setObjectName("attach_evidence")
        self.attach_button.clicked.connect(self.choose_evidence)
        self.open_button = QPushButton(self.evidence_box)
        self.open_button.setObjectName("open_evidence")
        self.open_button.clicked.connect(self.open_evidence)
        self.remove_button = QPushButton(self.evidence_box)
        self.remove_button.setObjectName("remove_evidence")
        self.remove_button.clicked.connect(self.start_remove_evidence)
        evidence_buttons.addWidget(self.attach_button)
        evidence_buttons.addWidget(self.open_button)
        evidence_buttons.addWidget(self.remove_button)
        evidence_buttons.addStretch(1)
        evidence_layout.addWidget(self.evidence_list)
        evidence_layout.addLayout(evidence_buttons)

        # History.
        self.history_box = QGroupBox(self)
        history_layout = QVBoxLayout(self.history_box)
        self.history = QTableWidget(0, 4, self.history_box)
        self.history.setObjectName("history")
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.setWordWrap(True)
        self.history.setMinimumHeight(180)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        history_layout.addWidget(self.history)

        inner = QWidget(self)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.status_line)
        layout.addLayout(buttons_row)
        layout.addWidget(self.message)
        layout.addWidget(self.fields_box)
        # Progress and evidence side by side: the history below stays in view.
        side_by_side = QHBoxLayout()
        side_by_side.addWidget(self.progress_box, 2)
        side_by_side.addWidget(self.evidence_box, 1)
        layout.addLayout(side_by_side)
        layout.addWidget(self.history_box, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.retranslate()
        self.show_detail(None)

    # -- texts ----------------------------------------------------------------

    def retranslate(self) -> None:
        language = self.context.language
        for kind, button in self.transition_buttons.items():
            button.setText(kind.label.in_language(language) if kind != TransitionKind.SEND_BACK
                           else self.tr("退回"))
        self.fields_box.setTitle(self.tr("整改事项"))
        for label, text in zip(self.field_labels, (
            self.tr("来源"), self.tr("问题类型"), self.tr("风险等级"), self.tr("问题描述"),
            self.tr("整改措施"), self.tr("责任单位／责任人"), self.tr("整改期限"),
            self.tr("核验意见"),
        ), strict=True):
            label.setText(text)
        self.save_button.setText(self.tr("保存修改"))
        self.progress_box.setTitle(self.tr("整改进展"))
        self.progress_note.setPlaceholderText(self.tr("进展情况，如：已约谈责任民警"))
        self.progress_button.setText(self.tr("添加进展"))
        self.evidence_box.setTitle(self.tr("佐证材料"))
        self.attach_button.setText(self.tr("上传佐证…"))
        self.open_button.setText(self.tr("打开"))
        self.remove_button.setText(self.tr("撤下…"))
        self.remove_button.setToolTip(self.tr("撤下误传的佐证材料（须说明原因，记入处理记录）"))
        self.history_box.setTitle(self.tr("处理记录"))
        self.history.setHorizontalHeaderLabels(
            [self.tr("日期"), self.tr("操作"), self.tr("操作人"), self.tr("说明")]
        )
        fill_enum(self.risk, list(RiskLevel), language)
        self.set_problem_types(self._problem_types)
        if self.detail is not None:
            self.show_detail(self.detail, keep_typed=True)

    def set_problem_types(self, types: list[ProblemTypeChoice]) -> None:
        self._problem_types = types
        current = self.problem_type.currentData()
        fill_problem_types(self.problem_type, types, self.context.language, self.tr("（未指定）"))
        self.problem_type.setCurrentIndex(max(0, self.problem_type.findData(current)))

    # -- showing an item ------------------------------------------------------

    @property
    def rectification_id(self) -> str | None:
        return None if self.detail is None else self.detail.row.id

    def load(self, rectification_id: str | None, *, keep_typed: bool = False) -> None:
        """Read the item in the background, then show it."""
        if rectification_id is None:
            self.show_detail(None)
            return
        service = self.service
        self.load_handle = self.context.tasks.run(
            lambda _ctx: service.detail(rectification_id),
            lambda detail: self._loaded(detail, keep_typed),
            self._load_failed,
        )

    def _loaded(self, detail: RectificationDetail, keep_typed: bool) -> None:
        if self.load_handle is not None and self.load_handle.result is not detail:
            return  # a later load is on its way
        self.show_detail(detail, keep_typed=keep_typed)

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, LawsupError):
            self.show_detail(None)
            self.say(exc.in_language(self.context.language), error=True)
        else:
            self.context.tasks.report_error(self, exc)

    def is_loading(self) -> bool:
        return any(not h.done for h in (self.load_handle, *self.busy_handles) if h is not None)

    def show_detail(self, detail: RectificationDetail | None, *, keep_typed: bool = False) -> None:
        typed = (self.description.toPlainText(), self.measures.toPlainText(),
                 self.progress_note.text())
        changed_item = detail is None or self.detail is None or detail.row.id != self.detail.row.id
        self.detail = detail
        self.fields_box.setEnabled(detail is not None)
        for box in (self.progress_box, self.evidence_box, self.history_box):
            box.setVisible(detail is not None)
        if detail is None:
            self.title.setText(self.tr("未选择整改事项"))
            self.status_line.setText(self.tr("在左侧台账中选择一项，查看和办理。"))
            for button in self.transition_buttons.values():
                button.hide()
            self.description.setPlainText("")
            self.measures.setPlainText("")
            self.message.hide()
            return
        language = self.context.language
        row = detail.row
        if changed_item:
            self.message.hide()
        self.title.setText(f"{row.number}  {row.state.label.in_language(language)}")
        escalation = row.escalation_level.label.in_language(language)
        status = self.tr("风险：{risk}　督办层级：{level}").format(
            risk=row.risk_level.label.in_language(language), level=escalation)
        if row.bureau_supervised:
            status += self.tr("　挂牌督办（{authority}）").format(
                authority=detail.assigning_authority)
        self.status_line.setText(status)
        allowed = set(_kinds_from(row.state))
        for kind, button in self.transition_buttons.items():
            button.setVisible(kind in allowed)
        signed_off = row.state == S.SIGNED_OFF
        self.source.setText(self.source_text(detail))
        self.problem_type.setCurrentIndex(
            max(0, self.problem_type.findData(detail.problem_type_id)))
        self.risk.setCurrentIndex(max(0, self.risk.findData(row.risk_level)))
        self.description.setPlainText(typed[0] if keep_typed and not changed_item
                                      else row.description)
        self.measures.setPlainText(typed[1] if keep_typed and not changed_item else row.measures)
        for field in (self.problem_type, self.risk):
            field.setEnabled(not signed_off)
        for edit in (self.description, self.measures):
            edit.setReadOnly(signed_off)
        self.save_button.setEnabled(not signed_off)
        people = "／".join(x for x in (row.unit_name, row.officer_name) if x)
        self.responsible.setText(people or self.tr("（未指定）"))
        self.due.setText(due_text(row))
        colors = DUE_COLORS.get(row.due_status)
        self.due.setStyleSheet(f"color: {colors[1]}; font-weight: bold;" if colors else "")
        verification = detail.verification_note or "—"
        if row.signed_off_on is not None:
            verification = self.tr("{note}（{day} 销号）").format(
                note=verification, day=row.signed_off_on.isoformat())
        if detail.no_evidence_reason:
            verification += "\n" + self.tr("无需佐证：{reason}").format(
                reason=detail.no_evidence_reason)
        self.verification.setText(verification)

        self.progress_list.clear()
        for entry in detail.progress:
            self.progress_list.addItem(
                f"{entry.occurred_on.isoformat()}  {entry.note}（{entry.actor_name}）"
            )
        for widget in (self.progress_date, self.progress_note, self.progress_button,
                       self.attach_button):
            widget.setEnabled(not signed_off)
        # A progress entry cannot be dated in the future (the service checks too).
        self.progress_date.setMaximumDate(to_qdate(self.service.today))
        if changed_item or not self.progress_note.text():
            self.progress_date.setDate(to_qdate(self.service.today))
        if not (keep_typed and not changed_item):
            self.progress_note.clear()
        else:
            self.progress_note.setText(typed[2])

        self.evidence_list.clear()
        for attachment in detail.attachments:
            item = QListWidgetItem(
                f"{attachment.file_name}（{_size_text(attachment.size)}，{attachment.media_type}）"
            )
            item.setData(Qt.ItemDataRole.UserRole, attachment)
            self.evidence_list.addItem(item)
        self.open_button.setEnabled(bool(detail.attachments))
        self.remove_button.setEnabled(bool(detail.attachments) and not signed_off)

        self.history.setRowCount(len(detail.events))
        for r, event in enumerate(detail.events):
            values = (
                event.occurred_on.isoformat(), self.event_label(event), event.actor_name or "—",
                event.note,
            )
            for c, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(event.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"))
                self.history.setItem(r, c, cell)
        self.history.resizeRowsToContents()
        self.history.scrollToBottom()  # the latest step in view

    def source_text(self, detail: RectificationDetail) -> str:
        """Where the item came from, in words, with its link back."""
        language = self.context.language
        source = detail.row.source
        text = source.label.in_language(language)
        if detail.source_note:
            # A raising service's note often repeats the source ("每日盯警 J…").
            note = detail.source_note
            text = note if note.startswith(source.label.zh) else f"{text}：{note}"
        links = []
        if detail.watch_review_id or detail.incident_id:
            links.append(self.tr("关联警情盯警记录"))
        if detail.follow_up_id:
            links.append(self.tr("关联回访记录"))
        if detail.audit_id:
            links.append(self.tr("关联案件审核登记表"))
        if source == RectificationSource.BUREAU and detail.assigning_authority:
            links.append(self.tr("督办单位：{authority}").format(
                authority=detail.assigning_authority))
        if links:
            text += "（" + "；".join(links) + "）"
        return text

    def event_label(self, event: EventView) -> str:
        language = self.context.language
        kinds = {
            "created": self.tr("登记"),
            "progress": self.tr("整改进展"),
            "reassign": self.tr("改派"),
            "extend_due": self.tr("延期"),
            "escalate": self.tr("超期升级"),
            "edit": self.tr("修改"),
            "remove_evidence": self.tr("撤下佐证"),
        }
        if event.kind in kinds:
            return kinds[event.kind]
        try:
            return TransitionKind(event.kind).label.in_language(language)
        except ValueError:
            return event.kind

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(
            "color: #a4231b; background: #fbd9d6; padding: 6px; border-radius: 4px;" if error
            else "color: #1d5e2a; background: #dcefdc; padding: 6px; border-radius: 4px;"
        )
        self.message.show()

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    # -- actions --------------------------------------------------------------

    def _run(self, job: Callable[[], object], done: Callable[[Any], None],
             failed: Callable[[BaseException], None] | None = None,
             label: str | None = None) -> TaskHandle[Any]:
        handle: TaskHandle[Any] = self.context.tasks.run(
            lambda _ctx: job(), done, failed or self.refused, progress_label=label,
            parent_widget=self,
        )
        self.busy_handles = [h for h in self.busy_handles if not h.done] + [handle]
        return handle

    def refused(self, exc: BaseException) -> None:
        """A service refusal: said in the panel; a conflict also reloads the item,
        keeping what the user typed."""
        if isinstance(exc, ConflictError):
            self.say(exc.in_language(self.context.language) + "\n"
                     + self.tr("已重新载入最新内容；您输入的文字仍保留在输入框中。"), error=True)
            self.load(self.rectification_id, keep_typed=True)
        elif isinstance(exc, LawsupError):
            self.say(exc.in_language(self.context.language), error=True)
        else:
            self.context.tasks.report_error(self, exc)

    def _after_change(self, row: RectificationRow, text: str) -> None:
        self.say(text)
        self.changed.emit(row)
        self.load(row.id, keep_typed=False)

    def save_details(self) -> None:
        if self.detail is None:
            return
        row, service = self.detail.row, self.service
        description, measures = self.description.toPlainText(), self.measures.toPlainText()
        risk = RiskLevel(self.risk.currentData())
        problem = self.problem_type.currentData()
        self._run(
            lambda: service.update_details(
                row.id, row.version, description=description, measures=measures,
                risk_level=risk, problem_type_id=str(problem) if problem else None),
            lambda new: self._after_change(new, self.tr("已保存。")),
        )

    def add_progress(self) -> None:
        if self.detail is None:
            return
        rid, service = self.detail.row.id, self.service
        day = from_qdate(self.progress_date.date())
        note = self.progress_note.text()
        self._run(lambda: service.add_progress(rid, day, note),
                  lambda _event: self._progress_added())

    def _progress_added(self) -> None:
        self.progress_note.clear()
        self.say(self.tr("已添加整改进展。"))
        self.load(self.rectification_id)

    def choose_evidence(self) -> None:
        if self.detail is None:
            return
        names, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("选择佐证材料"), "",
            self.tr("佐证材料 ({patterns})").format(patterns=EVIDENCE_FILTER)
            + ";;" + self.tr("所有文件 (*)"),
        )
        for name in names:
            self.attach(Path(name))

    def attach(self, path: Path) -> TaskHandle[Any] | None:
        """Store one file as evidence, in the background (it may be large)."""
        if self.detail is None:
            return None
        rid, service = self.detail.row.id, self.service
        return self._run(
            lambda: service.attach_evidence(rid, path),
            lambda view: self._attached(view),
            label=self.tr("正在上传佐证材料“{name}”…").format(name=path.name),
        )

    def _attached(self, view: AttachmentView) -> None:
        self.say(self.tr("已上传佐证材料“{name}”。").format(name=view.file_name))
        self.load(self.rectification_id)

    def selected_attachment(self) -> AttachmentView | None:
        item = self.evidence_list.currentItem() or self.evidence_list.item(0)
        if item is None:
            return None
        value = item.data(Qt.ItemDataRole.UserRole)
        return value if isinstance(value, AttachmentView) else None

    def open_evidence(self) -> bool:
        attachment = self.selected_attachment()
        if attachment is None:
            return False
        if not attachment.path.is_file():
            self.say(self.tr("佐证材料“{name}”的文件在数据文件夹中找不到了。").format(
                name=attachment.file_name), error=True)
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(attachment.path)))

    def start_remove_evidence(self) -> NoteDialog | None:
        """Take a wrongly attached file off the item, with a reason (soft delete)."""
        attachment = self.selected_attachment()
        if attachment is None or self.detail is None:
            return None
        dialog = NoteDialog(
            self.tr("撤下佐证材料"),
            self.tr("撤下“{name}”：它不再算作本事项的佐证，处理记录中保留撤下原因。").format(
                name=attachment.file_name),
            self.tr("原因"), True, self,
        )
        service = self.service

        def remove() -> None:
            note = dialog.note_text()
            self._run(lambda: service.remove_evidence(attachment.id, note),
                      lambda _none: self._removed(dialog, attachment),
                      lambda exc: self._dialog_refused(dialog, exc))

        dialog.submitted.connect(remove)
        self._open(dialog)
        return dialog

    def _removed(self, dialog: NoteDialog, attachment: AttachmentView) -> None:
        dialog.accept()
        self.say(self.tr("已撤下佐证材料“{name}”。").format(name=attachment.file_name))
        self.load(self.rectification_id)

    def start_transition(self, kind: TransitionKind) -> QWidget | None:
        """The button of ``kind``: start and submit at once; send back and reopen ask
        for a reason; sign-off asks for the verification note."""
        if self.detail is None:
            return None
        row = self.detail.row
        if kind == TransitionKind.SIGN_OFF:
            sign_off = SignOffDialog(row.number, len(self.detail.attachments), self)
            sign_off.submitted.connect(lambda: self._sign_off(sign_off))
            return self._open(sign_off)
        if kind.needs_reason:
            title = kind.label.in_language(self.context.language)
            prompt = (self.tr("核验未通过，退回责任单位继续整改。请说明原因。")
                      if kind == TransitionKind.SEND_BACK
                      else self.tr("重新打开已销号的整改事项，须说明原因。"))
            note = NoteDialog(f"{title} {row.number}", prompt, self.tr("原因"), True, self)
            note.submitted.connect(lambda: self._transition(kind, note.note_text(), note))
            return self._open(note)
        self._transition(kind, "", None)
        return None

    def _open(self, dialog: NoteDialog | SignOffDialog) -> NoteDialog | SignOffDialog:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _transition(self, kind: TransitionKind, note: str,
                    dialog: NoteDialog | None) -> None:
        assert self.detail is not None
        row, service = self.detail.row, self.service
        target = _TARGETS[kind]
        label = kind.label.in_language(self.context.language)
        job: Callable[[], RectificationRow]
        if kind == TransitionKind.REOPEN:
            job = lambda: service.reopen(row.id, note, row.version)  # noqa: E731
        else:
            job = lambda: service.transition(row.id, target, note, row.version)  # noqa: E731
        self._run(job, lambda new: self._transitioned(new, label, dialog),
                  lambda exc: self._dialog_refused(dialog, exc))

    def _sign_off(self, dialog: SignOffDialog) -> None:
        assert self.detail is not None
        row, service = self.detail.row, self.service
        note, reason = dialog.verification_text(), dialog.no_evidence_text()
        label = TransitionKind.SIGN_OFF.label.in_language(self.context.language)
        self._run(lambda: service.sign_off(row.id, note, reason, row.version),
                  lambda new: self._transitioned(new, label, dialog),
                  lambda exc: self._dialog_refused(dialog, exc))

    def _transitioned(self, row: RectificationRow, label: str,
                      dialog: NoteDialog | SignOffDialog | None) -> None:
        if dialog is not None:
            dialog.accept()
        self._after_change(row, self.tr("{number}：{action}，现为“{state}”。").format(
            number=row.number, action=label,
            state=row.state.label.in_language(self.context.language)))

    def _dialog_refused(self, dialog: NoteDialog | SignOffDialog | None,
                        exc: BaseException) -> None:
        if dialog is not None and isinstance(exc, LawsupError) and not isinstance(
                exc, ConflictError):
            dialog.show_refusal(exc.in_language(self.context.language))
            return
        if dialog is not None:
            dialog.reject()
        self.refused(exc)


_TARGETS = {
    TransitionKind.START: S.IN_PROGRESS,
    TransitionKind.SUBMIT: S.AWAITING_VERIFICATION,
    TransitionKind.SEND_BACK: S.IN_PROGRESS,
    TransitionKind.SIGN_OFF: S.SIGNED_OFF,
    TransitionKind.REOPEN: S.IN_PROGRESS,
}


def _kinds_from(state: RectificationState) -> list[TransitionKind]:
    return [ALLOWED_TRANSITIONS[(state, to)] for to in next_states(state)]


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"

