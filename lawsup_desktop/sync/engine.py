"""The sync algorithm on the station's side: push the outbox, pull the server's changes.

- Push sends the outbox in device order, in batches. A batch's results are written
  back in one transaction; if the answer is lost, the next push resends the same
  ops and the service answers with the results it stored (exactly once).
- Pull applies one page and moves the cursor in one transaction, so a crash half-way
  leaves the cursor where it was. Fields with unpushed local changes are never
  overwritten. Pages are applied with foreign keys off: a record can arrive before
  the record it refers to (the parent changed later, so it comes later).
- What a pull withholds for unpushed local changes is not lost: the cursor has
  moved past it, so once those changes are pushed the record is fetched again
  (``refetch_withheld``). The push alone cannot bring it: a retried op gets the
  result stored when it was first applied, and a hard conflict leaves the
  service's value standing, so neither says what the record holds now.
- Conflicts are records of the service; they arrive by pull into ``sync_conflict``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError

from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.store.audit import SYSTEM
from lawsup_desktop.store.base import Base, new_id
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Station, Workstation
from lawsup_desktop.store.sync_models import (
    SyncConflict,
    SyncHistory,
    SyncMeta,
    SyncOutbox,
    SyncRecordState,
)
from lawsup_desktop.sync.client import SyncClient, SyncError
from lawsup_desktop.sync.field_types import required_fields, wrong_fields
from lawsup_desktop.sync.rules import (
    CLOCK_SKEW_LIMIT_S,
    CONFLICT_ENTITY,
    NATURAL_KEYS,
    Digest,
    derived_id,
    parse,
    plain,
    synced_columns,
    synced_tables,
)
from lawsup_desktop.sync.tokens import TokenStore

_log = logging.getLogger(__name__)

PUSH_BATCH = 200
PULL_PAGE = 5000
"""Records per pull page: the service's largest (lawsup_central.app.MAX_PAGE). Each
page is one transaction, and each commit rewrites every index page the page's rows
touched; with random ids that is most of the id indexes, so fewer, larger pages
write far less (a new device pulling 50,000 incidents: 11.7 s at 1,000 per page,
8.4 s at 5,000)."""
CHUNK = 1 << 20
WITHHELD = "withheld"
"""sync_meta key: a JSON list of [entity, id] of records whose pulled values were not
all applied because local changes to them were still to be pushed (module doc)."""
REFETCH_BATCH = 200

NOT_ENROLLED = Text("本机尚未注册到县局同步服务器。请先注册（lawsup enroll 服务器地址 注册码）。",
                    "This workstation is not enrolled with the bureau's sync server. Enrol it "
                    "first (lawsup enroll SERVER CODE).")
NO_TOKEN = Text("找不到本机的同步令牌（系统密钥环中没有）。"
                "请重新注册本机，或设置 LAWSUP_SYNC_TOKEN。",
                "No sync token for this workstation (none in the system keyring). Enrol it "
                "again, or set LAWSUP_SYNC_TOKEN.")


DEMO_NOT_ENROLLED = Text(
    "此数据文件夹中有演示数据（lawsup demo 生成），演示数据不会上传到县局，"
    "因此本数据文件夹不能注册到同步服务器。请为正式工作另建一个数据文件夹"
    "（--data-dir 新文件夹），在那里完成初始设置后再注册。",
    "This data folder holds demo data (made by lawsup demo). Demo data never goes to the "
    "bureau, so this folder cannot be enrolled with the sync server. For real work, make a "
    "new data folder (--data-dir NEW_FOLDER), set it up and enrol that one.")


def holds_demo_data(conn: Connection) -> bool:
    """Whether ``lawsup demo`` filled this database: it leaves one audit entry of
    entity "demo" (folders made before this check have it too)."""
    return conn.exec_driver_sql(
        "SELECT 1 FROM audit_entry WHERE entity = 'demo' LIMIT 1").first() is not None


def clock_warning(skew_s: float) -> Text:
    minutes = round(abs(skew_s) / 60)
    direction_zh, direction_en = ("快", "fast") if skew_s > 0 else ("慢", "slow")
    return Text(f"本机时钟比服务器{direction_zh}约 {minutes} 分钟，请校准系统时间。",
                f"This computer's clock is about {minutes} minutes {direction_en} compared "
                "with the server; please correct the system time.")


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    pulled: int
    conflicts: int
    rejected: int
    pending: int
    server_time: str
    clock_skew_s: float | None
    clock_warning: Text | None


# --- meta -------------------------------------------------------------------------


def get_meta(conn: Connection, key: str, default: str = "") -> str:
    value = conn.scalar(select(SyncMeta.value).where(SyncMeta.key == key))
    return default if value is None else str(value)


def set_meta(conn: Connection, key: str, value: str) -> None:
    if conn.scalar(select(func.count()).where(SyncMeta.key == key)):
        conn.execute(update(SyncMeta).where(SyncMeta.key == key).values(value=value))
    else:
        conn.execute(insert(SyncMeta).values(key=key, value=value))


def _withheld(conn: Connection) -> set[tuple[str, str]]:
    return {(str(e), str(i)) for e, i in json.loads(get_meta(conn, WITHHELD, "[]"))}


def _set_withheld(conn: Connection, keys: set[tuple[str, str]]) -> None:
    set_meta(conn, WITHHELD, json.dumps(sorted(keys)))


def _set_record_states(conn: Connection, states: list[dict[str, Any]]) -> None:
    """Upsert (entity, record_id) → server_version, many at once."""
    if not states:
        return
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    statement = sqlite_insert(SyncRecordState)
    conn.execute(statement.on_conflict_do_update(
        index_elements=["entity", "record_id"],
        set_={"server_version": statement.excluded.server_version}), states)


def _fitting(record: dict[str, Any]) -> dict[str, Any]:
    """The pulled record without the values that do not fit their column (a service
    from before it checked pushed types may hold them): storing one would crash the
    pull or store a coerced value, so the field keeps its local value (or, on a new
    row, its default), with a warning."""
    data = record["data"]
    # Nulls are judged per row (_apply_group): a new row with a null where one is not
    # allowed becomes a conflict the user sees (its insert fails), an update skips it.
    wrong = wrong_fields(record["entity"], data.items(), judge_nulls=False)
    if not wrong:
        return record
    _log.warning("pulled %s %s: ignored wrongly typed field(s) %s", record["entity"],
                 record["id"], ", ".join(wrong))
    return {**record, "data": {k: v for k, v in data.items() if k not in wrong}}


@contextmanager
def raw_write(db: Database, *, foreign_keys: bool = True) -> Iterator[Connection]:
    """A Core transaction on the writer connection, optionally with foreign keys off
    (PRAGMA foreign_keys is a no-op inside a transaction, so it is set before BEGIN)."""
    with db.writer.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        if not foreign_keys:
            driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                yield conn
        finally:
            if not foreign_keys:
                driver.execute("PRAGMA foreign_keys = ON")


def rekey(conn: Connection, entity: str, old_id: str, new_id: str) -> None:
    """Give a local record the id the bureau knows it by, in every reference to it.
    Needs deferred (or disabled) foreign keys."""
    tables = Base.metadata.tables
    target = tables[entity]
    conn.execute(update(target).where(target.c.id == old_id).values(id=new_id))
    for table in tables.values():
        for fk in table.foreign_keys:
            if fk.column.table is target:
                column = fk.parent
                conn.execute(update(table).where(column == old_id).values({column.name: new_id}))
    conn.execute(update(SyncOutbox).where(SyncOutbox.record_id == old_id)
                 .values(record_id=new_id))
    # Ops written before the new id was known carry the old one in their values.
    conn.exec_driver_sql(
        "UPDATE sync_outbox SET fields = replace(fields, ?, ?) WHERE instr(fields, ?) > 0",
        (old_id, new_id, old_id),
    )
    conn.execute(update(SyncRecordState).where(SyncRecordState.record_id == old_id)
                 .values(record_id=new_id))


# --- enrolment ---------------------------------------------------------------------


@dataclass(frozen=True)
class Enrollment:
    server_url: str
    device_id: str
    station_code: str
    station_name: str
    warning: Text | None


def enroll(db: Database, server_url: str, code: str, tokens: TokenStore, *,
           ca_bundle: Path | None = None, client: SyncClient | None = None) -> Enrollment:
    """Exchange the bureau's one-time code for a device token (kept in the keyring).

    The local station row takes the bureau's id for the station, so every device of
    one station agrees on it."""
    with db.read() as session:
        workstation = session.scalars(select(Workstation)).first()
        if workstation is None:
            raise LawsupError(Text("请先完成本机初始设置，再注册到县局。",
                                   "Set up this workstation before enrolling it."))
        local_station_id = workstation.station_id
        # Checked before the server is asked, so the one-time code stays unused.
        if holds_demo_data(session.connection()):
            raise LawsupError(DEMO_NOT_ENROLLED)
    own = client is None
    client = client or SyncClient(server_url, ca_bundle=ca_bundle)
    try:
        answer = client.enroll(code)
    finally:
        if own:
            client.close()
    station = answer["station"]
    with raw_write(db, foreign_keys=False) as conn:
        if station["id"] != local_station_id:
            rekey(conn, "station", local_station_id, station["id"])
        first_pending = conn.scalar(select(func.min(SyncOutbox.seq)))
        if first_pending is None:
            last = conn.exec_driver_sql(
                "SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'").scalar()
            seq_base = int(last or 0)
        else:
            seq_base = int(first_pending) - 1
        for key, value in (("server_url", client.server_url), ("device_id", answer["device_id"]),
                           ("station_id", station["id"]), ("station_code", station["code"]),
                           ("seq_base", str(seq_base)), ("cursor", "0"),
                           ("ca_bundle", str(ca_bundle or "")), ("last_error_zh", ""),
                           ("last_error_en", "")):
            set_meta(conn, key, value)
        # Ops refused by an earlier enrolment get another chance with this one.
        conn.execute(update(SyncOutbox).where(SyncOutbox.state == "rejected")
                     .values(state="pending"))
    warning = tokens.save(answer["device_id"], answer["token"])
    return Enrollment(client.server_url, answer["device_id"], station["code"], station["name"],
                      warning)


# --- the engine ---------------------------------------------------------------------


class SyncEngine:
    def __init__(self, db: Database, client: SyncClient, *, attachments: Path | None = None,
                 push_batch: int = PUSH_BATCH, pull_page: int = PULL_PAGE) -> None:
        self.db = db
        self.client = client
        self.attachments = attachments
        self.push_batch = push_batch
        self.pull_page = pull_page
        # A seam for tests: called before each pulled record is applied.
        self.before_apply: Callable[[dict[str, Any]], None] | None = None
        # Told ("push" | "pull", records so far) after each batch / page, between
        # transactions (so it may raise to stop the sync there: nothing is half-done).
        self.on_progress: Callable[[str, int], None] | None = None

    @classmethod
    def open(cls, db: Database, tokens: TokenStore, *, attachments: Path | None = None,
             token: str | None = None, **kwargs: Any) -> SyncEngine:
        """The engine for this workstation's enrolment; the token comes from the keyring
        (or ``token``, e.g. from LAWSUP_SYNC_TOKEN)."""
        with db.reader.connect() as conn:
            server_url = get_meta(conn, "server_url")
            device_id = get_meta(conn, "device_id")
            ca_bundle = get_meta(conn, "ca_bundle")
        if not server_url or not device_id:
            raise SyncError(NOT_ENROLLED, code="not_enrolled")
        token = token or tokens.load(device_id)
        if not token:
            raise SyncError(NO_TOKEN, code="no_token")
        client = SyncClient(server_url, token, ca_bundle=Path(ca_bundle) if ca_bundle else None,
                            **kwargs)
        return cls(db, client, attachments=attachments)

    # -- one sync --------------------------------------------------------------

    def sync(self) -> SyncReport:
        """Push, then pull (a first sync pulls first, so the bureau's reference records
        replace the station's seed copies before anything refers to them on the server)."""
        pushed = conflicts = rejected = pulled = 0
        try:
            if self._meta("cursor", "0") == "0":
                pulled += self.pull()
            self.upload_attachments()
            pushed, conflicts, rejected = self.push()
            self.refetch_withheld()
            pulled += self.pull()
            self.download_files()
        except LawsupError as exc:
            self._record(pushed, pulled, conflicts, rejected, error=exc.message)
            raise
        skew = self.client.clock_skew_s
        warning = clock_warning(skew) if skew is not None and \
            abs(skew) > CLOCK_SKEW_LIMIT_S else None
        self._record(pushed, pulled, conflicts, rejected, error=None)
        return SyncReport(pushed, pulled, conflicts, rejected, self.pending_count(),
                          self.client.server_time or "", skew, warning)

    def _meta(self, key: str, default: str = "") -> str:
        with self.db.reader.connect() as conn:
            return get_meta(conn, key, default)

    def _record(self, pushed: int, pulled: int, conflicts: int, rejected: int,
                error: Text | None) -> None:
        with raw_write(self.db) as conn:
            conn.execute(insert(SyncHistory).values(
                server_time=self.client.server_time or "", pushed=pushed, pulled=pulled,
                conflicts=conflicts, rejected=rejected,
                error_zh=error.zh if error else "", error_en=error.en if error else ""))
            set_meta(conn, "last_error_zh", error.zh if error else "")
            set_meta(conn, "last_error_en", error.en if error else "")
            if error is None and self.client.server_time:
                set_meta(conn, "last_sync", self.client.server_time)

    def pending_count(self) -> int:
        with self.db.reader.connect() as conn:
            return int(conn.scalar(select(func.count()).where(SyncOutbox.state == "pending"))
                       or 0)

    # -- push --------------------------------------------------------------------

    def push(self) -> tuple[int, int, int]:
        pushed = conflicts = rejected = 0
        seq_base = int(self._meta("seq_base", "0"))
        while True:
            with self.db.reader.connect() as conn:
                rows = conn.execute(
                    select(SyncOutbox).where(SyncOutbox.state == "pending")
                    .order_by(SyncOutbox.seq).limit(self.push_batch)
                ).mappings().all()
            if not rows:
                return pushed, conflicts, rejected
            ops = [{"op_id": r["op_id"], "seq": r["seq"] - seq_base, "entity": r["entity"],
                    "record_id": r["record_id"], "kind": r["kind"],
                    "base_version": r["base_version"], "fields": r["fields"]} for r in rows]
            try:
                answer = self.client.push(ops)
            except SyncError as refusal:
                if refusal.code == "seq_taken" and rows[0]["seq"] - seq_base != \
                        refusal.detail.get("expected_seq"):
                    seq_base = self._renumber(rows[0]["seq"], refusal.detail)
                    continue
                raise
            with raw_write(self.db) as conn:
                done: list[str] = []
                states: list[dict[str, Any]] = []
                for result in answer["results"]:
                    status = result.get("status")
                    if status == "rejected":
                        reason = result.get("reason") or {}
                        conn.execute(update(SyncOutbox).where(
                            SyncOutbox.op_id == result["op_id"]).values(
                            state="rejected", reason_zh=str(reason.get("zh", "")),
                            reason_en=str(reason.get("en", ""))))
                        rejected += 1
                        continue
                    if status not in ("applied", "conflict"):
                        raise SyncError(Text("服务器返回了无法识别的结果。",
                                             "The server returned an unknown result."),
                                        code="bad_answer")
                    conflicts += status == "conflict"
                    done.append(result["op_id"])
                    if isinstance(result.get("version"), int) and \
                            result["entity"] != CONFLICT_ENTITY:
                        states.append({"entity": result["entity"],
                                       "record_id": result["record_id"],
                                       "server_version": result["version"]})
                conn.execute(delete(SyncOutbox).where(SyncOutbox.op_id.in_(done)))
                _set_record_states(conn, list({(s["entity"], s["record_id"]): s
                                               for s in states}.values()))
            pushed += len(answer["results"])
            if self.on_progress is not None:
                self.on_progress("push", pushed)
            stopped = answer.get("stopped")
            # A stop at a number already taken: the next batch starts at the refused
            # op and is renumbered; any other stop (a gap) is an error.
            if isinstance(stopped, dict) and stopped.get("error") != "seq_taken":
                message = stopped.get("message") or {}
                raise SyncError(Text(f"同步服务拒绝了请求：{message.get('zh', '')}",
                                     f"The sync service refused the request: "
                                     f"{message.get('en', '')}"),
                                code=str(stopped.get("error", "")), status=409,
                                detail=stopped)

    def _renumber(self, first_seq: int, detail: dict[str, Any]) -> int:
        """The service has numbers this outbox does not (a backup was restored after
        they were pushed): number the unsent ops on from the service's last one.
        Only a number already taken is renumbered; a gap is never papered over."""
        expected = detail.get("expected_seq")
        if not isinstance(expected, int):
            raise SyncError(Text("服务器返回了无法识别的结果。",
                                 "The server returned an unknown result."), code="bad_answer")
        seq_base = first_seq - expected
        with raw_write(self.db) as conn:
            set_meta(conn, "seq_base", str(seq_base))
        return seq_base

    # -- pull --------------------------------------------------------------------

    def pull(self, *, from_start: bool = False) -> int:
        """Pull every page; ``from_start`` re-reads everything (a full re-sync)."""
        pulled = 0
        cursor = 0 if from_start else int(self._meta("cursor", "0"))
        while True:
            page = self.client.pull(cursor, self.pull_page)
            self.apply_page(page["records"], page["cursor"])
            pulled += len(page["records"])
            cursor = page["cursor"]
            if self.on_progress is not None:
                self.on_progress("pull", pulled)
            if not page.get("more"):
                return pulled

    def apply_page(self, records: list[dict[str, Any]], cursor: int) -> None:
        with raw_write(self.db, foreign_keys=False) as conn:
            self._apply_records(conn, records)
            current = int(get_meta(conn, "cursor", "0"))
            set_meta(conn, "cursor", str(max(current, cursor)))

    def _apply_records(self, conn: Connection, records: list[dict[str, Any]]) -> None:
        """Apply server records (a pull page, or records fetched again); the records
        whose values were withheld for pending local changes join ``WITHHELD`` in the
        same transaction."""
        tables = synced_tables()
        pending = self._pending_fields(conn, [r["id"] for r in records])
        by_entity: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            if self.before_apply is not None:
                self.before_apply(record)
            if record["entity"] == CONFLICT_ENTITY:
                self._store_conflict(conn, record)
            elif record["entity"] in tables:  # else a type this version does not know
                by_entity.setdefault(record["entity"], []).append(_fitting(record))
        withheld: set[tuple[str, str]] = set()
        skipped: set[str] = set()
        for entity, group in by_entity.items():
            withheld |= self._apply_group(conn, tables[entity], group, pending, skipped)
        _set_record_states(conn, [
            {"entity": r["entity"], "record_id": r["id"], "server_version": int(r["version"])}
            for group in by_entity.values() for r in group if r["id"] not in skipped])
        if withheld:
            _set_withheld(conn, _withheld(conn) | withheld)

    def refetch_withheld(self) -> int:
        """Fetch again each withheld record (``WITHHELD``) that has no pending local
        change left, and apply it as a pull would. Returns how many were fetched."""
        with self.db.reader.connect() as conn:
            keys = _withheld(conn)
            if not keys:
                return 0
            still = self._pending_fields(conn, sorted({record_id for _, record_id in keys}))
        due = sorted(keys - set(still))
        for start in range(0, len(due), REFETCH_BATCH):
            chunk = due[start:start + REFETCH_BATCH]
            records = [r for r in (self._fetch(e, i) for e, i in chunk) if r is not None]
            with raw_write(self.db, foreign_keys=False) as conn:
                # Removed first: a record edited again meanwhile is withheld again.
                _set_withheld(conn, _withheld(conn) - set(chunk))
                self._apply_records(conn, records)
        return len(due)

    def _fetch(self, entity: str, record_id: str) -> dict[str, Any] | None:
        """The record as the service has it now; None when it is not (or no longer) in
        this station's scope."""
        try:
            record = self.client.record(entity, record_id)
        except SyncError as exc:
            if exc.status == 404:
                return None
            raise
        if record.get("entity") != entity or record.get("id") != record_id or \
                not isinstance(record.get("data"), dict) or \
                not isinstance(record.get("version"), int):
            raise SyncError(Text("服务器返回了无法识别的结果。",
                                 "The server returned an unknown result."), code="bad_answer")
        return record

    def _apply_group(self, conn: Connection, table: Table, group: list[dict[str, Any]],
                     pending: dict[tuple[str, str], set[str]],
                     skipped: set[str]) -> set[tuple[str, str]]:
        """Apply the page's records of one type: new ones inserted together, changed
        ones updated field by field (never the fields with unpushed local changes).
        Returns the records with a server value withheld for such a change; the ids of
        new records that cannot be stored (a required field missing) join ``skipped``."""
        columns = synced_columns(table)
        existing: dict[str, Any] = {}
        ids = [r["id"] for r in group]
        for start in range(0, len(ids), 500):
            for found in conn.execute(select(*columns).where(
                    table.c.id.in_(ids[start:start + 500]))).mappings():
                existing[found["id"]] = found
        now = datetime.now(UTC)
        new_rows: list[dict[str, Any]] = []
        withheld: set[tuple[str, str]] = set()
        for record in group:
            data: dict[str, Any] = record["data"]
            row = existing.get(record["id"])
            if row is None and table.name in NATURAL_KEYS:
                row = self._adopt_by_natural_key(conn, table, record)
            if row is None:
                missing = required_fields(table.name) - data.keys()
                if missing:
                    # Only a wrongly typed value dropped by _fitting can cause this: the
                    # record stays out until the service sends a storable version.
                    _log.warning("pulled %s %s not stored: no usable %s", table.name,
                                 record["id"], ", ".join(sorted(missing)))
                    skipped.add(record["id"])
                    continue
                new_rows.append({**{c.name: parse(c, data.get(c.name)) for c in columns
                                    if c.name in data}, "version": 1, "updated_at": now})
                continue
            mine = pending.get((table.name, record["id"]), set())
            if mine and any(c.name in data and c.name != "id" and ("*" in mine or c.name in mine)
                            and plain(row[c.name]) != data[c.name] for c in columns):
                withheld.add((table.name, record["id"]))
            if "*" in mine:
                continue  # created here and not yet pushed: ours stands
            changes = {c.name: parse(c, data[c.name]) for c in columns
                       if c.name in data and c.name != "id" and c.name not in mine
                       and plain(row[c.name]) != data[c.name]}
            nulls = [n for n, v in changes.items() if v is None and not table.c[n].nullable]
            if nulls:  # NOT NULL would fail the whole page's transaction
                _log.warning("pulled %s %s: ignored null in %s", table.name, record["id"],
                             ", ".join(nulls))
                for name in nulls:
                    del changes[name]
            if changes:
                conn.execute(update(table).where(table.c.id == record["id"])
                             .values(**changes, version=table.c.version + 1, updated_at=now))
        if not new_rows:
            return withheld
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for values in new_rows:
            shapes.setdefault(tuple(sorted(values)), []).append(values)
        for rows in shapes.values():
            # No savepoint around the batch: with one open, SQLite journals every page
            # each row's statement touches, which made a new device's pull 4-5x slower
            # (bench/sync.py). A failed row's statement is undone by SQLite on its own
            # and the transaction stays open; the rows before it stay inserted, exactly
            # as the one-by-one retry below would have inserted them (a page holds each
            # record once: the service keys records by type and id).
            try:
                conn.execute(insert(table), rows)
            except IntegrityError:
                inserted = self._present(conn, table, [values["id"] for values in rows])
                for values in rows:  # find the one that clashes, keep the others
                    if values["id"] in inserted:
                        continue
                    try:
                        with conn.begin_nested():
                            conn.execute(insert(table), [values])
                    except IntegrityError as exc:
                        self._duplicate(conn, table.name, values["id"],
                                        {k: plain(v) for k, v in values.items()
                                         if k not in ("version", "updated_at")},
                                        str(exc.orig))
        return withheld

    @staticmethod
    def _present(conn: Connection, table: Table, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            found.update(conn.scalars(select(table.c.id).where(
                table.c.id.in_(ids[start:start + 500]))))
        return found

    def _adopt_by_natural_key(self, conn: Connection, table: Table,
                              record: dict[str, Any]) -> Any:
        data = record["data"]
        key = NATURAL_KEYS[table.name]
        match = conn.execute(select(table.c.id).where(
            *[table.c[k] == parse(table.c[k], data.get(k)) for k in key])).scalar()
        if match is None:
            return None
        rekey(conn, table.name, match, record["id"])
        return conn.execute(select(*synced_columns(table)).where(
            table.c.id == record["id"])).mappings().first()

    def _pending_fields(self, conn: Connection, ids: list[str]) -> dict[tuple[str, str], set[str]]:
        pending: dict[tuple[str, str], set[str]] = {}
        for start in range(0, len(ids), 500):
            for entity, record_id, kind, fields in conn.execute(
                select(SyncOutbox.entity, SyncOutbox.record_id, SyncOutbox.kind,
                       SyncOutbox.fields).where(SyncOutbox.state == "pending",
                                                SyncOutbox.record_id.in_(ids[start:start + 500]))
            ):
                names = pending.setdefault((entity, record_id), set())
                names.update(["*"] if kind == "insert" else fields)
        return pending

    def _duplicate(self, conn: Connection, entity: str, record_id: str, data: dict[str, Any],
                   reason: str) -> None:
        """A pulled record clashes with a local one on a unique key (the same incident
        number entered at two workstations, say): kept as a conflict for the user."""
        conflict_id = derived_id("duplicate", entity, record_id)
        if conn.scalar(select(func.count()).where(SyncConflict.id == conflict_id)):
            return
        conn.execute(insert(SyncConflict).values(
            id=conflict_id, entity=entity, record_id=record_id, kind="duplicate",
            fields={k: {"mine": None, "theirs": v, "base": None} for k, v in data.items()},
            state="open", detail={"reason": reason},
            created_at=self.client.server_time or ""))

    def _store_conflict(self, conn: Connection, record: dict[str, Any]) -> None:
        data = record["data"]
        values = {"entity": data.get("entity", ""), "record_id": data.get("record_id", ""),
                  "kind": data.get("kind", "field"), "fields": data.get("fields", {}),
                  "state": data.get("state", "open"), "detail": data.get("detail", {}),
                  "created_at": data.get("created_at", "")}
        done = conn.execute(update(SyncConflict).where(SyncConflict.id == record["id"])
                            .values(**values))
        if done.rowcount == 0:
            conn.execute(insert(SyncConflict).values(id=record["id"], **values))

    # -- conflicts -------------------------------------------------------------------

    def resolve_conflict(self, conflict_id: str, choose: dict[str, str]) -> None:
        """Resolve a hard conflict: ``choose`` maps each field to "mine" or "theirs".
        The chosen values become a normal edit (an op), and the resolution an op too."""
        tables = synced_tables()
        with self.db.write(SYSTEM) as session:
            conflict = session.get(SyncConflict, conflict_id)
            if conflict is None or conflict.state != "open":
                raise LawsupError(Text("该冲突不存在或已解决。",
                                       "The conflict does not exist or is resolved."))
            table = tables[conflict.entity]
            mapper = next(m for m in Base.registry.mappers if m.local_table is table)
            obj = session.get(mapper.class_, conflict.record_id)
            if obj is not None:
                for name, side in choose.items():
                    if side == "mine" and name in conflict.fields:
                        value = parse(table.c[name], conflict.fields[name]["mine"])
                        setattr(obj, name, value)
            conflict.state = "resolved"
            session.flush()
            session.execute(insert(SyncOutbox).values(
                op_id=new_id(),
                entity=CONFLICT_ENTITY, record_id=conflict_id, kind="resolve",
                base_version=None, fields={"resolution": [None, choose]}, state="pending",
                reason_zh="", reason_en=""))

    # -- attachments -------------------------------------------------------------------

    def _store(self) -> Any:
        from lawsup_desktop.services.attachments import AttachmentStore

        assert self.attachments is not None
        return AttachmentStore(self.attachments)

    def upload_attachments(self) -> int:
        """Upload the files of attachments whose insert is still to be pushed; resumes
        from what the server already has."""
        if self.attachments is None:
            return 0
        with self.db.reader.connect() as conn:
            shas = conn.execute(text(
                "SELECT DISTINCT a.sha256, a.size FROM attachment a JOIN sync_outbox o "
                "ON o.record_id = a.id WHERE o.entity = 'attachment' AND o.kind = 'insert' "
                "AND o.state = 'pending'")).all()
        store = self._store()
        for sha, size in shas:
            path = store.path_for(sha)
            if not path.is_file():
                continue  # nothing to send; the record still syncs
            state = self.client.blob_state(sha)
            received = 0 if state.get("size") is None else int(state.get("received", 0))
            if state.get("complete"):
                continue
            with path.open("rb") as f:
                f.seek(received)
                while received < size:
                    chunk = f.read(CHUNK)
                    if not chunk:
                        break
                    answer = self.client.upload_chunk(sha, size, received, chunk)
                    received = int(answer["received"])
        return len(shas)

    def download_files(self) -> int:
        """Fetch files referenced by pulled records and missing here; hash verified."""
        if self.attachments is None:
            return 0
        with self.db.reader.connect() as conn:
            shas = [r[0] for r in conn.execute(text(
                "SELECT sha256 FROM attachment WHERE deleted_at IS NULL UNION "
                "SELECT attachment_sha256 FROM guidance WHERE attachment_sha256 IS NOT NULL"))]
        store = self._store()
        fetched = 0
        for sha in shas:
            target = store.path_for(sha)
            if target.is_file():
                continue
            state = self.client.blob_state(sha)
            if not state.get("complete"):
                continue  # not uploaded yet: the next sync tries again
            partial = target.with_name(target.name + ".part")
            partial.parent.mkdir(parents=True, exist_ok=True)
            offset = partial.stat().st_size if partial.exists() else 0
            with partial.open("ab") as f:
                while offset < int(state["size"]):
                    chunk = self.client.download_chunk(sha, offset, CHUNK)
                    if not chunk:
                        break
                    f.write(chunk)
                    offset += len(chunk)
            digest = hashlib.sha256(partial.read_bytes()).hexdigest()
            if digest != sha:
                partial.unlink()
                raise SyncError(Text("下载的文件内容与哈希不符，已丢弃，下次同步将重新下载。",
                                     "A downloaded file did not match its hash; it was discarded "
                                     "and will be fetched again at the next sync."),
                                code="hash_mismatch")
            os.replace(partial, target)
            fetched += 1
        return fetched

    # -- checks ----------------------------------------------------------------------

    def local_checksums(self) -> dict[str, dict[str, Any]]:
        return local_checksums(self.db)

    def differences(self) -> list[str]:
        """The record types whose count or checksum differ from the server's."""
        mine, theirs = self.local_checksums(), self.client.checksums()
        return sorted(e for e in set(mine) | set(theirs) if mine.get(e) != theirs.get(e))


def local_checksums(db: Database) -> dict[str, dict[str, Any]]:
    digest = Digest()
    with db.reader.connect() as conn:
        for entity, table in synced_tables().items():
            columns = synced_columns(table)
            for row in conn.execute(select(*columns)).mappings():
                digest.add(entity, row["id"], {c.name: plain(row[c.name]) for c in columns})
    return digest.result()


def local_station_id(db: Database) -> str:
    with db.read() as session:
        return str(session.scalars(select(Station.id).where(Station.is_local)).first() or "")


_BADGE_RANK = {"conflict": 4, "rejected": 3, "pending": 2, "synced": 1}


def badges(db: Database, entity: str, record_ids: list[str]) -> dict[str, str]:
    """Per-record sync badge: "conflict", "rejected", "pending", "synced" or "local"
    (never enrolled / never pushed). The rejection reason is in the outbox row.
    One statement per 500 ids: the three indexed look-ups in a UNION ALL, the
    strongest badge of each record kept here."""
    out = dict.fromkeys(record_ids, "local")
    with db.reader.connect() as conn:
        for start in range(0, len(record_ids), 500):
            chunk = record_ids[start:start + 500]
            query = union_all(
                select(SyncConflict.record_id, literal("conflict")).where(
                    SyncConflict.state == "open", SyncConflict.record_id.in_(chunk)),
                select(SyncOutbox.record_id, SyncOutbox.state).where(
                    SyncOutbox.entity == entity, SyncOutbox.record_id.in_(chunk),
                    SyncOutbox.state.in_(("rejected", "pending"))),
                select(SyncRecordState.record_id, literal("synced")).where(
                    SyncRecordState.entity == entity, SyncRecordState.record_id.in_(chunk)),
            )
            for record_id, badge in conn.execute(query):
                if _BADGE_RANK[badge] > _BADGE_RANK.get(out[record_id], 0):
                    out[record_id] = badge
    return out


# --- read-only views for the sync page (plain values, no ORM rows) ---------------------

# The column that names a record to a user, first found wins (else its id is shown).
_TITLE_COLUMNS = ("incident_no", "number", "case_no", "form_no", "title", "name", "code")


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    started_at: datetime  # this workstation's clock: shown, never compared
    server_time: str
    pushed: int
    pulled: int
    conflicts: int
    rejected: int
    error: Text | None


@dataclass(frozen=True)
class ConflictField:
    name: str
    mine: Any
    theirs: Any
    base: Any


@dataclass(frozen=True)
class OpenConflict:
    id: str
    entity: str
    record_id: str
    record_title: str
    kind: str
    fields: tuple[ConflictField, ...]
    created_at: str  # server time
    detail: dict[str, Any]


@dataclass(frozen=True)
class RejectedOp:
    op_id: str
    entity: str
    record_id: str
    record_title: str
    kind: str
    fields: tuple[str, ...]
    reason: Text
    created_at: datetime


def history(db: Database, limit: int = 200) -> list[HistoryEntry]:
    """The latest sync runs, newest first."""
    with db.reader.connect() as conn:
        rows = conn.execute(select(SyncHistory).order_by(SyncHistory.id.desc())
                            .limit(limit)).mappings().all()
    return [HistoryEntry(r["id"], r["started_at"], r["server_time"], r["pushed"], r["pulled"],
                         r["conflicts"], r["rejected"],
                         Text(r["error_zh"], r["error_en"]) if r["error_zh"] else None)
            for r in rows]


def _record_titles(conn: Connection, entity: str, ids: list[str]) -> dict[str, str]:
    table = Base.metadata.tables.get(entity)
    if table is None or not ids:
        return {}
    column = next((table.c[name] for name in _TITLE_COLUMNS if name in table.c), None)
    if column is None:
        return {}
    titles: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        for record_id, title in conn.execute(select(table.c.id, column).where(
                table.c.id.in_(ids[start:start + 500]))):
            titles[record_id] = str(title or "")
    return titles


def open_conflicts(db: Database) -> list[OpenConflict]:
    """Hard conflicts waiting for the user, oldest first (by the server's time)."""
    with db.reader.connect() as conn:
        rows = conn.execute(select(SyncConflict).where(SyncConflict.state == "open")
                            .order_by(SyncConflict.created_at, SyncConflict.id)).mappings().all()
        titles: dict[tuple[str, str], str] = {}
        for entity in {r["entity"] for r in rows}:
            ids = [r["record_id"] for r in rows if r["entity"] == entity]
            titles.update({(entity, k): v for k, v in _record_titles(conn, entity, ids).items()})
    out: list[OpenConflict] = []
    for r in rows:
        fields = tuple(ConflictField(name, (v or {}).get("mine"), (v or {}).get("theirs"),
                                     (v or {}).get("base"))
                       for name, v in sorted((r["fields"] or {}).items()))
        out.append(OpenConflict(r["id"], r["entity"], r["record_id"],
                                titles.get((r["entity"], r["record_id"]), ""), r["kind"], fields,
                                r["created_at"], dict(r["detail"] or {})))
    return out


def rejected_ops(db: Database) -> list[RejectedOp]:
    """Local changes the service refused, with its reason, in device order."""
    with db.reader.connect() as conn:
        rows = conn.execute(select(SyncOutbox).where(SyncOutbox.state == "rejected")
                            .order_by(SyncOutbox.seq)).mappings().all()
        titles: dict[tuple[str, str], str] = {}
        for entity in {r["entity"] for r in rows}:
            ids = [r["record_id"] for r in rows if r["entity"] == entity]
            titles.update({(entity, k): v for k, v in _record_titles(conn, entity, ids).items()})
    return [RejectedOp(r["op_id"], r["entity"], r["record_id"],
                       titles.get((r["entity"], r["record_id"]), ""), r["kind"],
                       tuple(sorted(r["fields"] or {})), Text(r["reason_zh"], r["reason_en"]),
                       r["created_at"]) for r in rows]


def rejection_reasons(db: Database, entity: str, record_ids: list[str]) -> dict[str, Text]:
    """The service's reason for each record with a refused change (badge tooltips)."""
    out: dict[str, Text] = {}
    with db.reader.connect() as conn:
        for start in range(0, len(record_ids), 500):
            for record_id, zh, en in conn.execute(select(
                    SyncOutbox.record_id, SyncOutbox.reason_zh, SyncOutbox.reason_en).where(
                    SyncOutbox.entity == entity, SyncOutbox.state == "rejected",
                    SyncOutbox.record_id.in_(record_ids[start:start + 500]))
                    .order_by(SyncOutbox.seq)):
                out.setdefault(record_id, Text(zh, en))
    return out


def ca_bundle(db: Database) -> Path | None:
    """The bureau's own CA bundle the client verifies the server with (None: system CAs)."""
    with db.reader.connect() as conn:
        value = get_meta(conn, "ca_bundle")
    return Path(value) if value else None


def set_ca_bundle(db: Database, path: Path | None) -> None:
    """Use ``path`` (a PEM file) to verify the server from the next sync on; None: the
    system's CAs. Verification itself is never switched off."""
    if path is not None and not path.is_file():
        raise LawsupError(Text(f"CA 证书文件不存在：{path}",
                               f"The CA bundle file does not exist: {path}"))
    if path is not None:
        import ssl

        try:
            ssl.create_default_context(cafile=str(path))
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise LawsupError(Text(f"CA 证书文件无法使用（须为 PEM 格式）：{path}",
                                   f"The CA bundle cannot be used (it must be PEM): {path}")
                              ) from exc
    with raw_write(db) as conn:
        set_meta(conn, "ca_bundle", str(path or ""))
