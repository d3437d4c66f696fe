"""A pull that meets local pending changes skips them, yet the cursor moves on: the
skipped server values must still reach the device once those changes are pushed.

Found by the simulation (test_simulation.py): a device's ops reached the service
before its first sync (a push whose answer it never saw), another device then
edited one of its records; the first sync pulled first, kept its "unpushed" copy,
pushed, got the stored results replayed, and never saw the other device's edit.
"""

from __future__ import annotations

from typing import Any

import httpx

from lawsup_desktop.store.models import Incident
from lawsup_desktop.sync.client import SyncError

from .helpers import conflicts, outbox_ops, pending, raw
from .test_simulation import Network, push_reordered


def test_an_edit_skipped_by_a_pull_arrives_after_the_replayed_push(stations, memory_keyring):
    first = stations.new()
    first.sync()
    second = stations.device(first.station_code)
    incident = second.add_incident("H1")
    # The second device's ops reach the service, but their answers never reach the
    # device (as a held push delivered late): its outbox still has them pending.
    ops = outbox_ops(second)
    with raw(second, memory_keyring) as http:
        answer = http.post("/v1/push", json={"ops": ops})
        assert answer.status_code == 200, answer.text
    assert pending(second) == len(ops)
    # Another device edits the record meanwhile.
    first.sync()
    first.edit(Incident, incident, summary="丁")
    first.sync()
    assert first.get(Incident, incident).summary == "丁"

    # The first sync pulls first: the record comes with the edit, but the local insert
    # is still pending, so ours stands for now; the push gets the stored results back.
    second.sync()
    assert pending(second) == 0
    assert second.get(Incident, incident).summary == "丁"
    assert second.differences() == []
    assert first.differences() == []


def test_a_same_field_edit_made_during_a_pull_ends_as_theirs_plus_a_conflict(stations):
    first = stations.new()
    incident = first.add_incident("H2")
    first.sync()
    second = stations.device(first.station_code)
    second.sync()
    other = first.add_incident("H3")  # pulled on the page before the edited incident
    first.edit(Incident, incident, summary="甲", address="甲地址")
    first.sync()

    # The user edits the summary while the second device pulls, between two pages: the
    # next page brings the first device's summary, which is skipped (the local one is
    # still to be pushed), and its address, which is taken.
    def edit_during_pull(stage: str, done: int) -> None:
        if stage == "pull" and done == 1:
            second.edit(Incident, incident, summary="乙")

    second.sync(pull_page=1, on_progress=edit_during_pull)
    assert second.get(Incident, other) is not None
    row = second.get(Incident, incident)
    assert (row.summary, row.address) == ("乙", "甲地址")
    assert pending(second) == 1
    report = second.sync()
    # The same field changed on both sides: the service keeps its value and the
    # device's value is kept in the conflict, as for any other hard conflict.
    assert report.conflicts == 1
    [conflict] = conflicts(second)
    assert conflict.fields["summary"] == {"mine": "乙", "theirs": "甲", "base": "邻里纠纷"}
    first.sync()
    assert [c.id for c in conflicts(first)] == [conflict.id]
    for device in (first, second):
        row = device.get(Incident, incident)
        assert (row.summary, row.address) == ("甲", "甲地址")
        assert pending(device) == 0
        assert device.differences() == []


def test_the_shrunk_simulation_example_converges(stations, memory_keyring):
    """The simulation's shrunk failing example, step by step. The second device's ops
    all reach the service as reordered batches it never sees the answers of; the
    first device then edits one of its incidents; the second device's first sync
    pulls that edit while its own insert is still pending."""
    first = stations.new()
    first.sync()
    second = stations.device(first.station_code)  # never synced: its set-up is pending
    devices = [first, second]
    held: list[httpx.Request] = []

    def sync_held(device: Any, delivered: int) -> None:
        """A sync whose request after the first ``delivered`` is held back (timeout)."""
        device.transport = Network(["ok"] * delivered + ["hold"], held)
        try:
            device.sync(push_batch=3)
        except SyncError as exc:
            assert exc.code == "unreachable"
        finally:
            device.transport = None

    i1 = first.add_incident("SIM-0-1")
    second.add_incident("SIM-1-2")
    assert max(devices, key=pending) is second
    push_reordered(second, memory_keyring, 1)
    i3 = second.add_incident("SIM-1-3")
    first.add_incident("SIM-0-4")
    second.add_incident("SIM-1-5")
    first.edit(Incident, i1, summary="甲")
    second.add_incident("SIM-1-6")
    assert max(devices, key=pending) is second
    push_reordered(second, memory_keyring, 4)
    sync_held(first, 2)  # one push, one pull: nothing left to hold
    assert held == []
    # The first device edits an incident of the second, which has not synced yet.
    first.edit(Incident, i3, summary="丁")
    sync_held(first, 1)  # the push goes through, the pull is held
    assert [r.url.path for r in held] == ["/v1/pull"]
    Network.deliver(held)
    for _round in range(2):
        for device in devices:
            device.sync()
    for device in devices:
        assert pending(device) == 0
        assert device.get(Incident, i3).summary == "丁"
        assert device.get(Incident, i1).summary == "甲"
        assert device.differences() == []
