"""Bench: the printed audit form and the case list.

Targets (issue 4):
- one form rendered ≤ 50 ms warm; a typical form ≤ 200 KB;
- 1,000 forms exported (read + render + write, with progress) ≤ 60 s;
- the case list at 50,000 cases: filter/sort (ids query) ≤ 100 ms p95.

Builds throw-away station databases: the form through the services (a case with
two suspects, a form walked through five levels with one return), the 1,000
forms and the 50,000 cases with direct Core inserts.

    python -m bench.audit_pdf [--cases N] [--forms N] [--repeat R] [--cases-only]

Prints the figures as a Markdown section (for bench/RESULTS.md). ``--cases-only``
runs just the case list (about 25 s instead of 75) and only prints: a partial run
must not replace the recorded section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from lawsup_desktop.domain.audit_form import REVIEW_POINTS, AuditState
from lawsup_desktop.domain.vocabulary import CaseKind, Decision, MeasureKind, PersonRole, Role
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.pdf.audit_form import render_audit_form
from lawsup_desktop.services.audits import AuditService
from lawsup_desktop.services.cases import CaseQuery, CaseService, CaseSort
from lawsup_desktop.services.encryption import allow_plain
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.services.station import StationService, WorkstationInfo, open_station
from lawsup_desktop.store.base import new_id, utc_now
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    Case,
    CaseAudit,
    CaseOfficer,
    CasePerson,
    CoerciveMeasure,
    Officer,
    ReviewStep,
    Unit,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "unit"))
import audit_helpers

ONE_FORM_MS = 50.0
TYPICAL_KB = 200.0
THOUSAND_S = 60.0
LIST_P95_MS = 100.0
NOW = dt.datetime(2026, 11, 27, 9, 0)


def _synced(**values: object) -> dict[str, object]:
    stamp = utc_now()
    return {"id": new_id(), "created_at": stamp, "updated_at": stamp, "version": 1, **values}


def _times(fn: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each run. On a busy machine (other jobs on
    the cores) wall time overstates the cost; CPU time of this process (Python and
    SQLite both run in it) shows what the code itself needs."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _station(root: Path) -> tuple[Database, WorkstationInfo]:
    # A throw-away plain file: no keyring needed on the bench machine.
    root.mkdir(parents=True, exist_ok=True)
    allow_plain(DataFolder(root))
    db = open_station(DataFolder(root))
    info = StationService(db).set_up("LX-CG", "城关派出所", "张法制", Role.SUPERVISOR)
    return db, info


# --- one form, and 1,000 ------------------------------------------------------------------


def bench_forms(root: Path, forms: int, repeat: int) -> list[str]:
    db, info = _station(root)
    roster = audit_helpers.make_roster(db, info)
    case = audit_helpers.register_case(db, info, roster)
    audits = AuditService(db, info)
    form = audits.create_form(case.id, audit_helpers.complete_content())
    audit_helpers.walk_with_one_return(audits, form.id, roster)
    data = audits.print_data(form.id)

    start = time.perf_counter()
    first = render_audit_form(data)
    cold_ms = (time.perf_counter() - start) * 1000
    for _ in range(3):
        render_audit_form(data)
    samples, cpu = _times(lambda: render_audit_form(data), repeat)
    size_kb = len(first) / 1024

    ids = _clone_forms(db, info, roster, form.id, forms)
    seen: list[int] = []
    ctx = TaskContext(lambda p: seen.append(p.done))
    start, start_cpu = time.perf_counter(), time.process_time()
    report = audits.export_pdfs(ids, root / "export", ctx)
    export_s = time.perf_counter() - start
    export_cpu_s = time.process_time() - start_cpu
    db.dispose()
    assert len(report.written) == forms and not report.failed and seen[-1] == forms

    median = statistics.median(samples)
    return [
        f"| one form, warm (median of {repeat}) | {median:.1f} ms "
        f"(CPU {statistics.median(cpu):.1f} ms) | ≤ {ONE_FORM_MS:.0f} ms "
        f"| {'ok' if median <= ONE_FORM_MS else 'MISSED'} |",
        f"| one form, warm (p95) | {_p95(samples):.1f} ms (CPU {_p95(cpu):.1f} ms) | | |",
        f"| first form (cold: fonts loaded) | {cold_ms:.0f} ms | | |",
        f"| typical form size (2 rounds, 8 opinions) | {size_kb:.0f} KB | ≤ {TYPICAL_KB:.0f} KB "
        f"| {'ok' if size_kb <= TYPICAL_KB else 'MISSED'} |",
        f"| {forms:,} forms exported (read+render+write) | {export_s:.1f} s "
        f"(CPU {export_cpu_s:.1f} s) "
        f"| ≤ {THOUSAND_S * forms / 1000:.0f} s "
        f"| {'ok' if export_s <= THOUSAND_S * forms / 1000 else 'MISSED'} |",
    ]


def _clone_forms(
    db: Database, info: WorkstationInfo, roster: Any, template_id: str, count: int
) -> list[str]:
    """``count`` copies of the template form, each on its own case (Core inserts)."""
    with db.read() as session:
        template = session.get(CaseAudit, template_id)
        assert template is not None
        steps = list(session.scalars(select(ReviewStep).where(ReviewStep.audit_id == template_id)))
        source_case = session.get(Case, template.case_id)
        assert source_case is not None
        case_values = {c: getattr(source_case, c) for c in (
            "name", "kind", "cause", "unit_id", "lead_officer_id", "accepted_at", "registered_at")}
        audit_values = {c: getattr(template, c) for c in (
            "facts", "proposed_handling", "review_points", "problems_found", "is_major",
            "submitted_at")}
    cases, links, persons, audits, step_rows = [], [], [], [], []
    ids = []
    for n in range(count):
        case = _synced(case_no=f"CLONE-{n:05d}", **case_values)
        cases.append(case)
        links.append(_synced(case_id=case["id"], officer_id=roster.assisting))
        suspects = (("马某某", audit_helpers.ID_MALE), ("刘某某", audit_helpers.ID_FEMALE))
        for name, number in suspects:
            persons.append(_synced(case_id=case["id"], role=PersonRole.SUSPECT, name=name,
                                   id_number=number, phone="", address=""))
        audit = _synced(case_id=case["id"], form_no=f"AJSH-BENCH-{n:05d}", **audit_values)
        audits.append(audit)
        ids.append(str(audit["id"]))
        for s in steps:
            step_rows.append(_synced(audit_id=audit["id"], round=s.round, level=s.level,
                                     decision=s.decision, opinion=s.opinion,
                                     reviewer_id=s.reviewer_id, entered_by_id=s.entered_by_id,
                                     reviewed_at=s.reviewed_at))
    with db.writer.begin() as connection:
        connection.execute(insert(Case), cases)
        connection.execute(insert(CaseOfficer), links)
        connection.execute(insert(CasePerson), persons)
        connection.execute(insert(CaseAudit), audits)
        connection.execute(insert(ReviewStep), step_rows)
    return ids


# --- the case list at 50,000 ---------------------------------------------------------------------


def build_cases(db: Database, info: WorkstationInfo, count: int, seed: int = 11) -> dict[str, Any]:
    rng = random.Random(seed)
    stamp = utc_now()
    units = [_synced(station_id=info.station_id, name=f"{name}") for name in
             ("城关派出所", "刑侦中队", "治安中队", "交警中队", "北塬派出所")]
    officers = []
    for unit in units:
        for role, n in ((Role.CASE_OFFICER, 8), (Role.STATION_LEADER, 1)):
            for i in range(n):
                officers.append(_synced(unit_id=unit["id"], name=f"民警{len(officers)}",
                                        role=role, active=True, badge_no=str(i)))
    bureau = ((3, "法制员", Role.SUPERVISOR), (4, "法制民警", Role.LEGAL_OFFICER),
              (5, "局领导", Role.BUREAU_LEADER))
    reviewers = {
        level: [_synced(unit_id=None, name=name, role=role, active=True, badge_no="")]
        for level, name, role in bureau
    }
    reviewers[2] = [o for o in officers if o["role"] is Role.STATION_LEADER]
    officers += reviewers[3] + reviewers[4] + reviewers[5]
    case_officers = [o for o in officers if o["role"] is Role.CASE_OFFICER]
    cases, links, persons, measures, audits, steps = [], [], [], [], [], []
    causes = ("盗窃", "寻衅滋事", "殴打他人", "危险驾驶", "诈骗", "故意伤害", "赌博")
    kinds = list(MeasureKind)
    points = {p.code: {"checked": True, "note": ""} for p in REVIEW_POINTS}
    for n in range(count):
        unit = rng.choice(units)
        lead, helper = rng.sample(case_officers, 2)
        accepted = NOW - dt.timedelta(days=rng.randint(0, 720), minutes=rng.randint(0, 1439))
        kind = CaseKind.CRIMINAL if rng.random() < 0.4 else CaseKind.ADMINISTRATIVE
        case = _synced(case_no=f"A{n:08d}", name=f"{causes[n % 7]}案{n}", kind=kind,
                       cause=causes[n % 7], unit_id=unit["id"], lead_officer_id=lead["id"],
                       accepted_at=accepted,
                       registered_at=accepted + dt.timedelta(days=1) if kind is CaseKind.CRIMINAL
                       else None)
        cases.append(case)
        links.append(_synced(case_id=case["id"], officer_id=helper["id"]))
        for _ in range(rng.choice((1, 1, 2))):
            person = _synced(case_id=case["id"], role=PersonRole.SUSPECT, name="某某",
                             phone="", address="")
            persons.append(person)
            if rng.random() < 0.6:
                measures.append(_synced(person_id=person["id"], kind=rng.choice(kinds),
                                        started_at=accepted + dt.timedelta(hours=5), note=""))
        if rng.random() < 0.7:
            audit = _synced(case_id=case["id"], form_no=f"AJSH-L-{n:08d}", facts="案情",
                            proposed_handling="拟处理", review_points=points,
                            problems_found="", is_major=False,
                            submitted_at=stamp if rng.random() < 0.9 else None)
            audits.append(audit)
            if audit["submitted_at"] is not None:
                signed = rng.randint(0, 5)
                for level in range(1, signed + 1):
                    decision = Decision.APPROVE
                    if level == signed and level > 1 and rng.random() < 0.2:
                        decision = rng.choice((Decision.RETURN, Decision.REJECT))
                    reviewer = lead if level == 1 else rng.choice(reviewers[level])
                    steps.append(_synced(audit_id=audit["id"], round=1, level=level,
                                         decision=decision, opinion="意见",
                                         reviewer_id=reviewer["id"],
                                         entered_by_id=info.operator_id,
                                         reviewed_at=accepted + dt.timedelta(days=level)))
    with db.writer.begin() as connection:
        connection.execute(insert(Unit), units)
        connection.execute(insert(Officer), officers)
        for model, rows in ((Case, cases), (CaseOfficer, links), (CasePerson, persons),
                            (CoerciveMeasure, measures), (CaseAudit, audits),
                            (ReviewStep, steps)):
            for i in range(0, len(rows), 20_000):
                connection.execute(insert(model), rows[i:i + 20_000])
    return {"unit": units[1]["id"], "officer": case_officers[3]["id"]}


def bench_list(root: Path, count: int, repeat: int) -> list[str]:
    db, info = _station(root)
    keys = build_cases(db, info, count)
    service = CaseService(db, info)
    queries = {
        "default (accepted desc)": CaseQuery(),
        "kind=行政, sort case_no": CaseQuery(kind=CaseKind.ADMINISTRATIVE, sort=CaseSort.CASE_NO),
        "unit, sort accepted asc": CaseQuery(unit_id=keys["unit"], descending=False),
        "officer (lead or assisting)": CaseQuery(officer_id=keys["officer"]),
        "measure=取保候审": CaseQuery(measure_kind=MeasureKind.BAIL),
        "audit state 审核中·第3级": CaseQuery(audit_state=AuditState.IN_REVIEW, audit_level=3),
        "audit state 退回补正": CaseQuery(audit_state=AuditState.RETURNED),
        "audit state 审核中 (any level)": CaseQuery(audit_state=AuditState.IN_REVIEW),
        "audit state 无审核表": CaseQuery(audit_state=AuditState.NONE),
        "text 盗窃 + kind 刑事": CaseQuery(text="盗窃", kind=CaseKind.CRIMINAL),
        "sort by unit name": CaseQuery(sort=CaseSort.UNIT),
    }
    lines = []
    for label, query in queries.items():
        service.case_ids(query)  # warm the page cache
        found = len(service.case_ids(query))
        samples, cpu = _times(lambda q=query: service.case_ids(q), repeat)
        p95 = _p95(samples)
        lines.append(f"| case list {count:,}: {label} ({found:,} ids) | {p95:.1f} ms p95 "
                     f"(CPU {_p95(cpu):.1f} ms) | ≤ {LIST_P95_MS:.0f} ms "
                     f"| {'ok' if p95 <= LIST_P95_MS else 'MISSED'} |")
    page = service.case_ids(CaseQuery())[:100]
    samples, cpu = _times(lambda: service.rows(page), repeat)
    lines.append(f"| case list: rows() for a page of 100 | {_p95(samples):.1f} ms p95 "
                 f"(CPU {_p95(cpu):.1f} ms) | | |")
    db.dispose()
    return lines


def run(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table and record it in bench/RESULTS.md; 0 when
    every target is met."""
    from bench import common

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--forms", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--cases-only", action="store_true",
                        help="only the case list; print, do not record")
    args = parser.parse_args(argv)
    facts = common.machine_facts()  # the load average before we add to it
    with tempfile.TemporaryDirectory() as tmp:
        lines = [] if args.cases_only else bench_forms(Path(tmp) / "forms", args.forms,
                                                         args.repeat)
        lines += bench_list(Path(tmp) / "list", args.cases, args.repeat)
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    body = "\n".join([
        "Wall-clock time, and in brackets the CPU time of the process (Python and",
        "SQLite): on a machine shared with other jobs the two differ.",
        "",
        "| measure | result | target | |",
        "| --- | --- | --- | --- |",
        *lines,
        "",
        f"Load average at the end: {load_after} on {os.cpu_count()} cores; judge the",
        "work by the CPU figures when the load is high. The case list returns every",
        "matching id in order, joined by SQLite into one string (one row, not one per",
        "id); \"审核中 (any level)\" probes each submitted form once against one list",
        "of ended or returned chains.",
    ])
    if not args.cases_only:
        common.write_section("audit_pdf", "Audit form PDF and case list (bench/audit_pdf.py)",
                             body, facts)
    print(body)
    return 1 if any("MISSED" in line for line in lines) else 0


main = run


if __name__ == "__main__":
    sys.exit(run())
