"""The charts of the 统计通报 page, built from a :class:`Statistics` (QtCharts is
imported here only, on the first data: the page paints before it loads)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from lawsup_desktop.domain.vocabulary import IncidentCategory
from lawsup_desktop.services.statistics import Statistics

_CONTEXT = "StatisticsCharts"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    return text


# Every text the charts show, marked for lupdate; translated where shown.
_TEXTS = (
    QT_TRANSLATE_NOOP("StatisticsCharts", "警情分类（按月）"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "回访满意度"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "案件审核通过率、退回率、不同意率（按办案单位）"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "通过"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "退回补正"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "不同意"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "整改事项（按责任单位）"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "未销号"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "已销号"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "逾期"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "退补率与不捕率（按决定月份）"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "退补率"),
    QT_TRANSLATE_NOOP("StatisticsCharts", "不捕率"),
)


def translated(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def _view(chart: QChart, name: str, parent: QWidget | None) -> QChartView:
    view = QChartView(chart, parent)
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(240)
    return view


def _count_step(top: float) -> int:
    """A whole step of 1, 2 or 5 × 10^k giving at most five intervals up to ``top``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if top / step <= 5:
                return step
        magnitude *= 10


def _axes(chart: QChart, series: object, categories: Sequence[str],
          top: float, percent: bool = False) -> None:
    """Category axis below, value axis left: 0–100 % for rates, whole numbers (never
    0.5 of an incident) for counts."""
    x = QBarCategoryAxis()
    x.append(list(categories))
    y = QValueAxis()
    if percent:
        y.setRange(0, 100)
        y.setLabelFormat("%.0f%%")
    else:
        step = _count_step(max(top, 1))
        y.setRange(0, step * -(-max(top, 1) // step))
        y.setTickType(QValueAxis.TickType.TicksDynamic)
        y.setTickAnchor(0)
        y.setTickInterval(step)
        y.setLabelFormat("%d")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)  # type: ignore[attr-defined]
    series.attachAxis(y)  # type: ignore[attr-defined]


def incidents_chart(stats: Statistics, language: str, parent: QWidget | None) -> QChartView:
    chart = _chart(translated("警情分类（按月）"))
    series = QStackedBarSeries()
    counts = {(c.month, c.category): c.count for c in stats.incidents_by_month}
    months = stats.months
    top = 0
    for category in IncidentCategory:
        values = [counts.get((m, category), 0) for m in months]
        if not any(values):
            continue
        bar = QBarSet(category.label.in_language(language))
        bar.append([float(v) for v in values])
        series.append(bar)
    for m in months:
        top = max(top, sum(counts.get((m, c), 0) for c in IncidentCategory))
    chart.addSeries(series)
    _axes(chart, series, [m[2:] for m in months], top)
    return _view(chart, "chart_incidents", parent)


def satisfaction_chart(stats: Statistics, language: str, parent: QWidget | None) -> QChartView:
    chart = _chart(translated("回访满意度"))
    series = QPieSeries()
    total = sum(s.count for s in stats.satisfaction)
    for item in stats.satisfaction:
        if item.count:
            share = item.count / total * 100
            slice_ = series.append(
                f"{item.satisfaction.label.in_language(language)} {share:.1f}%",
                float(item.count))
            slice_.setLabelVisible(share >= 3)
    chart.addSeries(series)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return _view(chart, "chart_satisfaction", parent)


def audits_chart(stats: Statistics, parent: QWidget | None) -> QChartView:
    chart = _chart(translated("案件审核通过率、退回率、不同意率（按办案单位）"))
    series = QBarSeries()
    for label, rate in ((translated("通过"), "pass_rate"), (translated("退回补正"), "return_rate"),
                        (translated("不同意"), "reject_rate")):
        bar = QBarSet(label)
        bar.append([100.0 * (getattr(u, rate) or 0.0) for u in stats.audits_by_unit])
        series.append(bar)
    chart.addSeries(series)
    _axes(chart, series, [u.unit_name for u in stats.audits_by_unit], 100, percent=True)
    return _view(chart, "chart_audits", parent)


def rectifications_chart(stats: Statistics, parent: QWidget | None) -> QChartView:
    chart = _chart(translated("整改事项（按责任单位）"))
    series = QBarSeries()
    rows = stats.rectifications_by_unit
    top = 0
    for label, field in ((translated("未销号"), "open"), (translated("已销号"), "signed_off"),
                         (translated("逾期"), "overdue")):
        bar = QBarSet(label)
        values = [int(getattr(r, field)) for r in rows]
        top = max([top, *values])
        bar.append([float(v) for v in values])
        series.append(bar)
    chart.addSeries(series)
    _axes(chart, series, [r.unit_name for r in rows], top)
    return _view(chart, "chart_rectifications", parent)


def procuratorate_chart(stats: Statistics, parent: QWidget | None) -> QChartView:
    chart = _chart(translated("退补率与不捕率（按决定月份）"))
    by_month = {p.month: p for p in stats.procuratorate_by_month}
    months = stats.months
    x = QBarCategoryAxis()
    x.append([m[2:] for m in months])
    y = QValueAxis()
    y.setRange(0, 100)
    y.setLabelFormat("%.0f%%")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    for label, rate in ((translated("退补率"), "return_rate"),
                        (translated("不捕率"), "decline_rate")):
        line = QLineSeries()
        line.setName(label)
        line.setPointsVisible(True)
        for index, month in enumerate(months):
            found = by_month.get(month)
            value = getattr(found, rate) if found else None
            if value is not None:  # no decision that month: no point, not 0 %
                line.append(float(index), 100.0 * value)
        chart.addSeries(line)
        line.attachAxis(x)
        line.attachAxis(y)
    return _view(chart, "chart_procuratorate", parent)
