"""The follow-up dialog (回访登记): one contact with a party of an incident.

Entry point for every page: :func:`record_follow_up`. The form is checked here
first (the service's own check, no database needed), so a mistake is shown at
once, naming the field, with everything typed kept; the save itself runs in the
background. A dissatisfied party raises a rectification item (the service does
it); the user is told its number and due date.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.errors import LawsupError, Text, ValidationError
from lawsup_desktop.domain.vocabulary import FollowUpMethod, PartyRole, Satisfaction
from lawsup_desktop.services.follow_ups import (
    CHECK_ITEMS,
    FIELD_CONTACTED_AT,
    FIELD_METHOD,
    FIELD_NEXT_ATTEMPT,
    FIELD_NOTES,
    FIELD_PARTY_NAME,
    FIELD_PARTY_PHONE,
    FIELD_PARTY_ROLE,
    FIELD_SATISFACTION,
    CheckedItem,
    FollowUpInput,
    FollowUpResult,
    FollowUpService,
    FollowUpView,
    validate_follow_up,
)
from lawsup_desktop.services.incidents import IncidentQuery, IncidentRow
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.follow_ups.guard import while_alive
from lawsup_desktop.ui.tasks import TaskHandle

Loaded = tuple[IncidentRow, list[FollowUpView]]

ERROR_STYLE = "color: #b3261e;"


def to_qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(value.year, value.month, value.day, value.hour, value.minute, value.second)


def from_qdatetime(value: QDateTime) -> dt.datetime:
    date, time = value.date(), value.time()
    return dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute())


def datetime_edit(parent: QWidget, name: str, value: dt.datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(parent)
    edit.setObjectName(name)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    edit.setDateTime(to_qdatetime(value))
    return edit


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Flag a field the user must correct (the stylesheet reads ``invalid``)."""
    if widget.property("invalid") == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)  # re-polish: the property selector applies now
    widget.style().polish(widget)


def corrected(widget: QWidget, error: QLabel) -> None:
    """The user is correcting a flagged field: the complaint about it goes."""
    if widget.property("invalid"):
        error.hide()
    mark_invalid(widget, False)


def record_follow_up(parent: QWidget, context: AppContext, incident_id: str) -> bool:
    """Record a follow-up of ``incident_id`` in a modal dialog; True when one was saved.

    When the party was dissatisfied, a notice (not modal) tells the number and due
    date of the rectification item the service raised."""
    dialog = FollowUpDialog(context, incident_id, parent)
    try:
        saved = dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_saved is not None
        if saved and dialog.result_saved is not None:
            show_saved_notice(parent, dialog.result_saved)
        return saved
    finally:
        dialog.deleteLater()


