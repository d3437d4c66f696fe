"""Text search over incidents that finds any substring, exactly as a full scan would.

The definition (the property test in tests/unit/test_incident_search.py holds the
index to it, character for character):

* ``fold(s)`` = NFKC normalisation, then ``str.casefold()``, then NUL removed.
  So Latin letters match whatever their case, and full-width letters and digits
  typed with a Chinese input method match their ASCII forms; Chinese characters
  match only themselves (no simplified/traditional folding).
* The query is folded and split on whitespace into terms (``str.split()``).
  An empty query matches everything.
* An incident matches when every term is a substring of the fold of at least one
  of its searchable fields: incident number, address, summary, caller name and
  handling notes (:data:`SEARCH_FIELDS`). See :func:`matches`.

How it stays fast at 200,000 incidents (SQLite 3.34+ FTS5):

* ``incident_search_doc`` holds one row per incident: an explicit integer key
  (stable across VACUUM, unlike an implicit rowid) and the folded fields joined
  by U+001F. Terms never contain U+001F (Python counts it as whitespace), so
  "a term is in the joined text" equals "a term is in one of the fields".
* Terms of 3+ characters: ``incident_search_tri``, an FTS5 trigram index
  (case-sensitive: the text is already folded) over that text.
* Terms of 1–2 characters, which a trigram index cannot answer:
  ``incident_search_uni``, a contentless FTS5 index over the same text with a
  space after every character, so each CJK character, letter and digit is one
  token and a 2-character term is a 2-token phrase. It is used only when every
  character of the term is a letter/digit that SQLite's unicode61 tokenizer
  surely keeps as a token (ASCII a–z, 0–9, CJK ideographs of Unicode 6.1);
  other 1–2 character terms (punctuation, rare symbols) fall back to an
  ``instr()`` scan of the compact folded text, which is exact but slower.
* Every candidate is re-checked with ``instr()`` on the folded text, so the
  indexes only ever need to give a superset.

Keeping it in step: triggers on ``incident`` (any writer: ORM, bulk SQL, sync)
record the id in ``incident_search_pending``; :func:`sync_search_index`
re-indexes those rows in Python (the folding needs Python) and clears them.
Services that write incidents call it in the same transaction; readers call
:func:`ensure_search_current` before a text search, so a search never misses a
row written by a path that did not sync.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, TextClause, text

from lawsup_desktop.store.audit import SYSTEM
from lawsup_desktop.store.database import Database

SEARCH_FIELDS: tuple[str, ...] = (
    "incident_no",
    "address",
    "summary",
    "caller_name",
    "handling_notes",
)
"""The incident columns the text search looks into, in the order they are joined."""

SEPARATOR = "\x1f"

DOC_TABLE = "incident_search_doc"
TRIGRAM_TABLE = "incident_search_tri"
UNIGRAM_TABLE = "incident_search_uni"
PENDING_TABLE = "incident_search_pending"

_MARK_COLUMNS = ", ".join(SEARCH_FIELDS)

SEARCH_INDEX_DDL: tuple[str, ...] = (
    f"CREATE TABLE IF NOT EXISTS {DOC_TABLE} ("
    " key INTEGER PRIMARY KEY,"
    " incident_id VARCHAR(36) NOT NULL UNIQUE,"
    " text TEXT NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {PENDING_TABLE} ("
    " incident_id VARCHAR(36) NOT NULL PRIMARY KEY) WITHOUT ROWID",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TRIGRAM_TABLE} USING fts5("
    f"text, content='{DOC_TABLE}', content_rowid='key',"
    " tokenize='trigram case_sensitive 1')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {UNIGRAM_TABLE} USING fts5("
    " chars, content='', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER IF NOT EXISTS incident_search_on_insert AFTER INSERT ON incident"
    f" BEGIN INSERT OR IGNORE INTO {PENDING_TABLE} (incident_id) VALUES (new.id); END",
    f"CREATE TRIGGER IF NOT EXISTS incident_search_on_update"
    f" AFTER UPDATE OF {_MARK_COLUMNS} ON incident"
    f" BEGIN INSERT OR IGNORE INTO {PENDING_TABLE} (incident_id) VALUES (new.id); END",
    f"CREATE TRIGGER IF NOT EXISTS incident_search_on_delete AFTER DELETE ON incident"
    f" BEGIN INSERT OR IGNORE INTO {PENDING_TABLE} (incident_id) VALUES (old.id); END",
)
"""The search index's tables and triggers; idempotent (``IF NOT EXISTS``)."""

