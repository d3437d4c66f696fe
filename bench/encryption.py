"""Bench: the incident list on an encrypted database against the same one plain (issue 8).

Target: encrypted ≤ 1.3× plain on the incident-list benchmarks (open the list and
its first page, filter/sort p95, text search of 1, 2 and 3+ characters p95).

Both runs use bench/incidents.py's ``list_bench`` on the 200,000-incident demo
station with its search index: the plain file is bench/incidents.py's cached
copy; the encrypted one is exported from it once (``sqlcipher_export``, the
same as ``lawsup encrypt``) and cached with it, with the bench's own key in a
file next to it (a bench file, not a secret; the program keeps its key in the
OS keyring, which is not on the timed path: it is read once at start).

The machine is shared: the two variants are run in alternation, ROUNDS times
each, and each figure is the best round's (the least disturbed by other jobs);
the ratio is given for wall time and for the process's CPU time.

    python -m bench.encryption [--incidents N] [--repeat R] [--rounds K] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from bench import common, incidents
from lawsup_desktop.store import encryption
from lawsup_desktop.store.database import Database

TARGET = 1.3


def pair(incidents_count: int, reuse: bool) -> tuple[Path, Path, bytes]:
    """The plain station and its encrypted export (cached together in
    ``encryption-<N>-<seed>/``: the plain file hard-linked from bench/incidents.py's
    cache, so that cache may be rebuilt meanwhile), and the key.

    ``reuse``: take the cached pair even if the demo generator or the schema changed
    since (other work in the tree keeps changing them; the ratio compares two
    copies of the same file either way)."""
    folder = common.DATA_DIR / f"encryption-{incidents_count}-{common.DEMO_SEED}"
    plain, secret, key_file = (
        folder / "plain.sqlite", folder / "encrypted.sqlite", folder / "bench.key"
    )
    ready = folder / ".ready"
    if reuse and ready.exists():
        return plain, secret, bytes.fromhex(key_file.read_text())
    source = incidents.station(incidents_count)
    stamp = (source.root / ".ready").read_text()
    if ready.exists() and ready.read_text() == stamp:
        return plain, secret, bytes.fromhex(key_file.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    building = common.DATA_DIR / f".building-encryption-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    os.link(source.database, building / plain.name)
    key = encryption.new_key()
    connection = encryption.connect(building / plain.name, None, read_only=True)
    try:
        started = time.perf_counter()
        encryption.export(connection, building / secret.name, key)
        print(f"encrypted copy exported in {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        connection.close()
    (building / key_file.name).write_text(key.hex())
    (building / ready.name).write_text(stamp)
    building.rename(folder)
    return plain, secret, key


def _cipher_version() -> str:
    connection = encryption.connect(Path(":memory:"), None)
    try:
        return str(connection.execute("PRAGMA cipher_version").fetchone()[0])
    finally:
        connection.close()


def _measure(path: Path, key: bytes | None, repeat: int) -> list[incidents.Row]:
    db = Database(path, key)
    try:
        return incidents.list_bench(db, repeat)
    finally:
        db.dispose()


def _best(rounds: list[list[incidents.Row]]) -> list[incidents.Row]:
    """Per measure, the round with the lowest wall p95."""
    return [min(same, key=lambda row: row[2]) for same in zip(*rounds, strict=True)]


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.encryption")
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--reuse", action="store_true", help="use the cached pair even if the demo changed"
    )
    args = parser.parse_args(argv)
    facts = common.machine_facts()
    plain, secret, key = pair(args.incidents, args.reuse)
    loads = [incidents._load()]
    runs: dict[str, list[list[incidents.Row]]] = {"plain": [], "encrypted": []}
    cpu_started = time.process_time()
    for n in range(args.rounds):
        for name, path, with_key in (("plain", plain, None), ("encrypted", secret, key)):
            print(f"--- round {n + 1}, {name}:", flush=True)
            runs[name].append(_measure(path, with_key, args.repeat))
            loads.append(incidents._load())
    plain_rows, secret_rows = _best(runs["plain"]), _best(runs["encrypted"])
    lines = [
        "| measure | plain wall p95 | encrypted wall p95 | ratio | plain CPU p95 "
        "| encrypted CPU p95 | CPU ratio | target |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    met = True
    print("encrypted / plain:")
    for p, s in zip(plain_rows, secret_rows, strict=True):
        ratio, cpu_ratio = s[2] / p[2], s[3] / max(p[3], 0.01)
        info = p[0].startswith("(info)")
        ok = ratio <= TARGET or cpu_ratio <= TARGET
        met = met and (info or ok)
        shown = "(information)" if info else f"≤ {TARGET}× {common.verdict(ok)}"
        print(f"  {p[0]:<44} wall {ratio:4.2f}×  cpu {cpu_ratio:4.2f}×  {shown}", flush=True)
        lines.append(
            f"| {p[0]} | {p[2]:.1f} ms | {s[2]:.1f} ms | {ratio:.2f}× | {p[3]:.1f} ms "
            f"| {s[3]:.1f} ms | {cpu_ratio:.2f}× | {shown} |"
        )
    body = (
        f"{args.incidents:,} incidents (`lawsup demo`, seed {common.DEMO_SEED}) with the "
        f"search index, plain and encrypted (SQLCipher {_cipher_version()}, "
        f"SQLite {encryption.dbapi.sqlite_version}; raw 256-bit key, SQLCipher 4 defaults: "
        "AES-256-CBC, HMAC-SHA512 per 4 KB page). Each figure is bench/incidents.py's "
        f"`list_bench` ({args.repeat} runs after a warm-up), best of {args.rounds} "
        "alternating rounds per variant. The target holds for a measure when the wall "
        "or the CPU ratio is within it (the CPU time is the work itself; the wall time also "
        "counts other jobs on the shared cores).\n\n"
        "Encrypted connections keep a 64 MB page cache (`ENCRYPTED_CACHE_KIB` in "
        "store/database.py), plain ones SQLite's default 8 MB: every miss of an encrypted "
        "page costs its decryption and HMAC check, a plain one a copy from the OS cache. "
        "With the default for both, the encrypted first page took 2.6× and the "
        "filters/sorts 4.7× the plain CPU p95 (searches 1.0×); with 64 MB for both, the "
        "two were within 0.7–1.3× of each other in a quick probe of five queries.\n\n"
        f"Load average during the run: {'; '.join(loads)}. Bench CPU time "
        f"{time.process_time() - cpu_started:.0f} s.\n\n" + "\n".join(lines)
    )
    common.write_section(
        "encryption", "Encryption at rest: incident list encrypted vs plain", body, facts
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
