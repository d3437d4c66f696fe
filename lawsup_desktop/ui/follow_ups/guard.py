"""Task callbacks that outlive their widget: a page or dialog can be closed (and its
C++ side deleted) before a background read or write comes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtWidgets import QWidget

T = TypeVar("T")


def while_alive(
    widget: QWidget, callback: Callable[[T], None],
    otherwise: Callable[[T], None] | None = None,
) -> Callable[[T], None]:
    """``callback``, called only while ``widget`` exists; else ``otherwise`` (if any),
    e.g. to still report a failed write to the error hook."""

    def call(value: T) -> None:
        if shiboken6.isValid(widget):
            callback(value)
        elif otherwise is not None:
            otherwise(value)

    return call
