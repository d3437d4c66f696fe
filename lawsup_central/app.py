"""The HTTP service. Workers are stateless: everything lives in the database, so any
number of workers or machines behind a load balancer can serve the same stations.

Run it with ``lawsup-central serve``; uvicorn imports :func:`create_app` in each
worker (the database URL comes from the environment that ``serve`` sets).

No ``from __future__ import annotations`` here: FastAPI reads the endpoints'
annotations at run time, and they name dependencies local to create_app.
"""


import gzip
import hashlib
import math
import os
import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import anyio
import anyio.to_thread
import orjson
from fastapi import Depends, FastAPI, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from lawsup_central import PROTOCOL_VERSION
from lawsup_central.admin import CHUNK, authenticate, device_scope, enroll
from lawsup_central.db import database_url, json_bytes, make_engine, sessions
from lawsup_central.models import Blob, BlobAccess, BlobChunk, BlobClaim, Device
from lawsup_central.protocol import (
    ProtocolError,
    checksums,
    columns_of,
    pull,
    push,
    record_in_scope,
    server_now,
)

MAX_BODY = 16 * 1024 * 1024
MAX_OPS = 1000
MAX_PAGE = 5000
DB_SLOTS = 4
MAX_INT64 = 2**63 - 1  # the databases' integers: a larger cursor or offset cannot be bound
# Pull pages from this size are sent gzipped to clients that accept it (level 1: a page
# of 1,000 records, about 600 KB of JSON, shrinks about 15-fold for a few milliseconds
# of CPU; field stations sync over slow links).
GZIP_FROM = 8 * 1024


def _json(body: dict[str, Any]) -> Response:
    # Encoded directly: FastAPI's generic encoder walks every value of large answers
    # (a pull page) and costs more than the database work.
    return Response(json_bytes(body), media_type="application/json")


def _accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether the client takes gzip (httpx does, and decompresses by itself)."""
    for part in (accept_encoding or "").split(","):
        coding, _, quality = part.strip().partition(";")
        if coding.strip().lower() == "gzip":
            return quality.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.startswith("Bearer "):
        return authorization[len("Bearer "):].strip()
    return None


class LimitSize:
    """Refuses a body larger than MAX_BODY by its Content-Length, before it is read.
    Plain ASGI: Starlette's BaseHTTPMiddleware costs a task group and a stream per
    request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"content-length" and (not value.isdigit() or int(value) > MAX_BODY):
                    error = ProtocolError(413, "too_large", "请求过大。",
                                          "The request is too large.")
                    await JSONResponse(error.body(), status_code=413)(scope, receive, send)
                    return
        await self.app(scope, receive, send)


class ErrorMessage(BaseModel):
    zh: str
    en: str


class ErrorOut(BaseModel):
    """Every refusal: a code, and the reason in both languages (plus details such as
    ``expected_seq`` or ``received`` where the client can act on them)."""

    model_config = ConfigDict(extra="allow")
    error: str
    message: ErrorMessage
    server_time: str | None = None


# Declared on every operation, so that clients (and schemathesis) know the shape of
# a refusal; FastAPI's own 422 body is replaced by this one (see ``malformed``).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (400, "The request body cannot be read"),
        (401, "No device token, or an unknown one"),
        (403, "The device or its station is revoked, or the code was used"),
        (404, "No such record or file"),
        (409, "The request conflicts with the server's state"),
        (413, "The request is too large"),
        (422, "The request is malformed"),
    )
}
_HTTP_CODES = {400: "unreadable", 404: "not_found", 405: "method_not_allowed"}


class EnrollIn(BaseModel):
    code: str = Field(min_length=4, max_length=64)


class OpIn(BaseModel):
    op_id: str = Field(min_length=36, max_length=36)
    seq: int = Field(ge=1)
    entity: str = Field(min_length=1, max_length=40)
    record_id: str = Field(min_length=1, max_length=36)
    kind: Literal["insert", "update", "resolve"]
    base_version: int | None = None
    # Each field is [old, new]: declared, so that clients and generated tests know it.
    fields: dict[str, Annotated[list[Any], Field(min_length=2, max_length=2)]] = Field(
        max_length=200)

    def as_op(self) -> dict[str, Any]:
        """The op as protocol.push takes it (model_dump would copy every value again)."""
        return {"op_id": self.op_id, "seq": self.seq, "entity": self.entity,
                "record_id": self.record_id, "kind": self.kind,
                "base_version": self.base_version, "fields": self.fields}

    @field_validator("op_id", "entity", "record_id")
    @classmethod
    def no_nul(cls, value: str) -> str:
        # Echoed into queries and stored results: PostgreSQL refuses NUL in text.
        if "\x00" in value:
            raise ValueError("text contains the NUL character")
        return value

    @field_validator("fields")
    @classmethod
    def pairs(cls, value: dict[str, list[Any]], info: ValidationInfo) -> dict[str, list[Any]]:
        # A body known to hold no NaN, Infinity or NUL at all needs no walk per value.
        plain = bool(info.context and info.context.get(PLAIN_BODY))
        for name, pair in value.items():
            if len(pair) != 2:
                raise ValueError(f"field {name}: expected [old, new]")
            problem = None if plain else _unstorable([name, pair])  # names are echoed too
            if problem:
                raise ValueError(f"field {name}: {problem}")
        return value


