"""``lawsup deadline``: the calculator on the command line."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from lawsup_desktop.cli import main
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.deadlines import bundled_rules_document
from lawsup_desktop.store.audit import SYSTEM
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import DeadlineRule, HolidayPeriod

Capture = pytest.CaptureFixture[str]


def deadline(folder: DataFolder, *args: str) -> int:
    return main(["--data-dir", str(folder.root), "deadline", *args])


def as_json(folder: DataFolder, capsys: Capture, *args: str) -> dict[str, Any]:
    assert deadline(folder, *args, "--json") == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_detention_request_prints_due_and_steps_with_their_basis(
    folder: DataFolder, capsys: Capture
) -> None:
    code = deadline(folder, "criminal_detention_request", "--start", "2025-03-10 14:00",
                    "--today", "2025-03-12 09:00")
    assert code == 0
    out = capsys.readouterr().out
    assert "到期 / Due: 2025-03-13 日终（24:00） / 2025-03-13 end of day" in out
    assert "第91条" in out and "Art. 105" in out
    assert "期间开始的日不计算在内" in out and "The starting day is not counted" in out
    assert "临期 / Approaching" in out
    assert "00:00 / " not in out.split("到期 / Due:")[1]
    # No database was created just to run the calculator.
    assert not folder.database.exists()


def test_json_output(folder: DataFolder, capsys: Capture) -> None:
    result = as_json(folder, capsys, "criminal_detention_request", "--start", "2025-03-10 14:00",
                     "--today", "2025-03-14 00:00")
    assert result["due"] == {
        "day": "2025-03-13", "time": None, "end_of_day": True,
        "deadline": "2025-03-13T23:59:59.999999",
        "zh": "2025-03-13 日终（24:00）", "en": "2025-03-13 end of day",
    }
    assert result["state"]["code"] == "overdue" and result["state"]["zh"] == "已逾期"
    assert result["custody"] is True
    assert all(step["zh"] and step["en"] for step in result["steps"])
    assert any(step["basis"] and "第91条" in step["basis"]["zh"] for step in result["steps"])


def test_national_day_with_and_without_custody(folder: DataFolder, capsys: Capture) -> None:
    args = ("criminal_registration_review", "--start", "2025-09-28 10:00", "--today",
            "2025-09-29 08:00")
    free = as_json(folder, capsys, *args)
    held = as_json(folder, capsys, *args, "--custody")
    assert free["due"]["day"] == "2025-10-09" and free["moved_for_holiday"] is True
    assert held["due"]["day"] == "2025-10-01" and held["moved_for_holiday"] is False


def test_suspension_and_extension(folder: DataFolder, capsys: Capture) -> None:
    result = as_json(folder, capsys, "public_order_case", "--start", "2025-03-03 09:30",
                     "--suspend", "2025-03-10 09:00/2025-03-20 16:00", "--extend", "30",
                     "--today", "2025-05-12 12:00")
    assert result["due"]["day"] == "2025-05-12"
    assert result["extended_by"] == 30
    assert result["suspended_seconds"] == 10 * 86400
    assert result["state"]["code"] == "due_today"


def test_dates_alone_are_accepted_for_start_and_suspension(
    folder: DataFolder, capsys: Capture
) -> None:
    result = as_json(folder, capsys, "public_order_case", "--start", "2025-03-03",
                     "--suspend", "2025-03-10/2025-03-20", "--today", "2025-03-04")
    assert result["start"] == "2025-03-03T00:00:00"
    assert result["due"]["day"] == "2025-04-14"


def test_list(folder: DataFolder, capsys: Capture) -> None:
    assert deadline(folder, "--list") == 0
    out = capsys.readouterr().out
    for entry in bundled_rules_document()["rules"]:
        assert entry["code"] in out and entry["name"]["zh"] in out
    listed = as_json(folder, capsys, "--list")
    bail = next(r for r in listed if r["code"] == "bail")
    assert bail["period"] == 12 and bail["unit"] == "months" and bail["in_custody"] is False


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (("no_such_rule", "--start", "2025-03-10 14:00"), "没有期限规则", "lawsup deadline --list"),
        (("bail",), "起算时间", "the start is required"),
        ((), "规则代码", "give a rule code"),
        (("bail", "--start", "2025-13-40"), "日期不存在", "no such date"),
        (("public_order_case", "--start", "2025-03-03", "--suspend", "2025-03-10"),
         "格式应为", "expected FROM/TO"),
        (("public_order_case", "--start", "2025-03-03", "--extend", "31"),
         "超过法定上限", "statutory maximum"),
        (("bail", "--start", "2025-03-03", "--suspend", "2025-03-10/2025-03-20"),
         "不因鉴定等事由中止计算", "cannot be suspended"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    folder: DataFolder, capsys: Capture, args: tuple[str, ...], zh: str, en: str
) -> None:
    assert deadline(folder, *args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert zh in captured.err and en in captured.err


def test_the_stations_synced_rules_and_holidays_take_precedence(
    db: Database, folder: DataFolder, capsys: Capture
) -> None:
    args = ("criminal_registration_review", "--start", "2025-03-10 09:00",
            "--today", "2025-03-10 10:00")
    assert as_json(folder, capsys, *args)["due"]["day"] == "2025-03-13"
    bundled = next(r for r in bundled_rules_document()["rules"]
                   if r["code"] == "criminal_registration_review")
    params = {k: v for k, v in bundled.items() if k not in ("code", "name", "warn_days")}
    with db.write(SYSTEM) as session:
        # The bureau's 2025 calendar replaces the bundled 2025 (a one-day local holiday).
        session.add(HolidayPeriod(name="测试假日", first_day=dt.date(2025, 3, 13),
                                  last_day=dt.date(2025, 3, 13)))
        session.add(DeadlineRule(code="criminal_registration_review", name_zh="立案审查（县局）",
                                 name_en="Registration review (bureau)", citation="x",
                                 params={**params, "period": {"value": 3, "unit": "days"}},
                                 warn_days=2))
        session.add(DeadlineRule(code="bail", name_zh="取保候审", name_en="Bail",
                                 citation="x", params={}, active=False))
    result = as_json(folder, capsys, *args)
    assert result["due"]["day"] == "2025-03-14"
    assert result["rule"]["zh"] == "立案审查（县局）"
    assert "bail" not in [r["code"] for r in as_json(folder, capsys, "--list")]
    # 2025's bundled National Day no longer applies once the bureau synced 2025.
    national = as_json(folder, capsys, "criminal_registration_review", "--start",
                       "2025-09-28 10:00", "--today", "2025-09-28 11:00")
    assert national["due"]["day"] == "2025-10-01"


def test_a_synced_rule_without_citation_is_refused(
    db: Database, folder: DataFolder, capsys: Capture
) -> None:
    with db.write(SYSTEM) as session:
        session.add(DeadlineRule(code="new_rule", name_zh="新规则", name_en="New rule",
                                 citation="", params={"period": {"value": 5, "unit": "days"},
                                                      "runs_from": {"kind": "case_accepted"}}))
    assert deadline(folder, "--list") == 2
    err = capsys.readouterr().err
    assert "new_rule" in err and "缺少法律依据" in err and "statute citation missing" in err
