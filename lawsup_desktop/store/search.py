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

* ``incident_search_doc`` holds one row per incident, keyed by the incident's
  rowid (so a match is an integer the list query probes in its covering index,
  with no join), with the incident id (to detect rowids renumbered by a VACUUM:
  :func:`ensure_search_current` checks once per process and rebuilds) and the
  folded fields joined by U+001F. Terms never contain U+001F (Python counts it
  as whitespace), so "a term is in the joined text" equals "a term is in one of
  the fields".
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
* Both indexes answer exactly, with no re-check: a trigram phrase is a
  substring of the joined text; in the unigram text every character that is not
  surely a token is replaced by the token ``zzz``, so token positions are
  character positions and a 2-token phrase is a 2-character substring.
* The list query's plan follows how many incidents a term matches
  (:func:`match_estimate`): few drive the query by their rowids; many are probed
  while the query walks its covering index in sort order; for one page of a
  term in a quarter of the incidents or more, the index is asked row by row.

Keeping it in step: triggers on ``incident`` (any writer: ORM, bulk SQL, sync)
record the id in ``incident_search_pending``; :func:`sync_search_index`
re-indexes those rows in Python (the folding needs Python) and clears them.
Services that write incidents call it in the same transaction; readers call
:func:`ensure_search_current` before a text search, so a search never misses a
row written by a path that did not sync.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, literal_column, text, true

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


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's filter: the index's tables are written as SQL in the migration, not
    in the models, so autogenerate must leave them alone."""
    return not (type_ == "table" and (name or "").startswith(SEARCH_TABLE_PREFIX))


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


_OTHER = "zzz"
"""Stands for a character that is not surely a token (punctuation, a space, the field
separator...), so that token positions stay character positions. No unigram query
asks for it: those ask for single characters only."""


# The complement of _surely_a_token, for a substitution at C speed (NUL cannot occur
# in folded text, so it can stand in for "other" until the join is done).
_NOT_A_TOKEN = re.compile("[^a-z0-9\u4e00-\u9fcc\u3400-\u4db5]")


def _spaced(document: str) -> str:
    # One token per character, so a 2-token phrase is exactly a 2-character substring.
    return " ".join(_NOT_A_TOKEN.sub("\x00", document)).replace("\x00", _OTHER)


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


DENSE_MATCHES = 2000
"""A term matching at least this many incidents is "dense" (see :func:`match_estimate`)."""

PER_ROW_SHARE = 0.05
"""When a term matches at least this share of the incidents, one page of the list is
found within its first thousand or so index entries: checking each row's document
(:func:`_exists_for_row`, about a microsecond) is then cheaper than listing every
match. Measured at 200,000 incidents, whole page call, CPU: 纠纷 (a fifth of them)
30 → 10 ms, 被盗 (6 %) 19 → 12 ms, 王 (7 %) 14 → 10 ms. (With the FTS index asked
per row, ~100 times dearer, this was a quarter.) The list applies it to what all
terms match together, counted first, so a rare combination of common terms is
never looked for row by row."""


def per_row_threshold(connection: Connection) -> int:
    """:data:`PER_ROW_SHARE` of the incidents (their highest rowid: no count needed)."""
    highest = connection.exec_driver_sql("SELECT max(rowid) FROM incident").scalar()
    return int((highest or 0) * PER_ROW_SHARE)


def _candidates_sql(term: str) -> tuple[str, str] | None:
    strategy = term_strategy(term)
    if strategy == "trigram":
        return f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH ?", _phrase(term)
    if strategy == "unigram":
        sql = f"SELECT rowid FROM {UNIGRAM_TABLE} WHERE {UNIGRAM_TABLE} MATCH ?"
        return sql, _phrase(" ".join(term))
    return None


def match_estimate(connection: Connection, terms: Sequence[str], cap: int) -> int:
    """How many incidents the rarest term matches, counted up to ``cap`` (a term
    answered by an instr() scan counts as ``cap``).

    Many matches: the list scans its covering index in its sort order and probes
    the matches (a page of 60 fills at once, the count costs one index scan); a
    rare term instead drives the query through its few matching rowids."""
    smallest = cap
    for term in terms:
        candidates = _candidates_sql(term)
        if candidates is None:
            continue
        sql, phrase = candidates
        found = connection.exec_driver_sql(
            f"SELECT count(*) FROM ({sql} LIMIT {cap})", (phrase,)
        ).scalar_one()
        smallest = min(smallest, int(found))
    return smallest


def count_matches(connection: Connection, terms: Sequence[str]) -> int:
    """How many documents match every term, counted in the indexes alone (deleted
    incidents included: they stay indexed). A 1-character term in 175,000 of
    200,000 incidents counts in ~8 ms this way, against ~90 ms for probing every
    row of the list's index (measured at 200,000 incidents)."""
    strategies = {term_strategy(term) for term in terms}
    if len(strategies) == 1 and strategies <= {"trigram", "unigram"}:
        # One FTS table: one query with the terms ANDed, no rowid lists at all.
        table = TRIGRAM_TABLE if strategies == {"trigram"} else UNIGRAM_TABLE
        spaced = table == UNIGRAM_TABLE
        expression = " AND ".join(_phrase(" ".join(t) if spaced else t) for t in terms)
        sql = f"SELECT count(*) FROM {table} WHERE {table} MATCH ?"
        return int(connection.exec_driver_sql(sql, (expression,)).scalar_one())
    selects: list[str] = []
    params: list[str] = []
    for term in terms:
        candidates = _candidates_sql(term)
        if candidates is None:
            selects.append(f"SELECT key FROM {DOC_TABLE} WHERE instr(text, ?) > 0")
            params.append(term)
        else:
            selects.append(candidates[0])
            params.append(candidates[1])
    sql = f"SELECT count(*) FROM ({' INTERSECT '.join(selects)})"
    return int(connection.exec_driver_sql(sql, tuple(params)).scalar_one())


