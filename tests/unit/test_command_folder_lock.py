"""The writing commands (``lawsup demo``, ``lawsup import incidents``) are refused
while another program — the workbench, in another process — holds the data folder,
and they write nothing: no database, no incident, no audit entry, no saved mapping."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lawsup_desktop.cli import main
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.incident_import import MappingStore
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import AuditEntry, Incident

CSV = (
    "接警编号,报警时间,警情类别,发生地点,简要警情,报警人,联系电话,处警单位,处警结果,重点警情类别\r\n"
    "J001,2026-11-20 08:30,刑事警情,城关镇中山路12号,电动车被盗,王芳,13812345678,城关派出所,"
    "刑事立案,\r\n"
)


@contextmanager
def workbench_elsewhere(root: Path) -> Iterator[int]:
    """A separate process holding the folder as the workbench does; yields its pid."""
    script = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from lawsup_desktop.services.folder_lock import WORKBENCH, FolderLock
        lock = FolderLock(Path({str(root)!r}), WORKBENCH)  # kept: closing it unlocks
        lock.acquire()
        print("locked", flush=True)
        time.sleep(120)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        yield child.pid
    finally:
        child.kill()
        child.wait()


def _refused(err: str, pid: int) -> None:
    zh, en = err.split("\n", 1)
    assert zh.startswith("lawsup: 数据文件夹") and f"法制监督员工作台（进程 {pid}" in zh
    assert f"is in use by the workbench (process {pid}" in en


def _written(db: Database) -> tuple[int, int]:
    with db.read() as session:
        incidents = session.scalar(select(func.count()).select_from(Incident)) or 0
        audits = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return incidents, audits


def test_demo_is_refused_while_the_workbench_runs_elsewhere(
    folder: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--data-dir", str(folder.root), "demo", "--incidents", "10", "--seed", "3"]
    with workbench_elsewhere(folder.root) as pid:
        assert main(argv) == 2
        _refused(capsys.readouterr().err, pid)
        assert not folder.database.exists()
    assert main(argv) == 0  # once the workbench has closed
    assert folder.database.exists()


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
def test_import_is_refused_while_the_workbench_runs_elsewhere(
    db: Database,
    workstation: WorkstationInfo,
    folder: DataFolder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    dry_run: bool,
) -> None:
    source = tmp_path / "incidents.csv"
    source.write_bytes(CSV.encode("gbk"))
    before = _written(db)
    argv = ["--data-dir", str(folder.root), "import", "incidents", str(source),
            "--save-mapping", "平台"]
    with workbench_elsewhere(folder.root) as pid:
        assert main([*argv, "--dry-run"] if dry_run else argv) == 2
        _refused(capsys.readouterr().err, pid)
        assert _written(db) == before
        assert MappingStore(folder).names() == []
    # The same command goes through once the workbench has closed: the refusal
    # above was the lock, not something wrong with the file.
    assert main(argv) == 0
    assert _written(db)[0] == before[0] + 1
