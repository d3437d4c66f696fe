"""Sync against the real service on PostgreSQL (issue 6's targets).

- push 2,000 offline ops ≤ 5 s
- a sync with nothing to do ≤ 200 ms
- a new device pulling 100,000 records ≤ 60 s
- 200 stations syncing at once (50 ops each) against 4 workers: p99 ≤ 2 s, zero errors

``python -m bench sync [--small]``: --small divides the sizes by ten (a quick look).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import seconds, verdict, write_section


def _device(service: Any, code: str, folder: Path) -> Any:
    from lawsup_central.admin import new_enrollment_code
    from lawsup_central.db import make_engine, sessions
    from lawsup_desktop.domain.vocabulary import Role
    from lawsup_desktop.paths import DataFolder
    from lawsup_desktop.services.station import StationService, open_station
    from lawsup_desktop.sync.engine import enroll
    from lawsup_desktop.sync.tokens import TokenStore

    engine = make_engine(service.url)
    with sessions(engine).begin() as session:
        enrol_code = new_enrollment_code(session, code)
    engine.dispose()
    data = DataFolder(folder)
    db = open_station(data)
    StationService(db).set_up(code, "基准派出所", "张法制", Role.SUPERVISOR)
    enroll(db, service.base_url, enrol_code, TokenStore())
    return db


def _add_station(service: Any, code: str) -> str:
    from lawsup_central.admin import add_station
    from lawsup_central.db import make_engine, sessions

    engine = make_engine(service.url)
    with sessions(engine).begin() as session:
        enrol_code = add_station(session, code, f"派出所{code}")
    engine.dispose()
    return enrol_code


def _incident_data(n: int) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "incident_no": f"BENCH-{n:07d}",
            "received_at": "2026-11-20T09:30:00", "category": "dispute", "is_key": False,
            "key_category": None, "address": "城关镇", "summary": "邻里纠纷" * 5,
            "caller_name": "张三", "caller_phone": "13800000000", "unit_id": None,
            "handling_officer_id": None, "disposition": None, "handling_notes": "",
            "watch_state": "pending", "follow_up_state": "none",
            "created_at": datetime.now(UTC).isoformat(), "deleted_at": None}


def _seed_records(url: str, station_code: str, count: int) -> None:
    """Records straight into the service's database (as if pushed long ago)."""
    from sqlalchemy import insert, select, update

    from lawsup_central.db import make_engine
    from lawsup_central.models import ChangeCounter, Record, Station

    engine = make_engine(url)
    with engine.begin() as conn:
        station_id = conn.scalar(select(Station.id).where(Station.code == station_code))
        top = conn.scalar(update(ChangeCounter).where(ChangeCounter.id == 1)
                          .values(value=ChangeCounter.value + count)
                          .returning(ChangeCounter.value))
        rows = []
        for n in range(count):
            data = _incident_data(n)
            rows.append({"entity": "incident", "id": data["id"], "station_id": station_id,
                         "version": 1, "data": data, "deleted": False,
                         "change_seq": top - count + 1 + n,
                         "updated_at": datetime.now(UTC)})
            if len(rows) == 5000:
                conn.execute(insert(Record), rows)
                rows = []
        if rows:
            conn.execute(insert(Record), rows)
    engine.dispose()


