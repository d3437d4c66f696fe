"""The cheaper PySide import-hook test (lawsup_desktop/ui/pyside_import_hook.py) gives
PySide's own answer, and is the one in place once the UI package is imported."""

from __future__ import annotations

import importlib
import inspect
import sys
from types import ModuleType

import pytest

import lawsup_desktop.ui  # noqa: F401 - installs the hook
from lawsup_desktop.ui import pyside_import_hook


def pyside_answer(module: ModuleType) -> bool:
    """What PySide's ``_mod_uses_pyside`` answers (its own code, restated)."""
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False


@pytest.mark.parametrize("name", [
    "lawsup_desktop.ui.app",  # imports PySide6
    "lawsup_desktop.ui",  # a package: its __init__.py
    "lawsup_desktop.domain.errors",  # no Qt
    "json",  # the standard library
    "sys",  # built in: no file
    "sqlcipher3._sqlite3",  # an extension module: no .py file
])
def test_the_same_answer_as_pyside(name: str) -> None:
    module = importlib.import_module(name)
    expected = pyside_answer(module)
    assert pyside_import_hook.uses_pyside(module, pyside_answer) is expected
    if name == "lawsup_desktop.ui.app":
        assert expected  # the cases cover both answers
    if name == "lawsup_desktop.domain.errors":
        assert not expected


def test_installed_in_pyside_once_the_ui_package_is_imported() -> None:
    feature = sys.modules["shibokensupport.feature"]
    hook = feature._mod_uses_pyside
    assert getattr(hook, "_lawsup_raw_search", False)
    assert pyside_import_hook.install()  # again: the same function stays
    assert feature._mod_uses_pyside is hook
    assert hook(sys.modules["lawsup_desktop.ui.app"]) is True
    assert hook(sys.modules["lawsup_desktop.domain.errors"]) is False
