"""Importing the platform's exports: encodings, XLSX, header variants, mappings, the
report before anything is written, all-or-nothing, re-import without duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lawsup_desktop.domain.vocabulary import Disposition, IncidentCategory, KeyCategory, Role
from lawsup_desktop.paths import DataFolder
from lawsup_desktop.services.incident_import import (
    ImportField,
    MappingStore,
    Severity,
    import_incidents,
    preview,
    validate,
)
from lawsup_desktop.services.incidents import IncidentFilter, IncidentQuery
from lawsup_desktop.services.progress import Cancelled, TaskContext
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import AuditEntry, Incident, Unit
from tests.unit.incident_helpers import add_search_index, add_unit_with_officer

HEADER = (
    "接警编号,报警时间,警情类别,发生地点,简要警情,报警人,联系电话,处警单位,处警结果,重点警情类别"
)
ROWS = [
    "J001,2026-11-20 08:30,刑事警情,城关镇中山路12号,电动车被盗,王芳,13812345678,城关派出所,"
    "刑事立案,",
    "J002,2026/11/20 09:15,治安,北大街5号,有人聚众赌博,李四,010-12345678,城关派出所,行政受案,涉赌",
    "J003,2026年11月21日10时05分,纠纷,南街,邻里纠纷,张三,,城关派出所,调解,",
]


def _csv(tmp_path: Path, lines: list[str], encoding: str = "utf-8", name: str = "a.csv") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def _count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Incident)) or 0


@pytest.fixture
def indexed(db: Database, workstation: WorkstationInfo) -> Database:
    add_search_index(db)
    return db


def test_gbk_csv_imports_and_is_searchable(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    path = _csv(tmp_path, [HEADER, *ROWS], "gbk")
    report = import_incidents(indexed, workstation.actor, path)
    assert report.committed and report.ok, report.problems
    assert (report.encoding, report.rows, report.created) == ("GBK/GB18030", 3, 3)
    with indexed.read() as session:
        j2 = session.scalars(select(Incident).where(Incident.incident_no == "J002")).one()
        assert j2.received_at == dt.datetime(2026, 11, 20, 9, 15)
        assert (j2.category, j2.key_category, j2.is_key) == (
            IncidentCategory.PUBLIC_ORDER,
            KeyCategory.GAMBLING,
            True,
        )
        assert j2.disposition == Disposition.ADMINISTRATIVE_CASE
        assert j2.unit_id == workstation.unit_id
        assert j2.caller_phone == "010-12345678"
        # Every imported record is in the audit trail under the operator.
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(
                    AuditEntry.entity == "incident", AuditEntry.actor_id == workstation.operator_id
                )
            )
            == 3
        )
    query = IncidentQuery(indexed)
    assert len(query.ids(IncidentFilter(text="王芳"))) == 1
    assert len(query.ids(IncidentFilter(text="赌"))) == 1


def test_utf8_bom_csv_with_header_variants_and_a_title_row(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    lines = [
        "城关派出所警情统计表,,,,",
        "警情编号,接警时间,警情类别,事发地址,警情内容,报警电话,管辖单位",
        "K1,2026-11-20 08:30,求助,东街,老人走失,13812345678,城关派出所",
    ]
    path = _csv(tmp_path, lines, "utf-8-sig")
    shown = preview(path)
    assert (shown.kind, shown.encoding, shown.header_row) == ("CSV", "UTF-8", 2)
    assert shown.mapping[ImportField.INCIDENT_NO] == "警情编号"
    assert shown.mapping[ImportField.ADDRESS] == "事发地址"
    assert shown.mapping[ImportField.UNIT] == "管辖单位"
    assert shown.rows == [lines[2].split(",")]
    report = import_incidents(indexed, workstation.actor, path)
    assert report.committed and report.created == 1
    assert report.rows == 1


def test_xlsx_with_real_dates_and_numbers(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["接警编号", "报警时间", "警情类别", "简要警情", "报警人"])
    sheet.append([2026112001, dt.datetime(2026, 11, 20, 8, 30), "刑事", "盗窃", "王芳"])
    sheet.append(["J-2", "2026-11-20 10:00", "交通", "追尾", "Smith"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    report = import_incidents(indexed, workstation.actor, path)
    assert report.committed and report.kind == "XLSX" and report.created == 2, report.problems
    with indexed.read() as session:
        first = session.scalars(select(Incident).where(Incident.incident_no == "2026112001")).one()
        assert first.received_at == dt.datetime(2026, 11, 20, 8, 30)
    assert len(IncidentQuery(indexed).ids(IncidentFilter(text="smith"))) == 1


def test_reimport_updates_by_number_and_never_duplicates(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    assert import_incidents(indexed, workstation.actor, _csv(tmp_path, [HEADER, *ROWS])).committed
    changed = [
        ROWS[0].replace("电动车被盗", "电动车被盗，已追回"),
        ROWS[1],
        ROWS[2],
        "J004,2026-11-22 10:00,其他,西街,噪音,赵六,,城关派出所,其他,",
    ]
    report = import_incidents(
        indexed, workstation.actor, _csv(tmp_path, [HEADER, *changed], name="b.csv")
    )
    assert (report.created, report.updated, report.unchanged) == (1, 1, 2)
    assert _count(indexed) == 4
    assert IncidentQuery(indexed).ids(IncidentFilter(text="已追回"))


def _problems(report: object) -> list[tuple[int | None, str, str]]:
    return [
        (p.row, p.column, p.problem.zh)
        for p in report.problems  # type: ignore[attr-defined]
        if p.severity == Severity.ERROR
    ]


def test_one_bad_row_means_nothing_is_written_and_every_problem_is_reported(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    rows = [
        *ROWS,
        "J005,2026-13-40 08:00,刑事,东街,x,甲,,城关派出所,,",  # no such date
        "J001,2026-11-22 08:00,刑事,东街,x,甲,,城关派出所,,",  # duplicate of row 2
        "J006,昨天下午,刑事,东街,x,甲,,城关派出所,,",  # not a date at all
        "J007,2026-11-22 08:00,刑事,东街,x,甲,,不存在的中队,,",  # unknown unit
        "J008,2026-11-22 08:00,刑事,东街,x,甲,,城关派出所,,涉毒",  # unknown key category
        "J009,2026-11-22 08:00,刑事,东街,x,甲,,城关派出所,,,多余",  # an extra cell
        "J010,9999-11-22 08:00,刑事,东街,x,甲,,城关派出所,,",  # a typo for the year
    ]
    path = _csv(tmp_path, [HEADER, *rows])
    checked = validate(indexed, path)
    problems = _problems(checked)
    assert [row for row, _, _ in problems] == [5, 6, 7, 8, 9, 10, 11]
    assert problems[0][1] == "报警时间" and "2026-13-40" in problems[0][2]
    assert problems[1][1] == "接警编号" and "第2行" in problems[1][2]
    assert problems[3][1] == "处警单位" and "不存在的中队" in problems[3][2]
    assert problems[4][1] == "重点警情类别"
    assert "表头只有10列" in problems[5][2]
    assert problems[6][1] == "报警时间" and "9999" in problems[6][2]
    report = import_incidents(indexed, workstation.actor, path)
    assert not report.committed and _problems(report) == problems
    assert report.created == 0
    assert _count(indexed) == 0


def test_unknown_units_can_be_created_on_request(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        [
            HEADER,
            "J1,2026-11-22 08:00,刑事,东街,x,甲,,新建中队,,",
            "J2,2026-11-22 09:00,刑事,东街,x,甲,,新建中队,,",
        ],
    )
    report = import_incidents(indexed, workstation.actor, path, create_units=True)
    assert report.committed and report.units_created == ["新建中队"]
    with indexed.read() as session:
        units = session.scalars(select(Unit).where(Unit.name == "新建中队")).all()
        assert len(units) == 1
        assert units[0].station_id == workstation.station_id


def test_warnings_do_not_block(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        ["接警编号,报警时间,警情类别,联系电话,备注列", "J1,2026-11-22 08:00,奇怪类别,12345,随便"],
    )
    report = import_incidents(indexed, workstation.actor, path)
    assert report.committed and report.ok
    warned = {(p.column, p.severity) for p in report.problems}
    assert ("警情类别", Severity.WARNING) in warned  # imported as 其他
    assert ("联系电话", Severity.WARNING) in warned  # kept as typed
    assert ("备注列", Severity.WARNING) in warned  # a column that is not imported


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "文件是空的"),
        (b"\r\n\r\n", "文件是空的"),
        ("接警编号,报警时间,警情类别\r\n".encode(), "表头下没有数据行"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是表格文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04broken zip", "XLSX 文件已损坏"),
        ("名称,数量\r\n苹果,3\r\n".encode(), "找不到表头"),
        ("接警编号,发生地点\r\nJ1,东街\r\n".encode(), "缺少必需的列“报警时间”"),
        # Valid UTF-8 up to row 3, then a byte that is neither UTF-8 nor GB18030.
        (
            "接警编号,报警时间,警情类别\r\nJ1,2026-11-22 08:00,刑事\r\n".encode()
            + b"J2,\xff\xff,x\r\n",
            "文件编码无法识别",
        ),
    ],
)
def test_bad_files_get_a_report_and_nothing_is_written(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    report = import_incidents(indexed, workstation.actor, path)
    assert not report.committed
    assert any(expected in p.problem.zh for p in report.problems), report.problems
    assert _count(indexed) == 0


def test_wrong_encoding_names_the_row(indexed: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(
        "接警编号,报警时间,警情类别\r\nJ1,2026-11-22 08:00,刑事\r\n".encode() + b"J2,\xff\xff,x\r\n"
    )
    report = validate(indexed, path)
    assert report.problems[0].row == 3


def test_saved_mapping_reads_unusual_headers(
    indexed: Database, workstation: WorkstationInfo, folder: DataFolder, tmp_path: Path
) -> None:
    store = MappingStore(folder)
    mapping = {
        ImportField.INCIDENT_NO: "单号",
        ImportField.RECEIVED_AT: "时间",
        ImportField.CATEGORY: "性质",
        ImportField.SUMMARY: "情况",
    }
    store.save("县局平台", mapping)
    assert MappingStore(folder).names() == ["县局平台"]
    loaded = MappingStore(folder).load("县局平台")
    assert loaded == mapping
    path = _csv(tmp_path, ["单号,时间,性质,情况", "X1,2026-11-22 08:00,刑事,被盗"])
    assert not import_incidents(indexed, workstation.actor, path).committed  # not recognised
    report = import_incidents(indexed, workstation.actor, path, loaded)
    assert report.committed and report.created == 1


def test_cancel_rolls_everything_back(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    rows = [f"N{n:05d},2026-11-22 08:00,刑事,东街,x,甲,,城关派出所,," for n in range(3000)]
    path = _csv(tmp_path, [HEADER, *rows])
    ctx = TaskContext(on_progress=lambda p: ctx.cancel() if p.done else None)
    with pytest.raises(Cancelled):
        import_incidents(indexed, workstation.actor, path, ctx=ctx)
    assert _count(indexed) == 0
    progress = TaskContext()
    report = import_incidents(indexed, workstation.actor, path, ctx=progress)
    assert report.created == 3000 and progress.progress is not None


def test_unit_names_match_whatever_the_spacing(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    unit_id, _ = add_unit_with_officer(indexed, workstation, "刑侦中队", "李")
    path = _csv(tmp_path, [HEADER, "J1,2026-11-22 08:00,刑事,东街,x,甲,,刑侦 中队 ,,"])
    report = import_incidents(indexed, workstation.actor, path)
    assert report.committed
    with indexed.read() as session:
        assert session.scalars(select(Incident.unit_id)).one() == unit_id


def test_command_line_import_reports_and_sets_the_exit_code(
    db: Database,
    workstation: WorkstationInfo,
    folder: DataFolder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lawsup_desktop import cli
    from lawsup_desktop.cli import main

    monkeypatch.setattr(cli, "COMMANDS", ("import_",))  # other commands are not this test's

    good = _csv(tmp_path, [HEADER, *ROWS], "gbk")
    assert (
        main(
            [
                "--data-dir",
                str(folder.root),
                "import",
                "incidents",
                str(good),
                "--save-mapping",
                "平台",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "新增3" in out and "GBK/GB18030" in out
    assert MappingStore(folder).load("平台")[ImportField.INCIDENT_NO] == "接警编号"
    bad = _csv(tmp_path, [HEADER, "J9,不是时间,刑事,东街,x,甲,,城关派出所,,"], name="bad.csv")
    assert (
        main(
            [
                "--data-dir",
                str(folder.root),
                "import",
                "incidents",
                str(bad),
                "--mapping",
                "平台",
                "--english",
            ]
        )
        == 1
    )
    out = capsys.readouterr().out
    assert "row 2 [报警时间]" in out and "nothing was written" in out
    assert (
        main(
            [
                "--data-dir",
                str(folder.root),
                "import",
                "incidents",
                str(bad),
                "--mapping",
                "没有这个",
            ]
        )
        == 2
    )
    assert _count(db) == 3


def test_gb18030_characters_beyond_gbk_survive(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path
) -> None:
    # 䶮 (a name character) and 𠀀 exist only in GB18030, not in GBK.
    row = "J1,2026-11-22 08:00,刑事,东街,x,王䶮𠀀,,城关派出所,,"
    path = _csv(tmp_path, [HEADER, row], "gb18030")
    report = import_incidents(indexed, workstation.actor, path)
    assert report.committed and report.encoding == "GBK/GB18030"
    with indexed.read() as session:
        assert session.scalars(select(Incident.caller_name)).one() == "王䶮𠀀"
    assert IncidentQuery(indexed).ids(IncidentFilter(text="䶮"))


def _trail(db: Database, actor_id: str | None) -> dict[str, dict[str, object]]:
    """Per incident number: the incident's columns, its audit entry and its outbox op,
    without what differs by nature between two runs (ids, clocks)."""
    from lawsup_desktop.store.sync_models import SyncOutbox

    clocks = {"id", "created_at", "updated_at"}
    out: dict[str, dict[str, object]] = {}
    with db.read() as session:
        for incident in session.scalars(select(Incident)):
            audits = session.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == incident.id)
            ).all()
            ops = session.scalars(
                select(SyncOutbox).where(SyncOutbox.record_id == incident.id)
            ).all()
            assert len(audits) == 1 and len(ops) == 1
            audit, op = audits[0], ops[0]
            assert audit.actor_id == actor_id  # each station's own supervisor
            op_fields = dict(op.fields)
            assert op_fields.pop("id") == [None, incident.id]
            created = op_fields.pop("created_at")
            assert created[0] is None and dt.datetime.fromisoformat(created[1]).tzinfo
            out[incident.incident_no] = {
                "row": {
                    c.key: getattr(incident, c.key)
                    for c in Incident.__table__.columns
                    if c.key not in clocks
                },
                "audit": (audit.actor_name, audit.action, audit.entity, audit.changes),
                "op": (op.entity, op.kind, op.base_version, op.state, op_fields),
            }
    return out


def test_bulk_import_writes_the_same_audit_trail_and_outbox_as_the_orm(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bulk writer (store/bulk.py) against the ORM path with its flush hooks:
    every incident, audit entry and outbox op the same but for ids and clocks."""
    from lawsup_desktop.services import incident_import
    from lawsup_desktop.services.station import StationService, open_station

    add_unit_with_officer(indexed, workstation, "城关派出所", "赵")
    path = _csv(tmp_path, [HEADER, *ROWS], "gbk")
    bulk = import_incidents(indexed, workstation.actor, path)
    assert bulk.committed and bulk.created == 3

    other = open_station(DataFolder(tmp_path / "orm"))
    try:
        ws = StationService(other).set_up("LX-CG", "城关派出所", "张法制", Role.SUPERVISOR)
        add_search_index(other)
        add_unit_with_officer(other, ws, "城关派出所", "赵")

        def orm_insert(session: object, model: type, records: list[dict[str, object]]) -> None:
            for record in records:
                session.add(model(**record))  # type: ignore[attr-defined]

        monkeypatch.setattr(incident_import, "bulk_insert", orm_insert)
        orm = import_incidents(other, ws.actor, path)
        assert orm.committed and orm.created == 3
        expected = _trail(other, ws.actor.id)
    finally:
        other.dispose()
    got = _trail(indexed, workstation.actor.id)
    # The unit ids differ between the two stations: compare them by name instead.
    for trail in (got, expected):
        for entry in trail.values():
            row = entry["row"]
            assert isinstance(row, dict)
            row["unit_id"] = row["unit_id"] is not None
            changes = entry["audit"][3]  # type: ignore[index]
            if "unit_id" in changes:
                changes["unit_id"] = "unit"
            op_fields = entry["op"][4]  # type: ignore[index]
            if op_fields.get("unit_id", [None, None])[1]:
                op_fields["unit_id"] = "unit"
    for number in expected:
        for part in ("row", "audit", "op"):
            assert got[number][part] == expected[number][part], (number, part)
    assert set(got) == {"J001", "J002", "J003"}


