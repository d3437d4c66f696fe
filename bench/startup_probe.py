"""One start-up, timed from outside by bench/startup.py: prints READY and quits as soon
as the window is shown and the event loop is idle.

    python bench/startup_probe.py app DATA_FOLDER   # the workbench on that folder
    python bench/startup_probe.py floor             # the least any such program costs:
                                                    # Qt widgets + SQLAlchemy ORM + a window
    python bench/startup_probe.py floor-qt-first    # the same, Qt imported first (the
                                                    # floor of runs before 2026-11-27 11:00)

Kept free of imports beyond what each mode needs: what it imports is what is timed.
"""

from __future__ import annotations

import sys

MARKER = "LAWSUP-READY"


def say_ready(window: object) -> None:
    """The marker line, with the CPU seconds (user + system, every thread) spent so
    far: what the start cost, which the machine's load hardly changes."""
    import os

    times = os.times()
    print(MARKER, type(window).__name__, f"cpu={times.user + times.system:.3f}", flush=True)


def app(folder: str) -> int:
    from pathlib import Path

    from lawsup_desktop.paths import DataFolder
    from lawsup_desktop.ui.app import run_gui

    def ready(window: object) -> None:
        from PySide6.QtWidgets import QApplication

        say_ready(window)
        QApplication.quit()

    # Resolved as the command line does (store/migrations needs an absolute path).
    return run_gui(DataFolder(Path(folder).resolve()), [sys.argv[0]], ready=ready)


def floor(qt_first: bool = False) -> int:
    import importlib

    # The ORM, as the app must pay for it, and before PySide6 as the app imports it
    # (lawsup_desktop/ui/__init__.py): PySide6 hooks the imports that follow it, so
    # this order is the cheaper one (about 0.09 s of CPU less than Qt first, a fifth
    # of the floor). The other order is kept to compare with earlier runs.
    if qt_first:
        importlib.import_module("PySide6.QtWidgets")
    importlib.import_module("sqlalchemy.orm")

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    application = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1200, 800)
    window.show()

    def ready() -> None:
        say_ready(window)
        application.quit()

    QTimer.singleShot(0, ready)
    return application.exec()


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "app" and len(sys.argv) == 3:
        sys.exit(app(sys.argv[2]))
    if mode in ("floor", "floor-qt-first"):
        sys.exit(floor(qt_first=mode == "floor-qt-first"))
    sys.exit(__doc__)
