"""The built program: packaging/build.sh makes the one-folder bundle, then the bundle
runs on its own, from a copy in a clean folder, with no Python environment.

The build is cached by packaging/build.sh (a hash of the sources in
build/test-bundle/dist/lawsup/.build-hash): the first run builds (about a minute
here), later runs with unchanged sources reuse the bundle.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import lawsup_desktop
from lawsup_desktop.store.migrations import SCHEMA_HEAD

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux bundle"),
]

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "test-bundle"
GUI_ALIVE_SECONDS = 3.5
# What Qt's offscreen platform prints on stderr for any window; not a problem of ours.
OFFSCREEN_NOISE = re.compile(r"^This plugin does not support (propagateSizeHints|raise)\(\)")


class Built:
    def __init__(self, folder: Path, output: str, seconds: float) -> None:
        self.folder = folder
        self.output = output
        self.seconds = seconds

    @property
    def program(self) -> Path:
        return self.folder / "lawsup"


@pytest.fixture(scope="module")
def built() -> Built:
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "DISTPATH": str(CACHE / "dist"),
        "WORKPATH": str(CACHE / "work"),
    }
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
    (ROOT / "tests" / "artifacts" / "packaging-build.txt").write_text(
        f"packaging/build.sh took {seconds:.0f} s\n{result.stdout}", encoding="utf-8"
    )
    return Built(CACHE / "dist" / "lawsup", result.stdout, seconds)


@pytest.fixture(scope="module")
def bundle(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built folder somewhere else: the bundle must not depend on its
    build location or on the source tree."""
    copy = tmp_path_factory.mktemp("clean") / "lawsup"
    shutil.copytree(built.folder, copy, symlinks=True)
    return copy


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """No virtual environment, no PYTHONPATH, a fresh home: only the bundle itself."""
    home = tmp_path / "home"
    home.mkdir()
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }


def run(
    program: Path, *args: str, env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program), *args], env=env, cwd=cwd, capture_output=True, text=True,
        timeout=120, check=False,
    )


def test_build_prints_the_bundle_path_and_size(built: Built) -> None:
    line = re.search(r"^packaging: bundle (\S+) \((\d+(?:[.,]\d+)?[KMG])\)$", built.output, re.M)
    assert line, built.output
    assert Path(line.group(1)) == built.folder
    assert built.program.is_file() and os.access(built.program, os.X_OK)


