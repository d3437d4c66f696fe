"""``lawsup print audit CASE_NO -o FILE.pdf`` and ``lawsup print audits [--state S]
[--since DATE] -o DIR``: the case audit form (案件审核调查登记表) as PDF, headless."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lawsup_desktop.domain.errors import LawsupError, Text, ValidationError
from lawsup_desktop.paths import DataFolder

FIELD_STATE = Text("审核状态", "Audit state")
FIELD_SINCE = Text("起始日期", "Since")


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("print", help="打印表格为 PDF / print forms as PDF")
    targets = parser.add_subparsers(dest="print_target", metavar="WHAT", required=True)

    one = targets.add_parser("audit", help="一个案件的审核登记表 / one case's audit form")
    one.add_argument("case_no", metavar="CASE_NO", help="案件编号 / case number")
    one.add_argument("-o", "--output", required=True, help="FILE.pdf")
    one.add_argument(
        "--substitute-missing", action="store_true",
        help="字体缺少的字符印为空框（供手写）/ print characters the font lacks as empty boxes",
    )
    one.set_defaults(run=run_one)

    many = targets.add_parser("audits", help="批量导出审核登记表 / export many audit forms")
    many.add_argument(
        "--state", metavar="S",
        help="只导出该状态：草稿 审核中 退回补正 已通过 不同意，或 draft in_review returned "
             "approved rejected / only this state",
    )
    many.add_argument("--since", metavar="DATE", help="此日期起创建的 / created on or after DATE")
    many.add_argument("-o", "--output", required=True, help="DIR")
    many.set_defaults(run=run_many)


def parse_state(value: str) -> Any:
    """An audit state by its code name or its Chinese or English label."""
    from lawsup_desktop.domain.audit_form import AuditState

    wanted = value.strip().casefold()
    states = [s for s in AuditState if s is not AuditState.NONE]
    for state in states:
        if wanted in (state.value, state.label.zh, state.label.en.casefold()):
            return state
    raise ValidationError(
        FIELD_STATE,
        Text(
            f"没有“{value}”这个状态，可选：{' '.join(s.label.zh for s in states)}",
            f"no state '{value}'; use: {' '.join(s.value for s in states)}",
        ),
    )


def _open(folder: DataFolder) -> tuple[Any, Any]:
    from lawsup_desktop.services.audits import AuditService
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
        raise LawsupError(
            Text("本机尚未完成初始设置。", "This installation is not set up yet.")
        )
    return db, AuditService(db, station)


def run_one(args: argparse.Namespace, folder: DataFolder) -> int:
    from pathlib import Path

    from lawsup_desktop.pdf.audit_form import render_audit_form

    target = Path(args.output).expanduser().resolve()
    db, service = _open(folder)
    try:
        form = service.latest_form_of_case(args.case_no)
        pdf = render_audit_form(
            service.print_data(form.id), substitute_missing=args.substitute_missing
        )
    finally:
        db.dispose()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    print(f"已生成 {form.form_no} / written: {target}")
    return 0


def run_many(args: argparse.Namespace, folder: DataFolder) -> int:
    from pathlib import Path

    from lawsup_desktop.domain.validation import parse_date
    from lawsup_desktop.services.progress import Progress, TaskContext

    state = parse_state(args.state) if args.state else None
    since = parse_date(args.since, FIELD_SINCE) if args.since else None
    directory = Path(args.output).expanduser().resolve()
    db, service = _open(folder)

    def show(progress: Progress) -> None:
        if progress.total:
            print(f"\r{progress.done}/{progress.total} {progress.text}", end="", file=sys.stderr)

    try:
        ids = service.form_ids(state, since)
        report = service.export_pdfs(ids, directory, TaskContext(show))
    finally:
        db.dispose()
    print(file=sys.stderr)
    for form_no, reason in report.failed:
        print(f"未导出 / not written {form_no}: {reason.zh}\n    {reason.en}", file=sys.stderr)
    print(
        f"已导出 {len(report.written)} 份审核表 / exported {len(report.written)} forms: {directory}"
    )
    return 1 if report.failed else 0