CHANGED_ROWS = [
    # J001: a new summary and disposition; J002: another time, key category and unit;
    # J003 as it was; J004 new.
    ROWS[0].replace("电动车被盗", "电动车被盗，已追回").replace("刑事立案", "调解"),
    "J002,2026/11/20 09:45,治安,北大街5号,有人聚众赌博,李四,010-12345678,西城派出所,行政受案,"
    "涉诈骗",
    ROWS[2],
    "J004,2026-11-22 10:00,其他,西街,噪音,赵六,,城关派出所,其他,",
]


def _update_trail(db: Database) -> dict[str, dict[str, object]]:
    """Per incident number: its columns (units by name), and the update entries of
    its audit trail and outbox, without ids and clocks."""
    from lawsup_desktop.store.sync_models import SyncOutbox

    clocks = {"id", "created_at", "updated_at"}
    with db.read() as session:
        names = {u.id: u.name for u in session.scalars(select(Unit))}

        def by_name(value: object) -> object:
            if isinstance(value, list):
                return [by_name(v) for v in value]
            return names.get(value, value) if isinstance(value, str) else value

        out: dict[str, dict[str, object]] = {}
        for incident in session.scalars(select(Incident)):
            audits = session.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity_id == incident.id, AuditEntry.action != "insert"
                )
            ).all()
            ops = session.scalars(
                select(SyncOutbox).where(
                    SyncOutbox.record_id == incident.id, SyncOutbox.kind != "insert"
                )
            ).all()
            out[incident.incident_no] = {
                "row": {
                    c.key: by_name(getattr(incident, c.key))
                    for c in Incident.__table__.columns
                    if c.key not in clocks
                },
                "audit": [
                    (a.actor_name, a.action, a.entity,
                     {k: by_name(v) for k, v in a.changes.items()})
                    for a in audits
                ],
                "op": [
                    (o.entity, o.kind, o.base_version, o.state,
                     {k: by_name(v) for k, v in o.fields.items()})
                    for o in ops
                ],
            }
    return out