def matching_condition(
    terms: Sequence[str], *, dense: bool = False, per_row: bool = False
) -> ColumnElement[bool]:
    """SQL: the incident (``incident.rowid``) matches every term.

    ``dense`` (see :func:`is_dense`): the unary + keeps SQLite from driving the query
    by the matching rowids. ``per_row``: ask the index about each row the query
    reaches instead of listing every match first; for one page of dense matches,
    which the query reaches within its first few index entries."""
    if per_row:
        return and_(*(_exists_for_row(term, n) for n, term in enumerate(terms)))
    rowid: ColumnElement[int] = literal_column("+incident.rowid" if dense else "incident.rowid")
    conditions: list[ColumnElement[bool]] = []
    for n, term in enumerate(terms):
        strategy = term_strategy(term)
        match, literal = f"search_match_{n}", f"search_term_{n}"
        if strategy == "trigram":
            sql = f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH :{match}"
            params = {match: _phrase(term)}
        elif strategy == "unigram":
            sql = f"SELECT rowid FROM {UNIGRAM_TABLE} WHERE {UNIGRAM_TABLE} MATCH :{match}"
            params = {match: _phrase(" ".join(term))}
        else:
            sql = f"SELECT key FROM {DOC_TABLE} WHERE instr(text, :{literal}) > 0"
            params = {literal: term}
        conditions.append(rowid.in_(text(sql).bindparams(**params)))
    return and_(*conditions) if conditions else true()


def _exists_for_row(term: str, n: int) -> ColumnElement[bool]:
    """The row's own document holds the term: one look-up by integer key and an
    instr() on its folded text, exact by the definition for every term length. About
    a microsecond, where asking an FTS index about one rowid costs ~100 times that
    (at 200,000 incidents, a page of a 1-character term: 24 -> 9 ms)."""
    literal = f"search_term_{n}"
    sql = (
        f"EXISTS (SELECT 1 FROM {DOC_TABLE} WHERE key = incident.rowid"
        f" AND instr(text, :{literal}) > 0)"
    )
    return text(sql).bindparams(**{literal: term})  # type: ignore[return-value]


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


def _remove(run: Callable[..., Any], docs: list[tuple[int, str]]) -> None:
    """Take documents (key, text) out of both FTS indexes and the doc table."""
    if not docs:
        return
    run(
        f"INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}, rowid, text) VALUES ('delete', ?, ?)",
        docs,
    )
    run(
        f"INSERT INTO {UNIGRAM_TABLE} ({UNIGRAM_TABLE}, rowid, chars) VALUES ('delete', ?, ?)",
        [(key, _spaced(old)) for key, old in docs],
    )
    run(f"DELETE FROM {DOC_TABLE} WHERE key = ?", [(key,) for key, _ in docs])


def index_documents(run: Callable[..., Any], docs: list[tuple[int, str, str]]) -> None:
    """Add documents (key = the incident's rowid, incident id, text) to the doc table
    and both FTS indexes, in key order: FTS5 writes out the terms it holds whenever a
    rowid is lower than the one before, and merging those small pieces costs more than
    the indexing (ids, the order incidents are marked in, are random)."""
    if not docs:
        return
    docs = sorted(docs)
    run(f"INSERT INTO {DOC_TABLE} (key, incident_id, text) VALUES (?, ?, ?)", docs)
    run(f"INSERT INTO {TRIGRAM_TABLE} (rowid, text) VALUES (?, ?)",
        [(key, doc) for key, _, doc in docs])
    run(f"INSERT INTO {UNIGRAM_TABLE} (rowid, chars) VALUES (?, ?)",
        [(key, _spaced(doc)) for key, _, doc in docs])


