"""发现问题: the finding form of the daily watch — a problem type from the negative
list (type a few characters of it), a note, the responsible unit and officer
(preset from the incident) — made to be filled without the mouse: F opens it,
Enter saves it. The page runs the save and keeps the form open on a refusal.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QLineEdit, QWidget

from lawsup_desktop.domain.errors import LawsupError, Text, ValidationError
from lawsup_desktop.services.roster import OfficerChoice, UnitChoice
from lawsup_desktop.services.watch import (
    FIELD_NOTE,
    FIELD_PROBLEM_TYPE,
    FIELD_UNIT,
    MAX_NOTE,
    ProblemTypeChoice,
    WatchItem,
)
from lawsup_desktop.ui.follow_ups.dialog import corrected, mark_invalid
from lawsup_desktop.ui.rectifications.dialogs import FormDialog, UnitOfficerFields

NOT_ON_LIST = Text("请从负面清单中选择", "choose one from the negative list")


class FindingDialog(FormDialog):
    def __init__(self, item: WatchItem, types: Sequence[ProblemTypeChoice],
                 units: Sequence[UnitChoice], officers: Sequence[OfficerChoice],
                 language: str, parent: QWidget | None) -> None:
        super().__init__("", parent)
        self.setObjectName("finding_dialog")
        self.setMinimumWidth(520)
        self.item = item
        self.types = list(types)
        self.language = language

        self.intro = QLabel(self)  # two short lines (a wrapped label would be cut off)
        self.form.addRow(self.intro)

        # Editable, with a completer over any part of the name: typing "降格" or
        # "downgr" offers 降格处理; Enter takes it.
        self.problem_type = QComboBox(self)
        self.problem_type.setObjectName("problem_type")
        self.problem_type.setEditable(True)
        self.problem_type.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for problem in self.types:
            self.problem_type.addItem(problem.label.in_language(language), problem.id)
        self.problem_type.setCurrentIndex(-1)
        completer = QCompleter(self.problem_type.model(), self.problem_type)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.problem_type.setCompleter(completer)
        line_edit = self.problem_type.lineEdit()
        assert line_edit is not None
        line_edit.textEdited.connect(lambda _t: corrected(line_edit, self.error))
        # Enter or Tab after a few characters that name one type: take that type.
        line_edit.editingFinished.connect(self._complete_typed)

        self.note = QLineEdit(self)
        self.note.setObjectName("note")
        self.note.setMaxLength(MAX_NOTE)
        self.note.textEdited.connect(lambda _t: corrected(self.note, self.error))
        self.people = UnitOfficerFields.create(self, units, officers, self.tr("（未指定）"))
        # Preset from the incident: its unit and handling officer are usually who
        # must put it right.
        unit_row = self.people.unit.findData(item.unit_id) if item.unit_id else -1
        if unit_row >= 0:
            self.people.unit.setCurrentIndex(unit_row)
        officer_row = (
            self.people.officer.findData(item.handling_officer_id)
            if item.handling_officer_id else -1
        )
        if officer_row >= 0:
            self.people.officer.setCurrentIndex(officer_row)

        self.labels = [QLabel(self) for _ in range(4)]
        for label, widget in zip(self.labels, (self.problem_type, self.note, self.people.unit,
                                               self.people.officer), strict=True):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.setTabOrder(self.problem_type, self.note)
        self.setTabOrder(self.note, self.people.unit)
        self.setTabOrder(self.people.unit, self.people.officer)
        self.retranslate()
        self.problem_type.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("发现问题：警情 {number}").format(number=self.item.incident_no))
        self.intro.setText(
            self.tr("保存后生成整改事项，责任单位5个工作日内整改反馈。") + "\n"
            + self.tr("问题类型可输入关键字选择；Enter 保存，Esc 取消。")
        )
        texts = (self.tr("问题类型(&T)"), self.tr("问题说明(&N)"), self.tr("责任单位(&U)"),
                 self.tr("责任人(&O)"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.problem_type.setPlaceholderText(self.tr("输入关键字，如“降格”"))
        line_edit = self.problem_type.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText(self.tr("输入关键字，如“降格”"))
        self.note.setPlaceholderText(self.tr("发现的问题，如：诈骗警情按纠纷调解处理"))
        none = self.tr("（未指定）")
        self.people.none_text = none
        for combo in (self.people.unit, self.people.officer):
            if combo.count() and combo.itemData(0) is None:
                combo.setItemText(0, none)
        self.ok_button.setText(self.tr("保存（Enter）"))
        cancel = self.buttons.button(self.buttons.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(self.tr("取消"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- what was typed -----------------------------------------------------------

    def problem_type_id(self) -> str | None:
        """The chosen problem type: the name typed in full, or the only one that
        contains what was typed (in either language, or its code)."""
        typed = self.problem_type.currentText().strip().casefold()
        if not typed:
            return None
        exact = [p for p in self.types
                 if typed in (p.label.zh.casefold(), p.label.en.casefold(), p.code.casefold())]
        if exact:
            return exact[0].id
        partial = [p for p in self.types
                   if any(typed in t.casefold() for t in (p.label.zh, p.label.en, p.code))]
        return partial[0].id if len(partial) == 1 else None

    def _complete_typed(self) -> None:
        problem_id = self.problem_type_id()
        row = self.problem_type.findData(problem_id) if problem_id else -1
        if row >= 0 and self.problem_type.currentIndex() != row:
            self.problem_type.setCurrentIndex(row)

    def check(self) -> None:
        """What the page can tell before asking the service: raises naming the field."""
        if self.problem_type_id() is None:
            raise ValidationError(FIELD_PROBLEM_TYPE, NOT_ON_LIST)

    def show_problem(self, exc: LawsupError) -> None:
        """A refusal (here or from the service): say why, point at the field, keep
        everything typed."""
        self.show_refusal(exc.in_language(self.language))
        if isinstance(exc, ValidationError):
            widget: QWidget | None = {
                FIELD_PROBLEM_TYPE.zh: self.problem_type.lineEdit(),
                FIELD_NOTE.zh: self.note,
                FIELD_UNIT.zh: self.people.unit,
            }.get(exc.field.zh)
            if widget is not None:
                mark_invalid(widget, True)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
