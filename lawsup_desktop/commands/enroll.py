"""``lawsup enroll SERVER CODE``: enrol this workstation with the bureau's sync server.

The device token goes to the OS keyring only; it is never printed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lawsup_desktop.paths import DataFolder


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "enroll", help="注册到县局同步服务器 / enrol with the sync server")
    parser.add_argument("server", help="服务器地址 / server address, e.g. https://sync.example")
    parser.add_argument("code", help="一次性注册码 / one-time enrolment code")
    parser.add_argument("--ca-bundle", type=Path,
                        help="县局自有 CA 证书 / the bureau's own CA bundle (PEM)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, folder: DataFolder) -> int:
    from lawsup_desktop.services.station import open_station
    from lawsup_desktop.sync.engine import enroll
    from lawsup_desktop.sync.tokens import TokenStore

    db = open_station(folder)
    try:
        result = enroll(db, args.server, args.code, TokenStore(), ca_bundle=args.ca_bundle)
    finally:
        db.dispose()
    print(f"已注册 / enrolled: {result.station_code} {result.station_name} "
          f"({result.server_url}, device {result.device_id})")
    if result.warning is not None:
        print(f"注意 / note: {result.warning.zh}\n              {result.warning.en}")
    return 0
