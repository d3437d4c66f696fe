"""``lawsup restore FILE [--yes]``: replace the station database by a backup."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lawsup_desktop.paths import DataFolder


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "restore", help="从备份恢复数据库 / restore the database from a backup"
    )
    parser.add_argument("file", type=Path, help="备份文件 / the backup file")
    parser.add_argument(
        "--yes", action="store_true", help="不再询问确认 / do not ask for confirmation"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, folder: DataFolder) -> int:
    from lawsup_desktop.services.backup import describe_backup, restore_backup
    from lawsup_desktop.services.folder_lock import hold_folder

    source = args.file.expanduser().resolve()
    # Refused while the workbench (or another command) has the folder.
    with hold_folder(folder.root, "restore"):
        summary = describe_backup(source)
        local = summary.made_at.astimezone().strftime("%Y-%m-%d %H:%M")
        print(f"备份 / backup: {source}")
        print(f"派出所 / station: {summary.station_name}")
        print(f"备份时间 / made at: {local}")
        for record in summary.counts:
            print(f"  {record.label.zh} / {record.label.en}: {record.count:,}")
        if not args.yes:
            if not sys.stdin.isatty():
                print("lawsup: 需要确认：请加 --yes / confirmation needed: add --yes",
                      file=sys.stderr)
                return 2
            answer = input(
                f"用此备份替换 {folder.database}？当前文件会先备份。[y/N] "
                "/ Replace the current database (it is backed up first)? "
            )
            if answer.strip().lower() not in ("y", "yes", "是"):
                print("已取消 / cancelled")
                return 1
        result = restore_backup(folder, source, described=summary)
    if result.safety_backup is not None:
        print(f"原数据库已备份到 / the previous database was saved as: "
              f"{result.safety_backup.path}")
    print("已恢复 / restored")
    return 0
