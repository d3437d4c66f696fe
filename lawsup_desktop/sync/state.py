"""How sync stands (enrolled? pending changes, open conflicts, last error), read in
plain SQL.

The status bar shows this as the main window opens, so it must not pull in the data
model (``store.models``: a quarter of a second to declare) nor the sync engine: the
engine is imported when a sync runs or the sync page opens. A few ``SELECT``s on the
small sync tables (``sync_meta``, ``sync_outbox``, ``sync_conflict``, made by the
first migration) take about a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from lawsup_desktop.domain.errors import Text
from lawsup_desktop.store.database import Database

_META_KEYS = ("device_id", "server_url", "last_sync", "last_error_zh", "last_error_en")
_META_SQL = (
    f"SELECT key, value FROM sync_meta WHERE key IN ({', '.join('?' * len(_META_KEYS))})"
)
_COUNTS_SQL = (
    "SELECT (SELECT count(*) FROM sync_outbox WHERE state = 'pending'),"
    " (SELECT count(*) FROM sync_outbox WHERE state = 'rejected'),"
    " (SELECT count(*) FROM sync_conflict WHERE state = 'open')"
)


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows."""

    enrolled: bool
    server_url: str
    last_sync_server_time: str
    pending: int
    open_conflicts: int
    rejected: int
    last_error: Text | None

    def days_offline(self, now: datetime | None = None) -> int | None:
        """Whole days since the last successful sync (None: never synced). For display
        only: it compares the server's time with this computer's clock."""
        if not self.last_sync_server_time:
            return None
        last = datetime.fromisoformat(self.last_sync_server_time)
        return max(0, ((now or datetime.now(UTC)) - last).days)


def status(db: Database) -> SyncStatus:
    with db.reader.connect() as conn:
        meta = {key: value for key, value in conn.exec_driver_sql(_META_SQL, _META_KEYS)}
        pending, rejected, conflicts = conn.exec_driver_sql(_COUNTS_SQL).one()
    error_zh, error_en = meta.get("last_error_zh", ""), meta.get("last_error_en", "")
    return SyncStatus(
        enrolled=bool(meta.get("device_id")),
        server_url=meta.get("server_url", ""),
        last_sync_server_time=meta.get("last_sync", ""),
        pending=int(pending or 0),
        open_conflicts=int(conflicts or 0),
        rejected=int(rejected or 0),
        last_error=Text(error_zh, error_en) if error_zh and error_en else None,
    )
