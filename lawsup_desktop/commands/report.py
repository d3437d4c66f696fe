"""``lawsup report daily --date D -o FILE.pdf`` and ``lawsup report bulletin --from D
--to D -o FILE.pdf``: the daily report 《每日执法情况》 and the numbered bulletin
《日常执法质量巡查通报》 as PDF, headless."""

from __future__ import annotations

import argparse
from typing import Any

from lawsup_desktop.domain.errors import LawsupError, Text, ValidationError
from lawsup_desktop.paths import DataFolder

FIELD_DATE = Text("日期", "Date")
FIELD_FROM = Text("起始日期", "From")
FIELD_TO = Text("截止日期", "To")


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "report", help="每日执法情况与巡查通报 / daily report and bulletin"
    )
    kinds = parser.add_subparsers(dest="report_kind", metavar="WHAT", required=True)
    daily = kinds.add_parser("daily", help="每日执法情况 / the daily report")
    daily.add_argument("--date", required=True, metavar="D", help="日期 / date, e.g. 2026-11-27")
    daily.add_argument("-o", "--output", required=True, help="FILE.pdf")
    daily.set_defaults(run=run_daily)
    bulletin = kinds.add_parser("bulletin", help="日常执法质量巡查通报 / the bulletin")
    bulletin.add_argument(
        "--from", dest="first", required=True, metavar="D", help="起始日期 / from"
    )
    bulletin.add_argument("--to", dest="last", required=True, metavar="D", help="截止日期 / to")
    bulletin.add_argument("-o", "--output", required=True, help="FILE.pdf")
    bulletin.set_defaults(run=run_bulletin)


def _open(folder: DataFolder) -> tuple[Any, Any]:
    from lawsup_desktop.services.station import StationService, open_station

    if not folder.database.exists():
        raise ValidationError(
            Text("数据文件夹", "Data folder"),
            Text(f"“{folder.root}”中没有数据库", f"no database in '{folder.root}'"),
        )
    db = open_station(folder)
    station = StationService(db).workstation()
    if station is None:
        db.dispose()
        raise LawsupError(Text("本机尚未完成初始设置。", "This installation is not set up yet."))
    return db, station


def _write(output: str, pdf: bytes) -> Any:
    from pathlib import Path

    from lawsup_desktop.services.ledger_export import _replacing

    target = Path(output).expanduser().resolve()
    if target.suffix.lower() != ".pdf":
        raise ValidationError(Text("输出文件", "Output file"),
                              Text("文件名须以 .pdf 结尾", "the name must end in .pdf"))
    with _replacing(target) as temp:
        temp.write_bytes(pdf)
    return target


def run_daily(args: argparse.Namespace, folder: DataFolder) -> int:
    from lawsup_desktop.domain.validation import parse_date
    from lawsup_desktop.pdf.reports import render_daily_report
    from lawsup_desktop.services.reports import ReportService

    day = parse_date(args.date, FIELD_DATE)
    db, station = _open(folder)
    try:
        report = ReportService(db, station).daily(day)
    finally:
        db.dispose()
    target = _write(args.output, render_daily_report(report))
    note = "（当日无数据）/ (no data that day)" if report.is_empty else ""
    print(f"已生成每日执法情况 {day}{note} / written: {target}")
    return 0


def run_bulletin(args: argparse.Namespace, folder: DataFolder) -> int:
    from lawsup_desktop.domain.validation import parse_date
    from lawsup_desktop.pdf.reports import render_bulletin
    from lawsup_desktop.services.reports import ReportService

    first = parse_date(args.first, FIELD_FROM)
    last = parse_date(args.last, FIELD_TO)
    db, station = _open(folder)
    try:
        bulletin = ReportService(db, station).bulletin(first, last)
    finally:
        db.dispose()
    target = _write(args.output, render_bulletin(bulletin))
    print(f"已生成巡查通报 {bulletin.year}年第{bulletin.number}期 / written: {target}")
    return 0
