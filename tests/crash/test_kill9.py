"""Crash safety: kill -9 a writer at random moments, fifty times, and lose nothing
it reported as saved, never corrupt the file, and start normally afterwards.

The writer (``writer.py``) reports a record only after its transaction
committed; with WAL and ``synchronous=NORMAL`` a committed transaction
survives the death of the process (it is in the operating system's cache),
so every reported id must be found, however the writer died.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lawsup_desktop.domain.vocabulary import IncidentCategory, Role
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.check import run_check
from lawsup_desktop.services.encryption import open_file
from lawsup_desktop.services.folder_lock import FolderLock
from lawsup_desktop.services.station import StationService, open_station
from lawsup_desktop.store.models import Incident

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX"),
]

WRITER = Path(__file__).with_name("writer.py")
ROOT = Path(__file__).resolve().parents[2]
KILLS = 50
SEED = 20261127
STARTUP_TIMEOUT_S = 60
SAVED = re.compile(r"^(\d+) saved (incident|follow_up) ([0-9a-f-]{36})$")
STARTED = re.compile(r"^started (\d+) (\d+)$")


class Writers:
    """The writer process (which forks one writer per run), read line by line."""

    def __init__(self, folder: DataFolder) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), str(folder.root)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1, cwd=ROOT,
        )
        self.saved: dict[str, set[str]] = {"incident": set(), "follow_up": set()}
        self.saved_by_run: dict[int, int] = {}

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"the writer process ended ({self.process.wait()})")
        return line.rstrip("\n")

    def _record(self, line: str) -> bool:
        if line.endswith(" failed"):
            raise AssertionError(f"writer {line.split()[0]} failed (its traceback is on stderr)")
        match = SAVED.match(line)
        if match is None:
            return False
        run, kind, record_id = int(match[1]), match[2], match[3]
        self.saved[kind].add(record_id)
        self.saved_by_run[run] = self.saved_by_run.get(run, 0) + 1
        return True

    def start(self, run: int) -> int:
        """Start writer ``run``; every line of the earlier (dead) writers is read
        on the way, since they were written before this one started."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"run {run}\n")
        self.process.stdin.flush()
        while True:
            line = self._line()
            if self._record(line):
                continue
            started = STARTED.match(line)
            assert started is not None, f"unexpected output: {line!r}"
            if int(started[1]) == run:
                return int(started[2])

    def wait_for_first_save(self, run: int) -> None:
        while self.saved_by_run.get(run, 0) == 0:
            line = self._line()
            assert self._record(line), f"unexpected output: {line!r}"

    def drain(self) -> None:
        """Read what the killed writers printed: ends the input, reads to the end."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        for line in self.process.stdout:
            assert self._record(line.rstrip("\n")), f"unexpected output: {line!r}"
        assert self.process.wait(timeout=STARTUP_TIMEOUT_S) == 0

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def writers(folder: DataFolder) -> Iterator[Writers]:
    db = open_station(folder)
    StationService(db).set_up("LX-CG", "城关派出所", "张法制", Role.SUPERVISOR)
    db.dispose()
    writers = Writers(folder)
    yield writers
    writers.close()


def wait_until_gone(pid: int) -> None:
    """kill() returns before the process is torn down (its files closed, its lock
    released); the writer process reaps it, and then it is gone."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.005)
    raise AssertionError(f"process {pid} outlived SIGKILL")


def ids_in(path: Path, table: str) -> set[str]:
    connection = open_file(path)  # read-write: recovers the WAL as a restart would
    try:
        return {r[0] for r in connection.execute(f"SELECT id FROM {table}")}
    finally:
        connection.close()


def test_kill_9_fifty_times_loses_nothing_saved(writers: Writers, folder: DataFolder) -> None:
    rng = random.Random(SEED)
    for run in range(1, KILLS + 1):
        pid = writers.start(run)
        if run % 5 == 0:
            # Now and then die anywhere: opening the station, its first writes.
            time.sleep(rng.uniform(0.0, 0.3))
        else:
            writers.wait_for_first_save(run)
            time.sleep(rng.uniform(0.0, 0.5))
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError as exc:  # it died by itself: a failed writer
            raise AssertionError(f"writer {run} ended before it was killed") from exc
        wait_until_gone(pid)
    writers.drain()

    runs_that_saved = sum(1 for run in range(1, KILLS + 1) if writers.saved_by_run.get(run))
    assert runs_that_saved >= 40  # the kills did land during heavy writing
    print(f"{KILLS} kills; {len(writers.saved['incident'])} incidents and "
          f"{len(writers.saved['follow_up'])} follow-ups reported saved")

    connection = open_file(folder.database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()
    assert writers.saved["incident"] <= ids_in(folder.database, "incident")
    assert writers.saved["follow_up"] <= ids_in(folder.database, "follow_up")

    # The next start: the folder is free (no stale lock), the station opens,
    # a write goes through and the check is clean.
    with FolderLock(folder.root, "workbench"):
        db = open_station(folder)
        try:
            workstation = StationService(db).workstation()
            assert workstation is not None
            with db.write(workstation.actor) as session:
                session.add(
                    Incident(
                        incident_no="AFTER-CRASHES",
                        received_at=dt.datetime(2026, 11, 27, 9, 0),
                        category=IncidentCategory.DISPUTE,
                    )
                )
            report = run_check(db)
            assert report.ok, report.problems
            assert report.counts["incident"] == len(ids_in(folder.database, "incident"))
        finally:
            db.dispose()
