"""Bench: importing the platform's exports into the 200,000-incident station (issue 3).

Targets: a 50,000-row XLSX imported in ≤ 30 s with RSS ≤ 400 MB. Also times the
streaming validation of a 100 MB GBK CSV, and re-importing the 50,000 rows (the
same file again: all unchanged; then every row's summary changed: all updated,
through store/bulk.py's bulk_update). The import itself is
:func:`bench.incidents.import_bench` (a child process on a copy of the cached
station, so its peak RSS is its own); this module runs only that part, without
the list benchmarks, and records its own section with the load average before
and after (the machine is shared: the CPU time is the steadier figure).

    python -m bench import_incidents
    python -m bench.import_incidents [--rows N] [--big-csv-mb MB] [--station FOLDER]
                                     [--only-reimport]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import common, incidents
from lawsup_desktop.paths import DataFolder


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


_CHANGED = "（已补充）"  # appended to every summary of the changed re-import file


def changed_copy(xlsx: Path) -> Path:
    """A CSV of the same rows as ``xlsx`` with every summary changed (made once)."""
    from openpyxl import load_workbook

    target = xlsx.with_name(xlsx.stem + "-changed.csv")
    if target.exists() and target.stat().st_mtime >= xlsx.stat().st_mtime:
        return target
    partial = target.with_suffix(".partial")
    workbook = load_workbook(xlsx, read_only=True)
    try:
        rows = workbook.active.iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        summary = header.index("简要警情")
        with partial.open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(header)
            for values in rows:
                cells = ["" if v is None else v for v in values]
                cells[summary] = f"{cells[summary]}{_CHANGED}"
                out.writerow(
                    [f"{v:%Y-%m-%d %H:%M}" if hasattr(v, "strftime") else v for v in cells]
                )
    finally:
        workbook.close()
    partial.replace(target)
    return target


def reimport_child(folder: DataFolder, first: Path, again: list[Path]) -> None:
    """Runs in a child process: import ``first``, then each of ``again`` in turn;
    one RESULT line per file (seconds, CPU seconds, created, updated, unchanged),
    then the peak RSS over all of them."""
    from lawsup_desktop.services.incident_import import import_incidents
    from lawsup_desktop.services.station import StationService, open_station

    db = open_station(folder)
    try:
        workstation = StationService(db).workstation()
        assert workstation is not None
        for path in [first, *again]:
            started, cpu = time.perf_counter(), time.process_time()
            report = import_incidents(db, workstation.actor, path)
            assert report.committed, report.problems[:5]
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            print(
                f"RESULT {seconds:.2f} {cpu:.2f} {report.created} {report.updated} "
                f"{report.unchanged}",
                flush=True,
            )
    finally:
        db.dispose()
    print(f"RSS {incidents._rss_mb():.0f}")


def reimport_bench(folder: DataFolder, rows: int) -> list[str]:
    """Re-import timings on a copy of the station; returns the table lines."""
    xlsx = common.DATA_DIR / f"incidents-import-{rows}.xlsx"
    if not xlsx.exists():
        incidents.make_xlsx(xlsx, rows)
    changed = changed_copy(xlsx)
    work = common.scratch("incidents-reimport")
    work.mkdir(parents=True)
    copy = DataFolder(work)
    shutil.copy2(folder.database, copy.database)
    settings = folder.root / "encryption.json"  # the plain file's recorded choice
    if settings.exists():
        shutil.copy2(settings, work / settings.name)
    print(f"re-import the {rows:,} rows into the 200k station (first import, same, changed):",
          flush=True)
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bench.import_incidents", "--reimport-child", str(work),
             str(xlsx), str(xlsx), str(changed)],
            capture_output=True, text=True, check=True, cwd=common.ROOT, env=common.child_env(),
        ).stdout
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = [line.split()[1:] for line in out.splitlines() if line.startswith("RESULT")]
    rss = float(next(x for x in out.splitlines() if x.startswith("RSS")).split()[1])
    names = [
        f"first import of the {rows:,}-row XLSX (all new)",
        "re-import of the same file (all unchanged)",
        f"re-import with every summary changed (CSV, {rows:,} updates)",
    ]
    lines = []
    for name, (seconds, cpu, created, updated, unchanged) in zip(names, results, strict=True):
        print(f"  {name}: {float(seconds):.1f} s wall, {float(cpu):.1f} s cpu "
              f"({created} new, {updated} updated, {unchanged} unchanged)", flush=True)
        lines.append(f"| {name} | {float(seconds):.1f} s | {float(cpu):.1f} s | |")
    print(f"  peak RSS {rss:.0f} MB", flush=True)
    lines.append(
        f"| peak RSS over those three | {rss:.0f} MB | | ≤ 400 MB {common.verdict(rss <= 400)} |"
    )
    return lines


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
    parser.add_argument(
        "--only-reimport", action="store_true", help="time the re-import only (no section)"
    )
    parser.add_argument("--reimport-child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.reimport_child:
        folder_arg, first, *again = args.reimport_child
        reimport_child(DataFolder(Path(folder_arg)), Path(first), [Path(p) for p in again])
        return 0
    facts = common.machine_facts()
    folder = DataFolder(args.station) if args.station else incidents.station(args.incidents)
    before = _load()
    if args.only_reimport:
        reimport_bench(folder, args.rows)
        print(f"load average {before} before, {_load()} after, on {os.cpu_count()} cores")
        return 0
    lines = incidents.import_bench(folder, args.rows, args.big_csv_mb)
    lines += reimport_bench(folder, args.rows)
    after = _load()
    print(f"load average {before} before, {after} after, on {os.cpu_count()} cores")
    body = (
        f"Into a copy of the {args.incidents:,}-incident station (`lawsup demo`, seed "
        f"{common.DEMO_SEED}, search index built), in a child process: new incidents go "
        "in with Core executemany plus their audit entries and outbox ops (store/bulk.py), "
        "and so do the changes of a re-import (executemany UPDATE with the version bump), "
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
