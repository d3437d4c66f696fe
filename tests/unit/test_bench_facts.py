"""bench/common.py's machine line names the SQLite the store really runs on: the
copy inside sqlcipher3 (store/encryption.py), not the stdlib sqlite3 module's."""

from __future__ import annotations

import re

from sqlcipher3 import dbapi2 as sqlcipher  # type: ignore[import-untyped]

from bench import common


def test_machine_facts_name_the_store_s_sqlite_and_sqlcipher() -> None:
    facts = common.machine_facts()
    assert facts["SQLite"] == sqlcipher.sqlite_version
    assert re.fullmatch(r"4\.\d+\.\d+.*", facts["SQLCipher"]), facts["SQLCipher"]
    line = common.machine_markdown(facts)
    assert f"SQLite: {sqlcipher.sqlite_version}; SQLCipher: {facts['SQLCipher']}" in line
