"""HTTP client of the bureau's sync service (httpx), with errors the user can read.

Every failure becomes a :class:`SyncError` with a message in both languages:
an unreachable server, a refusal with the service's own reason, or an answer
that is not the service's at all (an HTML login page of a proxy, garbage).
Nothing here changes local data, so a failure never loses anything.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lawsup_desktop.domain.errors import LawsupError, Text

if TYPE_CHECKING:
    import httpx


class SyncError(LawsupError):
    """A sync that could not complete; ``code`` is the service's reason code if any."""

    def __init__(self, message: Text, code: str = "", status: int | None = None,
                 detail: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.detail = detail or {}


def _unreachable(url: str, exc: Exception) -> SyncError:
    return SyncError(
        Text(f"无法连接同步服务器 {url}（{type(exc).__name__}）。"
             "本地数据未受影响，下次同步将继续。",
             f"Cannot reach the sync server {url} ({type(exc).__name__}). Local data is "
             "untouched; the next sync continues from here."),
        code="unreachable",
    )


def _bad_answer(url: str, status: int, what: str) -> SyncError:
    return SyncError(
        Text(f"服务器 {url} 的答复不是同步服务的答复（HTTP {status}，{what}）。"
             "请检查服务器地址。本地数据未受影响。",
             f"The server {url} did not answer as the sync service does (HTTP {status}, "
             f"{what}). Check the server address. Local data is untouched."),
        code="bad_answer", status=status,
    )


class SyncClient:
    """One connection to the service. ``transport`` is a seam for tests (faults)."""

    def __init__(self, server_url: str, token: str | None = None, *,
                 ca_bundle: Path | None = None, transport: httpx.BaseTransport | None = None,
                 timeout: float = 60.0) -> None:
        import httpx

        self.server_url = server_url.rstrip("/")
        headers = {"User-Agent": "lawsup-desktop"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        # TLS verification stays on; the bureau's own CA can be added, never bypassed.
        verify: Any = True
        if ca_bundle is not None:
            import ssl

            verify = ssl.create_default_context(cafile=str(ca_bundle))
        self._http = httpx.Client(base_url=self.server_url, headers=headers, verify=verify,
                                  transport=transport, timeout=timeout)
        self.clock_skew_s: float | None = None
        self.server_time: str | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        import httpx

        try:
            return self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise _unreachable(self.server_url, exc) from exc

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        sent = clock()
        response = self._send(method, path, **kwargs)
        received = clock()
        try:
            body = response.json()
        except ValueError:
            kind = response.headers.get("content-type", "unknown content").split(";")[0]
            raise _bad_answer(self.server_url, response.status_code, kind) from None
        if not isinstance(body, dict):
            raise _bad_answer(self.server_url, response.status_code, "not a JSON object")
        if response.status_code >= 400:
            raise self._refusal(response.status_code, body)
        self._note_clock(body.get("server_time"), sent, received)
        return body

    def _refusal(self, status: int, body: dict[str, Any]) -> SyncError:
        message = body.get("message")
        if isinstance(message, dict) and message.get("zh") and message.get("en"):
            text = Text(f"同步服务拒绝了请求：{message['zh']}",
                        f"The sync service refused the request: {message['en']}")
            return SyncError(text, code=str(body.get("error", "")), status=status, detail=body)
        return _bad_answer(self.server_url, status, "no reason given")

    def _note_clock(self, server_time: Any, sent: float, received: float) -> None:
        if not isinstance(server_time, str):
            return
        try:
            server = datetime.fromisoformat(server_time).timestamp()
        except ValueError:
            return
        self.server_time = server_time
        # The server's clock is compared with the middle of the round trip.
        self.clock_skew_s = (sent + received) / 2 - server

    # --- the protocol -------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return self._json("GET", "/v1/health")

    def enroll(self, code: str) -> dict[str, Any]:
        body = self._json("POST", "/v1/enroll", json={"code": code})
        if not isinstance(body.get("token"), str) or not isinstance(body.get("station"), dict):
            raise _bad_answer(self.server_url, 200, "no token in the answer")
        return body

    def me(self) -> dict[str, Any]:
        return self._json("GET", "/v1/me")

    def push(self, ops: list[dict[str, Any]]) -> dict[str, Any]:
        body = self._json("POST", "/v1/push", json={"ops": ops})
        results = body.get("results")
        if isinstance(results, list) and isinstance(body.get("stopped"), dict):
            ops = ops[: len(results)]  # the service stopped there (see engine.push)
        if not isinstance(results, list) or len(results) != len(ops) or any(
            not isinstance(r, dict) or r.get("op_id") != op["op_id"]
            for r, op in zip(results, ops, strict=False)
        ):
            raise _bad_answer(self.server_url, 200, "the push answer does not match the ops")
        return body

    def pull(self, after: int, limit: int) -> dict[str, Any]:
        body = self._json("GET", "/v1/pull", params={"after": after, "limit": limit})
        if not isinstance(body.get("records"), list) or not isinstance(body.get("cursor"), int):
            raise _bad_answer(self.server_url, 200, "the pull answer has no records")
        return body

    def checksums(self) -> dict[str, dict[str, Any]]:
        body = self._json("GET", "/v1/checksums")
        entities = body.get("entities")
        if not isinstance(entities, dict):
            raise _bad_answer(self.server_url, 200, "no checksums in the answer")
        return entities

    def record(self, entity: str, record_id: str) -> dict[str, Any]:
        return self._json("GET", f"/v1/records/{entity}/{record_id}")

    def blob_state(self, sha256: str) -> dict[str, Any]:
        return self._json("GET", f"/v1/blobs/{sha256}")

    def upload_chunk(self, sha256: str, size: int, offset: int, chunk: bytes) -> dict[str, Any]:
        return self._json("PUT", f"/v1/blobs/{sha256}", params={"size": size, "offset": offset},
                          content=chunk)

    def download_chunk(self, sha256: str, offset: int, length: int) -> bytes:
        response = self._send("GET", f"/v1/blobs/{sha256}/content",
                              params={"offset": offset, "length": length})
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                raise _bad_answer(self.server_url, response.status_code, "no reason") from None
            raise self._refusal(response.status_code, body if isinstance(body, dict) else {})
        return response.content


def clock() -> float:
    """The workstation's clock (a seam: tests skew it). Only compared, never used to order."""
    return time.time()