def sync_search_index(
    connection: Connection, on_progress: Callable[[int], None] | None = None
) -> int:
    """Index the incidents marked pending, inside the caller's transaction.
    Returns how many were processed. ``on_progress`` gets the running count."""
    fields = ", ".join(f"i.{name}" for name in SEARCH_FIELDS)
    # The old document of the incident, by id, and whatever document holds the
    # incident's rowid (normally the same one; another after a renumbering).
    select_pending = (
        f"SELECT p.incident_id, d.key, d.text, o.key, o.text, o.incident_id, i.rowid, {fields}"
        f" FROM {PENDING_TABLE} AS p"
        f" LEFT JOIN incident AS i ON i.id = p.incident_id"
        f" LEFT JOIN {DOC_TABLE} AS d ON d.incident_id = p.incident_id"
        f" LEFT JOIN {DOC_TABLE} AS o ON o.key = i.rowid AND o.incident_id <> p.incident_id"
        f" LIMIT {_BATCH}"
    )
    run = connection.exec_driver_sql
    done = 0
    while True:
        rows = run(select_pending).all()
        if not rows:
            return done
        remove: dict[int, str] = {}
        displaced: list[tuple[str]] = []
        add: list[tuple[int, str, str]] = []
        for incident_id, key, old_text, other_key, other_text, other_id, rowid, *values in rows:
            if key is not None:
                remove[key] = old_text
            if other_key is not None:  # a stale document sits on this rowid
                remove[other_key] = other_text
                displaced.append((other_id,))
            if rowid is not None:
                add.append((rowid, incident_id, document_text(values)))
        run(f"DELETE FROM {PENDING_TABLE} WHERE incident_id = ?", [(r[0],) for r in rows])
        _remove(run, list(remove.items()))
        index_documents(run, add)
        if displaced:  # their incidents still exist: index them again at their rowid
            run(f"INSERT OR IGNORE INTO {PENDING_TABLE} (incident_id) VALUES (?)", displaced)
        done += len(rows)
        if on_progress is not None:
            on_progress(done)


def search_index_aligned(connection: Connection) -> bool:
    """Whether the documents still sit on their incidents' rowids (a VACUUM, or the
    copy that encrypts a file, may renumber the rowids of a table without an INTEGER
    PRIMARY KEY). Renumbering keeps the rows' order and closes the gaps, so if any
    indexed row moved, the one with the highest key moved too: checking that one
    document is enough, and costs a look-up instead of a pass over every document."""
    row = connection.exec_driver_sql(
        f"SELECT d.incident_id, i.id FROM {DOC_TABLE} AS d"
        " LEFT JOIN incident AS i ON i.rowid = d.key"
        # Documents waiting to be indexed again (an incident removed or edited) are
        # about to be redone: the check is on the last one that is not.
        f" WHERE d.key = (SELECT max(key) FROM {DOC_TABLE} WHERE incident_id NOT IN"
        f" (SELECT incident_id FROM {PENDING_TABLE}))"
    ).first()
    return row is None or row[0] == row[1]


def rebuild_search_index(connection: Connection) -> None:
    """Empty the index and mark every incident for indexing."""
    run = connection.exec_driver_sql
    run(f"INSERT INTO {TRIGRAM_TABLE} ({TRIGRAM_TABLE}) VALUES ('delete-all')")
    run(f"INSERT INTO {UNIGRAM_TABLE} ({UNIGRAM_TABLE}) VALUES ('delete-all')")
    run(f"DELETE FROM {DOC_TABLE}")
    run(f"INSERT OR IGNORE INTO {PENDING_TABLE} (incident_id) SELECT id FROM incident")


_checked: weakref.WeakSet[Database] = weakref.WeakSet()


def ensure_search_current(db: Database) -> None:
    """Before a text search: index whatever a writer left pending (a cheap check when
    nothing is), so a search never misses a row. Creates the index in a file whose
    migration predates it."""
    with db.reader.connect() as connection:
        exists = search_index_exists(connection)
        pending = exists and has_pending(connection)
        aligned = db in _checked or (exists and search_index_aligned(connection))
    if exists and aligned and not pending:
        _checked.add(db)
        return
    with db.write(SYSTEM) as session:
        connection = session.connection()
        if not exists:
            create_search_index(connection.exec_driver_sql)
        elif not aligned:
            rebuild_search_index(connection)
        sync_search_index(connection)
    _checked.add(db)
