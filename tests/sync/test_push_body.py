"""The push body's fast reading (orjson and checks by hand) against pydantic's PushIn,
which stays the authority: whatever the fast reading accepts, PushIn must accept with
the very same ops; everything else goes to PushIn (and its 422 explanations)."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
import pytest
from fastapi.exceptions import RequestValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawsup_central.app import PLAIN_BODY, PushIn, _fast_ops, is_plain, read_ops


def _pydantic_ops(raw: bytes) -> list[dict[str, Any]] | None:
    from pydantic import ValidationError

    try:
        return [op.as_op() for op in PushIn.model_validate_json(
            raw, context={PLAIN_BODY: is_plain(raw)}).ops]
    except ValidationError:
        return None


def _op(number: int, **changes: Any) -> dict[str, Any]:
    op = {"op_id": str(uuid.uuid4()), "seq": number, "entity": "incident",
          "record_id": str(uuid.uuid4()), "kind": "insert", "base_version": None,
          "fields": {"summary": [None, "邻里纠纷"], "is_key": [None, False],
                     "received_at": [None, "2026-11-20T09:30:00"]}}
    op.update(changes)
    return op


def test_an_ordinary_push_is_read_fast_and_exactly_as_pydantic_reads_it() -> None:
    raw = orjson.dumps({"ops": [_op(n) for n in range(1, 51)]})
    fast = _fast_ops(raw)
    assert fast is not None and len(fast) == 50
    assert fast == _pydantic_ops(raw)


@pytest.mark.parametrize("body", [
    {"ops": [_op(1, seq=True)]},                      # a bool is not a number here
    {"ops": [_op(1, seq=1.0)]},                       # pydantic may coerce; not the fast path
    {"ops": [_op(1, seq=12345678901234567890)]},      # beyond 64 bits: orjson reads a float
    {"ops": [_op(1, fields={"a": [None, 12345678901234567890123]})]},
    {"ops": [_op(1, fields={"a": [None, "x\x00y"]})]},  # NUL
    {"ops": [_op(1, fields={"a": [None]})]},          # not a pair
    {"ops": [_op(1, op_id="short")]},
    {"ops": [_op(1, kind="delete")]},
    {"ops": [_op(1, entity="")]},
    {"ops": [_op(1, base_version="3")]},
    {"ops": "none"},
    {"nothing": []},
])
def test_anything_unusual_goes_to_pydantic(body: dict[str, Any]) -> None:
    assert _fast_ops(_std_json(body)) is None


def _std_json(value: Any) -> bytes:
    # The standard library's encoder: it writes integers of any size, as clients may.
    import json

    return json.dumps(value, ensure_ascii=False).encode()


def test_nan_and_a_refused_body_still_get_pydantics_explanation() -> None:
    raw = b'{"ops": [{"op_id": "' + b"a" * 36 + b'", "seq": 1, "entity": "incident", ' \
        b'"record_id": "r1", "kind": "insert", "fields": {"x": [null, NaN]}}]}'
    assert _fast_ops(raw) is None
    with pytest.raises(RequestValidationError) as refused:
        read_ops(raw)
    assert any("NaN" in str(error["msg"]) for error in refused.value.errors())


# Values a generated op may hold in each place: right ones, and near misses.
_texts = st.one_of(st.text(max_size=40), st.just("a" * 36), st.just(str(uuid.uuid4())))
_numbers = st.one_of(st.integers(min_value=-3, max_value=2**64), st.booleans(),
                     st.floats(allow_nan=False, allow_infinity=False), st.none())
_leaves = st.one_of(_texts, _numbers)
_values = st.recursive(_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6)
_pairs = st.one_of(st.lists(_values, min_size=2, max_size=2), st.lists(_values, max_size=3),
                   _values)
_ops = st.fixed_dictionaries(
    {},
    optional={"op_id": st.one_of(_texts, _numbers), "seq": _numbers,
              "entity": st.one_of(_texts, st.just("incident")),
              "record_id": st.one_of(_texts, _numbers),
              "kind": st.one_of(st.sampled_from(["insert", "update", "resolve", "x"]), _numbers),
              "base_version": _numbers, "fields": st.one_of(
                  st.dictionaries(st.text(max_size=8), _pairs, max_size=4), _values),
              "extra": _values})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(_ops, max_size=4), as_list=st.booleans())
def test_the_fast_reading_never_accepts_what_pydantic_would_read_otherwise(
        ops: list[dict[str, Any]], as_list: bool) -> None:
    raw = _std_json({"ops": ops} if as_list else {"ops": ops[0] if ops else None})
    fast = _fast_ops(raw)
    if fast is not None:
        assert fast == _pydantic_ops(raw)


@pytest.mark.postgres
def test_text_array_literals_reach_postgresql_unchanged(postgres_server: Any) -> None:
    import psycopg

    from lawsup_central.protocol import text_array

    values = ["incident", 'say "hi"', "back\\slash", "com,ma", "{brace}", "NULL", "", " x ",
              "中文", "it's", "\\\"", "a\tb"]
    url = postgres_server.new_database().replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT CAST(%s AS text[])", (text_array(values),)).fetchone()
    assert row is not None and row[0] == values
