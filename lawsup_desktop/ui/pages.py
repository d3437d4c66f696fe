"""The pages of the main window, in navigation order.

Each entry names its page's factory, one line::

    Page("case_audit", ..., factory=lazy("lawsup_desktop.ui.audit.page:AuditPage")),

:func:`lazy` imports the feature's module on the page's first visit, so the
start of the program pays only for the first page. A factory gets the
:class:`~lawsup_desktop.ui.context.AppContext` and returns the page widget,
which then lives as long as the main window. A page retranslates itself on
``QEvent.LanguageChange``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from lawsup_desktop.ui.context import AppContext

PageFactory = Callable[[AppContext], QWidget]

_CONTEXT = "Pages"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark ``text`` for lupdate (context ``context``); it is translated where shown.
    Qt's own returns ``object`` to type checkers."""
    return text


def lazy(target: str) -> PageFactory:
    """A factory that imports ``"package.module:Name"`` when first called, then calls
    ``Name(context)``."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"expected 'package.module:Name', got {target!r}")

    def create(context: AppContext) -> QWidget:
        factory: PageFactory = getattr(importlib.import_module(module_name), attribute)
        return factory(context)

    return create


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    """The navigation label, in Chinese; shown through :meth:`display_title`."""
    purpose: str
    """What the page is for, in one or two sentences (the navigation's tooltip)."""
    factory: PageFactory
    """Builds the page on its first visit."""

    def display_title(self) -> str:
        return QCoreApplication.translate(_CONTEXT, self.title)

    def display_purpose(self) -> str:
        return QCoreApplication.translate(_CONTEXT, self.purpose)

    def create(self, context: AppContext) -> QWidget:
        return self.factory(context)


PAGES: tuple[Page, ...] = (
    Page(
        "daily_watch",
        QT_TRANSLATE_NOOP("Pages", "今日盯警"),
        QT_TRANSLATE_NOOP(
            "Pages",
            "逐条查看当天的重点警情（涉黄、涉赌、涉黑恶、涉诈骗），记录盯警结论；"
            "发现问题的，直接列入整改台账。",
        ),
        factory=lazy("lawsup_desktop.ui.watch.page:WatchPage"),
    ),
    Page(
        "incidents",
        QT_TRANSLATE_NOOP("Pages", "警情与回访"),
        QT_TRANSLATE_NOOP(
            "Pages",
            "登记和导入警情，安排当场面访、电话回访和上门走访，记录当事人的评价；"
            "对不满意的回访，转交责任单位并跟踪其反馈。",
        ),
        factory=lazy("lawsup_desktop.ui.incidents.page:IncidentsPage"),
    ),
    Page(
        "case_audit",
        QT_TRANSLATE_NOOP("Pages", "案件审核"),
        QT_TRANSLATE_NOOP(
            "Pages",
            "填写案件审核调查登记表，由办案民警、所队分管领导、法制监督员、法制民警、"
            "局领导五级逐级审核签署意见，并打印登记表。",
        ),
        factory=lazy("lawsup_desktop.ui.audit.page:AuditPage"),
    ),
    Page(
        "rectifications",
        QT_TRANSLATE_NOOP("Pages", "整改台账"),
        QT_TRANSLATE_NOOP(
            "Pages",
            "登记检查中发现的负面清单问题，明确责任单位、责任人和整改期限，"
            "跟踪到核实销号；逾期未整改的逐级升级督办。",
        ),
        factory=lazy("lawsup_desktop.ui.rectifications.page:RectificationPage"),
    ),
    Page(
        "deadlines",
        QT_TRANSLATE_NOOP("Pages", "期限预警"),
        QT_TRANSLATE_NOOP(
            "Pages",
            "按法定期限计算强制措施和办案期限（节假日顺延、鉴定期间不计入），"
            "提前提示即将到期和已经超期的案件，逐一销账清零。",
        ),
        factory=lazy("lawsup_desktop.ui.deadlines.page:DeadlinesPage"),
    ),
    Page(
        "statistics",
        QT_TRANSLATE_NOOP("Pages", "统计通报"),
        QT_TRANSLATE_NOOP(
            "Pages",
            "汇总每日执法情况，生成日常执法质量巡查通报和月度执法质量考评排名，"
            "计算达标得分、过错扣分和积分消抵。",
        ),
        factory=lazy("lawsup_desktop.ui.statistics.page:StatisticsPage"),
    ),
    Page(
        "sync",
        QT_TRANSLATE_NOOP("Pages", "同步"),
        QT_TRANSLATE_NOOP(
            "Pages",
            "与县局法制大队的服务器交换数据：上报本所的台账，接收挂牌督办事项、"
            "执法指引和负面清单的更新。",
        ),
        factory=lazy("lawsup_desktop.ui.sync.page:SyncPage"),
    ),
)

