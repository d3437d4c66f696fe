"""Start a throw-away PostgreSQL and a service process on loopback (tests, benchmarks,
and a newcomer trying sync on one machine)."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


def pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Postgres:
    """A PostgreSQL server in a temporary folder, trust auth on 127.0.0.1 only."""

    bin_dir: Path
    root: Path
    port: int
    prefix: list[str]
    counter: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    def start(cls, max_connections: int = 300) -> Postgres:
        bin_dir = pg_bin()
        if bin_dir is None:
            raise FileNotFoundError("PostgreSQL's pg_ctl is not installed")
        root = Path(tempfile.mkdtemp(prefix="lawsup-pg-"))
        prefix: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(root, "postgres")
            prefix = ["runuser", "-u", "postgres", "--"]
        server = cls(bin_dir, root, free_port(), prefix)
        subprocess.run([*prefix, str(bin_dir / "initdb"), "-D", str(root / "data"),
                        "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
                       check=True, capture_output=True)
        options = (f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   f"-c max_connections={max_connections}")
        subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-o",
                        options, "-l", str(root / "log"), "-w", "start"],
                       check=True, capture_output=True)
        return server

    def new_database(self) -> str:
        import psycopg

        name = f"central_{os.getpid()}_{next(self.counter)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run([*self.prefix, str(self.bin_dir / "pg_ctl"), "-D",
                        str(self.root / "data"), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Service:
    """``lawsup-central serve`` in its own process."""

    url: str
    base_url: str
    process: subprocess.Popen[bytes]

    @classmethod
    def start(cls, url: str, workers: int = 1, timeout: float = 60) -> Service:
        import httpx

        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "lawsup_central.cli", "--db", url, "serve", "--host",
             "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"lawsup-central exited: {output}")
            try:
                if httpx.get(base_url + "/v1/health", timeout=1).status_code == 200:
                    return cls(url, base_url, process)
            except httpx.HTTPError:
                time.sleep(0.1)  # not listening yet
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"lawsup-central did not start within {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