def _reimport_station(
    db: Database, ws: WorkstationInfo, first: Path, again: Path
) -> tuple[object, object]:
    """Units, a first import, a server version seen for J002, then the re-imports:
    the same file (nothing may be written), then the changed one."""
    from lawsup_desktop.store.sync_models import SyncOutbox, SyncRecordState

    add_unit_with_officer(db, ws, "城关派出所", "赵")
    add_unit_with_officer(db, ws, "西城派出所", "钱")
    assert import_incidents(db, ws.actor, first).created == 3
    with db.write(ws.actor) as session:
        j002 = session.scalars(select(Incident.id).where(Incident.incident_no == "J002")).one()
        session.add(SyncRecordState(entity="incident", record_id=j002, server_version=7))

    def counts() -> tuple[int, int, list[int]]:
        with db.read() as session:
            return (
                session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
                session.scalar(select(func.count()).select_from(SyncOutbox)) or 0,
                list(session.scalars(select(Incident.version).order_by(Incident.incident_no))),
            )

    before = counts()
    same = import_incidents(db, ws.actor, first)
    assert (same.created, same.updated, same.unchanged) == (0, 0, 3)
    assert counts() == before  # unchanged rows write nothing: no version, trail or op
    changed = import_incidents(db, ws.actor, again)
    assert (changed.created, changed.updated, changed.unchanged) == (1, 2, 1)
    return same, changed