SEARCH_INDEX_BACKFILL = (
    f"INSERT OR IGNORE INTO {PENDING_TABLE} (incident_id)"
    f" SELECT id FROM incident WHERE id NOT IN (SELECT incident_id FROM {DOC_TABLE})"
)
"""Marks every incident not yet indexed, so an index added to a filled file catches up."""

SEARCH_INDEX_DROP: tuple[str, ...] = (
    "DROP TRIGGER IF EXISTS incident_search_on_insert",
    "DROP TRIGGER IF EXISTS incident_search_on_update",
    "DROP TRIGGER IF EXISTS incident_search_on_delete",
    f"DROP TABLE IF EXISTS {UNIGRAM_TABLE}",
    f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}",
    f"DROP TABLE IF EXISTS {PENDING_TABLE}",
    f"DROP TABLE IF EXISTS {DOC_TABLE}",
)
"""For a migration's downgrade."""

SEARCH_TABLE_PREFIX = "incident_search_"
"""Every table of the index (FTS5 shadow tables included) starts with this; Alembic's
autogenerate comparison must ignore them (they are not in models.py)."""


def create_search_index(execute: Callable[[str], Any]) -> None:
    """Create the index in a database: pass ``op.execute`` from a migration, or a
    connection's ``exec_driver_sql``. Marks existing incidents for indexing; they
    are indexed by the next :func:`sync_search_index`."""
    for statement in SEARCH_INDEX_DDL:
        execute(statement)
    execute(SEARCH_INDEX_BACKFILL)


def drop_search_index(execute: Callable[[str], Any]) -> None:
    for statement in SEARCH_INDEX_DROP:
        execute(statement)


# --- the definition -------------------------------------------------------------


def fold(value: str) -> str:
    """The form in which text is compared (see the module docstring)."""
    return unicodedata.normalize("NFKC", value).casefold().replace("\x00", "")


def search_terms(query: str) -> list[str]:
    """The terms of a query: folded, split on whitespace. Empty: no text filter."""
    return fold(query).split()


def matches(query: str, fields: Sequence[str]) -> bool:
    """Whether an incident with these searchable field values matches ``query``:
    the definition the index must agree with."""
    folded = [fold(f) for f in fields]
    return all(any(term in f for f in folded) for term in search_terms(query))


def document_text(fields: Iterable[str | None]) -> str:
    return SEPARATOR.join(fold(f or "") for f in fields)


def _spaced(document: str) -> str:
    # One token per character for the unigram index.
    return " ".join(document)


def _surely_a_token(char: str) -> bool:
    """Characters that SQLite's unicode61 tokenizer (Unicode 6.1 tables) keeps as
    one-character tokens of spaced text, whatever SQLite version runs."""
    code = ord(char)
    return (
        ("a" <= char <= "z")
        or ("0" <= char <= "9")
        or 0x4E00 <= code <= 0x9FCC  # CJK Unified Ideographs as of Unicode 6.1
        or 0x3400 <= code <= 0x4DB5  # Extension A
    )


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def term_strategy(term: str) -> str:
    """Which index answers a term: "trigram", "unigram" or "scan"."""
    if len(term) >= 3:
        return "trigram"
    if all(_surely_a_token(c) for c in term):
        return "unigram"
    return "scan"


def matching_incident_ids(terms: Sequence[str]) -> TextClause:
    """A SQL subquery selecting the ids of the incidents that match every term.

    Use it as ``Incident.id.in_(matching_incident_ids(terms))``.
    """
    conditions: list[str] = []
    params: dict[str, str] = {}
    for n, term in enumerate(terms):
        strategy = term_strategy(term)
        if strategy == "trigram":
            conditions.append(
                f"d.key IN (SELECT rowid FROM {TRIGRAM_TABLE}"
                f" WHERE {TRIGRAM_TABLE} MATCH :search_match_{n})"
            )
            params[f"search_match_{n}"] = _phrase(term)
        elif strategy == "unigram":
            conditions.append(
                f"d.key IN (SELECT rowid FROM {UNIGRAM_TABLE}"
                f" WHERE {UNIGRAM_TABLE} MATCH :search_match_{n})"
            )
            params[f"search_match_{n}"] = _phrase(" ".join(term))
        conditions.append(f"instr(d.text, :search_term_{n}) > 0")
        params[f"search_term_{n}"] = term
    where = " AND ".join(conditions) or "1"
    return text(f"SELECT d.incident_id FROM {DOC_TABLE} AS d WHERE {where}").bindparams(**params)


