"""What day the ledger judges overdue and escalation by: one place, so tests move it."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    return dt.date.today()
