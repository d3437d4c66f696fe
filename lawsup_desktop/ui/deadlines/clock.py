"""The moment the page judges deadlines at: one place, so tests can fix it."""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now()
