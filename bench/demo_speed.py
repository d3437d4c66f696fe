"""Bench: ``lawsup demo --incidents 200000`` into a fresh folder (issue 2, point 10).

Target: ≤ 60 s wall-clock, from spawning the command to its exit (start-up,
migration of the new file, generation, commit included), for the command as a
station runs it: into a new folder on a computer with a keyring, where the new
database is encrypted (SQLCipher, services/encryption.py). The keyring is the
tests' file keyring (tests/keyring_file.py), given to the child the way the
tests give it. The same command into a folder chosen plain
(``lawsup encrypt --allow-plain``) is measured too: that folder becomes the
cached 200,000-incident database of the other benchmarks (which read it
without a keyring) when there is none yet.

The machine is shared with other jobs: each run's CPU time (user + system of
the command) and the load average around it are recorded with its wall time.

    python -m bench.demo_speed [--incidents N] [--seed S] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench import common

TARGET_SECONDS = 60.0
NAME = "demo"
ENCRYPTED, PLAIN = "encrypted", "plain"


@dataclass(frozen=True)
class Run:
    variant: str
    wall: float
    cpu: float
    inside: float | None  # the command's own figure: from its start (imports done) to its end
    load_before: str
    load_after: str
    size: int
    rows: str


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _keyring_file(folder: Path) -> Path:
    return folder.with_name(folder.name + "-keyring.json")


def _keyring_env(folder: Path) -> dict[str, str]:
    """A keyring for the child (and its ``lawsup check``): the tests' file keyring,
    kept next to the data folder."""
    keys = _keyring_file(folder)
    keys.unlink(missing_ok=True)
    return common.child_env(
        PYTHON_KEYRING_BACKEND="tests.keyring_file.FileKeyring", LAWSUP_TEST_KEYRING=str(keys)
    )


def _check(folder: Path, env: dict[str, str]) -> None:
    """``lawsup check`` must pass on the result (integrity, foreign keys, schema)."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "lawsup_desktop", "--data-dir", str(folder), "check"],
        capture_output=True, text=True, env=env, cwd=common.ROOT, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"lawsup check failed on {folder}:\n{done.stdout}\n{done.stderr}")


def _one(variant: str, attempt: int, incidents: int, seed: int) -> tuple[Run, Path]:
    from lawsup_desktop.store.encryption import FileKind, file_kind

    folder = common.scratch(f"demo-speed-{variant}-{attempt}")
    if variant == PLAIN:
        # Plain by choice, as the cached folders are: benches read them without a keyring.
        common.lawsup("--data-dir", str(folder), "encrypt", "--allow-plain")
        env = common.child_env()
    else:
        env = _keyring_env(folder)
    load_before = _load()
    timed = common.time_child(
        [sys.executable, "-m", "lawsup_desktop", "--data-dir", str(folder), "demo",
         "--incidents", str(incidents), "--seed", str(seed), "--until", common.DEMO_UNTIL],
        marker="演示数据已生成", env=env, timeout=900,
    )
    load_after = _load()
    if timed.returncode != 0:
        print(timed.stderr, file=sys.stderr)
        raise SystemExit(f"lawsup demo ({variant}) failed with exit code {timed.returncode}")
    database = folder / "lawsup.sqlite"
    kind = file_kind(database)
    expected = FileKind.PLAIN if variant == PLAIN else FileKind.OPAQUE
    if kind is not expected:
        raise SystemExit(f"lawsup demo ({variant}) made a {kind.value} file, not {expected.value}")
    _check(folder, env)
    match = re.search(r"\((\d+(?:\.\d+)?) s\)", timed.stdout)
    # The command lists the records it wrote, one "  table  count" line each.
    rows = "\n".join(line for line in timed.stdout.splitlines() if line.startswith("  "))
    run = Run(variant, timed.to_exit, timed.cpu, float(match.group(1)) if match else None,
              load_before, load_after, database.stat().st_size, rows)
    print(f"demo {incidents:,} {variant}: {common.seconds(run.wall)} wall, "
          f"{common.seconds(run.cpu)} CPU, load {load_before} → {load_after}", flush=True)
    return run, folder


def run(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.demo_speed")
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=common.DEMO_SEED)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(list(argv))
    facts = common.machine_facts()

    runs: list[Run] = []
    for attempt in range(args.repeat):
        for variant in (ENCRYPTED, PLAIN):
            result, folder = _one(variant, attempt, args.incidents, args.seed)
            runs.append(result)
            if variant == PLAIN and args.seed == common.DEMO_SEED:
                common.adopt_demo_folder(folder, args.incidents, args.seed)
            else:
                shutil.rmtree(folder, ignore_errors=True)
                _keyring_file(folder).unlink(missing_ok=True)

    def of(variant: str) -> list[Run]:
        return [r for r in runs if r.variant == variant]

    wall = common.median([r.wall for r in of(ENCRYPTED)])
    ok = wall <= TARGET_SECONDS
    lines = [
        f"`lawsup demo --incidents {args.incidents} --seed {args.seed}` into a fresh folder, "
        f"{args.repeat} run(s) of each variant, spawn to exit. **Encrypted**: a new folder on "
        "a computer with a keyring, as a station runs it (the target). **Plain**: a folder "
        "chosen unencrypted (`lawsup encrypt --allow-plain`), the cached database of the "
        "other benchmarks. `lawsup check` passed on every result.",
        "",
        "| variant | wall | CPU (user + system) | command's own wall (open, generate, commit) "
        "| load average before → after | file |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in runs:
        inside = common.seconds(r.inside) if r.inside is not None else "?"
        lines.append(
            f"| {r.variant} | {common.seconds(r.wall)} | {common.seconds(r.cpu)} | {inside} | "
            f"{r.load_before} → {r.load_after} | {r.size / 1024 / 1024:.0f} MiB |"
        )
    lines += [
        "",
        f"Encrypted, median wall: **{common.seconds(wall)}** (target ≤ {TARGET_SECONDS:.0f} s) "
        f"{common.verdict(ok)}. On {os.cpu_count()} cores the wall time also counts other "
        "jobs; the CPU time is the command's own.",
        "",
        "Rows written (as the command reports them):",
        "",
        "```",
        runs[-1].rows if runs else "",
        "```",
    ]
    common.write_section(NAME, "Demo data generation (`lawsup demo`)", "\n".join(lines), facts)
    print(f"demo: encrypted median {common.seconds(wall)} (target ≤ {TARGET_SECONDS:.0f} s) "
          f"{common.verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