def show_saved_notice(parent: QWidget | None, result: FollowUpResult) -> QMessageBox | None:
    """After a dissatisfied follow-up: the rectification item that was raised."""
    if result.rectification_due is None:
        return None
    box = QMessageBox(parent)
    box.setObjectName("follow_up_rectification_notice")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(QCoreApplication.translate("FollowUpDialog", "回访已保存"))
    box.setText(
        QCoreApplication.translate("FollowUpDialog", "已生成整改事项 {number}，期限 {due}").format(
            number=result.rectification_number or "", due=result.rectification_due.isoformat()
        )
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # never blocks: the follow-up is saved already
    return box


class FollowUpDialog(QDialog):
    """The form of one follow-up, with the incident's timeline beside it."""

    def __init__(
        self, context: AppContext, incident_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("follow_up_dialog")
        self.context = context
        self.incident_id = incident_id
        self.service = FollowUpService(context.db, context.workstation.actor)
        self.query = IncidentQuery(context.db)
        self.incident: IncidentRow | None = None
        self.timeline_views: list[FollowUpView] = []
        self.result_saved: FollowUpResult | None = None
        self.load_handle: TaskHandle[Loaded] | None = None
        self.save_handle: TaskHandle[FollowUpResult] | None = None
        self._next_attempt_touched = False
        now = dt.datetime.now().replace(second=0, microsecond=0)

        self.header = QLabel(self)
        self.header.setObjectName("incident_header")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # The form.
        self.method = QComboBox(self)
        self.method.setObjectName("method")
        self.party_name = QLineEdit(self)
        self.party_name.setObjectName("party_name")
        self.party_name.setMaxLength(50)
        self.party_role = QComboBox(self)
        self.party_role.setObjectName("party_role")
        self.party_phone = QLineEdit(self)
        self.party_phone.setObjectName("party_phone")
        self.party_phone.setMaxLength(30)
        self.contacted_at = datetime_edit(self, "contacted_at", now)
        self.labels: dict[str, QLabel] = {}
        form = self._form([("method", self.method), ("party_name", self.party_name),
                           ("party_role", self.party_role), ("party_phone", self.party_phone),
                           ("contacted_at", self.contacted_at)])

        # The seven items checked, each with a short note.
        self.checks_box = QGroupBox(self)
        self.checks_box.setObjectName("checks")
        grid = QGridLayout(self.checks_box)
        grid.setColumnStretch(1, 1)
        self.check_boxes: dict[str, QCheckBox] = {}
        self.check_notes: dict[str, QLineEdit] = {}
        for row, (code, _label) in enumerate(CHECK_ITEMS):
            box = QCheckBox(self.checks_box)
            box.setObjectName(f"check_{code}")
            note = QLineEdit(self.checks_box)
            note.setObjectName(f"check_note_{code}")
            note.setMaxLength(200)
            grid.addWidget(box, row, 0)
            grid.addWidget(note, row, 1)
            self.check_boxes[code] = box
            self.check_notes[code] = note

        # Satisfaction, notes, the next attempt.
        self.satisfaction_box = QGroupBox(self)
        self.satisfaction_box.setObjectName("satisfaction")
        self.satisfaction_group = QButtonGroup(self)
        self.satisfaction_buttons: dict[Satisfaction, QRadioButton] = {}
        satisfaction_row = QHBoxLayout(self.satisfaction_box)
        for member in Satisfaction:
            button = QRadioButton(self.satisfaction_box)
            button.setObjectName(f"satisfaction_{member.value}")
            self.satisfaction_group.addButton(button)
            self.satisfaction_buttons[member] = button
            satisfaction_row.addWidget(button)
        satisfaction_row.addStretch(1)
        self.satisfaction_group.buttonToggled.connect(lambda _b, _on: self._satisfaction_changed())
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 14)
        self.next_attempt_at = datetime_edit(self, "next_attempt_at", now + dt.timedelta(days=1))
        self.next_attempt_at.dateTimeChanged.connect(self._next_attempt_edited)
        tail = self._form([("notes", self.notes), ("next_attempt_at", self.next_attempt_at)])

        self.error = QLabel(self)
        self.error.setObjectName("dialog_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()

        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("cancel")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.save_shortcut = QShortcut(QKeySequence("Ctrl+S"), self)
        self.save_shortcut.activated.connect(self.save)

        # The timeline of earlier follow-ups.
        self.timeline_title = QLabel(self)
        self.timeline_title.setObjectName("timeline_title")
        self.timeline = QTextBrowser(self)
        self.timeline.setObjectName("timeline")
        self.timeline.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.timeline.setOpenLinks(False)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.checks_box)
        left.addWidget(self.satisfaction_box)
        left.addLayout(tail)
        right = QVBoxLayout()
        right.addWidget(self.timeline_title)
        right.addWidget(self.timeline, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addSpacing(12)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(900)

        self._fields: dict[str, QWidget] = {
            FIELD_METHOD.zh: self.method,
            FIELD_PARTY_NAME.zh: self.party_name,
            FIELD_PARTY_ROLE.zh: self.party_role,
            FIELD_PARTY_PHONE.zh: self.party_phone,
            FIELD_CONTACTED_AT.zh: self.contacted_at,
            FIELD_SATISFACTION.zh: self.satisfaction_buttons[Satisfaction.SATISFIED],
            FIELD_NOTES.zh: self.notes,
            FIELD_NEXT_ATTEMPT.zh: self.next_attempt_at,
        }
        for code, item_label in CHECK_ITEMS:
            self._fields[item_label.zh] = self.check_notes[code]
        for edit in (self.party_name, self.party_phone, *self.check_notes.values()):
            edit.textChanged.connect(lambda _text, e=edit: corrected(e, self.error))

        self.retranslate()
        self.method.setCurrentIndex(self.method.findData(FollowUpMethod.PHONE))
        self.party_role.setCurrentIndex(self.party_role.findData(PartyRole.CALLER))
        self._satisfaction_changed()
        self.save_button.setEnabled(False)  # until the incident is read
        self.load()

    def _form(self, rows: list[tuple[str, QWidget]]) -> QFormLayout:
        """Labelled rows; the labels are kept by key to be retranslated."""
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, widget in rows:
            label = QLabel(self)
            label.setBuddy(widget)
            self.labels[key] = label
            form.addRow(label, widget)
        return form

    # -- text ---------------------------------------------------------------------

    def retranslate(self) -> None:
        language = self.context.language
        self.setWindowTitle(self.tr("登记回访"))
        texts = {
            "method": self.tr("回访方式(&M)"),
            "party_name": self.tr("回访对象姓名(&N)"),
            "party_role": self.tr("回访对象身份(&R)"),
            "party_phone": self.tr("联系电话(&P)"),
            "contacted_at": self.tr("回访时间(&T)"),
            "notes": self.tr("备注(&O)"),
            "next_attempt_at": self.tr("下次回访时间(&X)"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self._refill(self.method, [(m.label.in_language(language), m) for m in FollowUpMethod])
        self._refill(self.party_role, [(r.label.in_language(language), r) for r in PartyRole])
        self.party_phone.setPlaceholderText(self.tr("手机或固定电话；电话回访必填"))
        self.checks_box.setTitle(self.tr("回访事项（勾选已核实的事项，可附简短说明）"))
        for code, label in CHECK_ITEMS:
            self.check_boxes[code].setText(label.in_language(language))
            self.check_notes[code].setPlaceholderText(self.tr("说明"))
        self.satisfaction_box.setTitle(self.tr("回访评价"))
        for member, button in self.satisfaction_buttons.items():
            button.setText(member.label.in_language(language))
        self.next_attempt_at.setToolTip(self.tr("仅在“未联系上”时填写"))
        self.save_button.setText(self.tr("保存（Ctrl+S）"))
        self.cancel_button.setText(self.tr("取消"))
        self.timeline_title.setText(self.tr("回访记录"))
        self._show_incident()
        self._show_timeline()

    @staticmethod
    def _refill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, value in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the incident and its timeline ---------------------------------------------

    def load(self) -> TaskHandle[Loaded]:
        query, service, incident_id = self.query, self.service, self.incident_id

        def read(_ctx: object) -> Loaded:
            rows = query.rows([incident_id])
            timeline = service.timeline(incident_id)  # raises if the incident is gone
            return rows[0], timeline

        self.load_handle = self.context.tasks.run(
            read, while_alive(self, self._loaded), while_alive(self, self._failed)
        )
        return self.load_handle

    def _loaded(self, loaded: Loaded) -> None:
        first_load = self.incident is None
        self.incident, self.timeline_views = loaded
        if first_load:
            # The caller is who is usually called back; the supervisor corrects it.
            if not self.party_name.text():
                self.party_name.setText(self.incident.caller_name)
            if not self.party_phone.text():
                self.party_phone.setText(self.incident.caller_phone)
        self._show_incident()
        self._show_timeline()
        self.save_button.setEnabled(True)

    def _show_incident(self) -> None:
        row = self.incident
        if row is None:
            self.header.setText(html.escape(self.tr("正在读取警情…")))
            return
        language = self.context.language
        kind = row.category.label.in_language(language)
        if row.key_category is not None:
            kind += " / " + row.key_category.label.in_language(language)
        title = self.tr("警情 {number}（{kind}）").format(number=row.incident_no, kind=kind)
        facts = self.tr("接警时间 {received}，{unit}").format(
            received=f"{row.received_at:%Y-%m-%d %H:%M}",
            unit=row.unit_name or self.tr("未指定单位"),
        )
        summary = row.summary or self.tr("（无简要警情）")
        self.header.setText(
            f"<b>{html.escape(title)}</b>&nbsp;&nbsp;{html.escape(facts)}"
            f"<br>{html.escape(summary)}"
        )

    def _show_timeline(self) -> None:
        """Earlier follow-ups, the latest on top, each as a short paragraph."""
        language = self.context.language
        if not self.timeline_views:
            empty = self.tr("暂无回访记录")
            self.timeline.setHtml(f"<p style='color:#5b6673'>{html.escape(empty)}</p>")
            return
        parts = []
        for view in reversed(self.timeline_views):
            colour = "#8c1d18" if view.satisfaction == Satisfaction.DISSATISFIED else "#1f2a36"
            head = (
                f"<b>{view.contacted_at:%Y-%m-%d %H:%M}</b>&nbsp; "
                f"{html.escape(view.method.label.in_language(language))} · "
                f"{html.escape(view.party_name)}"
                f"（{html.escape(view.party_role.label.in_language(language))}）· "
                f"<span style='color:{colour}'><b>"
                f"{html.escape(view.satisfaction.label.in_language(language))}</b></span>"
            )
            lines = [head]
            checked = [
                label.in_language(language) + (f"：{view.checks[code].note}"
                                                if view.checks[code].note else "")
                for code, label in CHECK_ITEMS
                if code in view.checks and view.checks[code].checked
            ]
            if checked:
                lines.append(html.escape(self.tr("核实：") + "；".join(checked)))
            if view.notes:
                lines.append(html.escape(view.notes))
            if view.next_attempt_at is not None:
                lines.append(html.escape(self.tr("下次回访 {when}").format(
                    when=f"{view.next_attempt_at:%Y-%m-%d %H:%M}")))
            officer = self.tr("回访人：{name}").format(name=view.officer_name)
            lines.append(f"<span style='color:#5b6673'>{html.escape(officer)}</span>")
            parts.append("<p style='margin-bottom:8px'>" + "<br>".join(lines) + "</p>")
        self.timeline.setHtml("".join(parts))

    # -- the form -------------------------------------------------------------------

    def satisfaction(self) -> Satisfaction | None:
        return next((m for m, b in self.satisfaction_buttons.items() if b.isChecked()), None)

    def _satisfaction_changed(self) -> None:
        unreachable = self.satisfaction() == Satisfaction.UNREACHABLE
        self.next_attempt_at.setEnabled(unreachable)
        # Nothing can be checked with a party not reached; the ticks stay as typed
        # (they count again if the choice changes back).
        for box in self.check_boxes.values():
            box.setEnabled(not unreachable)
        if unreachable and not self._next_attempt_touched:
            later = from_qdatetime(self.contacted_at.dateTime()) + dt.timedelta(days=1)
            self.next_attempt_at.blockSignals(True)
            self.next_attempt_at.setDateTime(to_qdatetime(later))
            self.next_attempt_at.blockSignals(False)

    def _next_attempt_edited(self) -> None:
        self._next_attempt_touched = True

    def follow_up_input(self) -> FollowUpInput:
        """What was typed, as the service takes it (checked by it, not here)."""
        satisfaction = self.satisfaction()
        unreachable = satisfaction == Satisfaction.UNREACHABLE
        return FollowUpInput(
            method=self.method.currentData(),
            party_name=self.party_name.text(),
            party_role=self.party_role.currentData(),
            party_phone=self.party_phone.text(),
            contacted_at=from_qdatetime(self.contacted_at.dateTime()),
            satisfaction=satisfaction,  # type: ignore[arg-type]  # None: "choose one"
            checks={
                code: CheckedItem(box.isChecked() and not unreachable,
                                  self.check_notes[code].text())
                for code, box in self.check_boxes.items()
            },
            notes=self.notes.toPlainText(),
            next_attempt_at=(
                from_qdatetime(self.next_attempt_at.dateTime()) if unreachable else None
            ),
        )

    def save(self) -> TaskHandle[FollowUpResult] | None:
        """Check the form at once, then save in the background; a refusal keeps the
        dialog open with everything typed."""
        if self.incident is None or not self.save_button.isEnabled():
            return None
        self._clear_error()
        data = self.follow_up_input()
        try:
            if data.satisfaction is None:
                raise ValidationError(FIELD_SATISFACTION, Text("请选择", "choose one"))
            validate_follow_up(data, self.incident.received_at, dt.datetime.now())
        except ValidationError as exc:
            self.show_error(exc)
            return None
        self.save_button.setEnabled(False)
        service, incident_id, version = self.service, self.incident_id, self.incident.version
        report = self.context.tasks.report_error
        self.cancel_button.setEnabled(False)  # the save is under way: wait for its answer
        self.save_handle = self.context.tasks.run(
            lambda _ctx: service.record(incident_id, data, expected_version=version),
            while_alive(self, self._saved),
            while_alive(self, self._refused, lambda exc: report(None, exc)),
            parent_widget=self,
        )
        return self.save_handle

    def _saved(self, result: FollowUpResult) -> None:
        self.result_saved = result
        self.accept()

    def reject(self) -> None:
        if self.save_handle is not None and not self.save_handle.done:
            return  # Esc while saving: the answer decides (saved, or refused and kept)
        super().reject()

    def _refused(self, exc: BaseException) -> None:
        self.save_button.setEnabled(self.incident is not None)
        self.cancel_button.setEnabled(True)
        if isinstance(exc, LawsupError):
            self.show_error(exc)
        else:
            self.context.tasks.report_error(self, exc)

    def _failed(self, exc: BaseException) -> None:
        """The incident could not be read: say so; the dialog can only be closed."""
        if isinstance(exc, LawsupError):
            self.show_error(exc)
        else:
            self.context.tasks.report_error(self, exc)

    def show_error(self, exc: LawsupError) -> None:
        self.error.setText(exc.in_language(self.context.language))
        self.error.show()
        if isinstance(exc, ValidationError):
            widget = self._fields.get(exc.field.zh)
            if widget is not None:
                mark_invalid(widget, True)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""

    def _clear_error(self) -> None:
        self.error.hide()
        for widget in self._fields.values():
            mark_invalid(widget, False)
