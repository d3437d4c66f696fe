"""What the benchmarks share: the cached demo database, timing of child processes,
statistics, the machine's facts, and ``bench/RESULTS.md``.

RESULTS.md has one section per benchmark between ``<!-- bench:NAME -->`` and
``<!-- /bench:NAME -->``; :func:`write_section` replaces its own section and
keeps everyone else's. Each section starts with the date and the machine.

Big inputs are made once and cached in ``bench/data/`` (git-ignored), keyed by
what made them: ``demo-<incidents>-<seed>/`` is a data folder filled by
``lawsup demo``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"
RESULTS = BENCH_DIR / "RESULTS.md"
_HEADER = (
    "# Benchmark results\n\n"
    "Written by `python -m bench` (`make bench`); each section is replaced by its own\n"
    "benchmark and dated, with the machine it ran on. Figures are wall-clock times.\n"
)

DEMO_SEED = 1
DEMO_UNTIL = "2026-11-27 10:30"  # a fixed end, so that a cached file is the same file


# --- child processes ------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child: headless Qt, the source tree importable, a home
    folder of its own so that nothing touches the developer's settings, and compiled
    bytecode kept (in bench/data, not the source tree) as an installed program has it,
    even where the environment says PYTHONDONTWRITEBYTECODE."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    home = DATA_DIR / "home"
    (home / ".config").mkdir(parents=True, exist_ok=True)
    env.update(
        PYTHONPYCACHEPREFIX=str(DATA_DIR / "pycache"),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    )
    env.update(extra)
    return env


def lawsup(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the ``lawsup`` command (this checkout's) and return what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "lawsup_desktop", *args],
        capture_output=True, text=True, env=child_env(), cwd=ROOT, check=False,
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"lawsup {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done


@dataclass(frozen=True)
class Timed:
    """One child process: seconds from spawn to its marker line and to its exit."""

    to_marker: float | None
    to_exit: float
    returncode: int
    stdout: str
    stderr: str
    cpu: float  # user + system seconds of the child: what the machine's load does not change


def time_child(
    argv: Sequence[str], marker: str, *, env: dict[str, str] | None = None, timeout: float = 120
) -> Timed:
    """Spawn ``argv`` and time it: to the first stdout line that starts with ``marker``,
    and to its exit."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errors:
        # stderr goes to a file: a child that writes much there (-X importtime) must
        # never block on a full pipe while we read its stdout.
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv), stdout=subprocess.PIPE, stderr=errors, text=True,
            env=env or child_env(), cwd=ROOT,
        )
        watchdog = threading.Timer(timeout, process.kill)  # a hung child is ended
        watchdog.start()
        to_marker = None
        lines: list[str] = []
        assert process.stdout is not None
        try:
            for line in process.stdout:
                lines.append(line)
                if to_marker is None and line.startswith(marker):
                    to_marker = time.perf_counter() - started
            _pid, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        finally:
            watchdog.cancel()
        to_exit = time.perf_counter() - started
        errors.seek(0)
        return Timed(to_marker, to_exit, process.returncode, "".join(lines), errors.read(),
                     usage.ru_utime + usage.ru_stime)


# --- statistics -------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def verdict(ok: bool) -> str:
    return "✅ met" if ok else "❌ missed"


# --- the cached demo database -------------------------------------------------------------


def _demo_stamp(incidents: int, seed: int) -> str:
    """What the cached file depends on: the arguments and the generator's source (a
    changed generator makes a new file) and the schema it was made with."""
    source = (ROOT / "lawsup_desktop" / "services" / "demo.py").read_bytes()
    migrations = b"".join(p.read_bytes() for p in sorted((ROOT / "db" / "versions").glob("*.py")))
    digest = hashlib.sha256(source + migrations).hexdigest()[:16]
    return f"{incidents} {seed} {DEMO_UNTIL} {digest}\n"


