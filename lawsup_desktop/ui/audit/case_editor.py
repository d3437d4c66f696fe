"""The case editor: the case's fields, its persons and their coercive measures.

A new case and its persons are written in one unit of work (create_case). For a
case that exists, the fields are saved with its version (a conflict is reported,
never overwritten) and persons added since are written after them. A refusal from
the service is shown in the dialog, naming the field; what was typed stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.errors import LawsupError, Text, ValidationError
from lawsup_desktop.domain.validation import parse_datetime, parse_resident_id
from lawsup_desktop.domain.vocabulary import CaseKind, Gender, MeasureKind, PersonRole, Role
from lawsup_desktop.services.cases import (
    FIELD_ACCEPTED,
    FIELD_ASSISTING,
    FIELD_CASE_NAME,
    FIELD_CASE_NO,
    FIELD_CAUSE,
    FIELD_LEAD,
    FIELD_MEASURE_START,
    FIELD_PERSON_ID,
    FIELD_PERSON_NAME,
    FIELD_REGISTERED,
    FIELD_UNIT,
    CaseDetail,
    CaseInput,
    CaseService,
    MeasureInput,
    PersonInput,
)
from lawsup_desktop.services.roster import OfficerChoice, UnitChoice
from lawsup_desktop.ui.audit.common import InlineErrors, fill_enum, select_data, when_text
from lawsup_desktop.ui.context import AppContext

FIELD_PHONE = Text("联系电话", "Phone")


@dataclass(frozen=True)
class PendingPerson:
    """A person typed in but not yet saved, with what the ID number says."""

    data: PersonInput
    gender: str
    birth_date: str


class PersonColumn:
    ROLE, NAME, ID, GENDER, BIRTH, PHONE, ADDRESS, MEASURES = range(8)


class CaseEditor(QDialog):
    saved = Signal(object)  # CaseDetail

    def __init__(self, context: AppContext, units: Sequence[UnitChoice],
                 officers: Sequence[OfficerChoice], case: CaseDetail | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_editor")
        self.context = context
        self.service = CaseService(context.db, context.workstation)
        self.case = case
        self.pending: list[PendingPerson] = []
        self.measures_added = 0
        self.busy = False
        language = context.language

        self.case_no = self._line("case_no")
        self.name = self._line("case_name")
        self.kind = QComboBox(self)
        self.kind.setObjectName("case_kind")
        fill_enum(self.kind, CaseKind, language)
        self.cause = self._line("cause")
        self.unit = QComboBox(self)
        self.unit.setObjectName("unit")
        self.unit.addItem(self.tr("（请选择）"), None)
        for unit in units:
            self.unit.addItem(unit.name, unit.id)
        case_officers = [o for o in officers if o.role is Role.CASE_OFFICER]
        self.lead = QComboBox(self)
        self.lead.setObjectName("lead_officer")
        self.lead.addItem(self.tr("（请选择）"), None)
        for officer in case_officers:
            self.lead.addItem(officer.name, officer.id)
        self.assisting = QListWidget(self)
        self.assisting.setObjectName("assisting_officers")
        self.assisting.setMaximumHeight(90)
        for officer in case_officers:
            item = QListWidgetItem(officer.name, self.assisting)
            item.setData(Qt.ItemDataRole.UserRole, officer.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.accepted_at = self._line("accepted_at", self.tr("如 2026-11-02 09:30"))
        self.registered_at = self._line("registered_at", self.tr("如 2026-11-03 16:00"))

        self.case_box = QGroupBox(self)
        form = QFormLayout(self.case_box)
        self.case_labels = [QLabel(self) for _ in range(9)]
        for label, widget in zip(self.case_labels, (
                self.case_no, self.name, self.kind, self.cause, self.unit, self.lead,
                self.assisting, self.accepted_at, self.registered_at), strict=True):
            form.addRow(label, widget)

        # Persons.
        self.persons = QTableWidget(0, 8, self)
        self.persons.setObjectName("persons")
        self.persons.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.persons.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.persons.verticalHeader().hide()
        self.persons.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.persons.horizontalHeader().setStretchLastSection(True)
        self.persons.setMinimumHeight(120)
        self.person_role = QComboBox(self)
        self.person_role.setObjectName("person_role")
        fill_enum(self.person_role, PersonRole, language)
        self.person_name = self._line("person_name")
        self.person_id = self._line("person_id_number")
        self.person_phone = self._line("person_phone")
        self.person_address = self._line("person_address")
        self.measure_kind = QComboBox(self)
        self.measure_kind.setObjectName("measure_kind")
        fill_enum(self.measure_kind, MeasureKind, language, empty=self.tr("（无强制措施）"))
        self.measure_start = self._line("measure_start", self.tr("如 2026-11-03 18:00"))
        self.add_person_button = QPushButton(self)
        self.add_person_button.setObjectName("add_person")
        self.add_person_button.clicked.connect(self.add_person)
        self.add_measure_button = QPushButton(self)
        self.add_measure_button.setObjectName("add_measure")
        self.add_measure_button.clicked.connect(self.add_measure)
        self.add_measure_button.setVisible(case is not None)
        self.remove_person_button = QPushButton(self)
        self.remove_person_button.setObjectName("remove_person")
        self.remove_person_button.clicked.connect(self.remove_person)
        self.person_labels = [QLabel(self) for _ in range(7)]
        grid = QGridLayout()
        entries = (self.person_role, self.person_name, self.person_id, self.person_phone,
                   self.person_address, self.measure_kind, self.measure_start)
        for i, (label, widget) in enumerate(zip(self.person_labels, entries, strict=True)):
            grid.addWidget(label, i // 4 * 2, i % 4)
            grid.addWidget(widget, i // 4 * 2 + 1, i % 4)
        person_buttons = QHBoxLayout()
        person_buttons.addWidget(self.add_person_button)
        person_buttons.addWidget(self.add_measure_button)
        person_buttons.addWidget(self.remove_person_button)
        person_buttons.addStretch(1)
        self.persons_box = QGroupBox(self)
        persons_layout = QVBoxLayout(self.persons_box)
        persons_layout.addWidget(self.persons)
        persons_layout.addLayout(grid)
        persons_layout.addLayout(person_buttons)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        self.errors = InlineErrors(self.error_label, {
            FIELD_CASE_NO.zh: self.case_no, FIELD_CASE_NAME.zh: self.name,
            FIELD_CAUSE.zh: self.cause, FIELD_UNIT.zh: self.unit, FIELD_LEAD.zh: self.lead,
            FIELD_ASSISTING.zh: self.assisting, FIELD_ACCEPTED.zh: self.accepted_at,
            FIELD_REGISTERED.zh: self.registered_at, FIELD_PERSON_NAME.zh: self.person_name,
            FIELD_PERSON_ID.zh: self.person_id, FIELD_MEASURE_START.zh: self.measure_start,
            FIELD_PHONE.zh: self.person_phone,
        }, lambda: self.context.language)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.case_box)
        layout.addWidget(self.persons_box, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(860, 820)
        self.retranslate()
        if case is not None:
            self._show_case(case)

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        line = QLineEdit(self)
        line.setObjectName(name)
        line.setPlaceholderText(placeholder)
        return line

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("新建案件") if self.case is None else self.tr("编辑案件"))
        self.case_box.setTitle(self.tr("案件信息"))
        for label, text in zip(self.case_labels, (
                self.tr("案件编号"), self.tr("案件名称"), self.tr("案件类别"), self.tr("案由"),
                self.tr("办案单位"), self.tr("主办民警"), self.tr("协办民警"),
                self.tr("受案时间"), self.tr("立案时间")), strict=True):
            label.setText(text)
        self.persons_box.setTitle(self.tr("犯罪嫌疑人 / 当事人"))
        self.persons.setHorizontalHeaderLabels([
            self.tr("身份"), self.tr("姓名"), self.tr("身份证号码"), self.tr("性别"),
            self.tr("出生日期"), self.tr("联系电话"), self.tr("住址"), self.tr("强制措施")])
        for label, text in zip(self.person_labels, (
                self.tr("身份"), self.tr("姓名"), self.tr("身份证号码"), self.tr("联系电话"),
                self.tr("住址"), self.tr("强制措施"), self.tr("措施开始时间")), strict=True):
            label.setText(text)
        self.add_person_button.setText(self.tr("加入人员"))
        self.add_measure_button.setText(self.tr("为所选人员添加强制措施"))
        self.remove_person_button.setText(self.tr("移除所选人员"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- showing ---------------------------------------------------------------

    def _show_case(self, case: CaseDetail) -> None:
        language = self.context.language
        self.case_no.setText(case.case_no)
        self.name.setText(case.name)
        select_data(self.kind, case.kind)
        self.cause.setText(case.cause)
        select_data(self.unit, case.unit.id if case.unit else None)
        select_data(self.lead, case.lead_officer.id if case.lead_officer else None)
        assisting = {o.id for o in case.assisting}
        for i in range(self.assisting.count()):
            item = self.assisting.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in assisting
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.accepted_at.setText(when_text(case.accepted_at))
        self.registered_at.setText(when_text(case.registered_at))
        self.persons.setRowCount(0)
        for person in case.persons:
            measures = "；".join(
                f"{m.kind.label.in_language(language)} {when_text(m.started_at)}"
                for m in person.measures)
            self._append_row(person.id, (
                person.role.label.in_language(language), person.name, person.id_number or "",
                person.gender.label.in_language(language) if person.gender else "",
                person.birth_date.isoformat() if person.birth_date else "",
                person.phone, person.address, measures))

    def _append_row(self, key: str | None, cells: Sequence[str]) -> None:
        row = self.persons.rowCount()
        self.persons.insertRow(row)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.persons.setItem(row, column, item)

    # -- persons ------------------------------------------------------------------

    def add_person(self) -> None:
        """Check what was typed (the ID number says gender and birth date), then list
        the person; the service checks it again when the case is saved."""
        self.errors.clear()
        language = self.context.language
        try:
            name = self.person_name.text().strip()
            if not name:
                raise ValidationError(FIELD_PERSON_NAME, Text("必须填写", "is required"))
            gender = birth = ""
            if self.person_id.text().strip():
                parsed = parse_resident_id(self.person_id.text(), FIELD_PERSON_ID)
                gender = Gender(parsed.gender).label.in_language(language)
                birth = parsed.birth_date.isoformat()
            measures: tuple[MeasureInput, ...] = ()
            kind = self.measure_kind.currentData()
            if kind is not None:
                start = parse_datetime(self.measure_start.text(), FIELD_MEASURE_START)
                measures = (MeasureInput(MeasureKind(kind), start),)
        except LawsupError as exc:
            self.errors.show(exc)
            return
        role = PersonRole(self.person_role.currentData())
        person = PersonInput(role, name, self.person_id.text().strip(),
                             self.person_phone.text().strip(),
                             self.person_address.text().strip(), measures)
        self.pending.append(PendingPerson(person, gender, birth))
        self._append_row(None, (
            role.label.in_language(language), name, person.id_number, gender, birth,
            person.phone, person.address,
            "；".join(f"{m.kind.label.in_language(language)} {when_text(m.started_at)}"
                     for m in measures)))
        for line in (self.person_name, self.person_id, self.person_phone, self.person_address,
                     self.measure_start):
            line.clear()
        self.measure_kind.setCurrentIndex(0)

    def add_measure(self) -> None:
        """A coercive measure for the selected saved person, written at once (its own
        unit of work: the measure is a fact, whatever happens to the other edits)."""
        self.errors.clear()
        row = self.persons.currentRow()
        person_id = self._row_key(row) if row >= 0 else None
        if person_id is None:
            self.errors.show(Text("请先在表中选择一名已保存的人员",
                                  "Choose a saved person in the table first"))
            return
        kind = self.measure_kind.currentData()
        try:
            if kind is None:
                raise ValidationError(Text("强制措施", "Coercive measure"),
                                      Text("请选择种类", "choose its kind"))
            start = parse_datetime(self.measure_start.text(), FIELD_MEASURE_START)
        except LawsupError as exc:
            self.errors.show(exc)
            return
        measure = MeasureInput(MeasureKind(kind), start)
        language = self.context.language

        def shown(_view: object) -> None:
            item = self.persons.item(row, PersonColumn.MEASURES)
            added = f"{measure.kind.label.in_language(language)} {when_text(measure.started_at)}"
            if item is not None:
                item.setText("；".join(t for t in (item.text(), added) if t))
            self.measure_start.clear()
            self.measure_kind.setCurrentIndex(0)
            self.measures_added += 1

        self.context.tasks.run(lambda _ctx: self.service.add_measure(person_id, measure),
                               shown, self._failed, parent_widget=self)

    def remove_person(self) -> None:
        row = self.persons.currentRow()
        if row < 0:
            return
        key = self._row_key(row)
        if key is None:
            # A pending person: its index among the rows without a key.
            pending_rows = [r for r in range(self.persons.rowCount()) if self._row_key(r) is None]
            del self.pending[pending_rows.index(row)]
            self.persons.removeRow(row)
            return
        self.context.tasks.run(lambda _ctx: self.service.remove_person(key),
                               lambda _r: self.persons.removeRow(row),
                               self._failed, parent_widget=self)

    def _row_key(self, row: int) -> str | None:
        """The saved person's id, or None for a person not saved yet."""
        item = self.persons.item(row, 0)
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    # -- saving ----------------------------------------------------------------------

    def case_input(self) -> CaseInput:
        assisting = tuple(
            self.assisting.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.assisting.count())
            if self.assisting.item(i).checkState() == Qt.CheckState.Checked)
        return CaseInput(
            case_no=self.case_no.text(), name=self.name.text(),
            kind=CaseKind(self.kind.currentData()), cause=self.cause.text(),
            unit_id=self.unit.currentData(), lead_officer_id=self.lead.currentData(),
            assisting_officer_ids=assisting,
            accepted_at=self._when(self.accepted_at, FIELD_ACCEPTED),
            registered_at=self._when(self.registered_at, FIELD_REGISTERED))

    @staticmethod
    def _when(line: QLineEdit, field: Text) -> datetime | None:
        return parse_datetime(line.text(), field) if line.text().strip() else None

    def save(self) -> None:
        if self.busy:
            return
        self.errors.clear()
        try:
            data = self.case_input()
        except LawsupError as exc:
            self.errors.show(exc)
            return
        persons = [p.data for p in self.pending]
        case = self.case

        def write(_ctx: object) -> CaseDetail:
            if case is None:
                return self.service.create_case(data, persons)
            detail = self.service.update_case(case.id, case.version, data)
            for person in persons:
                self.service.add_person(case.id, person)
            return self.service.detail(detail.id) if persons else detail

        self.busy = True
        self.context.tasks.run(write, self._saved, self._failed, parent_widget=self,
                               progress_label=self.tr("正在保存案件…"))

    def _saved(self, detail: CaseDetail) -> None:
        self.busy = False
        self.case = detail
        self.pending.clear()
        self.saved.emit(detail)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        if isinstance(exc, LawsupError):
            self.errors.show(exc)
        else:
            self.context.tasks.report_error(self, exc)
