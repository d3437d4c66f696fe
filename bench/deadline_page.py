"""Bench: the 期限预警 page's loading path at 50,000 open measures.

The page shows the item keys of one grouped count (``DeadlineService.warning_keys``)
and reads rows a page at a time (``DeadlineService.rows``, 200 rows), instead of
``DeadlineService.warnings``, which builds every urgent item's row. Times both, the
first with 正常 items included (the filter's worst case).

    python -m bench.deadline_page [--measures N] [--repeat R]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import common
from bench.deadlines import NOW, build
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.deadlines import DeadlineService
from lawsup_desktop.services.station import open_station

PAGE = 200


def _time(fn: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter
          ) -> list[float]:
    """Milliseconds of each run (wall clock, or ``time.process_time`` for CPU)."""
    runs = []
    for _ in range(repeat):
        began = clock()
        fn()
        runs.append((clock() - began) * 1000)
    return runs


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--measures", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    facts = common.machine_facts()
    with tempfile.TemporaryDirectory() as tmp:
        folder = DataFolder(Path(tmp) / "data")
        build(folder, args.measures)
        db = open_station(folder)
        try:
            service = DeadlineService(db)
            urgent = service.warning_keys(NOW)
            everything = service.warning_keys(NOW, include_normal=True)

            def page_load(include_normal: bool) -> None:
                keys = service.warning_keys(NOW, include_normal=include_normal)
                service.rows(keys[:PAGE], NOW)

            warnings_only = _time(lambda: page_load(False), args.repeat)
            with_normal = _time(lambda: page_load(True), args.repeat)
            with_normal_cpu = _time(lambda: page_load(True), args.repeat, time.process_time)
            later_page = _time(lambda: service.rows(everything[-PAGE:], NOW), args.repeat)
            full_rows = _time(lambda: service.warnings(NOW), max(1, args.repeat // 2))
        finally:
            db.dispose()
    lines = [
        f"keys: {len(urgent):,} warnings, {len(everything):,} with 正常",
        f"page load (keys + {PAGE} rows), warnings: {common.median(warnings_only):.0f} ms; "
        f"with 正常: {common.median(with_normal):.0f} ms wall, "
        f"{common.median(with_normal_cpu):.0f} ms CPU",
        f"one more page of rows: {common.median(later_page):.0f} ms",
        f"DeadlineService.warnings (every urgent row): {common.median(full_rows):.0f} ms",
    ]
    print("\n".join(lines))
    body = f"""{args.measures:,} open coercive measures (bench/deadlines.py's station); \
{len(urgent):,} uncleared warnings, {len(everything):,} items with 正常. No target of
its own (the page loads in the background behind a busy indicator); it compares the
page's path with building every row.

| measure | value | target |
| --- | --- | --- |
| page load: `warning_keys` + `rows` of the first {PAGE}, warnings only | \
{common.median(warnings_only):.0f} ms | |
| same with 正常 items (the filter), wall / CPU median | \
{common.median(with_normal):.0f} ms / {common.median(with_normal_cpu):.0f} ms | |
| a further page of {PAGE} rows (on scrolling) | {common.median(later_page):.0f} ms | |
| for comparison, `warnings` (every urgent row) | {common.median(full_rows):.0f} ms | |
"""
    common.write_section("deadline_page", "期限预警 page loading", body, facts)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