def demo_folder(incidents: int, seed: int = DEMO_SEED) -> Path:
    """A data folder with ``lawsup demo --incidents N --seed S``, made once and cached
    (made again when the generator or the schema changed). Treat it as read-only:
    copy it (:func:`working_copy`) before opening it with the app."""
    folder = DATA_DIR / f"demo-{incidents}-{seed}"
    done = folder / ".complete"
    if done.exists() and done.read_text() == _demo_stamp(incidents, seed):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    building = DATA_DIR / f".building-demo-{incidents}-{seed}-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    print(f"bench: generating the {incidents:,}-incident demo database (cached in {folder}) …",
          file=sys.stderr, flush=True)
    # Kept plain on purpose (benches read it directly, and need no keyring);
    # bench/encryption.py measures an encrypted copy against it.
    lawsup("--data-dir", str(building), "encrypt", "--allow-plain")
    lawsup("--data-dir", str(building), "demo", "--incidents", str(incidents),
           "--seed", str(seed), "--until", DEMO_UNTIL)
    (building / ".complete").write_text(_demo_stamp(incidents, seed))
    building.rename(folder)
    return folder


def adopt_demo_folder(source: Path, incidents: int, seed: int = DEMO_SEED) -> Path:
    """Keep a folder just filled by ``lawsup demo`` (same arguments as
    :func:`demo_folder`) as the cache, instead of generating it again."""
    folder = DATA_DIR / f"demo-{incidents}-{seed}"
    stamp = _demo_stamp(incidents, seed)
    done = folder / ".complete"
    if done.exists() and done.read_text() == stamp:
        shutil.rmtree(source, ignore_errors=True)
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    (source / ".complete").write_text(stamp)
    source.rename(folder)
    return folder


def working_copy(folder: Path, name: str) -> Path:
    """A fresh copy of a cached data folder that a benchmark may change."""
    target = DATA_DIR / "work" / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for item in folder.iterdir():
        if item.is_file() and item.name != ".complete":
            shutil.copy2(item, target / item.name)
    return target


def scratch(name: str) -> Path:
    """An empty folder under bench/data for one benchmark's own files."""
    target = DATA_DIR / "work" / name
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


# --- the machine ---------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else platform.machine()


def _memory() -> str:
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return "unknown"
    match = re.search(r"^MemTotal:\s*(\d+) kB", text, re.MULTILINE)
    return f"{int(match.group(1)) / 1024 / 1024:.1f} GiB" if match else "unknown"


def _version(*distributions: str) -> str:
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def _pyside_version() -> str:
    try:
        import PySide6
        from PySide6 import QtCore
    except ImportError:
        return "not installed"
    return f"{PySide6.__version__} (Qt {QtCore.qVersion()})"


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _sqlite_versions() -> tuple[str, str]:
    """The SQLite and SQLCipher versions the store really runs on: asked of a
    connection from the store's own factory (store/encryption.py, the sqlcipher3
    library), not the stdlib sqlite3 module, which is another copy of SQLite."""
    from lawsup_desktop.store.encryption import connect

    connection = connect(Path(":memory:"), None)
    try:
        sqlite = connection.execute("SELECT sqlite_version()").fetchone()[0]
        cipher = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    return str(sqlite), str(cipher[0]) if cipher else "none"


def machine_facts() -> dict[str, str]:
    sqlite, sqlcipher = _sqlite_versions()
    return {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "RAM": _memory(),
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "PySide6": _pyside_version(),
        "SQLAlchemy": _version("SQLAlchemy", "sqlalchemy"),
        "SQLite": sqlite,
        "SQLCipher": sqlcipher,
        "load average at start": _load(),
    }


def machine_markdown(facts: dict[str, str] | None = None) -> str:
    facts = facts or machine_facts()
    return "; ".join(f"{k}: {v}" for k, v in facts.items())


# --- RESULTS.md ----------------------------------------------------------------------------


def write_section(name: str, title: str, body: str, facts: dict[str, str] | None = None) -> Path:
    """Replace (or add) the section ``name`` of RESULTS.md, keeping every other one."""
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    stamp = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    section = (
        f"{begin}\n## {title}\n\n"
        f"_{stamp} — {machine_markdown(facts)}_\n\n{body.strip()}\n{end}"
    )
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Several benchmarks may finish at once (make bench, or developers side by side):
    # read-modify-write under a lock, and replace the file in one step.
    with (DATA_DIR / ".results.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else _HEADER
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
        if pattern.search(text):
            text = pattern.sub(lambda _match: section, text)
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        partial = RESULTS.with_name(f".{RESULTS.name}.{os.getpid()}")
        partial.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        os.replace(partial, RESULTS)
    return RESULTS
