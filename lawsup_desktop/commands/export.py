"""``lawsup export rectifications [--state S]... -o FILE.xlsx|.pdf``: the ledger out,
headless. What is exported is chosen by a second word, so other ledgers can join."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lawsup_desktop.domain.errors import Text, ValidationError
from lawsup_desktop.domain.vocabulary import RectificationState
from lawsup_desktop.paths import DataFolder

FIELD_STATE = Text("状态", "State")


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("export", help="导出台账 / export ledgers")
    targets = parser.add_subparsers(dest="export_target", metavar="WHAT", required=True)
    ledger = targets.add_parser(
        "rectifications", help="整改台账（.xlsx 或 .pdf）/ the rectification ledger"
    )
    ledger.add_argument(
        "--state", action="append", default=[], metavar="S",
        help="只导出该状态（可重复）：待整改 整改中 待核验 已销号，或 pending in_progress "
             "awaiting_verification signed_off / only this state (repeatable)",
    )
    ledger.add_argument("--overdue", action="store_true", help="只导出超期事项 / overdue only")
    ledger.add_argument("--english", action="store_true", help="英文表头 / English headers")
    ledger.add_argument("-o", "--output", required=True, help="FILE.xlsx | FILE.pdf")
    ledger.set_defaults(run=run_rectifications)


def parse_state(value: str) -> RectificationState:
    """A state by its code name or by its Chinese or English label."""
    wanted = value.strip().casefold()
    for state in RectificationState:
        if wanted in (state.value, state.label.zh, state.label.en.casefold()):
            return state
    known_zh = " ".join(s.label.zh for s in RectificationState)
    known_en = " ".join(s.value for s in RectificationState)
    raise ValidationError(
        FIELD_STATE,
        Text(f"没有“{value}”这个状态，可选：{known_zh}", f"no state '{value}'; use: {known_en}"),
    )


def run_rectifications(args: argparse.Namespace, folder: DataFolder) -> int:
    from pathlib import Path

    from lawsup_desktop.services.ledger_export import export_ledger
    from lawsup_desktop.services.progress import TaskContext
    from lawsup_desktop.services.rectifications import LedgerFilter, RectificationService
    from lawsup_desktop.services.station import StationService, open_station
    from lawsup_desktop.store.audit import SYSTEM

    states = frozenset(parse_state(s) for s in args.state)
    target = Path(args.output).expanduser().resolve()
    if not folder.database.exists():
        raise ValidationError(
            Text("数据文件夹", "Data folder"),
            Text(f"“{folder.root}”中没有数据库", f"no database in '{folder.root}'"),
        )
    interactive = sys.stderr.isatty()
    db = open_station(folder)
    try:
        station = StationService(db).workstation()
        actor = station.actor if station else SYSTEM
        service = RectificationService(db, folder.attachments, actor=actor)
        flt = LedgerFilter(states=states, overdue=True if args.overdue else None)

        def show(progress: Any) -> None:
            if interactive:  # a counter on the terminal; nothing in logs or pipes
                total = f"/{progress.total}" if progress.total else ""
                print(f"\r{progress.text} {progress.done}{total}   ", end="", file=sys.stderr)

        result = export_ledger(
            service, target, flt, ctx=TaskContext(show),
            station_name=station.station_name if station else "",
            language="en" if args.english else "zh",
        )
    finally:
        db.dispose()
        if interactive:
            print(file=sys.stderr)
    print(f"已导出 {result.rows} 条整改事项 / exported {result.rows} items: {result.path}")
    return 0
