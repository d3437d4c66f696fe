"""Bench: backup and restore of the 200,000-incident station (issue 8).

Targets: backup ≤ 10 s without freezing the UI; restore ≤ 15 s.

Both run as the workbench runs them: through the TaskManager on a worker
thread, while a 10 ms timer on the GUI thread measures the longest time the
event loop went without running it (the longest "freeze" a user could see).
The restore includes checking the backup (``PRAGMA quick_check``, run alongside
the safety backup of the current file) and the copy into the live file. CPU is
the whole process's (all threads), to tell the machine's load from our work.

The cached demo is a plain file: an encrypted store's restore costs about twice
the CPU (decrypt, HMAC check and re-encrypt of every page; see the report of
issue 8) and is not measured here yet.

    python -m bench.backup [--incidents N]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from bench import common
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.backup import backup_now, restore_backup
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.ui.tasks import TaskManager

BACKUP_TARGET_S = 10.0
RESTORE_TARGET_S = 15.0
FREEZE_LIMIT_MS = 100


def _timed_in_background(
    tasks: TaskManager, job: Callable[[TaskContext], object]
) -> tuple[float, float, float]:
    """Wall time of ``job`` run as a task, its CPU time (whole process), and the
    longest GUI-thread gap (ms)."""
    clock = QElapsedTimer()
    longest = 0.0
    last = time.perf_counter()

    def tick() -> None:
        nonlocal longest, last
        now = time.perf_counter()
        longest = max(longest, (now - last) * 1000)
        last = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    clock.start()
    cpu = time.process_time()
    handle = tasks.run(job)
    assert handle.wait()
    elapsed = clock.elapsed() / 1000
    cpu = time.process_time() - cpu
    timer.stop()
    if handle.error is not None:
        raise handle.error
    return elapsed, cpu, longest


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backup")
    parser.add_argument("--incidents", type=int, default=200_000)
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    tasks = TaskManager()
    source = common.demo_folder(args.incidents)
    folder = DataFolder(common.working_copy(source, "backup"))
    size_mb = folder.database.stat().st_size / 1024 / 1024

    backup_s, backup_cpu, backup_gap = _timed_in_background(
        tasks, lambda ctx: backup_now(folder, ctx=ctx)
    )
    made = sorted(folder.backups.glob("*-manual.sqlite"))[-1]
    restore_s, restore_cpu, restore_gap = _timed_in_background(
        tasks, lambda ctx: restore_backup(folder, Path(made), ctx=ctx)
    )
    tasks.shutdown()
    del app

    ok_backup = backup_s <= BACKUP_TARGET_S and backup_gap <= FREEZE_LIMIT_MS
    ok_restore = restore_s <= RESTORE_TARGET_S and restore_gap <= FREEZE_LIMIT_MS
    body = (
        f"Station database: {args.incidents:,} incidents, {size_mb:,.0f} MB.\n\n"
        "| | time | CPU | target | longest GUI-thread gap | verdict |\n"
        "|---|---|---|---|---|---|\n"
        f"| backup now | {common.seconds(backup_s)} | {common.seconds(backup_cpu)} | "
        f"≤ {BACKUP_TARGET_S:.0f} s | {backup_gap:.0f} ms | {common.verdict(ok_backup)} |\n"
        f"| restore (check ∥ safety backup, then copy in) | {common.seconds(restore_s)} | "
        f"{common.seconds(restore_cpu)} | ≤ {RESTORE_TARGET_S:.0f} s | {restore_gap:.0f} ms | "
        f"{common.verdict(ok_restore)} |\n\n"
        f"Both run through the TaskManager on a worker thread; \"GUI-thread gap\" is the "
        f"longest interval between two runs of a 10 ms timer on the GUI thread "
        f"(a freeze is > {FREEZE_LIMIT_MS} ms)."
    )
    common.write_section("backup", "Backup and restore (issue 8)", body)
    print(body)
    return 0 if ok_backup and ok_restore else 1


if __name__ == "__main__":
    raise SystemExit(run())
