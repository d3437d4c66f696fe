"""The review chain panel: every round with its five levels, and the dialog that
records the next step (the awaited level only)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.audit_form import LEVELS, AuditView, level_role
from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.domain.validation import parse_datetime
from lawsup_desktop.domain.vocabulary import Decision
from lawsup_desktop.services.audits import (
    FIELD_OPINION,
    FIELD_REVIEWED_AT,
    FIELD_REVIEWER,
    AuditService,
    StepInput,
)
from lawsup_desktop.services.cases import CaseDetail
from lawsup_desktop.services.roster import OfficerChoice
from lawsup_desktop.ui.audit.common import InlineErrors, fill_enum, when_text
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.forms.ui_review_step_dialog import Ui_ReviewStepDialog


class ChainPanel(QWidget):
    record_requested = Signal()
    rectify_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_chain")
        self.context = context
        self.audit: AuditView | None = None
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("chain_tree")
        self.tree.setColumnCount(6)
        self.tree.setWordWrap(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((170, 80, 300, 80, 130, 80)):
            self.tree.setColumnWidth(column, width)
        self.record_button = QPushButton(self)
        self.record_button.setObjectName("record_step")
        self.record_button.clicked.connect(self.record_requested)
        self.rectify_button = QPushButton(self)
        self.rectify_button.setObjectName("raise_rectifications")
        self.rectify_button.clicked.connect(self.rectify_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        buttons.addWidget(self.rectify_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("审核环节"), self.tr("审核意见"), self.tr("意见内容"),
                                   self.tr("审核人"), self.tr("审核时间"), self.tr("录入人")])
        self.rectify_button.setText(self.tr("生成整改事项"))
        self.show_audit(self.audit)

    def show_audit(self, audit: AuditView | None) -> None:
        self.audit = audit
        self.tree.clear()
        language = self.context.language
        status = audit.status if audit else None
        self.record_button.setEnabled(status is not None and status.level is not None)
        if status is not None and status.level is not None:
            self.record_button.setText(self.tr("录入第{level}级意见（{role}）").format(
                level=status.level, role=level_role(status.level).label.in_language(language)))
        else:
            self.record_button.setText(self.tr("录入下一级意见"))
        self.rectify_button.setEnabled(bool(audit and audit.problems_found.strip()))
        if audit is None:
            return
        rounds = max(audit.rounds, status.round if status else 1)
        for number in range(1, rounds + 1):
            round_item = QTreeWidgetItem(self.tree, [self.tr("第{n}轮").format(n=number)])
            round_item.setFirstColumnSpanned(True)
            steps = {s.level: s for s in audit.steps if s.round == number}
            for level in range(1, LEVELS + 1):
                role = level_role(level).label.in_language(language)
                step = steps.get(level)
                cells = [f"{level}. {role}"]
                if step is not None:
                    cells += [step.decision.label.in_language(language), step.opinion,
                              step.reviewer_name, when_text(step.reviewed_at),
                              step.entered_by_name]
                elif status is not None and status.round == number and status.level == level:
                    cells += [self.tr("待审核")]
                item = QTreeWidgetItem(round_item, cells)
                if step is not None:
                    item.setToolTip(2, step.opinion)
            round_item.setExpanded(True)


class StepDialog(QDialog):
    """Record the decision of the level the chain awaits. The operator is recorded
    as who entered it; the reviewer is chosen from the roster by the level's role."""

    recorded = Signal(object)  # AuditView

    def __init__(self, context: AppContext, audit: AuditView, case: CaseDetail,
                 officers: Sequence[OfficerChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step_dialog")
        self.context = context
        self.service = AuditService(context.db, context.workstation)
        self.audit = audit
        status = audit.status
        assert status.level is not None
        self.level = status.level
        language = context.language
        role = level_role(self.level)
        # The layout is a Designer form (ui/audit/review_step_dialog.ui).
        self.ui = Ui_ReviewStepDialog()
        self.ui.setupUi(self)
        self.heading = self.ui.heading
        self.decision = self.ui.decision
        self.opinion = self.ui.opinion
        self.reviewer = self.ui.reviewer
        self.reviewed_at = self.ui.reviewed_at
        self.buttons = self.ui.buttons
        self.error_label = self.ui.error_label
        self.error_label.setObjectName("step_error")
        self.heading.setText(self.tr("第{round}轮 · 第{level}级：{role}").format(
            round=status.round, level=self.level, role=role.label.in_language(language)))
        # Level 1 is the case officer presenting the case: only 同意.
        fill_enum(self.decision, [Decision.APPROVE] if self.level == 1 else list(Decision),
                  language)
        handlers = case.handler_ids
        for officer in officers:
            if officer.role is not role:
                continue
            # Level 1 is signed by a handler of the case; later levels never by one.
            if (officer.id in handlers) != (self.level == 1):
                continue
            self.reviewer.addItem(officer.name, officer.id)
        self.reviewed_at.setText(datetime.now().strftime("%Y-%m-%d %H:%M"))
        self.ui.entered_by.setText(context.workstation.operator_name)
        self.errors = InlineErrors(self.error_label, {
            FIELD_OPINION.zh: self.opinion, FIELD_REVIEWER.zh: self.reviewer,
            FIELD_REVIEWED_AT.zh: self.reviewed_at}, lambda: self.context.language)
        if self.reviewer.count() == 0:
            self.errors.show(_no_reviewer(role.label.in_language(language)))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        ok.setText(self.tr("签署录入"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.busy = False

    def save(self) -> None:
        if self.busy:
            return
        self.errors.clear()
        try:
            reviewed_at = parse_datetime(self.reviewed_at.text(), FIELD_REVIEWED_AT)
        except LawsupError as exc:
            self.errors.show(exc)
            return
        step = StepInput(level=self.level, decision=Decision(self.decision.currentData()),
                         opinion=self.opinion.toPlainText(),
                         reviewer_id=self.reviewer.currentData() or "",
                         reviewed_at=reviewed_at)
        audit_id = self.audit.id
        self.busy = True
        self.context.tasks.run(lambda _ctx: self.service.record_step(audit_id, step),
                               self._recorded, self._failed, parent_widget=self,
                               progress_label=self.tr("正在录入…"))

    def _recorded(self, audit: AuditView) -> None:
        self.busy = False
        self.recorded.emit(audit)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        if isinstance(exc, LawsupError):
            # Wrong level, a handler reviewing, a second decision: said plainly here.
            self.errors.show(exc)
        else:
            self.context.tasks.report_error(self, exc)


def _no_reviewer(role: str) -> LawsupError:
    return LawsupError(Text(
        f"花名册中没有可签署此级的{role}（办案民警不能审核本案）",
        f"The roster has no {role} who may sign this level (a handler may not review)"))
