"""The frozen program's entry point (PyInstaller runs this file as ``__main__``).

A file of its own rather than ``lawsup_desktop/__main__.py``: PyInstaller needs a
script path, and this keeps the package free of freezing concerns.
"""

import multiprocessing
import os
import sys


def _give_windowed_build_streams() -> None:
    # The windowed Windows build (lawsup.exe) has no console: sys.stdout and
    # sys.stderr are None there, and anything that prints (argparse --help,
    # --version, a warning) would raise. Output goes nowhere instead.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    multiprocessing.freeze_support()
    _give_windowed_build_streams()
    from lawsup_desktop.cli import main

    sys.exit(main())
