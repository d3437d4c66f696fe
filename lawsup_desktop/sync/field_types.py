"""Does a wire (JSON) value fit its column? One check per synced column, made once from
the SQLAlchemy column types, shared by the service (refuses a pushed op) and the
desktop (skips a pulled value): a value that fits is one the desktop can store
(``rules.parse`` then the column's own type) without error and without coercion."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, String
from sqlalchemy import Enum as SAEnum

from lawsup_desktop.store.base import UtcDateTime
from lawsup_desktop.sync.rules import synced_columns, synced_tables

Check = Callable[[Any], bool]  # given a value of the exact type (a str)
# A column's wire type: the exact JSON type (None: any), whether null is allowed, and
# a further check of a string's content (ISO dates, enum values) or None. Plain
# tuples checked inline: most fields then cost a type comparison, no call.
Spec = tuple[type | None, bool, Check | None]


def _iso(parser: Callable[[str], Any], aware: bool) -> Check:
    def check(value: Any) -> bool:
        try:
            moment = parser(value)
        except ValueError:
            return False
        # UtcDateTime refuses a naive instant when it is stored (store/base.py).
        return not aware or moment.tzinfo is not None

    return check


def _spec(column: Column[Any]) -> Spec:
    kind, nullable = column.type, bool(column.nullable)
    # The most specific types first: Enum is a String, UtcDateTime wraps a DateTime.
    if isinstance(kind, UtcDateTime):
        return str, nullable, _iso(datetime.fromisoformat, aware=True)
    if isinstance(kind, DateTime):
        return str, nullable, _iso(datetime.fromisoformat, aware=False)
    if isinstance(kind, Date):
        return str, nullable, _iso(date.fromisoformat, aware=False)
    if isinstance(kind, SAEnum):
        # On the wire an enum is its value (rules.plain), which rules.parse looks up.
        values = frozenset(str(member.value) for member in kind.enum_class) \
            if kind.enum_class is not None else frozenset(kind.enums)
        return str, nullable, values.__contains__
    if isinstance(kind, Boolean):
        return bool, nullable, None
    if isinstance(kind, Integer):
        return int, nullable, None  # exactly int: a bool or a float does not pass
    if isinstance(kind, String):
        return str, nullable, None
    if isinstance(kind, JSON):
        return None, True, None
    raise TypeError(f"no wire type check for column {column} of type {kind!r}")


@functools.cache
def field_specs() -> dict[str, dict[str, Spec]]:
    """Entity → synced field → its wire type. Made once; an unknown column type fails
    here, at the first use, not per op."""
    return {entity: {column.name: _spec(column) for column in synced_columns(table)}
            for entity, table in synced_tables().items()}


def wrong_fields(entity: str, values: Iterable[tuple[str, Any]], *,
                 judge_nulls: bool = True) -> list[str]:
    """The fields among (name, value) pairs whose value does not fit its column
    (unknown entities and fields are not judged here; nulls only if ``judge_nulls``)."""
    specs = field_specs().get(entity)
    if specs is None:
        return []
    wrong: list[str] = []
    for name, value in values:
        spec = specs.get(name)
        if spec is None:
            continue
        kind, nullable, check = spec
        if value is None:
            if judge_nulls and not nullable:
                wrong.append(name)
        elif kind is not None and (type(value) is not kind or
                                   (check is not None and not check(value))):
            wrong.append(name)
    return wrong


@functools.cache
def required_fields(entity: str) -> frozenset[str]:
    """The synced fields a new row cannot do without (NOT NULL, no default)."""
    table = synced_tables().get(entity)
    if table is None:
        return frozenset()
    return frozenset(c.name for c in synced_columns(table)
                     if not c.nullable and c.default is None and c.server_default is None)
