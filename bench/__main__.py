"""``python -m bench [name ...]``: run the benchmarks (all of them, or the named ones).

A benchmark is a module of this package with ``run(argv) -> int`` (0: targets
met); modules without it are helpers. Each writes its own section of
bench/RESULTS.md. Modules that only have ``main(argv)`` are run through it, until
they grow a ``run``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import bench
from bench import common

_HELPERS = frozenset({"common", "startup_probe"})


def _entry(module: ModuleType) -> Callable[[list[str]], int] | None:
    for name in ("run", "main"):
        entry = getattr(module, name, None)
        if callable(entry):
            return _with_argv(entry)
    return None


def _with_argv(entry: Callable[..., Any]) -> Callable[[list[str]], int]:
    """Call ``entry(argv)``, or ``entry()`` when it takes no arguments (some ``main``s),
    with sys.argv then holding only the program name."""
    takes_argv = bool(inspect.signature(entry).parameters)

    def call(argv: list[str]) -> int:
        saved = sys.argv
        sys.argv = [saved[0], *argv]
        try:
            result = entry(argv) if takes_argv else entry()
        finally:
            sys.argv = saved
        return int(result or 0)

    return call


def discover() -> dict[str, Callable[[list[str]], int]]:
    """Every benchmark module, by name, in alphabetical order."""
    found: dict[str, Callable[[list[str]], int]] = {}
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in _HELPERS or info.ispkg:
            continue
        try:
            module = importlib.import_module(f"bench.{info.name}")
        except Exception as exc:  # noqa: BLE001  (a broken module must not hide the others)
            print(f"bench: skipping {info.name}: it does not import ({exc!r})", file=sys.stderr)
            continue
        entry = _entry(module)
        if entry is not None:
            found[info.name] = entry
    return found


def main(argv: Sequence[str]) -> int:
    benchmarks = discover()
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        print("benchmarks:", ", ".join(benchmarks))
        return 0
    unknown = [name for name in argv if name not in benchmarks]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(benchmarks)}",
              file=sys.stderr)
        return 2
    # The demo benchmark makes the cached database the others use: it goes first.
    names = list(argv) or sorted(benchmarks, key=lambda n: (n != "demo_speed", n))
    print(f"machine: {common.machine_markdown()}", flush=True)
    failed: list[str] = []
    for name in names:
        print(f"\n=== bench {name} ===", flush=True)
        started = time.perf_counter()
        try:
            code = benchmarks[name]([])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
            if exc.code not in (None, 0) and not isinstance(exc.code, int):
                print(exc.code, file=sys.stderr)
        except Exception:  # noqa: BLE001  (one benchmark's crash must not stop the others)
            traceback.print_exc()
            code = 1
        print(f"=== {name}: {'ok' if code == 0 else f'exit {code}'} "
              f"({time.perf_counter() - started:.0f} s) ===", flush=True)
        if code != 0:
            failed.append(name)
    print(f"\nresults: {common.RESULTS}")
    if failed:
        print(f"targets missed or errors: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
