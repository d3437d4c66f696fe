"""Large pull pages go gzipped to a client that accepts gzip, plain to one that does
not; either way the same page."""

from __future__ import annotations

import gzip
import json
from typing import Any

from .helpers import raw


def test_a_large_pull_page_is_gzipped_only_for_a_client_that_accepts_it(
        stations: Any, memory_keyring: Any) -> None:
    device = stations.new()
    for n in range(40):  # about 25 KB of JSON: above the service's threshold
        device.add_incident(f"GZ{n}")
    device.sync()
    with raw(device, memory_keyring) as http:
        plain = http.get("/v1/pull", params={"after": 0, "limit": 1000},
                         headers={"Accept-Encoding": "identity"})
        # The stream as sent (httpx would decompress .content by itself).
        with http.stream("GET", "/v1/pull", params={"after": 0, "limit": 1000},
                         headers={"Accept-Encoding": "gzip"}) as packed:
            sent = b"".join(packed.iter_raw())
            encoding = packed.headers.get("content-encoding")
        refused = http.get("/v1/pull", params={"after": 0, "limit": 1000},
                           headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    assert refused.status_code == 200 and "content-encoding" not in refused.headers
    assert encoding == "gzip" and len(sent) < len(plain.content) / 3
    page, unpacked = plain.json(), json.loads(gzip.decompress(sent))
    assert len(page["records"]) >= 40
    assert unpacked["records"] == page["records"] and unpacked["cursor"] == page["cursor"]
