"""A cheaper answer to the question PySide6 asks of every module imported after it.

PySide6's import hook (``shibokensupport.feature``, PYSIDE-2029) records for each
newly imported module whether it uses PySide, by searching its source for the
text "PySide6" — read through ``inspect.getsource``, which goes through
``linecache`` and ``tokenize``: about 0.2 ms a module, some 25 ms of CPU for the
130-odd modules the workbench imports after Qt on its way to the window.
:func:`install` replaces that test with the same search over the file's raw
bytes ("PySide6" is ASCII, so the answer is the same in any source encoding);
modules without a ``.py`` file still get PySide's own answer. If a later PySide
no longer has the function, nothing is changed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

_MARK = "_lawsup_raw_search"


def uses_pyside(module: ModuleType, fallback: Callable[[ModuleType], bool]) -> bool:
    """Whether ``module``'s source mentions PySide6 (PySide's own test, without the
    tokenizer); ``fallback`` answers for modules that have no readable ``.py`` file."""
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py"):
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            pass
    return fallback(module)


def install() -> bool:
    """Import PySide6 and use :func:`uses_pyside` in its import hook (idempotent).
    True if the hook is (now) the cheap one."""
    import PySide6.QtCore  # noqa: F401 - sets up the hook

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if getattr(original, _MARK, False):
        return True

    def _mod_uses_pyside(module: ModuleType) -> bool:
        return uses_pyside(module, original)

    setattr(_mod_uses_pyside, _MARK, True)
    feature._mod_uses_pyside = _mod_uses_pyside  # type: ignore[attr-defined]
    return True
