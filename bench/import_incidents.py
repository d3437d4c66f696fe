"""Bench: importing the platform's exports into the 200,000-incident station (issue 3).

Targets: a 50,000-row XLSX imported in ≤ 30 s with RSS ≤ 400 MB. Also times the
streaming validation of a 100 MB GBK CSV. The import itself is
:func:`bench.incidents.import_bench` (a child process on a copy of the cached
station, so its peak RSS is its own); this module runs only that part, without
the list benchmarks, and records its own section with the load average before
and after (the machine is shared: the CPU time is the steadier figure).

    python -m bench import_incidents
    python -m bench.import_incidents [--rows N] [--big-csv-mb MB] [--station FOLDER]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench import common, incidents
from lawsup_desktop.paths import DataFolder


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench import_incidents")
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--big-csv-mb", type=int, default=100, help="0: skip the CSV")
    parser.add_argument(
        "--station",
        type=Path,
        help="an indexed station folder to copy (default: the cached one, built if stale)",
    )
    args = parser.parse_args(argv)
    facts = common.machine_facts()
    folder = DataFolder(args.station) if args.station else incidents.station(args.incidents)
    before = _load()
    lines = incidents.import_bench(folder, args.rows, args.big_csv_mb)
    after = _load()
    print(f"load average {before} before, {after} after, on {os.cpu_count()} cores")
    body = (
        f"Into a copy of the {args.incidents:,}-incident station (`lawsup demo`, seed "
        f"{common.DEMO_SEED}, search index built), in a child process: new incidents go "
        "in with Core executemany plus their audit entries and outbox ops (store/bulk.py), "
        "the XLSX is streamed with lxml (tag-filtered iterparse). Load average (1/5/15 min) "
        f"{before} before, {after} after, on {os.cpu_count()} cores shared with other jobs."
        + (f" Station copied from `{args.station}`." if args.station else "")
        + "\n\n"
        "| import | wall | CPU | target |\n| --- | --- | --- | --- |\n" + "\n".join(lines)
    )
    common.write_section(
        "incidents-import", "Incident import (警情导入): 50,000-row XLSX", body, facts
    )
    met = all("missed" not in line for line in lines)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
