"""Bench: deadline states for 50,000 open coercive measures (target ≤ 200 ms).

Builds a throw-away station database with 50,000 open measures (on 25,000
cases, with a few thousand recorded extensions and suspensions), then times
``DeadlineService.states`` (query + counting + state of every due moment: the
target), ``DeadlineService.warnings`` (the 期限预警 list: the urgent items with
their case and person), and the engine alone over starts already in memory.

    python -m bench.deadlines [--measures N] [--repeat R]

Prints the figures and writes its section of bench/RESULTS.md (bench/common.py).
Wall time is the target; CPU time is printed beside it because on a shared,
loaded machine wall time mostly measures the other processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, select

from bench import common
from lawsup_desktop.domain.deadlines import compute_due, state_at
from lawsup_desktop.domain.vocabulary import CaseKind, MeasureKind, PersonRole
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.deadlines import DeadlineService, load_calendar, load_rule_book
from lawsup_desktop.services.encryption import allow_plain
from lawsup_desktop.services.station import open_station
from lawsup_desktop.store.base import new_id, utc_now
from lawsup_desktop.store.models import Case, CasePerson, CoerciveMeasure, DeadlineAdjustment

TARGET_MS = 200.0
NOW = dt.datetime(2026, 11, 27, 9, 0)
# Each kind with how far back its open measures plausibly started (days): most are
# still within their limit, some are past it, as at a real station.
KINDS = (
    (MeasureKind.CRIMINAL_DETENTION, 40),
    (MeasureKind.ARREST, 75),
    (MeasureKind.BAIL, 380),
    (MeasureKind.RESIDENTIAL_SURVEILLANCE, 190),
)


def _synced(**values: object) -> dict[str, object]:
    stamp = utc_now()
    return {"id": new_id(), "created_at": stamp, "updated_at": stamp, "version": 1, **values}


def build(folder: DataFolder, measures: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    # A throw-away plain file: no keyring needed on the bench machine.
    folder.root.mkdir(parents=True, exist_ok=True)
    allow_plain(folder)
    db = open_station(folder)
    try:
        cases: list[dict[str, object]] = []
        persons: list[dict[str, object]] = []
        rows: list[dict[str, object]] = []
        adjustments: list[dict[str, object]] = []
        accepted_on: list[dt.datetime] = []
        for n in range(measures // 2):
            accepted = NOW - dt.timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 1439))
            case_kind = CaseKind.CRIMINAL if n % 5 else CaseKind.ADMINISTRATIVE
            accepted_on.append(accepted)
            cases.append(_synced(case_no=f"B{n:07d}", name=f"案件{n}", kind=case_kind,
                                 cause="盗窃", accepted_at=accepted,
                                 registered_at=accepted if n % 5 else None))
        for n in range(measures):
            case = cases[n // 2]
            person = _synced(case_id=case["id"], role=PersonRole.SUSPECT, name=f"嫌疑人{n}")
            persons.append(person)
            measure_kind, back = KINDS[n % len(KINDS)]
            started = NOW - dt.timedelta(days=rng.randint(0, back), hours=rng.randint(0, 23))
            measure = _synced(person_id=person["id"], kind=measure_kind, started_at=started,
                              note="")
            rows.append(measure)
            if n % 20 == 1:  # every fifth arrest: extended by a month (Art. 156)
                adjustments.append(_synced(case_id=case["id"], measure_id=measure["id"],
                                           rule_code="arrest_custody", kind="extension",
                                           starts_at=None, ends_at=None, extra_days=1,
                                           approval="上一级检察院批准"))
            if n % 20 == 0 and case["kind"] is CaseKind.ADMINISTRATIVE:
                accepted = accepted_on[n // 2]
                adjustments.append(_synced(case_id=case["id"], measure_id=None,
                                           rule_code="public_order_case", kind="suspension",
                                           starts_at=accepted,
                                           ends_at=accepted + dt.timedelta(days=5),
                                           extra_days=None, approval="鉴定"))
        with db.writer.begin() as connection:
            connection.execute(insert(Case), cases)
            connection.execute(insert(CasePerson), persons)
            connection.execute(insert(CoerciveMeasure), rows)
            if adjustments:
                connection.execute(insert(DeadlineAdjustment), adjustments)
    finally:
        db.dispose()


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of each run."""
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - began) * 1000)
    return runs


