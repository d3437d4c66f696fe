"""The HTTP service. Workers are stateless: everything lives in the database, so any
number of workers or machines behind a load balancer can serve the same stations.

Run it with ``lawsup-central serve``; uvicorn imports :func:`create_app` in each
worker (the database URL comes from the environment that ``serve`` sets).

No ``from __future__ import annotations`` here: FastAPI reads the endpoints'
annotations at run time, and they name dependencies local to create_app.
"""


import hashlib
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from lawsup_central import PROTOCOL_VERSION
from lawsup_central.admin import CHUNK, authenticate, enroll
from lawsup_central.db import database_url, make_engine, sessions
from lawsup_central.models import Blob, BlobAccess, BlobChunk, BlobClaim, Device
from lawsup_central.protocol import (
    ProtocolError,
    checksums,
    pull,
    push,
    record_in_scope,
    server_now,
)

MAX_BODY = 16 * 1024 * 1024
MAX_OPS = 1000
MAX_PAGE = 5000


def _json(body: dict[str, Any]) -> Response:
    # Encoded directly: FastAPI's generic encoder walks every value of large answers
    # (a pull page) and costs more than the database work.
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                    media_type="application/json")


class EnrollIn(BaseModel):
    code: str = Field(min_length=4, max_length=64)


class OpIn(BaseModel):
    op_id: str = Field(min_length=36, max_length=36)
    seq: int = Field(ge=1)
    entity: str = Field(min_length=1, max_length=40)
    record_id: str = Field(min_length=1, max_length=36)
    kind: Literal["insert", "update", "resolve"]
    base_version: int | None = None
    fields: dict[str, list[Any]] = Field(max_length=200)

    @field_validator("fields")
    @classmethod
    def pairs(cls, value: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for name, pair in value.items():
            if len(pair) != 2:
                raise ValueError(f"field {name}: expected [old, new]")
        return value


class PushIn(BaseModel):
    ops: list[OpIn] = Field(max_length=MAX_OPS)


def create_app(url: str | None = None) -> FastAPI:
    engine = make_engine(database_url(url))
    factory: sessionmaker[Session] = sessions(engine)
    url = database_url(url)
    reader = make_engine(url, writer=False) if url.startswith("sqlite") else engine
    read_factory: sessionmaker[Session] = sessions(reader)
    app = FastAPI(title="lawsup-central", version=str(PROTOCOL_VERSION),
                  description="县局法制大队同步服务 / the bureau's sync service")
    app.state.engine = engine

    @app.exception_handler(ProtocolError)
    async def protocol_error(_request: Request, exc: ProtocolError) -> JSONResponse:
        return JSONResponse(exc.body() | {"server_time": server_now()}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def malformed(_request: Request, exc: RequestValidationError) -> JSONResponse:
        where = "; ".join(".".join(str(p) for p in e["loc"]) + ": " + e["msg"]
                          for e in exc.errors()[:5])
        return JSONResponse(ProtocolError(422, "malformed", f"请求格式不正确：{where}",
                                          f"Malformed request: {where}").body(), status_code=422)

    @app.middleware("http")
    async def limit_size(request: Request, call_next: Any) -> Any:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            error = ProtocolError(413, "too_large", "请求过大。", "The request is too large.")
            return JSONResponse(error.body(), status_code=413)
        return await call_next(request)

    def read_session() -> Iterator[Session]:
        with read_factory() as session:
            yield session

    def write_session() -> Iterator[Session]:
        with factory() as session, session.begin():
            yield session

    def device(
        session: Annotated[Session, Depends(read_session)],
        authorization: Annotated[str | None, Header()] = None,
    ) -> Device:
        token = None
        if authorization and authorization.startswith("Bearer "):
            token = authorization[len("Bearer "):].strip()
        found = authenticate(session, token)
        session.expunge(found)
        session.rollback()
        return found

    Authed = Annotated[Device, Depends(device)]

    @app.get("/v1/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "protocol": PROTOCOL_VERSION, "server_time": server_now()}

    @app.post("/v1/enroll")
    def enroll_device(body: EnrollIn,
                      session: Annotated[Session, Depends(write_session)]) -> dict[str, Any]:
        return enroll(session, body.code) | {"server_time": server_now()}

    @app.get("/v1/me")
    def me(dev: Authed) -> dict[str, Any]:
        return {"device_id": dev.id, "station_id": dev.station_id, "last_seq": dev.last_seq,
                "server_time": server_now()}

    @app.post("/v1/push")
    def push_ops(body: PushIn, dev: Authed) -> Response:
        ops = [op.model_dump() for op in body.ops]
        with factory() as session, session.begin():
            result = push(session, dev.id, ops)
        return _json(result | {"server_time": server_now()})

    @app.get("/v1/pull")
    def pull_records(dev: Authed, session: Annotated[Session, Depends(read_session)],
                     after: Annotated[int, Query(ge=0)] = 0,
                     limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000) -> Response:
        return _json(pull(session, dev.station_id, after, limit) | {"server_time": server_now()})

    @app.get("/v1/checksums")
    def station_checksums(dev: Authed,
                          session: Annotated[Session, Depends(read_session)]) -> Response:
        return _json({"entities": checksums(session, dev.station_id), "server_time": server_now()})

    @app.get("/v1/records/{entity}/{record_id}")
    def one_record(entity: str, record_id: str, dev: Authed,
                   session: Annotated[Session, Depends(read_session)]) -> dict[str, Any]:
        record = record_in_scope(session, dev.station_id, entity, record_id)
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
                           offset: Annotated[int, Query(ge=0)]) -> dict[str, Any]:
        _check_sha(sha)
        chunk = await request.body()
        if len(chunk) > CHUNK:
            raise ProtocolError(413, "chunk_too_large", "分块过大。", "The chunk is too large.")
        with factory() as session, session.begin():
            return _store_chunk(session, sha, size, offset, chunk, dev.station_id)

    def _store_chunk(session: Session, sha: str, size: int, offset: int, chunk: bytes,
                     station_id: str) -> dict[str, Any]:
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
                # Drop what arrived so the next attempt starts clean.
                for row in session.scalars(select(BlobChunk).where(BlobChunk.sha256 == sha)):
                    session.delete(row)
                session.flush()
                raise ProtocolError(
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
                 offset: Annotated[int, Query(ge=0)] = 0,
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
