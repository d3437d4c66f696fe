"""``lawsup import incidents FILE [--mapping NAME]``: the platform's export, headless.

Prints the same report as the import dialog (row, column, problem) and exits with
0 when the file went in without errors, 1 when it had errors (nothing was
written), 2 when it could not be run at all.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.paths import DataFolder


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("import", help="导入数据 / import data")
    targets = parser.add_subparsers(dest="import_target", metavar="WHAT", required=True)
    incidents = targets.add_parser(
        "incidents", help="从警综平台导出的 CSV/XLSX 导入警情 / incidents from a CSV or XLSX export"
    )
    incidents.add_argument("file", metavar="FILE", help="CSV（UTF-8/GBK）或 XLSX 文件")
    incidents.add_argument("--mapping", metavar="NAME", help="使用保存的列映射 / a saved mapping")
    incidents.add_argument(
        "--save-mapping",
        metavar="NAME",
        help="把识别出的列映射保存为 NAME / save the mapping used as NAME",
    )
    incidents.add_argument(
        "--create-units",
        action="store_true",
        help="新建名册中没有的单位 / create units missing from the roster",
    )
    incidents.add_argument(
        "--dry-run", action="store_true", help="只检查，不写入 / validate only, write nothing"
    )
    incidents.add_argument("--english", action="store_true", help="英文报告 / report in English")
    incidents.set_defaults(run=run_incidents)


def _print_progress(done: int, total: int | None) -> None:
    if total:
        print(f"\r{min(100, done * 100 // total):3d}%", end="", file=sys.stderr, flush=True)


def run_incidents(args: argparse.Namespace, folder: DataFolder) -> int:
    from pathlib import Path

    from lawsup_desktop.services.folder_lock import hold_folder
    from lawsup_desktop.services.incident_import import (
        MappingStore,
        import_incidents,
        preview,
        validate,
    )
    from lawsup_desktop.services.progress import TaskContext
    from lawsup_desktop.services.station import StationService, open_station

    language = "en" if args.english else "zh"
    path = Path(args.file).expanduser().resolve()
    store = MappingStore(folder)
    mapping = store.load(args.mapping) if args.mapping else None
    if not folder.database.exists():
        raise LawsupError(
            Text(
                f"数据文件夹 {folder.root} 中没有数据库，请先完成初始设置",
                f"there is no database in {folder.root}; set the station up first",
            )
        )
    # Even a dry run may upgrade the database: refused while the workbench
    # (or another command) has the folder, before anything is opened.
    with hold_folder(folder.root, "import"):
        db = open_station(folder)
        try:
            workstation = StationService(db).workstation()
            if workstation is None:
                raise LawsupError(
                    Text("本机尚未完成初始设置", "this installation is not set up yet")
                )
            ctx = TaskContext(on_progress=lambda p: _print_progress(p.done, p.total))
            if args.dry_run:
                report = validate(db, path, mapping, ctx, create_units=args.create_units)
            else:
                report = import_incidents(
                    db, workstation.actor, path, mapping, ctx, create_units=args.create_units
                )
        finally:
            db.dispose()
    print("\r", end="", file=sys.stderr)
    print(f"{path.name}  {report.kind} {report.encoding}".rstrip())
    for problem in report.problems:
        row = f"第{problem.row}行" if language == "zh" else f"row {problem.row}"
        where = row if problem.row is not None else ("文件" if language == "zh" else "file")
        kind = (
            ("错误" if language == "zh" else "error")
            if problem.severity == "error"
            else ("提示" if language == "zh" else "warning")
        )
        column = f" [{problem.column}]" if problem.column else ""
        print(f"  {kind}  {where}{column}: {problem.problem.in_language(language)}")
    hidden = report.errors + report.warnings - len(report.problems)
    if hidden > 0:
        print(f"  … +{hidden}")
    if report.units_created:
        print(
            ("新建单位：" if language == "zh" else "units created: ")
            + "、".join(report.units_created)
        )
    print(report.summary().in_language(language))
    if args.save_mapping and report.ok and report.kind:
        store.save(args.save_mapping, mapping or preview(path).mapping)
    return 0 if report.ok else 1
