"""``lawsup deadline RULE --start DATETIME [...]``: the deadline calculator.

Prints the due moment and each counting step with its legal basis (Chinese, then
English), so a supervisor can check any case by hand; ``--list`` lists the rule
codes; ``--json`` for machine-readable output. Uses the station's synced rules and
holidays when the data folder has a database, else the bundled tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from lawsup_desktop.domain.errors import NotFoundError, Text, ValidationError
from lawsup_desktop.paths import DataFolder

FIELD_RULE_CODE = Text("规则代码", "Rule code")
FIELD_START = Text("--start 起算时间", "--start")
FIELD_SUSPEND = Text("--suspend 中止期间", "--suspend")
FIELD_TODAY = Text("--today 当前时间", "--today")


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "deadline",
        help="期限计算器 / deadline calculator",
        description="计算法定期限的到期时间并列出计算步骤及法律依据 / compute a legal "
        "deadline and show each counting step with its legal basis",
    )
    parser.add_argument("rule", nargs="?", metavar="RULE", help="规则代码 / rule code (see --list)")
    parser.add_argument("--list", action="store_true", help="列出规则代码 / list the rule codes")
    parser.add_argument(
        "--start", help="起算时间 / start, e.g. 2025-09-29 15:00 (a date alone means 00:00)"
    )
    parser.add_argument("--custody", action="store_true",
                        help="在押人员：期间不因节假日延长 / person in custody: no holiday move")
    parser.add_argument("--suspend", action="append", default=[], metavar="FROM/TO",
                        help="中止计算（如鉴定）/ suspension FROM/TO, e.g. "
                        "2025-09-10/2025-09-20 (repeatable)")
    parser.add_argument("--extend", type=int, action="append", default=[], metavar="N",
                        help="经批准延长 N 个期间单位 / approved extension by N units (repeatable)")
    parser.add_argument("--today", help="按此时间判断状态 / judge the state as of this moment")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(run=run)


def _moment(value: str, field: Text) -> dt.datetime:
    """A date and time; a date alone means its start (00:00)."""
    from lawsup_desktop.domain.validation import parse_date, parse_datetime

    try:
        return parse_datetime(value, field)
    except ValidationError:
        return dt.datetime.combine(parse_date(value, field), dt.time())


def _suspension(value: str) -> Any:
    from lawsup_desktop.domain.deadlines import Suspension

    parts = value.split("/")
    if len(parts) != 2:
        raise ValidationError(
            FIELD_SUSPEND,
            Text(f"格式应为 起/止，如 2025-09-10/2025-09-20（现为 {value}）",
                 f"expected FROM/TO, e.g. 2025-09-10/2025-09-20 (got {value})"),
        )
    return Suspension(_moment(parts[0], FIELD_SUSPEND), _moment(parts[1], FIELD_SUSPEND))


def _sources(folder: DataFolder) -> tuple[Any, Any]:
    """The rule book and calendar: from the station database when there is one."""
    from lawsup_desktop.services.deadlines import load_calendar, load_rule_book

    if not folder.database.exists():
        return load_rule_book(None), load_calendar(None)
    from lawsup_desktop.services.station import open_station

    db = open_station(folder)
    try:
        with db.read() as session:
            return load_rule_book(session), load_calendar(session)
    finally:
        db.dispose()


def _both(text: Text) -> str:
    return f"{text.zh} / {text.en}"


def run(args: argparse.Namespace, folder: DataFolder) -> int:
    from lawsup_desktop.domain.deadlines import Extension, compute_due

    book, calendar = _sources(folder)
    if args.list:
        return _print_list(book, as_json=args.json)
    if not args.rule:
        raise ValidationError(FIELD_RULE_CODE, Text("请给出规则代码（或 --list 查看）",
                                                    "give a rule code (see --list)"))
    rule = book.get(args.rule)
    if rule is None:
        raise NotFoundError(
            Text(f"没有期限规则“{args.rule}”；可用 lawsup deadline --list 查看规则代码",
                 f"no deadline rule {args.rule!r}; see lawsup deadline --list")
        )
    if not args.start:
        raise ValidationError(FIELD_START, Text("必须填写起算时间", "the start is required"))
    start = _moment(args.start, FIELD_START)
    now = _moment(args.today, FIELD_TODAY) if args.today else dt.datetime.now()
    result = compute_due(
        rule, start, calendar,
        custody=args.custody,
        suspensions=[_suspension(s) for s in args.suspend],
        extensions=[Extension(n) for n in args.extend],
    )
    state = result.state(now)
    if args.json:
        print(json.dumps({
            "rule": {"code": rule.code, "zh": rule.name.zh, "en": rule.name.en,
                     "citation": {"zh": rule.citation.text.zh, "en": rule.citation.text.en}},
            "start": start.isoformat(),
            "custody": rule.in_custody or args.custody,
            "due": {
                "day": result.due.day.isoformat(),
                "time": result.due.time.isoformat() if result.due.time else None,
                "end_of_day": result.due.time is None,
                "deadline": result.due.deadline.isoformat(),
                "zh": result.due.shown.zh, "en": result.due.shown.en,
            },
            "extended_by": result.extended_by,
            "unit": rule.unit.value,
            "suspended_seconds": int(result.suspended.total_seconds()),
            "moved_for_holiday": result.moved_for_holiday,
            "now": now.isoformat(),
            "state": {"code": state.value, "zh": state.label.zh, "en": state.label.en},
            "days_left": result.days_left(now),
            "steps": [
                {"zh": s.text.zh, "en": s.text.en,
                 "basis": None if s.basis is None else {"zh": s.basis.zh, "en": s.basis.en}}
                for s in result.steps
            ],
        }, ensure_ascii=False, indent=2))
        return 0
    print(f"规则 / Rule: {rule.code}  {_both(rule.name)}")
    print(f"依据 / Basis: {_both(rule.citation.text)}")
    print("计算步骤 / Counting steps:")
    for number, step in enumerate(result.steps, 1):
        print(f"  {number}. {step.text.zh}")
        print(f"     {step.text.en}")
        if step.basis is not None:
            print(f"     依据 / basis: {_both(step.basis)}")
    print(f"到期 / Due: {result.due.shown.zh} / {result.due.shown.en}")
    print(f"状态 / State ({now.strftime('%Y-%m-%d %H:%M')}): {_both(state.label)}"
          f"，剩余 {result.days_left(now)} 日 / {result.days_left(now)} days left")
    return 0


def _print_list(book: Any, *, as_json: bool) -> int:
    if as_json:
        print(json.dumps([
            {"code": r.code, "zh": r.name.zh, "en": r.name.en, "period": r.value,
             "unit": r.unit.value, "max_extension": r.max_extension, "in_custody": r.in_custody,
             "warn_days": r.warn_days, "citation": {"zh": r.citation.text.zh,
                                                     "en": r.citation.text.en}}
            for r in book
        ], ensure_ascii=False, indent=2))
        return 0
    width = max((len(r.code) for r in book), default=0)
    for r in book:
        print(f"{r.code:<{width}}  {r.value}{r.unit.label.zh}  {r.name.zh} / {r.name.en}")
        print(f"{'':<{width}}  {_both(r.citation.text)}")
    return 0