def test_bulk_reimport_writes_the_same_audit_trail_and_outbox_as_the_orm(
    indexed: Database, workstation: WorkstationInfo, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Re-importing changed rows through store/bulk.py's bulk_update against the ORM
    with its flush hooks: the same columns, versions, audit entries (old → new per
    changed field) and outbox ops (on the server version seen), and no ORM update."""
    from sqlalchemy import event

    from lawsup_desktop.services import incident_import
    from lawsup_desktop.services.station import StationService, open_station

    first = _csv(tmp_path, [HEADER, *ROWS], "gbk")
    again = _csv(tmp_path, [HEADER, *CHANGED_ROWS], "gbk", name="again.csv")
    orm_updates: list[object] = []

    def count_orm_update(_mapper: object, _connection: object, target: object) -> None:
        orm_updates.append(target)

    event.listen(Incident, "before_update", count_orm_update)
    try:
        _reimport_station(indexed, workstation, first, again)
    finally:
        event.remove(Incident, "before_update", count_orm_update)
    assert orm_updates == []  # every change went in through the bulk path

    def orm_update(
        session: object, model: type, rows: list[tuple[dict[str, object], dict[str, object]]]
    ) -> list[str]:
        """What the importer did before store/bulk.py could update."""
        changed = []
        for current, new in rows:
            obj = session.get(model, current["id"])  # type: ignore[attr-defined]
            if any(getattr(obj, k) != v for k, v in new.items()):
                for k, v in new.items():
                    setattr(obj, k, v)
                changed.append(obj.id)
        session.flush()  # type: ignore[attr-defined]
        return changed

    other = open_station(DataFolder(tmp_path / "orm"))
    try:
        ws = StationService(other).set_up("LX-CG", "城关派出所", "张法制", Role.SUPERVISOR)
        add_search_index(other)
        monkeypatch.setattr(incident_import, "bulk_update", orm_update)
        _reimport_station(other, ws, first, again)
        expected = _update_trail(other)
    finally:
        other.dispose()
    got = _update_trail(indexed)
    assert set(got) == set(expected) == {"J001", "J002", "J003", "J004"}
    for number in expected:
        for part in ("row", "audit", "op"):
            assert got[number][part] == expected[number][part], (number, part)
    # What the comparison rests on: two changed, with their fields; J003 untouched.
    assert [got[n]["row"]["version"] for n in sorted(got)] == [2, 2, 1, 1]  # type: ignore[index]
    audit = got["J002"]["audit"]
    assert isinstance(audit, list) and len(audit) == 1
    assert set(audit[0][3]) == {"received_at", "key_category", "unit_id"}
    assert audit[0][3]["unit_id"] == ["城关派出所", "西城派出所"]
    op = got["J002"]["op"]
    assert isinstance(op, list) and op[0][1:3] == ("update", 7)
    assert got["J001"]["op"][0][2] is None  # type: ignore[index]  # never seen by the server
    assert got["J003"]["audit"] == got["J003"]["op"] == []
    with indexed.read() as session:
        assert session.scalar(select(Incident.summary).where(Incident.incident_no == "J001")) == (
            "电动车被盗，已追回"
        )
    assert IncidentQuery(indexed).ids(IncidentFilter(text="已追回"))  # the index followed


def test_bulk_update_refuses_a_record_changed_since_it_was_read(
    db: Database, workstation: WorkstationInfo
) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    from lawsup_desktop.store.bulk import bulk_update
    from tests.unit.incident_helpers import add_incidents

    (incident_id,) = add_incidents(db, workstation, {"summary": "旧"})
    with db.read() as session:
        current = dict(
            session.execute(
                select(Incident.id, Incident.version, Incident.summary).where(
                    Incident.id == incident_id
                )
            ).mappings().one()
        )
    with db.write(workstation.actor) as session:
        session.get(Incident, incident_id).summary = "别处改过"  # type: ignore[union-attr]
    with pytest.raises(StaleDataError), db.write(workstation.actor) as session:
        bulk_update(session, Incident, [(current, {"summary": "新"})])
    with db.read() as session:
        assert session.get(Incident, incident_id).summary == "别处改过"  # type: ignore[union-attr]
