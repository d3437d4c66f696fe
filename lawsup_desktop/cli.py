"""The ``lawsup`` command: no arguments opens the workbench; subcommands work headless.

Each subcommand lives in ``lawsup_desktop.commands.<name>`` with ``register`` and
``run``; their modules import their heavy dependencies inside ``run`` so that
starting the GUI pays for none of them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from lawsup_desktop import __version__
from lawsup_desktop.domain.errors import LawsupError

COMMANDS = (
    "check",
    "demo",
    "deadline",
    "export",
    "print",
    "backup",
    "restore",
    "import_",
    "enroll",
    "sync",
    "report",
    "encrypt",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lawsup", description="派出所法制监督员工作台 / legal supervisor's workbench"
    )
    parser.add_argument("--version", action="version", version=f"lawsup {__version__}")
    parser.add_argument(
        "--data-dir", type=Path, help="数据文件夹 / data folder (default: the user's data folder)"
    )
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"lawsup_desktop.commands.{name}").register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args, unknown = build_parser().parse_known_args(argv)
    from lawsup_desktop.paths import DataFolder, default_data_dir
    from lawsup_desktop.ui.preferences import saved_data_dir

    chosen = args.data_dir or saved_data_dir() or default_data_dir()
    folder = DataFolder(chosen.expanduser().resolve())
    if args.command is None:
        from lawsup_desktop.ui.app import run_gui

        return run_gui(folder, [sys.argv[0], *unknown])
    if unknown:
        print(f"lawsup: unrecognised arguments: {' '.join(unknown)}", file=sys.stderr)
        return 2
    try:
        code: int = args.run(args, folder)
    except LawsupError as exc:
        print(f"lawsup: {exc.message.zh}\n        {exc.message.en}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
