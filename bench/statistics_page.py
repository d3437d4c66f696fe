"""Bench: the 统计通报 page on the 200,000-incident demo database — first paint
(target ≤ 300 ms) and the charts filled in.

In one process, offscreen: the main window is started on a working copy of the
cached demo folder, then the page is opened as the navigation does
(``MainWindow.show_page``). "First paint" is from that call until the page has
been painted once (the module imported, the page built, a paint event
delivered); "charts filled" is until the figures computed in the background are
drawn as charts (QtCharts imported then). Each run is a fresh process so that
the page module's import is counted every time.

    python -m bench.statistics_page [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bench import common

TARGET_MS = 300.0


def _child(folder: str) -> None:
    import time
    from pathlib import Path

    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from lawsup_desktop.paths import DataFolder
    from lawsup_desktop.ui.app import configure_application, start

    app = QApplication([])
    configure_application(app)
    window = start(DataFolder(Path(folder)), app, error_hook=False)
    assert not isinstance(window, int)
    window.resize(1280, 860)
    window.show()
    for _ in range(20):
        app.processEvents()
    painted: list[float] = []

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    watch = PaintWatch()
    began = time.perf_counter()
    page = window.show_page("statistics")
    assert page is not None
    page.installEventFilter(watch)
    page.update()
    while not painted:
        app.processEvents()
    deadline = time.perf_counter() + 60
    while page.is_loading() and time.perf_counter() < deadline:  # type: ignore[attr-defined]
        app.processEvents()
    filled = time.perf_counter()
    print(json.dumps({"first_paint_ms": (painted[0] - began) * 1000,
                      "filled_ms": (filled - began) * 1000}))
    window.close()
    window.context.close()


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    facts = common.machine_facts()
    folder = common.working_copy(common.demo_folder(args.incidents), "statistics-page")
    paint, filled = [], []
    for _ in range(args.repeat):
        done = subprocess.run(
            [sys.executable, "-m", "bench.statistics_page", "--child", str(folder)],
            capture_output=True, text=True, env=common.child_env(), cwd=common.ROOT,
            check=True,
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        paint.append(figures["first_paint_ms"])
        filled.append(figures["filled_ms"])
    median = common.median(paint)
    ok = median <= TARGET_MS
    body = f"""Offscreen, {args.incidents:,}-incident demo database, {args.repeat} fresh processes;
from `MainWindow.show_page("statistics")` (page module imported and built) to its first
paint, and to the five charts filled with twelve months of figures computed in the
background (QtCharts imported only then).

| measure | median | max | target |
| --- | --- | --- | --- |
| first paint | {median:.0f} ms | {max(paint):.0f} ms | ≤ {TARGET_MS:.0f} ms {common.verdict(ok)} |
| charts filled | {common.median(filled):.0f} ms | {max(filled):.0f} ms | |

Runs (ms), first paint: {", ".join(f"{v:.0f}" for v in paint)}
"""
    print(body)
    common.write_section("statistics_page", "统计通报 page: first paint", body, facts)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    return run(argv)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
