"""The daily report 《每日执法情况》 and the bulletin 《日常执法质量巡查通报》 as A4
PDFs (platypus, the bundled font, "第 x 页 共 y 页" on every page). Official
documents of the station: Chinese only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from lawsup_desktop.pdf.common import build_a4, frame_width, para, styles, table
from lawsup_desktop.services.reports import Bulletin, Count, DailyReport, Problem

DAILY_TITLE = "每日执法情况"
BULLETIN_TITLE = "日常执法质量巡查通报"


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _counts_line(counts: Sequence[Count]) -> str:
    return "，".join(f"{c.label.zh} {c.count}" for c in counts) or "无"


def _problem_table(problems: Sequence[Problem]) -> Any:
    width = frame_width()
    fractions = (0.06, 0.08, 0.15, 0.12, 0.12, 0.09, 0.38)
    rows = [
        [str(i), f"{p.on:%m-%d}", p.reference, p.problem_type.zh, p.unit_name or "—",
         p.officer_name or "—", f"[{p.source.zh}] {p.description}"]
        for i, p in enumerate(problems, start=1)
    ]
    return table(["序号", "日期", "编号", "问题类型", "责任单位", "责任人", "问题描述"], rows,
                 [width * f for f in fractions])


def _header(title: str, subtitle: str, station: str) -> list[Any]:
    from reportlab.platypus import Spacer

    s = styles()
    return [para(title, s.title), para(subtitle, s.subtitle),
            para(f"{station or '本所'}　　{_date(dt.date.today())}编制", s.subtitle),
            Spacer(1, 10)]


def render_daily_report(report: DailyReport) -> bytes:
    s = styles()
    width = frame_width()
    story = _header(DAILY_TITLE, _date(report.day), report.station_name)
    if report.is_empty:
        story.append(para("本日无执法数据记录（无警情、盯警、回访、审核及整改记录）。", s.body))
    story.append(para("一、警情与盯警", s.heading))
    story.append(table(
        ["项目", "数量"],
        [["接报警情", report.incidents], ["其中重点警情", report.key_incidents],
         ["每日盯警（已审查）", report.watched], ["盯警发现问题", report.watch_findings]],
        [width * 0.7, width * 0.3], numeric_from=1))
    story.append(para("二、发现问题（按问题类型）", s.heading))
    if report.problems_by_type:
        story.append(table(["问题类型", "数量"],
                           [[c.label.zh, c.count] for c in report.problems_by_type],
                           [width * 0.7, width * 0.3], numeric_from=1))
    else:
        story.append(para("本日未发现问题。", s.body))
    story.append(para("三、回访", s.heading))
    story.append(para(f"回访 {report.follow_ups} 次。"
                      f"按方式：{_counts_line(report.follow_ups_by_method)}；"
                      f"按评价：{_counts_line(report.follow_ups_by_satisfaction)}。", s.body))
    story.append(para("四、案件审核", s.heading))
    story.append(para(f"提交审核表 {report.audits_submitted} 份；各级签署意见："
                      f"{_counts_line(report.audit_decisions)}。", s.body))
    story.append(para("五、整改与期限", s.heading))
    rows: list[list[str | int]] = [
        ["新增整改事项", report.rectifications_opened],
        ["当日销号", report.rectifications_signed_off],
        ["逾期未销号（截至当日）", report.rectifications_overdue],
    ]
    rows.extend([f"法定期限·{c.label.zh}", c.count] for c in report.deadlines)
    story.append(table(
        ["项目", "数量"], rows,
        [width * 0.7, width * 0.3], numeric_from=1))
    story.append(para("六、问题清单", s.heading))
    if report.problems:
        story.append(_problem_table(report.problems))
    else:
        story.append(para("无。", s.body))
    station = report.station_name
    return build_a4(story, title=f"{DAILY_TITLE} {report.day.isoformat()}", author=station,
                    footer_left=f"{station}　{DAILY_TITLE}　{_date(report.day)}",
                    running_title=f"{DAILY_TITLE}（{_date(report.day)}，续）")


def render_bulletin(bulletin: Bulletin) -> bytes:
    s = styles()
    width = frame_width()
    number = f"{bulletin.year}年第{bulletin.number}期"
    period = f"{_date(bulletin.period_from)}至{_date(bulletin.period_to)}"
    story = _header(BULLETIN_TITLE, number, bulletin.station_name)
    total = len(bulletin.problems)
    story.append(para(
        f"{period}，共接报警情 {bulletin.incidents} 起，其中重点警情 {bulletin.key_incidents} 起；"
        f"每日盯警审查 {bulletin.watched} 起；巡查发现执法问题 {total} 个。现将有关情况通报如下。",
        s.body))
    story.append(para("一、问题类型分布", s.heading))
    if bulletin.problems_by_type:
        story.append(table(["问题类型", "数量"],
                           [[c.label.zh, c.count] for c in bulletin.problems_by_type],
                           [width * 0.7, width * 0.3], numeric_from=1))
    else:
        story.append(para("本期巡查未发现执法问题。", s.body))
    story.append(para("二、责任单位", s.heading))
    if bulletin.problems_by_unit:
        story.append(table(["责任单位", "问题数", "已销号"],
                           [[u.unit_name, u.count, u.signed_off]
                            for u in bulletin.problems_by_unit],
                           [width * 0.6, width * 0.2, width * 0.2], numeric_from=1))
    else:
        story.append(para("无。", s.body))
    story.append(para("三、问题清单", s.heading))
    if bulletin.problems:
        story.append(_problem_table(bulletin.problems))
    else:
        story.append(para("无。", s.body))
    story.append(para("四、工作要求", s.heading))
    story.append(para("各责任单位须对照问题清单逐项整改，在整改期限内报送整改情况，"
                      "由法制监督员核验后销号；逾期未整改的，依规升级督办并纳入执法质量考评。",
                      s.body))
    station = bulletin.station_name
    return build_a4(story, title=f"{BULLETIN_TITLE} {number}", author=station,
                    footer_left=f"{station}　{BULLETIN_TITLE}　{number}",
                    running_title=f"{BULLETIN_TITLE}（{number}，续）")
