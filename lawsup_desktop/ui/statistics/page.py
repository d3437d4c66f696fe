"""The 统计通报 page.

It paints at once with empty chart frames; the figures are computed in the
background (services/statistics.py) and QtCharts is imported only when they
arrive, so the first paint pays for neither. The report tab makes the daily
report or the bulletin in the background, shows the PDF in the page (QPdfView)
and saves it where the user chooses. The points tab shows the month's ranking
with its bottom places, the early-intervention alerts, and the suggested
deductions, which the supervisor confirms or dismisses; objections are lodged
and decided there too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QDate, QEvent, QIODevice, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.points import SubjectKind
from lawsup_desktop.domain.vocabulary import ScoreKind, ScoreState
from lawsup_desktop.services.points import Alert, EntryView, PointsService, RankingRow
from lawsup_desktop.services.statistics import Statistics, StatisticsService
from lawsup_desktop.ui.context import AppContext

CHART_KEYS = ("incidents", "satisfaction", "audits", "rectifications", "procuratorate")
BOTTOM_COLOR = QColor("#f4cccc")


def today() -> dt.date:
    """The page's "today" (tests fix it)."""
    return dt.date.today()


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


def _date_edit(parent: QWidget, day: dt.date, name: str, fmt: str = "yyyy-MM-dd") -> QDateEdit:
    edit = QDateEdit(_qdate(day), parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(fmt)
    return edit


@dataclass(frozen=True)
class PointsData:
    ranking: list[RankingRow]
    alerts: list[Alert]
    deductions: list[EntryView]  # the month's, what needs a decision first

    @property
    def suggested(self) -> list[EntryView]:
        return [e for e in self.deductions if e.state is ScoreState.SUGGESTED]

    @property
    def objections(self) -> list[EntryView]:
        return [e for e in self.deductions if e.objection_pending]


def _urgency(entry: EntryView) -> tuple[int, int]:
    """Suggestions first, then undecided objections, then the rest; newest first."""
    rank = 0 if entry.state is ScoreState.SUGGESTED else 1 if entry.objection_pending else 2
    return rank, -entry.occurred_on.toordinal()


class StatisticsPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statistics_page")
        self.context = context
        self.statistics: Statistics | None = None
        self.pdf_bytes: bytes | None = None
        self.pdf_name = ""
        self.points_data: PointsData | None = None
        self._loads = 0
        self._pdf_buffer: QBuffer | None = None
        self._pdf_document: Any = None
        self._pdf_view: Any = None

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("statistics_tabs")
        self.charts_tab = QWidget(self.tabs)
        self.reports_tab = QWidget(self.tabs)
        self.points_tab = QWidget(self.tabs)
        self.tabs.addTab(self.charts_tab, "")
        self.tabs.addTab(self.reports_tab, "")
        self.tabs.addTab(self.points_tab, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.tabs)

        self._build_charts_tab()
        self._build_reports_tab()
        self._build_points_tab()
        self.retranslate()
        self.reload()
        self.reload_points()

    # --- the charts --------------------------------------------------------------------

    def _build_charts_tab(self) -> None:
        tab = self.charts_tab
        start = today().replace(day=1)
        start = start.replace(year=start.year - 1) + dt.timedelta(days=32)
        self.period_from = _date_edit(tab, start.replace(day=1), "period_from")
        self.period_to = _date_edit(tab, today(), "period_to")
        self.period_label = QLabel(tab)
        self.to_label = QLabel(tab)
        self.refresh_button = QPushButton(tab)
        self.refresh_button.setObjectName("refresh_statistics")
        self.refresh_button.clicked.connect(self.reload)
        self.status = QLabel(tab)
        self.status.setObjectName("statistics_status")
        row = QHBoxLayout()
        for widget in (self.period_label, self.period_from, self.to_label, self.period_to,
                       self.refresh_button, self.status):
            row.addWidget(widget)
        row.addStretch(1)
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        self.chart_slots: dict[str, QWidget] = {}
        for index, key in enumerate(CHART_KEYS):
            placeholder = QLabel(tab)
            placeholder.setObjectName(f"placeholder_{key}")
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            placeholder.setMinimumHeight(240)
            placeholder.setStyleSheet("border: 1px solid #d0d7de; color: #8a96a3;")
            self.chart_slots[key] = placeholder
            self.grid.addWidget(placeholder, index // 2, index % 2)
        column = QVBoxLayout(tab)
        column.addLayout(row)
        column.addLayout(self.grid, 1)

    def is_loading(self) -> bool:
        return self._loads > 0

    def reload(self) -> None:
        """Compute the figures of the chosen period in the background."""
        first, last = _date(self.period_from), _date(self.period_to)
        service, now = StatisticsService(self.context.db), today()
        self._loads += 1
        self.status.setText(self.tr("正在统计…"))
        self.context.tasks.run(
            lambda _ctx: service.compute(first, last, now), self._loaded, self._failed,
            parent_widget=self,
        )

    def _loaded(self, statistics: Statistics) -> None:
        self._loads -= 1
        self.statistics = statistics
        self.status.setText(self.tr("统计期间：{first} 至 {last}").format(
            first=statistics.first.isoformat(), last=statistics.last.isoformat()))
        self._show_charts()

    def _failed(self, exc: BaseException) -> None:
        self._loads -= 1
        self.status.setText(self.tr("统计失败"))
        self.context.tasks.report_error(self, exc)

    def _show_charts(self) -> None:
        if self.statistics is None:
            return
        from lawsup_desktop.ui.statistics import charts  # QtCharts: only now

        stats, language = self.statistics, self.context.language
        made = {
            "incidents": charts.incidents_chart(stats, language, self.charts_tab),
            "satisfaction": charts.satisfaction_chart(stats, language, self.charts_tab),
            "audits": charts.audits_chart(stats, self.charts_tab),
            "rectifications": charts.rectifications_chart(stats, self.charts_tab),
            "procuratorate": charts.procuratorate_chart(stats, self.charts_tab),
        }
        for index, key in enumerate(CHART_KEYS):
            old = self.chart_slots[key]
            self.grid.removeWidget(old)
            old.deleteLater()
            self.chart_slots[key] = made[key]
            self.grid.addWidget(made[key], index // 2, index % 2)
            made[key].show()  # a child added to a visible page is not shown by itself

    # --- the reports ---------------------------------------------------------------------

    def _build_reports_tab(self) -> None:
        tab = self.reports_tab
        self.daily_label = QLabel(tab)
        self.daily_date = _date_edit(tab, today() - dt.timedelta(days=1), "daily_date")
        self.daily_button = QPushButton(tab)
        self.daily_button.setObjectName("make_daily")
        self.daily_button.clicked.connect(self.make_daily)
        self.bulletin_label = QLabel(tab)
        self.bulletin_from = _date_edit(tab, today() - dt.timedelta(days=14), "bulletin_from")
        self.bulletin_to_label = QLabel(tab)
        self.bulletin_to = _date_edit(tab, today() - dt.timedelta(days=1), "bulletin_to")
        self.bulletin_button = QPushButton(tab)
        self.bulletin_button.setObjectName("make_bulletin")
        self.bulletin_button.clicked.connect(self.make_bulletin)
        self.save_button = QPushButton(tab)
        self.save_button.setObjectName("save_pdf")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_pdf)
        self.preview_label = QLabel(tab)
        self.preview_label.setObjectName("preview_label")
        row = QHBoxLayout()
        for widget in (self.daily_label, self.daily_date, self.daily_button):
            row.addWidget(widget)
        row.addSpacing(24)
        for widget in (self.bulletin_label, self.bulletin_from, self.bulletin_to_label,
                       self.bulletin_to, self.bulletin_button):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.save_button)
        self.preview_box = QVBoxLayout()
        self.preview_box.addWidget(self.preview_label)
        column = QVBoxLayout(tab)
        column.addLayout(row)
        column.addLayout(self.preview_box, 1)

    def make_daily(self) -> None:
        from lawsup_desktop.services.reports import ReportService

        day = _date(self.daily_date)
        service = ReportService(self.context.db, self.context.workstation)

        def work(_ctx: Any) -> bytes:
            from lawsup_desktop.pdf.reports import render_daily_report

            return render_daily_report(service.daily(day))

        self._make(work, f"每日执法情况-{day.isoformat()}.pdf")

    def make_bulletin(self) -> None:
        from lawsup_desktop.services.reports import ReportService

        first, last = _date(self.bulletin_from), _date(self.bulletin_to)
        service = ReportService(self.context.db, self.context.workstation)

        def work(_ctx: Any) -> tuple[bytes, str]:
            from lawsup_desktop.pdf.reports import render_bulletin

            bulletin = service.bulletin(first, last)
            return render_bulletin(bulletin), f"{bulletin.year}年第{bulletin.number}期"

        def done(result: tuple[bytes, str]) -> None:
            pdf, number = result
            self._show_pdf(pdf, f"日常执法质量巡查通报-{number}.pdf")

        self._loads += 1
        self.preview_label.setText(self.tr("正在生成…"))
        self.context.tasks.run(work, lambda r: self._done(lambda: done(r)), self._pdf_failed,
                               progress_label=self.tr("正在生成巡查通报"), parent_widget=self)

    def _make(self, work: Any, name: str) -> None:
        self._loads += 1
        self.preview_label.setText(self.tr("正在生成…"))
        self.context.tasks.run(
            work, lambda pdf: self._done(lambda: self._show_pdf(pdf, name)), self._pdf_failed,
            progress_label=self.tr("正在生成每日执法情况"), parent_widget=self,
        )

    def _done(self, then: Any) -> None:
        self._loads -= 1
        then()

    def _pdf_failed(self, exc: BaseException) -> None:
        self._loads -= 1
        self.preview_label.setText("")
        self.context.tasks.report_error(self, exc)

    def _show_pdf(self, pdf: bytes, name: str) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.pdf_bytes, self.pdf_name = pdf, name
        if self._pdf_view is None:
            self._pdf_document = QPdfDocument(self)
            self._pdf_view = QPdfView(self.reports_tab)
            self._pdf_view.setObjectName("pdf_preview")
            self._pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self._pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self._pdf_view.setDocument(self._pdf_document)
            self.preview_box.addWidget(self._pdf_view, 1)
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._pdf_document.close()
        self._pdf_document.load(buffer)
        if self._pdf_buffer is not None:
            self._pdf_buffer.deleteLater()
        self._pdf_buffer = buffer  # the document reads from it while shown
        self.preview_label.setText(self.tr("预览：{name}（共 {pages} 页）").format(
            name=name, pages=self._pdf_document.pageCount()))
        self.save_button.setEnabled(True)

    def save_pdf(self) -> None:
        if self.pdf_bytes is None:
            return
        start = str(Path.home() / self.pdf_name)
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("保存 PDF"), start, self.tr("PDF 文件 (*.pdf)"))
        if not name:
            return
        target = Path(name)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        try:
            target.write_bytes(self.pdf_bytes)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("保存 PDF"),
                                self.tr("无法保存：{error}").format(error=exc.strerror or exc))
            return
        self.preview_label.setText(self.tr("已保存：{path}").format(path=str(target)))

    # --- points ---------------------------------------------------------------------------

    def _build_points_tab(self) -> None:
        tab = self.points_tab
        self.month_label = QLabel(tab)
        self.month = _date_edit(tab, today().replace(day=1), "points_month", "yyyy-MM")
        self.month.dateChanged.connect(lambda _d: self.reload_points())
        self.subject_kind = QComboBox(tab)
        self.subject_kind.setObjectName("subject_kind")
        self.subject_kind.addItem("", SubjectKind.OFFICER.value)
        self.subject_kind.addItem("", SubjectKind.UNIT.value)
        self.subject_kind.currentIndexChanged.connect(lambda _i: self.reload_points())
        self.suggest_button = QPushButton(tab)
        self.suggest_button.setObjectName("suggest_deductions")
        self.suggest_button.clicked.connect(self.suggest)
        self.export_button = QPushButton(tab)
        self.export_button.setObjectName("export_points")
        self.export_button.clicked.connect(self.export_points)
        row = QHBoxLayout()
        for widget in (self.month_label, self.month, self.subject_kind):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.suggest_button)
        row.addWidget(self.export_button)

        self.ranking_table = self._table(tab, "ranking_table", 7)
        self.alerts_label = QLabel(tab)
        self.alerts_label.setObjectName("alerts_label")
        self.alerts_label.setWordWrap(True)
        self.entries_label = QLabel(tab)
        self.entries_table = self._table(tab, "entries_table", 6)
        self.confirm_button = QPushButton(tab)
        self.confirm_button.setObjectName("confirm_entry")
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.dismiss_button = QPushButton(tab)
        self.dismiss_button.setObjectName("dismiss_entry")
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.object_button = QPushButton(tab)
        self.object_button.setObjectName("lodge_objection")
        self.object_button.clicked.connect(self.lodge_objection)
        self.decide_button = QPushButton(tab)
        self.decide_button.setObjectName("decide_objection")
        self.decide_button.clicked.connect(self.decide_objection)
        actions = QHBoxLayout()
        actions.addWidget(self.entries_label)
        actions.addStretch(1)
        for button in (self.confirm_button, self.dismiss_button, self.object_button,
                       self.decide_button):
            actions.addWidget(button)
        lower = QWidget(tab)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(actions)
        lower_layout.addWidget(self.entries_table)
        upper = QWidget(tab)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.alerts_label)
        upper_layout.addWidget(self.ranking_table)
        splitter = QSplitter(Qt.Orientation.Vertical, tab)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        column = QVBoxLayout(tab)
        column.addLayout(row)
        column.addWidget(splitter, 1)

    @staticmethod
    def _table(parent: QWidget, name: str, columns: int) -> QTableWidget:
        table = QTableWidget(0, columns, parent)
        table.setObjectName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def points_service(self) -> PointsService:
        return PointsService(self.context.db, self.context.workstation, today)

    def reload_points(self) -> None:
        service = self.points_service()
        data = self.subject_kind.currentData()
        if data is None:
            return
        # Qt hands the item's data back as a plain str.
        month, kind = _date(self.month), SubjectKind(str(data))

        def load(_ctx: Any) -> PointsData:
            from lawsup_desktop.domain.points import month_range

            first, last = month_range(month)
            entries = service.entries(first, last)
            deductions = sorted((e for e in entries if e.kind is ScoreKind.DEDUCTED),
                                key=_urgency)
            return PointsData(service.ranking(kind, month), service.alerts(), deductions)

        self._loads += 1
        self.context.tasks.run(load, self._points_loaded, self._failed, parent_widget=self)

    def _points_loaded(self, data: PointsData) -> None:
        self._loads -= 1
        self.points_data = data
        self._fill_points(data)

    def _fill_points(self, data: PointsData) -> None:
        language = self.context.language
        table = self.ranking_table
        table.setRowCount(len(data.ranking))
        for r, row in enumerate(data.ranking):
            values = [row.place, row.name, row.unit_name, row.earned, row.deducted, row.offset,
                      row.score]
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if row.bottom:
                    item.setBackground(QBrush(BOTTOM_COLOR))
                    item.setToolTip(self.tr("末位"))
                table.setItem(r, c, item)
        if data.alerts:
            self.alerts_label.setText(self.tr("提前干预预警：") + "；".join(
                f"{a.name}（{a.kind.label.in_language(language)}）"
                f"{a.level.label.in_language(language)} {a.deducted}"
                for a in data.alerts[:12]))
        else:
            self.alerts_label.setText(self.tr("提前干预预警：无"))
        entries = data.deductions
        self.entries_table.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            if entry.objection_pending:
                state = self.tr("异议待复核")
            elif entry.objection_upheld is True:
                state = self.tr("异议成立·已撤销")
            elif entry.objection_upheld is False:
                state = self.tr("异议不成立·维持")
            else:
                state = entry.state.label.in_language(language)
            values = [entry.occurred_on.isoformat(), entry.subject_name,
                      str(entry.points), state, entry.reason, entry.objection]
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                self.entries_table.setItem(r, c, item)
        self.entries_label.setText(self.tr("待确认扣分 {n} 条，异议待复核 {m} 条").format(
            n=len(data.suggested), m=len(data.objections)))

    def selected_entry(self) -> EntryView | None:
        if self.points_data is None:
            return None
        row = self.entries_table.currentRow()
        entries = self.points_data.deductions
        return entries[row] if 0 <= row < len(entries) else None

    def _write(self, action: Any) -> None:
        self._loads += 1

        def done(_result: object) -> None:
            self._loads -= 1
            self.reload_points()

        self.context.tasks.run(lambda _ctx: action(self.points_service()), done, self._failed,
                               parent_widget=self)

    def suggest(self) -> None:
        first = _date(self.month).replace(day=1)
        last = min(today(), (first + dt.timedelta(days=32)).replace(day=1)
                   - dt.timedelta(days=1))
        self._write(lambda s: s.suggest_deductions(first, last))

    def confirm_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None and entry.state is ScoreState.SUGGESTED:
            self._write(lambda s: s.confirm(entry.id, entry.version))

    def dismiss_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.state is not ScoreState.SUGGESTED:
            return
        reason, ok = QInputDialog.getText(self, self.tr("驳回扣分建议"), self.tr("驳回理由："))
        if ok:
            self._write(lambda s: s.dismiss(entry.id, reason, entry.version))

    def lodge_objection(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        grounds, ok = QInputDialog.getMultiLineText(self, self.tr("提出异议"),
                                                    self.tr("异议理由："))
        if ok:
            self._write(lambda s: s.lodge_objection(entry.id, grounds, entry.version))

    def decide_objection(self) -> None:
        entry = self.selected_entry()
        if entry is None or not entry.objection_pending:
            return
        choices = [self.tr("异议成立（撤销扣分）"), self.tr("异议不成立（维持扣分）")]
        choice, ok = QInputDialog.getItem(self, self.tr("复核异议"), self.tr("复核结论："),
                                          choices, 0, False)
        if not ok:
            return
        note, ok = QInputDialog.getMultiLineText(self, self.tr("复核异议"), self.tr("复核意见："))
        if ok:
            upheld = choice == choices[0]
            self._write(lambda s: s.decide_objection(entry.id, upheld, note, entry.version))

    def export_points(self) -> None:
        month = _date(self.month)
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("导出积分"), str(Path.home() / f"积分考评-{month:%Y-%m}.xlsx"),
            self.tr("Excel 工作簿 (*.xlsx)"))
        if not name:
            return
        target = Path(name).with_suffix(".xlsx")
        language = self.context.language
        self.context.tasks.run(
            lambda _ctx: self.points_service().export_xlsx(month, target, language=language),
            lambda path: self.entries_label.setText(self.tr("已导出：{path}").format(
                path=str(path))),
            lambda exc: self.context.tasks.report_error(self, exc),
            progress_label=self.tr("正在导出积分"), parent_widget=self,
        )

    # --- language -------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("统计图表"))
        self.tabs.setTabText(1, self.tr("日报与通报"))
        self.tabs.setTabText(2, self.tr("积分考评"))
        self.period_label.setText(self.tr("统计期间"))
        self.to_label.setText(self.tr("至"))
        self.refresh_button.setText(self.tr("刷新"))
        for slot in self.chart_slots.values():
            if isinstance(slot, QLabel):
                slot.setText(self.tr("正在统计…"))
        self.daily_label.setText(self.tr("每日执法情况"))
        self.daily_button.setText(self.tr("生成日报"))
        self.bulletin_label.setText(self.tr("巡查通报"))
        self.bulletin_to_label.setText(self.tr("至"))
        self.bulletin_button.setText(self.tr("生成通报"))
        self.save_button.setText(self.tr("保存 PDF…"))
        if self.pdf_bytes is None:
            self.preview_label.setText(self.tr("生成日报或通报后在此预览。"))
        self.month_label.setText(self.tr("考评月份"))
        self.subject_kind.setItemText(0, self.tr("民警排名"))
        self.subject_kind.setItemText(1, self.tr("单位排名"))
        self.suggest_button.setText(self.tr("生成扣分建议"))
        self.export_button.setText(self.tr("导出 Excel…"))
        self.ranking_table.setHorizontalHeaderLabels([
            self.tr("名次"), self.tr("名称"), self.tr("单位"), self.tr("达标得分"),
            self.tr("过错扣分"), self.tr("积分消抵"), self.tr("考评分")])
        self.entries_table.setHorizontalHeaderLabels([
            self.tr("日期"), self.tr("对象"), self.tr("分值"), self.tr("状态"),
            self.tr("事由"), self.tr("异议")])
        self.confirm_button.setText(self.tr("确认扣分"))
        self.dismiss_button.setText(self.tr("驳回"))
        self.object_button.setText(self.tr("提出异议…"))
        self.decide_button.setText(self.tr("复核异议…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._show_charts()
            if self.points_data is not None:
                self._fill_points(self.points_data)
        super().changeEvent(event)