def run(argv: list[str] | None = None) -> int:
    import keyring
    from keyring.backend import KeyringBackend

    from lawsup_central.devserver import Postgres, Service
    from lawsup_desktop.store.audit import Actor
    from lawsup_desktop.store.models import Incident
    from lawsup_desktop.sync.engine import SyncEngine
    from lawsup_desktop.sync.tokens import TokenStore

    small = "--small" in (argv or [])
    scale = 10 if small else 1

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        store: dict[tuple[str, str], str] = {}

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    keyring.set_keyring(Memory())
    postgres = Postgres.start(max_connections=400)
    lines: list[str] = []
    ok = True
    try:
        url = postgres.new_database()
        service = Service.start(url, workers=4)
        try:
            tmp = Path(tempfile.mkdtemp(prefix="lawsup-bench-sync-"))
            _add_station(service, "BENCH")

            # 1. push 2,000 offline ops
            db = _device(service, "BENCH", tmp / "a")
            ops = 2000 // scale
            with db.write(Actor(None, "bench")) as session:
                for n in range(ops):
                    session.add(Incident(incident_no=f"OFF-{n}", received_at=datetime(2026, 11, 1),
                                         category="dispute"))
            engine = SyncEngine.open(db, TokenStore())
            engine.pull()
            started = time.perf_counter()
            engine.push()
            push_s = time.perf_counter() - started
            good = push_s <= 5.0
            ok &= good
            lines.append(f"| push {ops:,} offline ops | {seconds(push_s)} | ≤ 5 s | "
                         f"{verdict(good)} |")

            # 2. a sync with nothing to do
            engine.sync()
            times = []
            for _ in range(15):
                started = time.perf_counter()
                engine.sync()
                times.append(time.perf_counter() - started)
            noop = statistics.median(times)
            good = noop <= 0.2
            ok &= good
            lines.append(f"| sync with nothing to do (median of 15) | {noop * 1000:.0f} ms | "
                         f"≤ 200 ms | {verdict(good)} |")
            engine.client.close()
            db.dispose()

            # 3. a new device pulling 100,000 records
            records = 100_000 // scale
            _add_station(service, "BIG")
            _seed_records(url, "BIG", records)
            db = _device(service, "BIG", tmp / "b")
            engine = SyncEngine.open(db, TokenStore())
            started = time.perf_counter()
            pulled = engine.pull()
            pull_s = time.perf_counter() - started
            good = pull_s <= 60 and pulled >= records
            ok &= good
            lines.append(f"| new device pulls {pulled:,} records | {seconds(pull_s)} | ≤ 60 s | "
                         f"{verdict(good)} |")
            engine.client.close()
            db.dispose()

            # 4. 200 stations × 50 ops at once, 4 workers
            line, good = _many_stations(service, 200 // scale, 50)
            lines.append(line)
            ok &= good
        finally:
            service.stop()
    finally:
        postgres.stop()
    body = ("| scenario | result | target | |\n|---|---|---|---|\n" + "\n".join(lines) + "\n\n"
            "PostgreSQL 15 started by the benchmark (fsync off), `lawsup-central serve "
            "--workers 4` on loopback, all on the same 2-core machine; station clients in "
            "the benchmark process (scenario 4: 4 client processes × 50 threads).\n")
    write_section("sync", "Sync with the central service (PostgreSQL)", body)
    print(body)
    return 0 if ok else 1


def _many_stations(service: Any, stations: int, ops_each: int) -> tuple[str, bool]:
    """Stations are separate machines: their clients run in 4 processes (50 threads
    each at 200 stations), all starting at one agreed instant."""
    import multiprocessing

    import httpx

    tokens = []
    with httpx.Client(base_url=service.base_url, timeout=60) as http:
        for n in range(stations):
            code = _add_station(service, f"M{n}")
            tokens.append(http.post("/v1/enroll", json={"code": code}).json()["token"])
    processes = 4
    start_at = time.time() + 3.0
    chunks = [(service.base_url, tokens[i::processes], ops_each, start_at)
              for i in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        outcomes = pool.map(_station_clients, chunks)
    latencies = sorted(x for lat, _ in outcomes for x in lat)
    errors = [e for _, errs in outcomes for e in errs]
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    good = p99 <= 2.0 and not errors
    if errors:
        print("errors of the concurrent stations:", sorted(set(errors))[:5], file=sys.stderr)
    return (f"| {stations} stations × {ops_each} ops at once, 4 workers (push + pull) | "
            f"p99 {seconds(p99)}, median {seconds(statistics.median(latencies))}, "
            f"{len(errors)} errors | p99 ≤ 2 s, 0 errors | {verdict(good)} |"), good


def _station_clients(job: tuple[str, list[str], int, float]) -> tuple[list[float], list[str]]:
    import httpx

    base_url, tokens, ops_each, start_at = job
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def station(token: str) -> None:
        ops = []
        for seq in range(1, ops_each + 1):
            data = _incident_data(seq)
            ops.append({"op_id": str(uuid.uuid4()), "seq": seq, "entity": "incident",
                        "record_id": data["id"], "kind": "insert", "base_version": None,
                        "fields": {k: [None, v] for k, v in data.items()}})
        with httpx.Client(base_url=base_url, timeout=120,
                          headers={"Authorization": f"Bearer {token}"}) as http:
            time.sleep(max(0.0, start_at - time.time()))
            started = time.perf_counter()
            problem = ""
            try:
                push = http.post("/v1/push", json={"ops": ops})
                pull = http.get("/v1/pull", params={"after": 0, "limit": 1000})
                if push.status_code != 200 or pull.status_code != 200 or any(
                        r["status"] != "applied" for r in push.json()["results"]):
                    problem = f"HTTP {push.status_code}/{pull.status_code}: {push.text[:200]}"
            except httpx.HTTPError as exc:
                problem = repr(exc)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if problem:
                    errors.append(problem)

    threads = [threading.Thread(target=station, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
