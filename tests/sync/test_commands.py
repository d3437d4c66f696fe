"""``lawsup enroll`` and ``lawsup sync`` from the command line."""

from __future__ import annotations

from lawsup_desktop import cli
from lawsup_desktop.domain.vocabulary import Role
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.station import StationService, open_station
from lawsup_desktop.sync.tokens import SERVICE


def test_enroll_then_sync_headless(central, tmp_path, memory_keyring, capsys, monkeypatch):
    folder = DataFolder(tmp_path / "station")
    db = open_station(folder)
    StationService(db).set_up("LX-CLI", "城关派出所", "张法制", Role.SUPERVISOR)
    db.dispose()
    _code, enrol_code = central.add_station()
    root = ["--data-dir", str(folder.root)]

    assert cli.main([*root, "enroll", central.base_url, enrol_code]) == 0
    out = capsys.readouterr().out
    [((service, _device), token)] = memory_keyring.passwords.items()
    assert service == SERVICE and token not in out  # never printed

    assert cli.main([*root, "sync", "--verify"]) == 0
    assert "pushed" in capsys.readouterr().out

    # Token from the environment when the keyring has none.
    memory_keyring.passwords.clear()
    assert cli.main([*root, "sync"]) == 1
    assert "LAWSUP_SYNC_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("LAWSUP_SYNC_TOKEN", token)
    assert cli.main([*root, "sync"]) == 0

    monkeypatch.setenv("LAWSUP_SYNC_TOKEN", "wrong")
    assert cli.main([*root, "sync"]) == 1
    err = capsys.readouterr().err
    assert "令牌" in err and "token" in err


def test_sync_fails_non_zero_when_the_server_is_gone(central, tmp_path, capsys):
    folder = DataFolder(tmp_path / "station")
    db = open_station(folder)
    StationService(db).set_up("LX-GONE", "城关派出所", "张法制", Role.SUPERVISOR)
    db.dispose()
    _code, enrol_code = central.add_station()
    root = ["--data-dir", str(folder.root)]
    assert cli.main([*root, "enroll", central.base_url, enrol_code]) == 0
    gone = "http://127.0.0.1:9"  # discard port: nothing listens
    db = open_station(folder)
    with db.writer.begin() as conn:
        conn.exec_driver_sql("UPDATE sync_meta SET value = ? WHERE key = 'server_url'", (gone,))
    db.dispose()
    assert cli.main([*root, "sync"]) == 1
    assert "无法连接" in capsys.readouterr().err


def test_enrolling_with_a_bad_code_exits_with_the_reason(central, tmp_path, capsys):
    folder = DataFolder(tmp_path / "station")
    db = open_station(folder)
    StationService(db).set_up("LX-BAD", "城关派出所", "张法制", Role.SUPERVISOR)
    db.dispose()
    assert cli.main(["--data-dir", str(folder.root), "enroll", central.base_url,
                     "NOPE-NOPE-NOPE"]) == 2
    assert "注册码" in capsys.readouterr().err
