"""The audit form editor (案件审核调查登记表): facts, proposed handling, the eight
review points, problems found, the major-or-difficult flag; save as draft at any
time (Ctrl+S); submission is offered only once nothing is missing, and what is
missing is listed exactly (the domain's submission_problems)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.audit_form import (
    REVIEW_POINTS,
    AuditState,
    AuditView,
    PointCheck,
)
from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.services.audits import (
    FIELD_PROBLEMS,
    AuditFormInput,
    AuditService,
    submission_problems,
)
from lawsup_desktop.ui.audit.common import ERROR_STYLE, InlineErrors
from lawsup_desktop.ui.context import AppContext

STATE_COLORS = {
    AuditState.DRAFT: ("#eeeeee", "#333333"),
    AuditState.IN_REVIEW: ("#e3ecf7", "#1f4e8c"),
    AuditState.RETURNED: ("#fff1b8", "#7a5c00"),
    AuditState.APPROVED: ("#dcefdc", "#1d5e2a"),
    AuditState.REJECTED: ("#fbd9d6", "#a4231b"),
}


class AuditFormEditor(QWidget):
    changed = Signal(object)  # AuditView, after a save or a submission

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_form_editor")
        self.context = context
        self.service = AuditService(context.db, context.workstation)
        self.audit: AuditView | None = None
        self.busy = False

        self.form_no = QLabel(self)
        self.form_no.setObjectName("form_no")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("audit_state")
        header = QHBoxLayout()
        header.addWidget(self.form_no)
        header.addWidget(self.state_label)
        header.addStretch(1)

        self.facts = QPlainTextEdit(self)
        self.facts.setObjectName("facts")
        self.facts.setMinimumHeight(70)
        self.proposed = QPlainTextEdit(self)
        self.proposed.setObjectName("proposed_handling")
        self.proposed.setMinimumHeight(50)
        self.texts_form = QFormLayout()
        self.facts_label = QLabel(self)
        self.proposed_label = QLabel(self)
        self.texts_form.addRow(self.facts_label, self.facts)
        self.texts_form.addRow(self.proposed_label, self.proposed)

        self.points_box = QGroupBox(self)
        grid = QGridLayout(self.points_box)
        grid.setColumnStretch(1, 1)
        self.point_checks: dict[str, QCheckBox] = {}
        self.point_notes: dict[str, QLineEdit] = {}
        for row, point in enumerate(REVIEW_POINTS):
            check = QCheckBox(self.points_box)
            check.setObjectName(f"point_{point.code}")
            note = QLineEdit(self.points_box)
            note.setObjectName(f"note_{point.code}")
            grid.addWidget(check, row, 0)
            grid.addWidget(note, row, 1)
            self.point_checks[point.code] = check
            self.point_notes[point.code] = note

        self.problems = QPlainTextEdit(self)
        self.problems.setObjectName("problems_found")
        self.problems.setMaximumHeight(60)
        self.problems_label = QLabel(self)
        self.is_major = QCheckBox(self)
        self.is_major.setObjectName("is_major")
        lower = QFormLayout()
        lower.addRow(self.problems_label, self.problems)
        lower.addRow("", self.is_major)

        self.missing_label = QLabel(self)
        self.missing_label.setObjectName("missing")
        self.missing_label.setStyleSheet(ERROR_STYLE)
        self.missing_label.setWordWrap(True)
        self.missing_label.hide()
        self.error_label = QLabel(self)
        self.error_label.setObjectName("form_error")
        self.errors = InlineErrors(self.error_label, {
            "简要案情": self.facts, "拟处理意见": self.proposed, FIELD_PROBLEMS.zh: self.problems,
        }, lambda: self.context.language)

        self.save_button = QPushButton(self)
        self.save_button.setObjectName("save_draft")
        self.save_button.clicked.connect(self.save_draft)
        self.submit_button = QPushButton(self)
        self.submit_button.setObjectName("submit")
        self.submit_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.submit_button)
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self, self.save_draft)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addLayout(self.texts_form)
        layout.addWidget(self.points_box)
        layout.addLayout(lower)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.retranslate()
        self.show_audit(None)

    def retranslate(self) -> None:
        language = self.context.language
        self.facts_label.setText(self.tr("简要案情"))
        self.proposed_label.setText(self.tr("拟处理意见"))
        self.points_box.setTitle(self.tr("审核要点（勾选并说明）"))
        for point in REVIEW_POINTS:
            text = point.label.in_language(language)
            self.point_checks[point.code].setText(text + (" *" if point.required else ""))
            self.point_notes[point.code].setPlaceholderText(self.tr("说明"))
        self.problems_label.setText(self.tr("发现问题"))
        self.is_major.setText(self.tr("重大疑难案件"))
        self.save_button.setText(self.tr("保存草稿 (Ctrl+S)"))
        self.submit_button.setText(self.tr("提交审核"))
        self._show_state()

    # -- showing ------------------------------------------------------------------------

    def show_audit(self, audit: AuditView | None) -> None:
        self.audit = audit
        self.errors.clear()
        self.missing_label.hide()
        self.facts.setPlainText(audit.facts if audit else "")
        self.proposed.setPlainText(audit.proposed_handling if audit else "")
        for point in REVIEW_POINTS:
            check = audit.points.get(point.code, PointCheck()) if audit else PointCheck()
            self.point_checks[point.code].setChecked(check.checked)
            self.point_notes[point.code].setText(check.note)
        self.problems.setPlainText(audit.problems_found if audit else "")
        self.is_major.setChecked(bool(audit and audit.is_major))
        editable = audit is not None and audit.status.editable
        for text in (self.facts, self.proposed, self.problems):
            text.setReadOnly(not editable)
        for widget in (*self.point_checks.values(), *self.point_notes.values(), self.is_major,
                       self.save_button):
            widget.setEnabled(editable)
        self.submit_button.setEnabled(
            audit is not None and audit.status.state is AuditState.DRAFT)
        self._show_state()

    def _show_state(self) -> None:
        language = self.context.language
        if self.audit is None:
            self.form_no.setText(self.tr("本案尚无审核表"))
            self.state_label.clear()
            self.state_label.setStyleSheet("")
            return
        self.form_no.setText(self.tr("审核表编号：{no}").format(no=self.audit.form_no))
        status = self.audit.status
        background, color = STATE_COLORS[status.state]
        self.state_label.setText(status.label.in_language(language))
        self.state_label.setStyleSheet(
            f"background: {background}; color: {color}; border-radius: 4px; "
            "padding: 2px 10px; font-weight: bold;")

    def content(self) -> AuditFormInput:
        return AuditFormInput(
            facts=self.facts.toPlainText(),
            proposed_handling=self.proposed.toPlainText(),
            points={code: PointCheck(self.point_checks[code].isChecked(),
                                     self.point_notes[code].text())
                    for code in self.point_checks},
            problems_found=self.problems.toPlainText(),
            is_major=self.is_major.isChecked())

    # -- actions --------------------------------------------------------------------------

    def save_draft(self) -> None:
        audit = self.audit
        if audit is None or self.busy or not audit.status.editable:
            return
        content = self.content()
        self._run(lambda _ctx: self.service.save_draft(audit.id, audit.version, content),
                  self.tr("正在保存草稿…"))

    def submit(self) -> None:
        """List exactly what is missing; when nothing is, save and submit."""
        audit = self.audit
        if audit is None or self.busy:
            return
        content = self.content()
        problems = submission_problems(content)
        if problems:
            self.show_missing(problems)
            return
        self.missing_label.hide()

        def save_and_submit(_ctx: object) -> AuditView:
            saved = self.service.save_draft(audit.id, audit.version, content)
            return self.service.submit(saved.id, saved.version)

        self._run(save_and_submit, self.tr("正在提交…"))

    def show_missing(self, problems: list[Text]) -> None:
        language = self.context.language
        self.missing_label.setText(
            self.tr("尚不能提交，缺少：") + "\n"
            + "\n".join(f"· {p.in_language(language)}" for p in problems))
        self.missing_label.show()

    def _run(self, job: object, label: str) -> None:
        self.busy = True
        self.errors.clear()
        self.context.tasks.run(job, self._done, self._failed,  # type: ignore[arg-type]
                               progress_label=label, parent_widget=self)

    def _done(self, audit: AuditView) -> None:
        self.busy = False
        self.show_audit(audit)
        self.changed.emit(audit)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        if isinstance(exc, LawsupError):
            problems = getattr(exc, "problems", None)
            if problems:
                self.show_missing(list(problems))
            else:
                self.errors.show(exc)
        else:
            self.context.tasks.report_error(self, exc)
