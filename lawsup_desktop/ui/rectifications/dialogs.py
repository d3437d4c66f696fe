"""The ledger's dialogs: a new manual item, bulk reassign and extend, and the notes
that a transition needs (a reason, the verification of a sign-off).

Each dialog only collects input: ``submitted`` tells the page, which runs the
service call in the background and either closes the dialog or shows the
refusal inside it (:meth:`FormDialog.show_refusal`), keeping what was typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.vocabulary import RectificationSource, RiskLevel
from lawsup_desktop.services.rectifications import RectificationDraft
from lawsup_desktop.services.roster import OfficerChoice, UnitChoice
from lawsup_desktop.services.watch import ProblemTypeChoice
from lawsup_desktop.ui.forms.ui_new_item_form import Ui_NewItemForm

MANUAL_SOURCES = (
    RectificationSource.MANUAL,
    RectificationSource.INSPECTION,
    RectificationSource.PROCURATORATE,
)
"""The sources a supervisor may type in; the others are raised by their own pages
(daily watch, follow-ups, case audits) or arrive from the bureau by sync."""


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def date_edit(parent: QWidget, day: dt.date, minimum: dt.date | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if minimum is not None:
        edit.setMinimumDate(to_qdate(minimum))
    edit.setDate(to_qdate(day))
    return edit


def text_edit(parent: QWidget, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


class FormDialog(QDialog):
    """A form with OK/Cancel and a line for the service's refusal."""

    submitted = Signal()

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error = QLabel(self)
        self.error.setObjectName("dialog_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a4231b;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        self.ok_button: QPushButton = ok
        self.ok_button.setText(self.tr("确定"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        cancel.setText(self.tr("取消"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _submit(self) -> None:
        self.error.hide()
        self.ok_button.setEnabled(False)  # until the service answered
        self.submitted.emit()

    def show_refusal(self, text: str) -> None:
        """The service refused: say why, keep the dialog and what was typed."""
        self.ok_button.setEnabled(True)
        if text:
            self.error.setText(text)
            self.error.show()

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""


class NoteDialog(FormDialog):
    """One text the action needs: a reason to send back or reopen, an optional note."""

    def __init__(self, title: str, prompt: str, label: str, required: bool,
                 parent: QWidget | None) -> None:
        super().__init__(title, parent)
        self.setObjectName("note_dialog")
        intro = QLabel(prompt, self)
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.note = text_edit(self, 4)
        self.note.setObjectName("note")
        self.form.addRow(label, self.note)
        self.required = required
        if required:
            self.note.textChanged.connect(self._check)
            self._check()

    def _check(self) -> None:
        self.ok_button.setEnabled(bool(self.note_text()))

    def note_text(self) -> str:
        return self.note.toPlainText().strip()


class SignOffDialog(FormDialog):
    """销号: the verification note, and the reason no evidence is needed when none is
    attached (the service checks both again)."""

    def __init__(self, number: str, evidence_count: int, parent: QWidget | None) -> None:
        super().__init__(self.tr("销号 {number}").format(number=number), parent)
        self.setObjectName("sign_off_dialog")
        self.verification = text_edit(self, 4)
        self.verification.setObjectName("verification_note")
        self.form.addRow(self.tr("核验意见"), self.verification)
        self.no_evidence = QLineEdit(self)
        self.no_evidence.setObjectName("no_evidence_reason")
        evidence = QLabel(self)
        evidence.setWordWrap(True)
        if evidence_count:
            evidence.setText(self.tr("已上传佐证材料 {count} 份。").format(count=evidence_count))
            self.no_evidence.hide()
        else:
            evidence.setText(self.tr("尚无佐证材料：请先上传，或在下面说明无需佐证的原因。"))
            self.form.addRow(evidence)
            self.form.addRow(self.tr("无需佐证原因"), self.no_evidence)
        if evidence_count:
            self.form.addRow(evidence)
        self.ok_button.setText(self.tr("销号"))

    def verification_text(self) -> str:
        return self.verification.toPlainText().strip()

    def no_evidence_text(self) -> str:
        return self.no_evidence.text().strip()


class UnitOfficerFields:
    """A unit combo and an officer combo that lists the officers of that unit."""

    def __init__(self, unit: QComboBox, officer: QComboBox, units: Sequence[UnitChoice],
                 officers: Sequence[OfficerChoice], none_text: str) -> None:
        self.officers = list(officers)
        self.unit = unit
        self.unit.addItem(none_text, None)
        for choice in units:
            self.unit.addItem(choice.name, choice.id)
        self.officer = officer
        self.none_text = none_text
        self.unit.currentIndexChanged.connect(self._fill_officers)
        self._fill_officers()

    @classmethod
    def create(cls, parent: QWidget, units: Sequence[UnitChoice],
               officers: Sequence[OfficerChoice], none_text: str) -> UnitOfficerFields:
        unit, officer = QComboBox(parent), QComboBox(parent)
        unit.setObjectName("unit")
        officer.setObjectName("officer")
        return cls(unit, officer, units, officers, none_text)

    def _fill_officers(self) -> None:
        unit_id = self.unit.currentData()
        self.officer.clear()
        self.officer.addItem(self.none_text, None)
        for choice in self.officers:
            if unit_id is None or choice.unit_id == unit_id:
                self.officer.addItem(choice.name, choice.id)

    def unit_id(self) -> str | None:
        value = self.unit.currentData()
        return str(value) if value else None

    def officer_id(self) -> str | None:
        value = self.officer.currentData()
        return str(value) if value else None


def fill_problem_types(combo: QComboBox, types: Sequence[ProblemTypeChoice], language: str,
                       none_text: str) -> None:
    combo.clear()
    combo.addItem(none_text, None)
    for problem in types:
        combo.addItem(problem.label.in_language(language), problem.id)


def fill_enum(combo: QComboBox, members: Sequence[RiskLevel | RectificationSource],
              language: str) -> None:
    combo.clear()
    for member in members:
        combo.addItem(member.label.in_language(language), member)


class NewItemDialog(FormDialog):
    """A manually entered item (手工录入, 执法巡查, 检察建议); its fields are the
    Designer form ui/rectifications/new_item_form.ui."""

    def __init__(self, types: Sequence[ProblemTypeChoice], units: Sequence[UnitChoice],
                 officers: Sequence[OfficerChoice], today: dt.date, language: str,
                 parent: QWidget | None) -> None:
        super().__init__(self.tr("新建整改事项"), parent)
        self.setObjectName("new_item_dialog")
        self.setMinimumWidth(560)
        self.fields = QWidget(self)
        self.ui = Ui_NewItemForm()
        self.ui.setupUi(self.fields)
        self.form.addRow(self.fields)
        self.source = self.ui.source
        fill_enum(self.source, MANUAL_SOURCES, language)
        self.source_note = self.ui.source_note
        self.problem_type = self.ui.problem_type
        fill_problem_types(self.problem_type, types, language, self.tr("（请选择）"))
        self.description = self.ui.description
        self.risk = self.ui.risk
        fill_enum(self.risk, list(RiskLevel), language)
        self.risk.setCurrentIndex(self.risk.findData(RiskLevel.MEDIUM))
        self.people = UnitOfficerFields(self.ui.unit, self.ui.officer, units, officers,
                                        self.tr("（未指定）"))
        self.due = self.ui.due_date
        self.due.setMinimumDate(to_qdate(today))
        self.due.setDate(to_qdate(today + dt.timedelta(days=7)))
        self.measures = self.ui.measures
        self.ok_button.setText(self.tr("登记"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self.fields)
        super().changeEvent(event)

    def draft(self) -> RectificationDraft:
        problem = self.problem_type.currentData()
        return RectificationDraft(
            description=self.description.toPlainText(),
            due_date=from_qdate(self.due.date()),
            problem_type_id=str(problem) if problem else None,
            responsible_unit_id=self.people.unit_id(),
            responsible_officer_id=self.people.officer_id(),
            risk_level=RiskLevel(self.risk.currentData()),
            measures=self.measures.toPlainText(),
            source=RectificationSource(self.source.currentData()),
            source_note=self.source_note.text(),
        )


class ReassignDialog(FormDialog):
    """Bulk: another responsible unit and officer for the selected items."""

    def __init__(self, count: int, units: Sequence[UnitChoice],
                 officers: Sequence[OfficerChoice], parent: QWidget | None) -> None:
        super().__init__(self.tr("改派 {count} 项整改事项").format(count=count), parent)
        self.setObjectName("reassign_dialog")
        self.people = UnitOfficerFields.create(self, units, officers, self.tr("（未指定）"))
        self.note = QLineEdit(self)
        self.note.setObjectName("note")
        self.form.addRow(self.tr("责任单位"), self.people.unit)
        self.form.addRow(self.tr("责任人"), self.people.officer)
        self.form.addRow(self.tr("说明"), self.note)
        self.ok_button.setText(self.tr("改派"))


class ExtendDialog(FormDialog):
    """Bulk: a later due date for the selected items, with the reason."""

    def __init__(self, count: int, suggested: dt.date, parent: QWidget | None) -> None:
        super().__init__(self.tr("延长 {count} 项整改事项的期限").format(count=count), parent)
        self.setObjectName("extend_dialog")
        self.due = date_edit(self, suggested)
        self.due.setObjectName("new_due_date")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.form.addRow(self.tr("新整改期限"), self.due)
        self.form.addRow(self.tr("延期原因"), self.reason)
        self.ok_button.setText(self.tr("延期"))
        self.reason.textChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip()))
        )
        self.ok_button.setEnabled(False)

    def new_due_date(self) -> dt.date:
        return from_qdate(self.due.date())

