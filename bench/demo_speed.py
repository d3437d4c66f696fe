"""Bench: ``lawsup demo --incidents 200000`` into a fresh folder (issue 2, point 10).

Target: ≤ 60 s wall-clock, from spawning the command to its exit (start-up,
migration of the new file, generation, commit and WAL checkpoint included).
The folder it fills becomes the cached 200,000-incident database of the other
benchmarks when there is none yet.

    python -m bench.demo_speed [--incidents N] [--seed S] [--repeat R]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from bench import common

TARGET_SECONDS = 60.0
NAME = "demo"


def run(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.demo_speed")
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=common.DEMO_SEED)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(list(argv))
    facts = common.machine_facts()

    walls: list[float] = []
    cpus: list[float] = []
    inside: list[float] = []
    counts = ""
    size = 0
    for attempt in range(args.repeat):
        folder = common.scratch(f"demo-speed-{attempt}")
        # Plain by choice, as the cached folders are: benches run without a keyring.
        common.lawsup("--data-dir", str(folder), "encrypt", "--allow-plain")
        timed = common.time_child(
            [sys.executable, "-m", "lawsup_desktop", "--data-dir", str(folder), "demo",
             "--incidents", str(args.incidents), "--seed", str(args.seed),
             "--until", common.DEMO_UNTIL],
            marker="演示数据已生成", timeout=900,
        )
        if timed.returncode != 0:
            print(timed.stderr, file=sys.stderr)
            raise SystemExit(f"lawsup demo failed with exit code {timed.returncode}")
        walls.append(timed.to_exit)
        cpus.append(timed.cpu)
        report = common.lawsup("--data-dir", str(folder), "check").stdout
        counts = "\n".join(line for line in report.splitlines() if line.startswith("  "))
        size = (folder / "lawsup.sqlite").stat().st_size
        # The command's own figure: from its start (imports done) to its end.
        match = re.search(r"\((\d+(?:\.\d+)?) s\)", timed.stdout)
        if match:
            inside.append(float(match.group(1)))
        print(f"demo {args.incidents:,}: {common.seconds(timed.to_exit)} wall, "
              f"{common.seconds(timed.cpu)} CPU", flush=True)
        if args.seed == common.DEMO_SEED:
            common.adopt_demo_folder(folder, args.incidents, args.seed)

    wall = common.median(walls)
    ok = wall <= TARGET_SECONDS
    body = "\n".join([
        f"`lawsup demo --incidents {args.incidents} --seed {args.seed}` into a fresh folder, "
        f"{len(walls)} run(s), spawn to exit.",
        "",
        "| measure | value | target |",
        "| --- | --- | --- |",
        f"| wall time (median) | {common.seconds(wall)} | ≤ {TARGET_SECONDS:.0f} s "
        f"{common.verdict(ok)} |",
        f"| runs | {', '.join(common.seconds(w) for w in walls)} | |",
        f"| CPU time (user + system) of the command | "
        f"{', '.join(common.seconds(c) for c in cpus)} | |",
        f"| of which the command's own work (open, generate, commit) | "
        f"{', '.join(common.seconds(w) for w in inside)} | |",
        f"| database file | {size / 1024 / 1024:.0f} MiB | |",
        "",
        "Rows written:",
        "",
        "```",
        counts,
        "```",
    ])
    common.write_section(NAME, "Demo data generation (`lawsup demo`)", body, facts)
    print(f"demo: median {common.seconds(wall)} (target ≤ {TARGET_SECONDS:.0f} s) "
          f"{common.verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
