"""Heavy writes through the real services until killed (see test_kill9.py).

A writer prints ``<run> saved <kind> <id>`` and flushes ONLY after the
transaction that wrote the record has committed: every line printed is a
promise that the record is in the database, whenever the process dies.

    python tests/crash/writer.py DATA_DIR

reads ``run N`` lines on stdin and for each forks a fresh writer process,
answering ``started N <pid>``. Forking from this process, which has already
imported the program (about a second of imports), makes fifty kills fit in
well under a minute; each writer still opens the station itself, from
nothing, exactly as a freshly started program does.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import traceback
from pathlib import Path

from lawsup_desktop.domain.vocabulary import (
    FollowUpMethod,
    IncidentCategory,
    PartyRole,
    Satisfaction,
)
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.folder_lock import FolderLock
from lawsup_desktop.services.follow_ups import FollowUpInput, FollowUpService
from lawsup_desktop.services.station import StationService, open_station
from lawsup_desktop.store.models import Incident

SUMMARY = "群众报警称邻里因噪音发生纠纷，民警到场调解。" * 8  # some bytes per row


def report(line: str) -> None:
    """One write() per line: a pipe takes up to PIPE_BUF bytes at once, so a kill can
    never leave half a line (print may split the text and its newline)."""
    os.write(sys.stdout.fileno(), f"{line}\n".encode())


def write_until_killed(folder: DataFolder, run: int) -> None:
    lock = FolderLock(folder.root, "crash-writer")  # as the real program does
    lock.acquire()
    db = open_station(folder)
    workstation = StationService(db).workstation()
    assert workstation is not None
    follow_ups = FollowUpService(db, workstation.actor)
    received = dt.datetime.now() - dt.timedelta(hours=2)
    n = 0
    while True:
        n += 1
        batch = 25 if n % 10 == 0 else 1  # mostly small transactions, now and then a bigger one
        with db.write(workstation.actor) as session:
            made = []
            for k in range(batch):
                incident = Incident(
                    incident_no=f"R{run:03d}-{n:06d}-{k:02d}",
                    received_at=received,
                    category=IncidentCategory.DISPUTE,
                    unit_id=workstation.unit_id,
                    address="城关镇解放路 12 号",
                    summary=SUMMARY,
                )
                session.add(incident)
                made.append(incident)
            session.flush()
            ids = [i.id for i in made]
        # Committed: only now may it be reported.
        for incident_id in ids:
            report(f"{run} saved incident {incident_id}")
        result = follow_ups.record(
            ids[0],
            FollowUpInput(
                method=FollowUpMethod.PHONE,
                party_name="李某某",
                party_role=PartyRole.CALLER,
                party_phone="13800138000",
                contacted_at=received + dt.timedelta(hours=1),
                satisfaction=Satisfaction.SATISFIED,
                notes="当事人对处理结果满意。",
            ),
        )
        report(f"{run} saved follow_up {result.follow_up.id}")


def main() -> None:
    folder = DataFolder(Path(sys.argv[1]))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed writers are reaped by the system
    for line in sys.stdin:
        command, number = line.split()
        if command != "run":
            raise SystemExit(f"unknown command {line!r}")
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                write_until_killed(folder, int(number))
            except BaseException:  # noqa: BLE001 - shown on stderr, then the writer ends
                traceback.print_exc()
                report(f"{number} failed")  # so the test fails instead of waiting
            finally:
                os._exit(3)  # only reached if writing failed: never run the parent's code
        report(f"started {number} {pid}")


if __name__ == "__main__":
    main()