PLAIN_BODY = "plain_body"
# Every way a JSON text can hold what _unstorable refuses (JSON escapes NUL as \u0000).
_SUSPECT = (b"NaN", b"Infinity", b"\\u0000", b"\x00")


# A number too large for a float is read as Infinity too: 1e400, or 400 digits.
_HUGE_NUMBER = re.compile(rb"[eE][+]?[0-9]{3}|[0-9]{300}")


def is_plain(body: bytes) -> bool:
    """True when the raw body cannot contain an unstorable value (a false "no" only
    costs the full check)."""
    return not any(token in body for token in _SUSPECT) and not _HUGE_NUMBER.search(body)


def _unstorable(value: Any) -> str | None:
    """Why a value cannot be stored as sent, or None. The JSON parser accepts NaN and
    Infinity (stored, they would come back as null) and the NUL character (PostgreSQL
    refuses it in text and jsonb: a server error instead of an answer)."""
    kind = type(value)
    if kind is str:
        return "text contains the NUL character" if "\x00" in value else None
    if kind is float:
        return None if math.isfinite(value) else "NaN and Infinity are not JSON numbers"
    if kind is list:
        return next((p for p in map(_unstorable, value) if p), None)
    if kind is dict:
        return next((p for p in map(_unstorable, [*value, *value.values()]) if p), None)
    return None


class PushIn(BaseModel):
    ops: list[OpIn] = Field(max_length=MAX_OPS)


# What sends a body to pydantic rather than the fast reading: NUL (escaped or raw) and
# integers beyond 64 bits (19 digits in a row), which orjson would read as floats. Found
# by substring search (a regular expression over the body costs more than its parsing).
_NUL = (b"\\u0000", b"\x00")
_DIGITS_AS_ZEROS = bytes(0x30 if 0x30 <= i <= 0x39 else 0x20 for i in range(256))
_LONG_NUMBER = b"0" * 19
_KINDS = frozenset(("insert", "update", "resolve"))
_LIST, _TWO = {list}, {2}


def read_ops(raw: bytes) -> list[dict[str, Any]]:
    """A push body's ops, as protocol.push takes them, or RequestValidationError."""
    ops = _fast_ops(raw)
    if ops is not None:
        return ops
    try:
        return [op.as_op() for op in PushIn.model_validate_json(
            raw, context={PLAIN_BODY: is_plain(raw)}).ops]
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from exc


