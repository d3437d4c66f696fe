"""期限计算器: any rule, any start, custody, suspensions and extensions → the due
moment, its state now, and each counting step with its legal basis. The same
engine as ``lawsup deadline``."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.deadlines import (
    DeadlineResult,
    DeadlineRule,
    Extension,
    RuleBook,
    Suspension,
)
from lawsup_desktop.domain.errors import LawsupError
from lawsup_desktop.services.deadlines import DeadlineService
from lawsup_desktop.ui.context import AppContext
from lawsup_desktop.ui.deadlines import clock
from lawsup_desktop.ui.deadlines.dialogs import DATETIME_FORMAT, datetime_edit, python_datetime
from lawsup_desktop.ui.deadlines.model import STATE_COLORS
from lawsup_desktop.ui.tasks import TaskHandle


def steps_html(result: DeadlineResult, language: str, basis_label: str) -> str:
    """The counting steps as a numbered list, each with its legal basis."""
    items = []
    for step in result.steps:
        text = html.escape(step.text.in_language(language))
        if step.basis is not None:
            basis = html.escape(step.basis.in_language(language))
            text += f'<br><span style="color:#4a5866;">{html.escape(basis_label)}{basis}</span>'
        items.append(f'<li style="margin-bottom:6px;">{text}</li>')
    return f"<ol style=\"margin-left:-16px;\">{''.join(items)}</ol>"


class CalculatorPanel(QWidget):
    def __init__(
        self, context: AppContext, service: DeadlineService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("deadline_calculator")
        self.context = context
        self.service = service
        self.book: RuleBook | None = None
        self.result: DeadlineResult | None = None
        self.handle: TaskHandle[DeadlineResult] | None = None
        now = clock.now().replace(minute=0)

        self.rule = QComboBox(self)
        self.rule.setObjectName("calc_rule")
        self.rule.setMinimumContentsLength(24)
        self.rule.currentIndexChanged.connect(self._rule_changed)
        self.citation = QLabel(self)
        self.citation.setObjectName("calc_citation")
        self.citation.setStyleSheet("color: #4a5866;")
        self.start = datetime_edit(self, now)
        self.start.setObjectName("calc_start")
        self.custody = QCheckBox(self)
        self.custody.setObjectName("calc_custody")

        self.suspension_box = QGroupBox(self)
        self.suspend_from = datetime_edit(self.suspension_box, now)
        self.suspend_from.setObjectName("calc_suspend_from")
        self.suspend_to = datetime_edit(self.suspension_box, now)
        self.suspend_to.setObjectName("calc_suspend_to")
        self.add_suspension_button = QPushButton(self.suspension_box)
        self.add_suspension_button.setObjectName("calc_add_suspension")
        self.add_suspension_button.clicked.connect(self.add_suspension)
        self.suspensions = QListWidget(self.suspension_box)
        self.suspensions.setObjectName("calc_suspensions")
        self.suspensions.setMaximumHeight(72)
        self.remove_suspension_button = QPushButton(self.suspension_box)
        self.remove_suspension_button.setObjectName("calc_remove_suspension")
        self.remove_suspension_button.clicked.connect(self.remove_suspension)
        span_row = QHBoxLayout()
        self.from_label, self.to_label = QLabel(self.suspension_box), QLabel(self.suspension_box)
        span_row.addWidget(self.from_label)
        span_row.addWidget(self.suspend_from)
        span_row.addWidget(self.to_label)
        span_row.addWidget(self.suspend_to)
        span_row.addWidget(self.add_suspension_button)
        span_row.addStretch(1)
        list_row = QHBoxLayout()
        list_row.addWidget(self.suspensions, 1)
        list_row.addWidget(self.remove_suspension_button, 0, Qt.AlignmentFlag.AlignTop)
        box_layout = QVBoxLayout(self.suspension_box)
        box_layout.addLayout(span_row)
        box_layout.addLayout(list_row)

        self.extension = QSpinBox(self)
        self.extension.setObjectName("calc_extension")
        self.extension.setRange(0, 999)
        self.extension.setMinimumWidth(120)
        self.extension_approval = QLineEdit(self)
        self.extension_approval.setObjectName("calc_extension_approval")
        self.extension_limit = QLabel(self)
        self.extension_limit.setStyleSheet("color: #4a5866;")
        extension_row = QHBoxLayout()
        extension_row.addWidget(self.extension)
        extension_row.addWidget(self.extension_approval, 1)
        extension_row.addWidget(self.extension_limit)

        self.calculate_button = QPushButton(self)
        self.calculate_button.setObjectName("calc_calculate")
        self.calculate_button.setDefault(True)
        self.calculate_button.clicked.connect(self.calculate)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.calculate,
                  Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.rule_label, self.start_label = QLabel(self), QLabel(self)
        self.extension_label = QLabel(self)
        self.form.addRow(self.rule_label, self.rule)
        self.form.addRow("", self.citation)
        self.form.addRow(self.start_label, self.start)
        self.form.addRow("", self.custody)
        self.form.addRow(self.extension_label, extension_row)

        # The answer.
        self.due = QLabel(self)
        self.due.setObjectName("calc_due")
        self.due.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.due.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.state = QLabel(self)
        self.state.setObjectName("calc_state")
        self.error = QLabel(self)
        self.error.setObjectName("calc_error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #a4231b; font-weight: bold;")
        self.error.hide()
        self.steps = QTextBrowser(self)
        self.steps.setObjectName("calc_steps")
        answer_row = QHBoxLayout()
        answer_row.addWidget(self.calculate_button)
        answer_row.addSpacing(16)
        answer_row.addWidget(self.due)
        answer_row.addSpacing(12)
        answer_row.addWidget(self.state)
        answer_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.suspension_box)
        layout.addLayout(answer_row)
        layout.addWidget(self.error)
        layout.addWidget(self.steps, 1)

        self.retranslate()
        self.rules_handle = context.tasks.run(
            lambda _ctx: service.rule_book(), self._rules_loaded, parent_widget=self
        )

    # -- the rules ----------------------------------------------------------------

    def _rules_loaded(self, book: RuleBook) -> None:
        self.book = book
        self._fill_rules()

    def _fill_rules(self) -> None:
        current = self.rule.currentData()
        self.rule.blockSignals(True)
        self.rule.clear()
        language = self.context.language
        for rule in self.book or ():
            unit = rule.unit.label.in_language(language)
            self.rule.addItem(f"{rule.name.in_language(language)}  ({rule.value} {unit})",
                              rule.code)
        index = self.rule.findData(current)
        self.rule.setCurrentIndex(max(index, 0))
        self.rule.blockSignals(False)
        self._rule_changed()

    def selected_rule(self) -> DeadlineRule | None:
        code = self.rule.currentData()
        return self.book.get(code) if self.book is not None and code else None

    def select_rule(self, code: str) -> None:
        index = self.rule.findData(code)
        if index < 0:
            raise KeyError(code)
        self.rule.setCurrentIndex(index)

    def _rule_changed(self) -> None:
        rule = self.selected_rule()
        language = self.context.language
        if rule is None:
            self.citation.clear()
            self.extension_limit.clear()
            return
        self.citation.setText(rule.citation.text.in_language(language))
        unit = rule.unit.label.in_language(language)
        self.extension.setSuffix(f" {unit}")
        if rule.extensions:
            self.extension_limit.setText(
                self.tr("依法最多延长 {extra} {unit}").format(extra=rule.max_extension, unit=unit)
            )
        else:
            self.extension_limit.setText(self.tr("依法不能延长"))
        self.suspension_box.setEnabled(True)
        if rule.in_custody:
            self.custody.setChecked(True)

    # -- suspensions ---------------------------------------------------------------

    def add_suspension(self) -> None:
        begins, ends = python_datetime(self.suspend_from), python_datetime(self.suspend_to)
        try:
            span = Suspension(begins, ends)
        except LawsupError as exc:
            self._refuse(exc)
            return
        shown = f"{begins:%Y-%m-%d %H:%M} ～ {ends:%Y-%m-%d %H:%M}"
        item = QListWidgetItem(shown, self.suspensions)
        item.setData(Qt.ItemDataRole.UserRole, span)
        self.error.hide()

    def remove_suspension(self) -> None:
        for item in self.suspensions.selectedItems():
            self.suspensions.takeItem(self.suspensions.row(item))

    def suspension_list(self) -> list[Suspension]:
        found = []
        for row in range(self.suspensions.count()):
            item = self.suspensions.item(row)
            span = item.data(Qt.ItemDataRole.UserRole)
            if isinstance(span, Suspension):
                found.append(span)
        return found

    # -- counting ------------------------------------------------------------------

    def calculate(self) -> None:
        rule = self.selected_rule()
        if rule is None:
            return
        service, start = self.service, python_datetime(self.start)
        custody, suspensions = self.custody.isChecked(), self.suspension_list()
        extensions = (
            [Extension(self.extension.value(), self.extension_approval.text())]
            if self.extension.value() else []
        )

        def count(_ctx: Any) -> DeadlineResult:
            return service.calculate(rule.code, start, custody=custody,
                                     suspensions=suspensions, extensions=extensions)

        self.calculate_button.setEnabled(False)
        self.handle = self.context.tasks.run(count, self._counted, self._failed,
                                             parent_widget=self)

    def _counted(self, result: DeadlineResult) -> None:
        self.calculate_button.setEnabled(True)
        self.result = result
        self.error.hide()
        self._show_result()

    def _failed(self, exc: BaseException) -> None:
        self.calculate_button.setEnabled(True)
        if isinstance(exc, LawsupError):
            self._refuse(exc)
        else:
            self.context.tasks.report_error(self, exc)

    def _refuse(self, exc: LawsupError) -> None:
        """Beyond the law or bad input: say so plainly, show no stale answer."""
        self.result = None
        self.due.clear()
        self.state.clear()
        self.steps.clear()
        self.error.setText(self.tr("无法计算：{why}").format(
            why=exc.in_language(self.context.language)))
        self.error.show()

    def _show_result(self) -> None:
        result = self.result
        if result is None:
            return
        language = self.context.language
        self.due.setText(self.tr("到期：{due}").format(due=result.due.shown.in_language(language)))
        state = result.state(clock.now())
        background, text = STATE_COLORS.get(state, ("#e8edf2", "#33414e"))
        self.state.setText(state.label.in_language(language))
        self.state.setStyleSheet(
            f"background: {background}; color: {text}; border-radius: 4px;"
            " padding: 3px 10px; font-weight: bold;"
        )
        self.steps.setHtml(steps_html(result, language, self.tr("依据：")))

    def due_text(self) -> str:
        return self.due.text()

    # -- texts ---------------------------------------------------------------------

    def retranslate(self) -> None:
        self.rule_label.setText(self.tr("期限规则："))
        self.start_label.setText(self.tr("起算时间："))
        self.start.setToolTip(DATETIME_FORMAT)
        self.custody.setText(self.tr("在押人员（期间届满日遇节假日不顺延）"))
        self.suspension_box.setTitle(self.tr("中止计算（如鉴定期间）"))
        self.from_label.setText(self.tr("自"))
        self.to_label.setText(self.tr("至"))
        self.add_suspension_button.setText(self.tr("添加"))
        self.remove_suspension_button.setText(self.tr("移除"))
        self.extension_label.setText(self.tr("经批准延长："))
        self.extension.setSpecialValueText(self.tr("不延长"))
        self.extension_approval.setPlaceholderText(self.tr("批准情况（选填）"))
        self.calculate_button.setText(self.tr("计算"))
        self.calculate_button.setToolTip(QKeySequence("Ctrl+Return").toString(
            QKeySequence.SequenceFormat.NativeText))
        if self.book is not None:
            self._fill_rules()
        self._show_result()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