def test_version_is_the_package_version(bundle: Path, clean_env: dict[str, str],
                                        tmp_path: Path) -> None:
    result = run(bundle / "lawsup", "--version", env=clean_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"lawsup {lawsup_desktop.__version__}"


@pytest.fixture
def data(bundle: Path, clean_env: dict[str, str], tmp_path: Path) -> Path:
    """A data folder whose user chose to work unencrypted: the clean environment has
    no keyring (the encrypted path is tested through the Secret Service below)."""
    folder = tmp_path / "data"
    chosen = run(bundle / "lawsup", "--data-dir", str(folder), "encrypt", "--allow-plain",
                 env=clean_env, cwd=tmp_path)
    assert chosen.returncode == 0, chosen.stdout + chosen.stderr
    return folder


def test_without_a_keyring_a_new_store_is_refused_not_left_unencrypted(
    bundle: Path, clean_env: dict[str, str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    result = run(bundle / "lawsup", "--data-dir", str(data), "check", env=clean_env,
                 cwd=tmp_path)
    assert result.returncode != 0
    assert "--allow-plain" in result.stdout + result.stderr
    assert not (data / "lawsup.sqlite").exists()


def test_check_creates_a_sound_database_with_the_shipped_migrations(
    bundle: Path, clean_env: dict[str, str], data: Path, tmp_path: Path
) -> None:
    result = run(bundle / "lawsup", "--data-dir", str(data), "check", "--json",
                 env=clean_env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["revision"] == SCHEMA_HEAD
    assert (data / "lawsup.sqlite").is_file()


@pytest.mark.skipif(
    shutil.which("dbus-run-session") is None or shutil.which("gnome-keyring-daemon") is None,
    reason="needs dbus-run-session and gnome-keyring-daemon (tools/sysdeps.sh)",
)
def test_the_frozen_program_keeps_its_key_in_the_secret_service(
    bundle: Path, clean_env: dict[str, str], tmp_path: Path
) -> None:
    """The keyring's backends are found inside the bundle: a new store is encrypted
    and a second run opens it with the key from the Secret Service."""
    data = tmp_path / "data"
    program = bundle / "lawsup"
    script = (
        "echo -n lawsup | gnome-keyring-daemon --unlock --components=secrets >/dev/null\n"
        f"'{program}' --data-dir '{data}' check && '{program}' --data-dir '{data}' "
        "encrypt --status\n"
    )
    result = subprocess.run(["dbus-run-session", "--", "bash", "-c", script], env=clean_env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已加密 / encrypted" in result.stdout
    assert b"SQLite format 3" not in (data / "lawsup.sqlite").read_bytes()[:16]


def test_bundle_holds_the_data_files_and_not_the_unused_parts(bundle: Path) -> None:
    inside = bundle / "_internal"
    resources = inside / "lawsup_desktop" / "resources"
    assert (resources / "fonts" / "wqy-microhei.ttc").is_file()
    for ts in sorted((ROOT / "resources" / "translations").glob("*.ts")):
        assert (resources / "translations" / ts.with_suffix(".qm").name).is_file(), ts.name
    for rules in sorted((ROOT / "resources" / "rules").glob("*.json")):
        assert (resources / "rules" / rules.name).is_file(), rules.name
    assert (resources / "icons" / "lawsup.svg").is_file()
    assert (resources / "styles" / "lawsup.qss").is_file()
    db = inside / "lawsup_desktop" / "db"
    assert (db / "env.py").is_file() and (db / "script.py.mako").is_file()
    shipped = {p.name for p in (db / "versions").glob("*.py")}
    assert shipped == {p.name for p in (ROOT / "db" / "versions").glob("*.py")}
    assert (inside / "share" / "applications" / "lawsup.desktop").is_file()
    assert (inside / "share" / "icons" / "lawsup.png").is_file()

    names = [p.name for p in inside.rglob("*")]
    unwanted = re.compile(r"WebEngine|Qt6Quick|Qt6Qml|Qt63D|Multimedia|tkinter|lawsup_central")
    assert [n for n in names if unwanted.search(n)] == []


def test_bundle_leaves_out_the_central_service_and_dev_tools(built: Built) -> None:
    from PyInstaller.archive.readers import ZlibArchiveReader  # installed by build.sh

    modules = ZlibArchiveReader(str(CACHE / "work" / "lawsup" / "PYZ-00.pyz")).toc
    tops = {name.split(".")[0] for name in modules}
    assert {"lawsup_desktop", "PySide6", "alembic", "keyring"} <= tops
    left_out = {"lawsup_central", "fastapi", "uvicorn", "psycopg", "tkinter", "pytest",
                "hypothesis", "lxml"}
    assert tops & left_out == set()
    assert {"lawsup_desktop.db", "lawsup_desktop.resources"} <= set(modules)


def test_reports_and_exports_write_pdf_and_xlsx(
    bundle: Path, clean_env: dict[str, str], data: Path, tmp_path: Path
) -> None:
    """reportlab (with its Pillow import), the CJK font and openpyxl work frozen."""
    demo = run(bundle / "lawsup", "--data-dir", str(data), "demo", "--incidents", "50",
               "--seed", "2", env=clean_env, cwd=tmp_path)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    outputs = {
        "daily.pdf": ["report", "daily", "--date", "2026-11-27"],
        "ledger.pdf": ["export", "rectifications"],
        "ledger.xlsx": ["export", "rectifications"],
    }
    for name, command in outputs.items():
        target = tmp_path / name
        result = run(bundle / "lawsup", "--data-dir", str(data), *command, "-o", str(target),
                     env=clean_env, cwd=tmp_path)
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
        magic = b"%PDF-" if name.endswith(".pdf") else b"PK\x03\x04"
        assert target.read_bytes().startswith(magic), name


def test_main_window_starts_offscreen_without_errors(
    bundle: Path, clean_env: dict[str, str], data: Path, tmp_path: Path
) -> None:
    demo = run(bundle / "lawsup", "--data-dir", str(data), "demo", "--incidents", "200",
               "--seed", "1", env=clean_env, cwd=tmp_path)
    assert demo.returncode == 0, demo.stdout + demo.stderr

    gui = subprocess.Popen(
        [str(bundle / "lawsup"), "--data-dir", str(data)], env=clean_env, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        time.sleep(GUI_ALIVE_SECONDS)
        alive = gui.poll() is None
    finally:
        if gui.poll() is None:
            gui.send_signal(signal.SIGTERM)
        try:
            stdout, stderr = gui.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            gui.kill()
            stdout, stderr = gui.communicate()
    assert alive, f"the workbench exited with {gui.returncode}:\n{stdout}{stderr}"
    problems = [line for line in stderr.splitlines() if line and not OFFSCREEN_NOISE.match(line)]
    assert problems == [], stderr

    logs = sorted((data / "logs").glob("*.log*"))
    assert logs, "the workbench wrote no log file"
    text = "\n".join(p.read_text(encoding="utf-8") for p in logs)
    assert f"lawsup {lawsup_desktop.__version__} started" in text
    assert not re.search(r" (ERROR|CRITICAL) |Traceback", text), text


def test_install_script_installs_for_the_user_and_uninstalls(
    bundle: Path, clean_env: dict[str, str], tmp_path: Path
) -> None:
    home = Path(clean_env["HOME"])
    share = Path(clean_env["XDG_DATA_HOME"])
    data_folder = share / "lawsup"
    data_folder.mkdir(parents=True)
    (data_folder / "lawsup.sqlite").write_bytes(b"kept")

    installed = subprocess.run(["bash", str(bundle / "install.sh")], env=clean_env,
                               cwd=tmp_path, capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    prefix = home / ".local" / "opt" / "lawsup"
    entry = (share / "applications" / "lawsup.desktop").read_text(encoding="utf-8")
    assert f'Exec="{prefix}/lawsup"' in entry.splitlines()
    assert "Name[zh_CN]=派出所法制监督员工作台" in entry.splitlines()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "lawsup.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "lawsup.svg").is_file()
    command = home / ".local" / "bin" / "lawsup"
    version = subprocess.run([str(command), "--version"], env=clean_env, capture_output=True,
                             text=True, check=False)
    assert version.stdout.strip() == f"lawsup {lawsup_desktop.__version__}"

    removed = subprocess.run(["bash", str(prefix / "install.sh"), "--uninstall"],
                             env=clean_env, cwd=tmp_path, capture_output=True, text=True,
                             check=False)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not prefix.exists() and not command.exists()
    assert not (share / "applications" / "lawsup.desktop").exists()
    assert (data_folder / "lawsup.sqlite").read_bytes() == b"kept"
