"""Helpers of the sync tests: fault injection between client and service, raw access."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from lawsup_desktop.store.sync_models import SyncConflict, SyncOutbox
from lawsup_desktop.sync.engine import get_meta
from lawsup_desktop.sync.tokens import SERVICE


class Faults(httpx.BaseTransport):
    """Forwards requests to the real service, except as ``plan`` says, one step per
    request: "ok", "lose" (the service handles it, the answer is lost), "cut" (the
    request never arrives), or an httpx.Response to answer instead."""

    def __init__(self, plan: list[Any] | None = None) -> None:
        self.inner = httpx.HTTPTransport()
        self.plan = list(plan or [])
        self.seen: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        step = self.plan.pop(0) if self.plan else "ok"
        self.seen.append((request.method, request.url.path))
        if step == "cut":
            raise httpx.ConnectError("connection cut", request=request)
        if isinstance(step, httpx.Response):
            return step
        response = self.inner.handle_request(request)
        if step == "lose":
            response.read()
            response.close()
            raise httpx.ReadError("answer lost", request=request)
        return response


def pending(device: Any) -> int:
    with device.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(SyncOutbox)
                                  .where(SyncOutbox.state == "pending")) or 0)


def conflicts(device: Any, state: str = "open") -> list[SyncConflict]:
    with device.db.read() as session:
        return list(session.scalars(select(SyncConflict).where(SyncConflict.state == state)))


def device_id(device: Any) -> str:
    with device.db.reader.connect() as conn:
        return get_meta(conn, "device_id")


def token(device: Any, memory_keyring: Any) -> str:
    return str(memory_keyring.passwords[(SERVICE, device_id(device))])


def raw(device: Any, memory_keyring: Any) -> httpx.Client:
    return httpx.Client(base_url=device.central.base_url,
                        headers={"Authorization": f"Bearer {token(device, memory_keyring)}"})


def outbox_ops(device: Any) -> list[dict[str, Any]]:
    """The device's pending ops in wire form (as the engine would send them)."""
    with device.db.reader.connect() as conn:
        base = int(get_meta(conn, "seq_base", "0"))
        rows = conn.execute(select(SyncOutbox).where(SyncOutbox.state == "pending")
                            .order_by(SyncOutbox.seq)).mappings().all()
    return [{"op_id": r["op_id"], "seq": r["seq"] - base, "entity": r["entity"],
             "record_id": r["record_id"], "kind": r["kind"], "base_version": r["base_version"],
             "fields": r["fields"]} for r in rows]
