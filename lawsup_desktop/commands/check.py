"""``lawsup check [--json]``: integrity check, schema revision, records of each kind."""

from __future__ import annotations

import argparse
import json
from typing import Any

from lawsup_desktop.paths import DataFolder


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("check", help="检查数据库完整性 / check the database")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, folder: DataFolder) -> int:
    from lawsup_desktop.services.check import run_check
    from lawsup_desktop.services.station import open_station

    db = open_station(folder)
    try:
        report = run_check(db)
    finally:
        db.dispose()
    if args.json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "database": str(folder.database),
                    "revision": report.revision,
                    "problems": report.problems,
                    "counts": report.counts,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(f"数据库 / database: {folder.database}")
        print(f"结构版本 / schema revision: {report.revision}")
        print("完整性 / integrity: " + ("正常 / ok" if report.ok else "有问题 / PROBLEMS"))
        for problem in report.problems:
            print(f"  - {problem}")
        width = max(map(len, report.counts), default=0)
        for table, count in report.counts.items():
            print(f"  {table:<{width}}  {count:>9,}")
    return 0 if report.ok else 1
