"""A randomized simulation (hypothesis stateful): two workstations of one station make
random edits, sync through dropped answers, cut connections and junk answers, and get
killed and reopened on the same file. At the end every outbox is empty, every device
equals the service for its scope, and every hard conflict is present everywhere."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from lawsup_desktop.services.station import open_station
from lawsup_desktop.store.models import Incident
from lawsup_desktop.sync.client import SyncError

from .helpers import Faults, conflicts, pending, raw

FAULTS = ["ok", "lose", "cut", httpx.Response(200, html="<html>proxy</html>")]
FIELDS = ["summary", "address", "caller_name"]


@pytest.mark.slow
def test_random_offline_work_converges(stations, memory_keyring):
    class Simulation(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            first = stations.new()
            first.sync()
            self.devices = [first, stations.device(first.station_code)]
            self.incidents: list[str] = []
            self.numbers = 0

        @rule(who=st.integers(0, 1))
        def add(self, who: int) -> None:
            self.numbers += 1
            self.incidents.append(self.devices[who].add_incident(f"SIM-{who}-{self.numbers}"))

        @rule(who=st.integers(0, 1), pick=st.integers(0, 50), field=st.sampled_from(FIELDS),
              value=st.sampled_from(["甲", "乙", "丙", "丁"]))
        def edit(self, who: int, pick: int, field: str, value: str) -> None:
            device = self.devices[who]
            known = [i for i in self.incidents if device.get(Incident, i) is not None
                     and device.get(Incident, i).deleted_at is None]
            if known:
                device.edit(Incident, known[pick % len(known)], **{field: value})

        @rule(who=st.integers(0, 1), pick=st.integers(0, 50))
        def delete(self, who: int, pick: int) -> None:
            device = self.devices[who]
            known = [i for i in self.incidents if device.get(Incident, i) is not None
                     and device.get(Incident, i).deleted_at is None]
            if known:
                device.edit(Incident, known[pick % len(known)], deleted_at=datetime.now(UTC))

        @rule(who=st.integers(0, 1), fault=st.sampled_from(FAULTS))
        def sync(self, who: int, fault: object) -> None:
            device = self.devices[who]
            device.transport = Faults([fault])
            # A fault makes this sync fail; the next one must pick up from here.
            with contextlib.suppress(SyncError):
                device.sync(push_batch=3)
            device.transport = None

        @rule(who=st.integers(0, 1))
        def kill_and_reopen(self, who: int) -> None:
            device = self.devices[who]
            device.db.dispose()
            device.db = open_station(device.folder)

        @invariant()
        def nothing_pending_is_lost(self) -> None:
            for device in getattr(self, "devices", []):
                assert pending(device) >= 0

        def teardown(self) -> None:
            if not hasattr(self, "devices"):
                return
            for _round in range(2):
                for device in self.devices:
                    device.sync()
            with raw(self.devices[0], memory_keyring) as http:
                records = http.get("/v1/pull", params={"after": 0, "limit": 5000}).json()
            on_server = {r["id"] for r in records["records"] if r["entity"] == "conflict"}
            for device in self.devices:
                assert pending(device) == 0
                assert device.differences() == []
                local = {c.id for c in conflicts(device) + conflicts(device, "resolved")}
                assert on_server <= local

    Simulation.TestCase.settings = settings(
        max_examples=3, stateful_step_count=12, deadline=None,
        suppress_health_check=list(HealthCheck))
    Simulation.TestCase().runTest()
