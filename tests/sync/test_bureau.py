"""What the bureau sends (assignments, guidance, reference data), files, clocks, re-syncs."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date

import pytest

from lawsup_central.admin import list_reference, load_reference, publish_guidance
from lawsup_desktop.domain.vocabulary import RectificationSource, RectificationState
from lawsup_desktop.services.attachments import AttachmentStore
from lawsup_desktop.store.models import (
    Attachment,
    Guidance,
    HolidayPeriod,
    Incident,
    ProblemType,
    Rectification,
)
from lawsup_desktop.sync import client as client_module
from lawsup_desktop.sync.client import SyncError
from lawsup_desktop.sync.rules import reference_id

from .helpers import Faults, pending


def test_assignment_guidance_and_reference_data_arrive_and_stay_the_bureaus(
        stations, central, tmp_path):
    device = stations.new()
    # The station's own seed of the negative list becomes the bureau's records.
    assert central.cli("assign", device.station_code, "--number", f"DB-{device.station_code}",
                       "--description", "久拖不决案件清理", "--due", "2026-12-31",
                       "--risk", "high", "--problem-type", "dragged_out").returncode == 0
    guidance = tmp_path / "指引.txt"
    guidance.write_text("关于规范受案立案工作的执法指引", encoding="utf-8")
    holidays = tmp_path / "reference.json"
    holidays.write_text(json.dumps({"holidays": [
        {"name": "元旦", "first_day": "2027-01-01", "last_day": "2027-01-01"}]}),
        encoding="utf-8")
    # The other admin commands in-process (each command line run costs seconds).
    with central.admin() as session:
        publish_guidance(session, guidance, "受案立案指引")
        load_reference(session, holidays)
        assert any(r["name"] == "元旦" for r in list_reference(session, "holiday_period"))

    device.sync()
    assignment_id = reference_id("rectification", (
        device.info.station_id, f"DB-{device.station_code}"))
    item = device.get(Rectification, assignment_id)
    assert item.bureau_supervised and item.source is RectificationSource.BUREAU
    assert item.due_date == date(2026, 12, 31)
    assert item.problem_type_id == reference_id("problem_type", ("dragged_out",))
    with device.db.read() as session:
        kinds = session.query(ProblemType).count()
        delayed = session.get(ProblemType, reference_id("problem_type", ("dragged_out",)))
        assert delayed is not None and kinds == 10  # re-keyed, not duplicated
        assert session.query(HolidayPeriod).filter_by(name="元旦").count() == 1
        [doc] = session.query(Guidance).filter_by(title="受案立案指引").all()
    content = AttachmentStore(device.folder.attachments).path_for(doc.attachment_sha256)
    assert content.read_text(encoding="utf-8") == "关于规范受案立案工作的执法指引"

    # The station works the item, but cannot take it out of the bureau's supervision.
    device.edit(Rectification, assignment_id, state=RectificationState.IN_PROGRESS)
    device.sync()
    device.edit(Rectification, assignment_id, bureau_supervised=False)
    assert device.sync().rejected == 1
    engine = device.engine()
    data = engine.client.record("rectification", assignment_id)["data"]
    engine.client.close()
    assert data["state"] == "in_progress" and data["bureau_supervised"] is True


def test_attachments_upload_in_chunks_resume_and_arrive_verified(stations, tmp_path):
    first = stations.new()
    first.sync()
    source = tmp_path / "evidence.pdf"
    source.write_bytes(b"%PDF-1.4\n" + os.urandom(2 * 1024 * 1024 + 12345))
    stored = AttachmentStore(first.folder.attachments).put(source)
    with first.db.write(first.actor) as session:
        session.add(Attachment(sha256=stored.sha256, size=stored.size,
                               media_type="application/pdf", file_name="evidence.pdf"))
    # The blob state, the first of three chunks, then the connection is cut.
    first.transport = Faults(["ok", "ok", "cut"])
    with pytest.raises(SyncError):
        first.sync()
    engine = first.engine()
    state = engine.client.blob_state(stored.sha256)
    engine.client.close()
    assert state["received"] == 1024 * 1024 and not state["complete"]
    first.transport = Faults()
    first.sync()
    puts = [path for method, path in first.transport.seen if method == "PUT"]
    assert len(puts) == 2  # resumed at the second chunk, not from the start

    second = stations.device(first.station_code)
    second.sync()
    copy = AttachmentStore(second.folder.attachments).path_for(stored.sha256)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == stored.sha256
    assert second.differences() == []


def test_clocks_skewed_by_days_warn_and_change_nothing(stations, monkeypatch):
    first = stations.new()
    incident = first.add_incident("S1")
    first.sync()
    second = stations.device(first.station_code)
    second.sync()
    monkeypatch.setattr(client_module, "clock", lambda: __import__("time").time() - 3 * 86400)
    second.edit(Incident, incident, summary="时钟慢三天的修改")
    report = second.sync()
    assert report.clock_warning is not None and report.clock_skew_s < -2 * 86400
    assert "分钟" in report.clock_warning.zh and "slow" in report.clock_warning.en
    monkeypatch.undo()
    # Nothing is ordered by client clocks: the "three days old" edit still counts.
    first.edit(Incident, incident, address="甲后改地址")
    assert first.sync().clock_warning is None
    second.sync()
    row = second.get(Incident, incident)
    assert (row.summary, row.address) == ("时钟慢三天的修改", "甲后改地址")


def test_a_full_resync_while_ops_are_pending_keeps_the_local_changes(stations):
    first = stations.new()
    incident = first.add_incident("F1")
    first.sync()
    second = stations.device(first.station_code)
    second.sync()
    first.edit(Incident, incident, address="甲改地址")
    first.sync()
    second.edit(Incident, incident, summary="乙未推送的修改")
    engine = second.engine()
    assert engine.pull(from_start=True) > 0
    engine.client.close()
    row = second.get(Incident, incident)
    assert (row.summary, row.address) == ("乙未推送的修改", "甲改地址")
    assert pending(second) == 1
    second.sync()
    first.sync()
    assert first.get(Incident, incident).summary == "乙未推送的修改"
    assert first.differences() == [] and second.differences() == []



def test_an_upload_that_does_not_match_its_hash_is_discarded(stations, memory_keyring):
    from .helpers import raw

    device = stations.new()
    content = b"evidence" * 1000
    claimed = hashlib.sha256(b"something else").hexdigest()
    with raw(device, memory_keyring) as http:
        answer = http.put(f"/v1/blobs/{claimed}", params={"size": len(content), "offset": 0},
                          content=content)
        state = http.get(f"/v1/blobs/{claimed}").json()
        download = http.get(f"/v1/blobs/{claimed}/content")
    assert answer.status_code == 422 and answer.json()["error"] == "hash_mismatch"
    assert state["received"] == 0 and not state["complete"]
    assert download.status_code == 404


def test_knowing_a_files_hash_is_not_enough_to_download_it(stations, memory_keyring):
    from .helpers import raw

    owner, holder, guesser = stations.new(), stations.new("河西派出所"), stations.new("东关派出所")
    content = os.urandom(3000)
    sha = hashlib.sha256(content).hexdigest()
    with raw(owner, memory_keyring) as http:
        assert http.put(f"/v1/blobs/{sha}", params={"size": 3000, "offset": 0},
                        content=content).json()["complete"]
    with raw(guesser, memory_keyring) as http:
        assert http.get(f"/v1/blobs/{sha}").json()["size"] is None  # nothing revealed
        wrong = http.put(f"/v1/blobs/{sha}", params={"size": 3000, "offset": 0},
                         content=b"\0" * 3000)
        assert wrong.status_code == 422
        assert http.get(f"/v1/blobs/{sha}/content").status_code == 404
    with raw(holder, memory_keyring) as http:  # has the same file: proves it, in chunks
        first = http.put(f"/v1/blobs/{sha}", params={"size": 3000, "offset": 0},
                         content=content[:1000]).json()
        assert first == {"sha256": sha, "received": 1000, "complete": False}
        assert http.get(f"/v1/blobs/{sha}").json()["received"] == 1000  # resumable
        last = http.put(f"/v1/blobs/{sha}", params={"size": 3000, "offset": 1000},
                        content=content[1000:]).json()
        assert last["complete"]
        assert http.get(f"/v1/blobs/{sha}/content").content == content