def _cpu(fn: Callable[[], object], repeat: int) -> list[float]:
    """CPU milliseconds of each run: steadier than wall time on a shared machine."""
    runs = []
    for _ in range(repeat):
        began = time.process_time()
        fn()
        runs.append((time.process_time() - began) * 1000)
    return runs


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--measures", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)
    facts = common.machine_facts()
    with tempfile.TemporaryDirectory() as tmp:
        folder = DataFolder(Path(tmp) / "data")
        began = time.perf_counter()
        build(folder, args.measures)
        print(f"built {args.measures:,} open measures in {time.perf_counter() - began:.1f} s")
        db = open_station(folder)
        try:
            service = DeadlineService(db)
            states = service.states(NOW)  # warm-up (and the count)
            full = _time(lambda: service.states(NOW), args.repeat)
            cpu = _cpu(lambda: service.states(NOW), args.repeat)
            warnings = service.warnings(NOW)
            listed = _time(lambda: service.warnings(NOW), max(1, args.repeat // 3))
            with db.read() as session:
                book, calendar = load_rule_book(session), load_calendar(session)
                starts = list(session.scalars(select(CoerciveMeasure.started_at)))
            rule = book.get("bail")
            assert rule is not None

            def count_only() -> None:
                # The engine alone, no caching: the worst case per measure.
                for start in starts:
                    due = compute_due(rule, start, calendar, explain=False).due
                    state_at(due, rule.warn_days, NOW)

            engine = _time(count_only, max(1, args.repeat // 3))
        finally:
            db.dispose()
    by_state = ", ".join(f"{s.label.zh} {n:,}" for s, n in states.counts().items())
    median = common.median(full)
    ok = median <= TARGET_MS
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"due moments: {len(states):,} ({by_state})",
        f"DeadlineService.states, median of {args.repeat}: {median:.0f} ms wall, "
        f"{common.median(cpu):.0f} ms CPU (p95 {common.p95(cpu):.0f})  "
        f"[target ≤ {TARGET_MS:.0f} ms: "
        f"{'ok' if ok else 'MISSED'}]",
        f"DeadlineService.warnings ({len(warnings):,} items with case and person): "
        f"{common.median(listed):.0f} ms",
        f"engine only, {len(starts):,} × compute_due without cache: "
        f"{common.median(engine):.0f} ms",
    ]
    print("\n".join(lines))
    body = f"""{args.measures:,} open coercive measures on {args.measures // 2:,} cases (a fifth
administrative, with 鉴定 suspensions; a fifth of arrests extended), starts spread
over each measure's plausible range; states at {NOW:%Y-%m-%d %H:%M}; {by_state}.

| measure | value | target |
| --- | --- | --- |
| `DeadlineService.states` (query + counting + states), wall median | {median:.0f} ms | \
≤ {TARGET_MS:.0f} ms {common.verdict(ok)} |
| same, wall p95 / CPU median / CPU p95 | {common.p95(full):.0f} ms / \
{common.median(cpu):.0f} ms / {common.p95(cpu):.0f} ms | |
| `DeadlineService.warnings`: {len(warnings):,} urgent items with case and person | \
{common.median(listed):.0f} ms | |
| engine alone: {len(starts):,} × `compute_due`, no caching | \
{common.median(engine):.0f} ms | |

Load average at the end: {load_after} on {os.cpu_count()} cores. CPU time is this
process's own: on a loaded machine wall time mostly counts the other processes, so
judge the work by the CPU figures. The states are read from covering indexes
(migration 0002: `ix_coercive_measure_states`, `ix_case_open`), grouped by start day
in SQL, and counted once per (rule, start day) group; a subject with a suspension or
an extension is counted once per distinct set of days.
"""
    common.write_section("deadlines", "Deadline states (期限预警)", body, facts)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
