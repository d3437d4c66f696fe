"""``lawsup sync``: one sync, headless. Token from the keyring or LAWSUP_SYNC_TOKEN.

Exits 0 when the sync completed, 1 when it failed (the reason is printed), so a
scheduler can retry; nothing local is lost either way.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from lawsup_desktop.paths import DataFolder

TOKEN_ENV = "LAWSUP_SYNC_TOKEN"


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("sync", help="与县局同步一次 / sync once with the bureau")
    parser.add_argument("--verify", action="store_true",
                        help="同步后核对记录数和校验和 / compare counts and checksums afterwards")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, folder: DataFolder) -> int:
    from lawsup_desktop.services.station import open_station
    from lawsup_desktop.sync.client import SyncError
    from lawsup_desktop.sync.engine import SyncEngine
    from lawsup_desktop.sync.tokens import TokenStore

    db = open_station(folder)
    try:
        engine = SyncEngine.open(db, TokenStore(), attachments=folder.attachments,
                                 token=os.environ.get(TOKEN_ENV) or None)
        try:
            report = engine.sync()
            differences = engine.differences() if args.verify else []
        finally:
            engine.client.close()
    except SyncError as exc:
        print(f"lawsup sync: {exc.message.zh}\n             {exc.message.en}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(f"同步完成 / synced: pushed {report.pushed}, pulled {report.pulled}, "
          f"conflicts {report.conflicts}, rejected {report.rejected}, pending {report.pending}")
    if report.clock_warning is not None:
        print(f"注意 / note: {report.clock_warning.zh}\n  {report.clock_warning.en}")
    if differences:
        print("核对不一致 / mismatch: " + ", ".join(differences), file=sys.stderr)
        return 1
    return 0
