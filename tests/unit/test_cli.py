"""The ``lawsup`` command line: --version, --data-dir and ``check``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lawsup_desktop import __version__
from lawsup_desktop.cli import main
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.store.migrations import SCHEMA_HEAD


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"lawsup {__version__}"


def test_check_json_on_a_new_folder(folder: DataFolder, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(folder.root), "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["problems"] == []
    assert report["revision"] == SCHEMA_HEAD
    assert report["database"] == str(folder.database)
    assert report["counts"]["incident"] == 0 and "review_step" in report["counts"]


def test_check_counts_records(
    workstation: object, folder: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(folder.root), "check"]) == 0
    out = capsys.readouterr().out
    assert "完整性 / integrity: 正常 / ok" in out
    assert f"schema revision: {SCHEMA_HEAD}" in out
    counts = dict(line.split() for line in out.splitlines() if line.startswith("  "))
    assert counts["station"] == "1" and counts["officer"] == "1"
    assert int(counts["problem_type"]) >= 10


def test_check_refuses_a_damaged_file_and_changes_nothing(
    folder: DataFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    folder.root.mkdir(parents=True)
    folder.database.write_bytes(b"garbage" * 1000)
    assert main(["--data-dir", str(folder.root), "check"]) == 2
    err = capsys.readouterr().err
    assert "无法打开数据库文件" in err and "Cannot open the database file" in err
    assert folder.database.read_bytes() == b"garbage" * 1000


def test_the_installed_command_runs_without_a_display(folder: DataFolder) -> None:
    # Twice: the first run creates the file (its migration declares the models), the
    # second opens a file that needs nothing, and must count every table all the same.
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "lawsup_desktop", "--data-dir", str(folder.root), "check",
             "--json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["ok"] is True
        assert {"incident", "review_step", "sync_outbox"} <= report["counts"].keys()
