"""``lawsup backup [--keep N]``: back up the station database now."""

from __future__ import annotations

import argparse
from typing import Any

from lawsup_desktop.paths import DataFolder


def register(subcommands: Any) -> None:
    from lawsup_desktop.services.backup import DEFAULT_KEEP

    parser = subcommands.add_parser("backup", help="立即备份数据库 / back up the database now")
    parser.add_argument(
        "--keep", type=int, default=DEFAULT_KEEP,
        help=f"保留最近几份手动备份 / manual backups to keep (default {DEFAULT_KEEP})",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, folder: DataFolder) -> int:
    from lawsup_desktop.services.backup import backup_now

    # No folder lock: the online backup reads a consistent snapshot even while
    # the workbench writes.
    info = backup_now(folder, keep=args.keep)
    print(f"已备份 / backed up: {info.path}  ({info.size:,} bytes)")
    return 0
