"""``lawsup encrypt [--status | --allow-plain]``: encrypt the station database now,
say whether it is encrypted, or choose to run this folder unencrypted
("不加密（本机无密钥环）") where the computer has no keyring."""

from __future__ import annotations

import argparse
from typing import Any

from lawsup_desktop.paths import DataFolder


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "encrypt", help="加密数据库 / encrypt the database (key kept in the OS keyring)"
    )
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument(
        "--status", action="store_true", help="只显示是否已加密 / only say whether it is encrypted"
    )
    choice.add_argument(
        "--allow-plain", action="store_true",
        help="不加密（本机无密钥环）/ do not encrypt (no keyring on this computer)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, folder: DataFolder) -> int:
    from lawsup_desktop.services import encryption
    from lawsup_desktop.services.folder_lock import hold_folder

    if args.status:
        return _print_status(folder)
    with hold_folder(folder.root, "encrypt"):
        if args.allow_plain:
            encryption.allow_plain(folder)
            label = encryption.PLAIN_CHOICE
            print(f"已选择 / chosen: {label.zh} / {label.en}")
            print(f"记录于 / recorded in: {folder.root / encryption.SETTINGS_NAME}")
            return 0
        result = encryption.encrypt_now(folder)
    if result is None:
        print("数据库已加密 / the database is already encrypted")
    else:
        print(f"已加密 / encrypted: {folder.database}")
        print(f"加密前的备份（未加密）/ backup made first (unencrypted): {result.backup}")
    return 0


def _print_status(folder: DataFolder) -> int:
    from lawsup_desktop.services import encryption

    state = encryption.status(folder)
    if state.encrypted:
        print("已加密 / encrypted (SQLCipher)")
    elif state.plain_by_choice:
        label = encryption.PLAIN_CHOICE
        print(f"未加密 / not encrypted: {label.zh} / {label.en}")
    else:
        print("未加密 / not encrypted")
    if state.warning is not None:
        print(f"{state.warning.zh}\n{state.warning.en}")
    return 0
