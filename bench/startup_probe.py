"""One start-up, timed from outside by bench/startup.py: prints READY and quits as soon
as the window is shown and the event loop is idle.

    python bench/startup_probe.py app DATA_FOLDER   # the workbench on that folder
    python bench/startup_probe.py floor             # the least any such program costs:
                                                    # Qt widgets + SQLAlchemy ORM + a window

Kept free of imports beyond what each mode needs: what it imports is what is timed.
"""

from __future__ import annotations

import sys

MARKER = "LAWSUP-READY"


def app(folder: str) -> int:
    from pathlib import Path

    from lawsup_desktop.paths import DataFolder
    from lawsup_desktop.ui.app import run_gui

    def ready(window: object) -> None:
        from PySide6.QtWidgets import QApplication

        print(MARKER, type(window).__name__, flush=True)
        QApplication.quit()

    # Resolved as the command line does (store/migrations needs an absolute path).
    return run_gui(DataFolder(Path(folder).resolve()), [sys.argv[0]], ready=ready)


def floor() -> int:
    import importlib

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    # The ORM, as the app must pay for it; after PySide6 as the app imports it (PySide6
    # hooks the imports that follow it: SQLAlchemy first is ~0.1 s of CPU cheaper).
    importlib.import_module("sqlalchemy.orm")

    application = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1200, 800)
    window.show()

    def ready() -> None:
        print(MARKER, type(window).__name__, flush=True)
        application.quit()

    QTimer.singleShot(0, ready)
    return application.exec()


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "app" and len(sys.argv) == 3:
        sys.exit(app(sys.argv[2]))
    if mode == "floor":
        sys.exit(floor())
    sys.exit(__doc__)
