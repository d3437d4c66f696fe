"""``lawsup demo --incidents N --seed S [--days D] [--until DATE]``: fill an empty
station database with realistic, reproducible demo data (see services/demo.py).

When the installation is not set up yet, the demo also sets it up with the demo
station's legal supervisor as the operator, so ``lawsup`` then opens straight
into the main window.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from typing import Any

from lawsup_desktop.paths import DataFolder


def _until(value: str) -> datetime:
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(value, pattern)
        except ValueError:
            continue
        return moment.replace(hour=18) if pattern == "%Y-%m-%d" else moment
    raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD [HH:MM]): {value!r}")


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "demo",
        help="生成演示数据 / fill an empty database with demo data",
        description="向空数据库填充可复现的演示数据（同一种子得到相同数据）/ "
        "fill an empty database with reproducible demo data (same seed, same data)",
    )
    parser.add_argument(
        "--incidents", type=int, default=2000, help="警情数量 / number of incidents (default 2000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="随机种子 / random seed (default 1)")
    parser.add_argument(
        "--days", type=int, default=365, help="覆盖天数 / days the data spans (default 365)"
    )
    parser.add_argument(
        "--until",
        type=_until,
        help="数据截止时间 / the data ends at this moment, YYYY-MM-DD [HH:MM] "
        "(default: now; a date alone means 18:00 that day)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, folder: DataFolder) -> int:
    from lawsup_desktop.services.demo import check_demo_arguments, generate_demo
    from lawsup_desktop.services.folder_lock import hold_folder
    from lawsup_desktop.services.progress import Progress, TaskContext
    from lawsup_desktop.services.station import open_station

    check_demo_arguments(args.incidents, args.days)  # before a folder is made for nothing

    interactive = sys.stderr.isatty()
    shown = [""]

    def show(progress: Progress) -> None:
        # On a terminal one line that updates; in a log one line per stage.
        stage = progress.text.split(" ")[0]
        if interactive:
            percent = 100 * progress.done // (progress.total or 1)
            print(f"\r{percent:3d}%  {progress.text:<60}", end="", file=sys.stderr, flush=True)
        elif stage != shown[0]:
            print(progress.text, file=sys.stderr, flush=True)
        shown[0] = stage

    started = time.perf_counter()
    # Refused while the workbench (or another command) has the folder.
    with hold_folder(folder.root, "demo"):
        db = open_station(folder)
        try:
            result = generate_demo(
                db, incidents=args.incidents, seed=args.seed, days=args.days, now=args.until,
                ctx=TaskContext(show),
            )
        finally:
            db.dispose()
            if interactive:
                print(file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(f"演示数据已生成 / demo data generated: {folder.database}  ({elapsed:.1f} s)")
    print(f"派出所 / station: {result.station_name}")
    if result.workstation_created:
        print(f"本机已设置，操作员 / this installation is set up, operator: {result.operator_name}")
    width = max(map(len, result.counts), default=0)
    for table, count in result.counts.items():
        print(f"  {table:<{width}}  {count:>9,}")
    return 0