# --- keeping it in step -------------------------------------------------------------

_BATCH = 2000


def pending_count(connection: Connection) -> int:
    return int(connection.exec_driver_sql(f"SELECT count(*) FROM {PENDING_TABLE}").scalar_one())


def has_pending(connection: Connection) -> bool:
    row = connection.exec_driver_sql(f"SELECT 1 FROM {PENDING_TABLE} LIMIT 1").first()
    return row is not None


def search_index_exists(connection: Connection) -> bool:
    row = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (PENDING_TABLE,)
    ).first()
    return row is not None


def sync_search_index(
    connection: Connection, on_progress: Callable[[int], None] | None = None
) -> int:
    """Index the incidents marked pending, inside the caller's transaction.
    Returns how many were processed. ``on_progress`` gets the running count."""
    fields = ", ".join(f"i.{name}" for name in SEARCH_FIELDS)
    select_pending = (
        f"SELECT p.incident_id, d.key, d.text, i.id, {fields}"
        f" FROM {PENDING_TABLE} AS p"
        f" LEFT JOIN {DOC_TABLE} AS d ON d.incident_id = p.incident_id"
        f" LEFT JOIN incident AS i ON i.id = p.incident_id"
        f" LIMIT {_BATCH}"
    )
    run = connection.exec_driver_sql
    done = 0
    next_key = int(run(f"SELECT coalesce(max(key), 0) FROM {DOC_TABLE}").scalar_one()) + 1
    while True:
        rows = run(select_pending).all()
        if not rows:
            return done
        remove_fts: list[tuple[int, str]] = []
        delete_docs: list[tuple[int]] = []
        update_docs: list[tuple[str, int]] = []
        insert_docs: list[tuple[int, str, str]] = []
        add_fts: list[tuple[int, str]] = []
        for incident_id, key, old_text, present, *values in rows:
            if key is not None:
                remove_fts.append((key, old_text))
            if present is None:
                if key is not None:
                    delete_docs.append((key,))
                continue
            new_text = document_text(values)
            if key is None:
                key, next_key = next_key, next_key + 1
                insert_docs.append((key, incident_id, new_text))
            else:
                update_docs.append((new_text, key))
            add_fts.append((key, new_text))
        if remove_fts:
            run(
                f"INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}, rowid, text)"
                " VALUES ('delete', ?, ?)",
                remove_fts,
            )
            run(
                f"INSERT INTO {UNIGRAM_TABLE} ({UNIGRAM_TABLE}, rowid, chars)"
                " VALUES ('delete', ?, ?)",
                [(key, _spaced(old)) for key, old in remove_fts],
            )
        if delete_docs:
            run(f"DELETE FROM {DOC_TABLE} WHERE key = ?", delete_docs)
        if update_docs:
            run(f"UPDATE {DOC_TABLE} SET text = ? WHERE key = ?", update_docs)
        if insert_docs:
            run(f"INSERT INTO {DOC_TABLE} (key, incident_id, text) VALUES (?, ?, ?)", insert_docs)
        if add_fts:
            run(f"INSERT INTO {TRIGRAM_TABLE} (rowid, text) VALUES (?, ?)", add_fts)
            run(
                f"INSERT INTO {UNIGRAM_TABLE} (rowid, chars) VALUES (?, ?)",
                [(key, _spaced(new)) for key, new in add_fts],
            )
        run(f"DELETE FROM {PENDING_TABLE} WHERE incident_id = ?", [(r[0],) for r in rows])
        done += len(rows)
        if on_progress is not None:
            on_progress(done)


def ensure_search_current(db: Database) -> None:
    """Before a text search: index whatever a writer left pending (a cheap check when
    nothing is), so a search never misses a row. Creates the index in a file whose
    migration predates it."""
    with db.reader.connect() as connection:
        exists = search_index_exists(connection)
        pending = exists and has_pending(connection)
    if exists and not pending:
        return
    with db.write(SYSTEM) as session:
        connection = session.connection()
        if not exists:
            create_search_index(connection.exec_driver_sql)
        sync_search_index(connection)