def _fast_ops(raw: bytes) -> list[dict[str, Any]] | None:
    """The ops of a body that PushIn certainly accepts as it is, read by orjson with
    checks by hand; None for anything else, which pydantic then reads and, where it is
    wrong, explains. pydantic took most of a push's CPU time (a model per op, and the
    stored-value walk per field); orjson refuses NaN, Infinity and numbers too large for
    a float itself."""
    if any(nul in raw for nul in _NUL) or _LONG_NUMBER in raw.translate(_DIGITS_AS_ZEROS):
        return None
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    ops = body.get("ops") if type(body) is dict else None
    if type(ops) is not list or len(ops) > MAX_OPS:
        return None
    out = []
    for op in ops:
        if type(op) is not dict:
            return None
        op_id, seq, entity = op.get("op_id"), op.get("seq"), op.get("entity")
        record_id, kind, fields = op.get("record_id"), op.get("kind"), op.get("fields")
        base_version = op.get("base_version")
        if not (type(op_id) is str and len(op_id) == 36
                and type(seq) is int and seq >= 1
                and type(entity) is str and 1 <= len(entity) <= 40
                and type(record_id) is str and 1 <= len(record_id) <= 36
                and type(kind) is str and kind in _KINDS
                and (base_version is None or type(base_version) is int)
                and type(fields) is dict and len(fields) <= 200):
            return None
        # Every field a pair ([old, new]), checked by map() rather than a loop per field.
        pairs = fields.values()
        if pairs and ({*map(type, pairs)} != _LIST or {*map(len, pairs)} != _TWO):
            return None
        out.append({"op_id": op_id, "seq": seq, "entity": entity, "record_id": record_id,
                    "kind": kind, "base_version": base_version, "fields": fields})
    return out


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON schema with its ``$defs`` written in place (the push body is
    declared by hand in the OpenAPI document, where ``#/$defs`` would not resolve)."""
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return inline(defs[ref[len("#/$defs/"):]])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    return dict(inline(schema))


PUSH_SCHEMA = _inline_refs(PushIn.model_json_schema())


def create_app(url: str | None = None) -> FastAPI:
    engine = make_engine(database_url(url))
    factory: sessionmaker[Session] = sessions(engine)
    url = database_url(url)
    reader = make_engine(url, writer=False) if url.startswith("sqlite") else engine
    read_factory: sessionmaker[Session] = sessions(reader)
    app = FastAPI(title="lawsup-central", version=str(PROTOCOL_VERSION),
                  description="县局法制大队同步服务 / the bureau's sync service",
                  responses=ERROR_RESPONSES)
    app.state.engine = engine
    # The record types come from the desktop's models: imported now, not by the first
    # push a worker serves (a few hundred milliseconds).
    columns_of("incident")

    @app.exception_handler(ProtocolError)
    async def protocol_error(_request: Request, exc: ProtocolError) -> JSONResponse:
        return JSONResponse(exc.body() | {"server_time": server_now()}, status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Starlette's own refusals (an unreadable body, an unknown path) in our shape.
        error = ProtocolError(exc.status_code, _HTTP_CODES.get(exc.status_code, "http_error"),
                              f"请求无法处理：{exc.detail}",
                              f"The request cannot be handled: {exc.detail}")
        return JSONResponse(error.body(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def malformed(_request: Request, exc: RequestValidationError) -> JSONResponse:
        where = "; ".join(".".join(str(p) for p in e["loc"]) + ": " + e["msg"]
                          for e in exc.errors()[:5])
        return JSONResponse(ProtocolError(422, "malformed", f"请求格式不正确：{where}",
                                          f"Malformed request: {where}").body(), status_code=422)

    app.add_middleware(LimitSize)
    # The database work of push and pull runs in at most this many threads per worker
    # (LAWSUP_CENTRAL_DB_SLOTS, default DB_SLOTS): more would only queue on the GIL and
    # on the database's cores; at least 2, so that a pull is served while a push waits
    # for the change counter.
    db_slots = anyio.CapacityLimiter(int(os.environ.get("LAWSUP_CENTRAL_DB_SLOTS", DB_SLOTS)))

    def read_session() -> Iterator[Session]:
        with read_factory() as session:
            yield session

    def device(
        session: Annotated[Session, Depends(read_session)],
        authorization: Annotated[str | None, Header()] = None,
    ) -> Device:
        found = authenticate(session, _bearer(authorization))
        session.expunge(found)
        session.rollback()
        return found

    Authed = Annotated[Device, Depends(device)]

    @app.get("/v1/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "protocol": PROTOCOL_VERSION, "server_time": server_now()}

    @app.post("/v1/enroll")
    def enroll_device(body: EnrollIn) -> dict[str, Any]:
        # Committed here, not in a dependency: FastAPI runs a yield dependency's exit
        # after the answer is sent, and the device's first request could come first.
        with factory() as session, session.begin():
            answer = enroll(session, body.code)
        return answer | {"server_time": server_now()}

    @app.get("/v1/me")
    def me(dev: Authed) -> dict[str, Any]:
        return {"device_id": dev.id, "station_id": dev.station_id, "last_seq": dev.last_seq,
                "server_time": server_now()}

    # Push and pull are the hot path (every station, every sync): the body is read by
    # read_ops (orjson and checks by hand; pydantic for anything unusual), and the token
    # check and the work share one thread hop and one transaction, not FastAPI's
    # dependency chain.

    @app.post("/v1/push", openapi_extra={"requestBody": {
        "required": True, "content": {"application/json": {"schema": PUSH_SCHEMA}}}})
    async def push_ops(request: Request,
                       authorization: Annotated[str | None, Header()] = None) -> Response:
        token = _bearer(authorization)
        ops = read_ops(await request.body())

        def work() -> dict[str, Any]:
            with factory() as session, session.begin():
                return push(session, device_scope(session, token, lock=True), ops)

        result = await anyio.to_thread.run_sync(work, limiter=db_slots)
        return _json(result | {"server_time": server_now()})

    @app.get("/v1/pull")
    async def pull_records(authorization: Annotated[str | None, Header()] = None,
                           accept_encoding: Annotated[str | None, Header()] = None,
                           after: Annotated[int, Query(ge=0, le=MAX_INT64)] = 0,
                           limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000) -> Response:
        token = _bearer(authorization)
        packed = _accepts_gzip(accept_encoding)

        def work() -> tuple[bytes, bool]:
            # Ended by a commit, not the rollback of a plain close: psycopg forgets
            # every prepared statement of the connection on a rollback.
            with read_factory() as session, session.begin():
                page = pull(session, device_scope(session, token).station_id, after, limit)
            body = json_bytes(page | {"server_time": server_now()})
            if packed and len(body) >= GZIP_FROM:
                # Compressed here, in the worker thread, not on the event loop.
                return gzip.compress(body, compresslevel=1), True
            return body, False

        body, zipped = await anyio.to_thread.run_sync(work, limiter=db_slots)
        headers = {"Vary": "Accept-Encoding"} | ({"Content-Encoding": "gzip"} if zipped else {})
        return Response(body, media_type="application/json", headers=headers)

    @app.get("/v1/checksums")
    def station_checksums(dev: Authed,
                          session: Annotated[Session, Depends(read_session)]) -> Response:
        return _json({"entities": checksums(session, dev.station_id), "server_time": server_now()})

    @app.get("/v1/records/{entity}/{record_id}")
    def one_record(entity: str, record_id: str, dev: Authed,
                   session: Annotated[Session, Depends(read_session)]) -> dict[str, Any]:
        # NUL cannot even be looked up in PostgreSQL; no record holds it anyway.
        record = None if "\x00" in entity + record_id else record_in_scope(
            session, dev.station_id, entity, record_id)
        if record is None:
            # Another station's record answers exactly like a missing one.
            raise ProtocolError(404, "not_found", "本派出所没有该记录。",
                                "Your station has no such record.")
        return {"entity": entity, "id": record.id, "version": record.version,
                "data": record.data, "deleted": record.deleted}

    # --- attachments: content-addressed, chunked, resumable -------------------------

    def _check_sha(sha: str) -> None:
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ProtocolError(422, "bad_hash", "文件哈希格式不正确。", "Malformed file hash.")

    def _received(session: Session, sha: str) -> int:
        total = session.scalar(
            select(func.coalesce(func.sum(func.length(BlobChunk.data)), 0))
            .where(BlobChunk.sha256 == sha))
        return int(total or 0)

    def _may_read(session: Session, sha: str, station_id: str) -> bool:
        return session.scalar(select(func.count()).select_from(BlobAccess).where(
            BlobAccess.sha256 == sha, BlobAccess.station_key.in_([station_id, "*"]))) != 0

    @app.get("/v1/blobs/{sha}")
    def blob_state(sha: str, dev: Authed,
                   session: Annotated[Session, Depends(read_session)]) -> dict[str, Any]:
        _check_sha(sha)
        blob = session.get(Blob, sha)
        if blob is None:
            return {"sha256": sha, "size": None, "received": 0, "complete": False}
        if not _may_read(session, sha, dev.station_id):
            # Says nothing of the file; a claim resumes where it stopped.
            claim = session.get(BlobClaim, (sha, dev.station_id))
            return {"sha256": sha, "size": blob.size if claim else None,
                    "received": claim.verified if claim else 0, "complete": False}
        return {"sha256": sha, "size": blob.size, "received": _received(session, sha),
                "complete": blob.complete}

    @app.put("/v1/blobs/{sha}")
    async def upload_chunk(sha: str, request: Request, dev: Authed,
                           size: Annotated[int, Query(ge=0, le=1 << 32)],
                           offset: Annotated[int, Query(ge=0, le=1 << 32)]) -> dict[str, Any]:
        _check_sha(sha)
        chunk = await request.body()
        if len(chunk) > CHUNK:
            raise ProtocolError(413, "chunk_too_large", "分块过大。", "The chunk is too large.")
        with factory() as session, session.begin():
            answer = _store_chunk(session, sha, size, offset, chunk, dev.station_id)
        if isinstance(answer, ProtocolError):
            raise answer  # only now: raised inside, it would roll the discarding back
        return answer

    def _store_chunk(session: Session, sha: str, size: int, offset: int, chunk: bytes,
                     station_id: str) -> dict[str, Any] | ProtocolError:
        blob = session.get(Blob, sha, with_for_update=True)
        if blob is None:
            blob = Blob(sha256=sha, size=size, complete=False)
            session.add(blob)
            session.flush()
        has_access = session.get(BlobAccess, (sha, station_id)) is not None
        if blob.complete and not has_access:
            return _claim(session, blob, station_id, offset, chunk)
        if not has_access:
            session.add(BlobAccess(sha256=sha, station_key=station_id))
        if blob.complete:
            return {"sha256": sha, "received": blob.size, "complete": True}
        if blob.size != size:
            raise ProtocolError(409, "size_mismatch", "文件大小与先前上传的不一致。",
                                "The size differs from the earlier upload.")
        received = _received(session, sha)
        if offset != received:
            raise ProtocolError(409, "bad_offset", "分块位置不对，请从服务器已收到的位置续传。",
                                "Chunk at the wrong offset; resume from what the server has.",
                                received=received)
        if received + len(chunk) > size:
            raise ProtocolError(422, "too_long", "数据超过声明的大小。",
                                "More data than the declared size.")
        session.add(BlobChunk(sha256=sha, offset=offset, data=chunk))
        received += len(chunk)
        if received == size:
            digest = hashlib.sha256()
            for part in session.scalars(
                    select(BlobChunk.data).where(BlobChunk.sha256 == sha)
                    .order_by(BlobChunk.offset)):
                digest.update(part)
            if digest.hexdigest() != sha:
                # Drop the whole upload (its bytes, who may read it, the file itself)
                # so the next attempt starts clean from offset 0.
                for model in (BlobChunk, BlobAccess):
                    for row in session.scalars(select(model).where(model.sha256 == sha)):
                        session.delete(row)
                session.flush()
                session.delete(blob)
                return ProtocolError(
                    422, "hash_mismatch", "文件内容与哈希不符，已丢弃，请重新上传。",
                    "The content does not match its hash; discarded, upload again.")
            blob.complete = True
        return {"sha256": sha, "received": received, "complete": blob.complete}

    def _claim(session: Session, blob: Blob, station_id: str, offset: int,
               chunk: bytes) -> dict[str, Any]:
        """Knowing a hash is not holding the file: another station's upload grants
        access only once every byte it sends matched the stored ones."""
        claim = session.get(BlobClaim, (blob.sha256, station_id), with_for_update=True)
        if claim is None:
            claim = BlobClaim(sha256=blob.sha256, station_id=station_id, verified=0)
            session.add(claim)
        if offset != claim.verified:
            raise ProtocolError(409, "bad_offset", "分块位置不对，请从服务器已收到的位置续传。",
                                "Chunk at the wrong offset; resume from what the server has.",
                                received=claim.verified)
        stored = _read_range(session, blob.sha256, offset, len(chunk))
        if stored != chunk or not chunk:
            claim.verified = 0
            raise ProtocolError(422, "hash_mismatch", "文件内容与哈希不符，请重新上传。",
                                "The content does not match its hash; upload again.")
        claim.verified += len(chunk)
        if claim.verified == blob.size:
            session.add(BlobAccess(sha256=blob.sha256, station_key=station_id))
            session.delete(claim)
            return {"sha256": blob.sha256, "received": blob.size, "complete": True}
        return {"sha256": blob.sha256, "received": claim.verified, "complete": False}

    def _read_range(session: Session, sha: str, offset: int, length: int) -> bytes:
        # Only the stored chunks that overlap the range asked for.
        parts = session.execute(
            select(BlobChunk.offset, BlobChunk.data).where(
                BlobChunk.sha256 == sha, BlobChunk.offset < offset + length,
                BlobChunk.offset + func.length(BlobChunk.data) > offset)
            .order_by(BlobChunk.offset)).all()
        start = parts[0].offset if parts else offset
        data = b"".join(part.data for part in parts)
        return data[offset - start:offset - start + length]

    @app.get("/v1/blobs/{sha}/content")
    def download(sha: str, dev: Authed, session: Annotated[Session, Depends(read_session)],
                 offset: Annotated[int, Query(ge=0, le=1 << 32)] = 0,
                 length: Annotated[int, Query(ge=1, le=CHUNK)] = CHUNK) -> Response:
        _check_sha(sha)
        blob = session.get(Blob, sha)
        if blob is None or not blob.complete or not _may_read(session, sha, dev.station_id):
            raise ProtocolError(404, "not_found", "服务器上没有该文件。",
                                "No such file on the server.")
        return Response(_read_range(session, sha, offset, length),
                        media_type="application/octet-stream",
                        headers={"X-Blob-Size": str(blob.size)})

    return app
