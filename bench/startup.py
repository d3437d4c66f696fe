"""Bench: start-up to an idle main window on the 200,000-incident database (issue 2,
point 10).

Each run is a new process (bench/startup_probe.py) timed from spawn to the line it
prints once the main window is shown and the event loop is idle (``run_gui``'s
``ready`` callback), offscreen. The floor is the same for a program that only
imports Qt widgets and the SQLAlchemy ORM and shows a bare QMainWindow, importing
them in the app's order (SQLAlchemy first); the floor that imports Qt first, used by
runs before 2026-11-27 11:00 UTC, is measured too for comparison. The runs rotate,
so that all see the same machine; one warm-up run of each comes first (it fills the
OS file cache) and is not counted.

Targets: median ≤ 0.8 s, and ≤ 1.5 × the floor's median. Each probe also prints the
CPU seconds it had spent at its marker; their medians are compared as well (what the
start costs, which the load of a shared machine changes far less than wall time).

Then one more app start under ``python -X importtime`` lists the slowest imports.

    python -m bench.startup [--incidents N] [--runs R]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from bench import common

NAME = "startup"
TARGET_SECONDS = 0.8
TARGET_RATIO = 1.5
PROBE = str(common.BENCH_DIR / "startup_probe.py")
MARKER = "LAWSUP-READY"


def _start(mode: str, folder: Path | None = None, *, importtime: bool = False) -> common.Timed:
    argv = [sys.executable, *(["-X", "importtime"] if importtime else []), PROBE, mode]
    if folder is not None:
        argv.append(str(folder))
    timed = common.time_child(argv, MARKER, timeout=120)
    if timed.to_marker is None or timed.returncode != 0:
        raise SystemExit(
            f"startup probe '{mode}' did not reach an idle window "
            f"(exit code {timed.returncode}):\n{timed.stderr[-4000:]}"
        )
    return timed


def cpu_to_ready(timed: common.Timed) -> float:
    """The CPU seconds the probe had spent when it printed its marker (``cpu=``)."""
    match = re.search(rf"{MARKER} \S+ cpu=([0-9.]+)", timed.stdout)
    if match is None:
        raise SystemExit(f"startup probe printed no CPU time:\n{timed.stdout[-2000:]}")
    return float(match.group(1))


def slowest_imports(stderr: str, count: int = 20) -> list[tuple[float, float, str]]:
    """(cumulative s, self s, module) of the slowest imports of an ``-X importtime`` log,
    keeping only top-level-ish entries (nesting depth ≤ 2) so a package is not listed
    with each of its parts."""
    rows = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S.*)$", line)
        if not match:
            continue
        own, cumulative, indent, module = match.groups()
        depth = (len(indent) - 1) // 2
        if depth <= 2:
            rows.append((int(cumulative) / 1e6, int(own) / 1e6, "· " * depth + module.strip()))
    rows.sort(key=lambda row: row[0], reverse=True)
    return rows[:count]


def run(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup")
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(list(argv))
    facts = common.machine_facts()

    cached = common.demo_folder(args.incidents)
    folder = common.working_copy(cached, f"startup-{args.incidents}")
    modes = ("app", "floor", "floor-qt-first")
    warm = {mode: _start(mode, folder if mode == "app" else None) for mode in modes}
    print("warm-up: " + ", ".join(f"{mode} {common.seconds(warm[mode].to_exit)}"
                                  for mode in modes), flush=True)

    timed: dict[str, list[common.Timed]] = {mode: [] for mode in modes}
    for index in range(args.runs):
        # Rotate which goes first, so none always follows the same other.
        for mode in modes[index % 3:] + modes[:index % 3]:
            timed[mode].append(_start(mode, folder if mode == "app" else None))
        print(f"run {index + 1}/{args.runs}: " + ", ".join(
            f"{mode} {common.seconds(timed[mode][-1].to_marker or 0)}" for mode in modes),
            flush=True)
    app, floor, qt_first = timed["app"], timed["floor"], timed["floor-qt-first"]

    app_ready = [t.to_marker or 0.0 for t in app]
    floor_ready = [t.to_marker or 0.0 for t in floor]
    qt_first_ready = [t.to_marker or 0.0 for t in qt_first]
    app_median, floor_median = common.median(app_ready), common.median(floor_ready)
    ratio = app_median / floor_median
    qt_first_median = common.median(qt_first_ready)
    # CPU time hardly depends on what else the machine runs: the fairer comparison on a
    # busy machine (wall times grow with the load average shown above).
    app_cpu = common.median([t.cpu for t in app])
    floor_cpu = common.median([t.cpu for t in floor])
    app_cpu_ready = common.median([cpu_to_ready(t) for t in app])
    floor_cpu_ready = common.median([cpu_to_ready(t) for t in floor])
    qt_first_cpu_ready = common.median([cpu_to_ready(t) for t in qt_first])
    ok_time, ok_ratio = app_median <= TARGET_SECONDS, ratio <= TARGET_RATIO

    profile = _start("app", folder, importtime=True)
    imports = slowest_imports(profile.stderr)

    body = "\n".join([
        f"Spawn → idle main window (`run_gui(..., ready=...)`), offscreen, "
        f"{args.incidents:,}-incident demo database, {args.runs} runs each, app and "
        "floors in rotation after one uncounted warm-up of each. The floor imports "
        "SQLAlchemy before Qt, as the app does (`lawsup_desktop/ui/__init__.py`): that "
        "order costs about a fifth less, so the app's own part is what the ratio shows. "
        "Runs before 2026-11-27 11:00 UTC used the floor that imports Qt first (last rows).",
        "",
        "| measure | median | min | max | target |",
        "| --- | --- | --- | --- | --- |",
        f"| lawsup to idle window | {common.seconds(app_median)} | "
        f"{common.seconds(min(app_ready))} | {common.seconds(max(app_ready))} | "
        f"≤ {TARGET_SECONDS} s {common.verdict(ok_time)} |",
        f"| floor (Qt widgets + SQLAlchemy ORM + bare QMainWindow) | "
        f"{common.seconds(floor_median)} | {common.seconds(min(floor_ready))} | "
        f"{common.seconds(max(floor_ready))} | |",
        f"| ratio lawsup / floor | {ratio:.2f} × | | | ≤ {TARGET_RATIO} × "
        f"{common.verdict(ok_ratio)} |",
        f"| lawsup to exit (after quit) | {common.seconds(common.median([t.to_exit for t in app]))}"
        " | | | |",
        f"| CPU (user + system, all threads) to the idle window: lawsup / floor | "
        f"{common.seconds(app_cpu_ready)} / {common.seconds(floor_cpu_ready)} = "
        f"{app_cpu_ready / floor_cpu_ready:.2f} × | | | |",
        f"| CPU (user + system) to exit: lawsup / floor | {common.seconds(app_cpu)} / "
        f"{common.seconds(floor_cpu)} = {app_cpu / floor_cpu:.2f} × | | | |",
        f"| (earlier floor, Qt imported first) | {common.seconds(qt_first_median)} | "
        f"{common.seconds(min(qt_first_ready))} | {common.seconds(max(qt_first_ready))} | |",
        f"| (ratio lawsup / earlier floor: wall; CPU to the idle window) | "
        f"{app_median / qt_first_median:.2f} ×; {app_cpu_ready / qt_first_cpu_ready:.2f} × "
        "| | | |",
        "",
        "Runs (s), lawsup: " + ", ".join(f"{t:.3f}" for t in app_ready),
        "",
        "Runs (s), floor: " + ", ".join(f"{t:.3f}" for t in floor_ready),
        "",
        "Runs (s), earlier floor (Qt first): " + ", ".join(f"{t:.3f}" for t in qt_first_ready),
        "",
        "Slowest imports of one start (`python -X importtime`, cumulative, depth ≤ 2; "
        "importtime itself slows imports down):",
        "",
        "| cumulative | self | module |",
        "| --- | --- | --- |",
        *(f"| {cum * 1000:.0f} ms | {own * 1000:.0f} ms | `{module}` |"
          for cum, own, module in imports),
    ])
    common.write_section(NAME, "Start-up to an idle main window", body, facts)
    print(f"startup: lawsup median {common.seconds(app_median)} (target ≤ {TARGET_SECONDS} s) "
          f"{common.verdict(ok_time)}; floor {common.seconds(floor_median)}; "
          f"ratio {ratio:.2f} (target ≤ {TARGET_RATIO}) {common.verdict(ok_ratio)}; "
          f"CPU to the idle window lawsup {common.seconds(app_cpu_ready)}, "
          f"floor {common.seconds(floor_cpu_ready)} "
          f"({app_cpu_ready / floor_cpu_ready:.2f} ×); CPU to exit lawsup "
          f"{common.seconds(app_cpu)}, floor {common.seconds(floor_cpu)}; earlier floor "
          f"(Qt first) {common.seconds(qt_first_median)}: ratio "
          f"{app_median / qt_first_median:.2f}, CPU {app_cpu_ready / qt_first_cpu_ready:.2f}")
    print("slowest imports (cumulative):")
    for cum, own, module in imports[:12]:
        print(f"  {cum * 1000:7.0f} ms  (self {own * 1000:5.0f} ms)  {module}")
    return 0 if ok_time and ok_ratio else 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
