"""Demo data: a whole station's records, fast and reproducible (``lawsup demo``).

The same seed, incident count, number of days and end moment give the same
file, ids included: every id comes from a seeded ``random.Random`` (one stream
per section, so a change in one section leaves the others alone). Only the
workstation's device id and the moment of the one audit entry are real.

Speed: 200,000 incidents with their follow-ups and cases must load in under a
minute, so rows are plain tuples inserted with the driver's ``executemany`` in
one write transaction (``BEGIN IMMEDIATE`` on the writer engine), never ORM
objects; the two big tables' secondary indexes and the search index's insert
trigger are dropped and made again after the load (from their own SQL in
sqlite_master), and the search index is made in one pass in rowid order
(:meth:`_Generator._search_index`). The load runs with a rollback journal
instead of the WAL, so the new pages are written once (:func:`_loading_journal`).
Where the time goes at 200,000 incidents (CPU seconds, 2-core EPYC, shared):
generating the rows in Python ~8, inserting them ~12, the secondary indexes ~4,
the search index ~13 (its documents in Python ~4, FTS5 ~8). Values are written in the
text forms SQLAlchemy's SQLite types write (``YYYY-MM-DD HH:MM:SS.ffffff``,
``YYYY-MM-DD``, 1/0; JSON compact and unescaped), so the ORM reads them back as
it reads its own: ``UtcDateTime`` columns hold naive UTC and come back aware.
:class:`_Sink` checks every table's column list against the model, so a schema
change fails loudly here instead of inserting NULLs. The audit trail gets one
entry that summarises the generation, not one per row.

When the installation is not set up yet, the demo also sets it up with the
demo station's legal supervisor as the operator, so the workbench opens
straight into the main window. When it is set up, the demo fills the
installation's own station. Either way it refuses a database that already has
incidents.

The data keeps the rules the services keep, so that every page can act on it:
states follow their records (an incident's follow-up state is its latest
follow-up's, its watch state its one review's), every dissatisfied follow-up
and every watch finding raises a rectification item, level 1 of an audit form
is signed by the case's lead officer and no higher level by anyone who handles
the case, rectification histories only make allowed moves and escalate as
services/rectifications.py would. The rows never enter the sync outbox: demo
data stays on this machine. It must never reach the bureau (invented people and
cases would land in the county's real figures), so the rule is kept both ways: a
folder with demo data cannot be enrolled (sync/engine.py ``enroll`` looks for the
demo's audit entry), and a folder already enrolled gets no demo data.

Left out on purpose: holiday periods and deadline rules (reference data the
bureau publishes), deadline adjustments and warning clearances (they name
deadline rule codes), and attachments (they need files in the data folder).
"""

from __future__ import annotations

import gc
import json
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from lawsup_desktop.domain.audit_form import REVIEW_POINTS
from lawsup_desktop.domain.calendar import WorkingCalendar
from lawsup_desktop.domain.errors import LawsupError, Text
from lawsup_desktop.domain.rectification import (
    DEFAULT_ESCALATION_DAYS,
    EscalationLevel,
    TransitionKind,
    escalation_for,
    rectification_number,
)
from lawsup_desktop.domain.validation import resident_id_check_character
from lawsup_desktop.domain.vocabulary import (
    NEGATIVE_LIST,
    REVIEW_CHAIN,
    CaseKind,
    Decision,
    Disposition,
    FollowUpMethod,
    FollowUpState,
    IncidentCategory,
    KeyCategory,
    MeasureKind,
    PartyRole,
    PersonRole,
    ProcuratorateDecision,
    RectificationSource,
    RectificationState,
    RiskLevel,
    Role,
    Satisfaction,
    ScoreKind,
    ScoreState,
    WatchState,
)
from lawsup_desktop.services.follow_ups import add_working_days
from lawsup_desktop.services.progress import TaskContext
from lawsup_desktop.services.station import ensure_reference_data
from lawsup_desktop.store import encryption, search
from lawsup_desktop.store.base import Base
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import (
    AuditEntry,
    BulletinIssue,
    Case,
    CaseAudit,
    CaseOfficer,
    CasePerson,
    CoerciveMeasure,
    FollowUp,
    Guidance,
    Incident,
    Officer,
    ProcuratorateReview,
    Rectification,
    RectificationEvent,
    ReviewStep,
    ScoreEntry,
    Station,
    Unit,
    WatchReview,
)

DEMO_STATION_CODE = "HX-CG"
DEMO_STATION_NAME = "城关派出所"
COUNTY = "河西县"  # fictitious
BUREAU = f"{COUNTY}公安局"
ORG_CODE = "620999510000"  # the station's (fictitious) code inside incident and case numbers
DEFAULT_DAYS = 365
MAX_INCIDENTS = 2_000_000
MAX_DAYS = 3660

# The station keeps wall-clock time (Beijing time: no daylight saving) for events,
# UTC for bookkeeping; see store/models.py.
_UTC_OFFSET = timedelta(hours=8)
ESCALATION_DAYS = DEFAULT_ESCALATION_DAYS
_CHUNK = 20_000  # incidents generated and inserted per step
_BATCH = 50_000  # rows per executemany
_LOAD_CACHE_KIB = 262_144
"""SQLite's page cache during the load (256 MiB): the index builds and the search index
sort and merge in memory. (1 GiB, the whole file, saved no time.)"""
_SEARCH_INSERT_TRIGGER = "incident_search_on_insert"  # store/search.py SEARCH_INDEX_DDL


class DemoRefused(LawsupError):
    """The database is not one the demo may fill; nothing was changed."""


@dataclass(frozen=True)
class DemoResult:
    station_id: str
    station_name: str
    operator_name: str
    workstation_created: bool
    counts: dict[str, int] = field(default_factory=dict)


def check_demo_arguments(incidents: int, days: int) -> None:
    """Raise :class:`DemoRefused` for sizes the demo does not make."""
    if not 1 <= incidents <= MAX_INCIDENTS:
        raise DemoRefused(
            Text(
                f"警情数量应为1–{MAX_INCIDENTS:,}",
                f"the number of incidents must be 1–{MAX_INCIDENTS:,}",
            )
        )
    if not 1 <= days <= MAX_DAYS:
        raise DemoRefused(
            Text(f"天数应为1–{MAX_DAYS}", f"the number of days must be 1–{MAX_DAYS}")
        )


def generate_demo(
    db: Database,
    *,
    incidents: int,
    seed: int,
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
    ctx: TaskContext | None = None,
) -> DemoResult:
    """Fill an empty station database with ``incidents`` incidents over the ``days``
    days up to ``now`` (naive station time; default: the current time) and
    everything that hangs off them. One transaction: on any error or cancel,
    nothing is written."""
    ctx = ctx or TaskContext()
    check_demo_arguments(incidents, days)
    moment = (now or datetime.now()).replace(second=0, microsecond=0, tzinfo=None)
    ctx.report(0, 1000, "准备 / preparing")
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of acyclic tuples: the cyclic collector only costs time
    try:
        with _loading_journal(db) as journal:
            with db.writer.begin() as connection:
                _refuse_unless_empty(connection)
                cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
                connection.exec_driver_sql(f"PRAGMA cache_size = -{_LOAD_CACHE_KIB}")
                generator = _Generator(connection, incidents, seed, days, moment, ctx)
                try:
                    result = generator.run()
                finally:
                    generator.cursor.close()
                    connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache or -2000)}")
            ctx.report(990, 1000, "整理 / checkpoint")
            if journal == "wal":
                # Outside any transaction (a Connection would begin one): fold the WAL
                # into the file.
                raw = db.writer.raw_connection()
                try:
                    raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
                finally:
                    raw.close()
    finally:
        if gc_was_enabled:
            gc.enable()
    ctx.report(1000, 1000, "完成 / done")
    return result


def _refuse_unless_empty(connection: Connection) -> None:
    if connection.exec_driver_sql("SELECT 1 FROM incident LIMIT 1").first():
        raise DemoRefused(
            Text(
                "数据库中已有警情，演示数据只能添加到空数据库。"
                "请用 --data-dir 指定一个新的数据文件夹。",
                "The database already has incidents; demo data can only be added "
                "to an empty one. Choose a new data folder with --data-dir.",
            )
        )
    if connection.exec_driver_sql(
            "SELECT 1 FROM sync_meta WHERE key = 'device_id' AND value != ''").first():
        raise DemoRefused(
            Text(
                "本机已注册到县局同步服务器，演示数据不能加入要同步的数据。"
                "请用 --data-dir 指定一个新的数据文件夹。",
                "This workstation is enrolled with the bureau's sync server; demo "
                "data cannot go into data that syncs. Choose a new data folder "
                "with --data-dir.",
            )
        )


@contextmanager
def _loading_journal(db: Database) -> Iterator[str]:
    """The load in rollback-journal mode without foreign key enforcement, then WAL and
    foreign keys again; yields the journal mode it ran in.

    Through the WAL, every page of the new file (close to 1 GB at 200,000 incidents)
    is written twice: into the WAL, then by the checkpoint into the file. With a
    rollback journal it is written once, straight into the file, and the transaction
    stays atomic: pages past the file's old end are not journaled (a rollback just
    cuts them off), so the journal holds only the few pages the load changes in
    place. Switching needs the file to itself; with another connection open (a
    reader of this process) it stays in WAL, which is slower but as safe.

    Foreign keys are not enforced meanwhile (a look-up per reference, a second of
    the load): the generator makes every reference from the rows it wrote, and
    tests/unit/test_demo.py runs ``PRAGMA foreign_key_check`` on its result."""
    raw = db.writer.raw_connection()
    try:
        driver: Any = raw.driver_connection
        try:
            mode = str(driver.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower()
        except encryption.dbapi.OperationalError as exc:  # refused at once, no busy wait
            if "locked" not in str(exc):
                raise
            mode = "wal"
        driver.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
    finally:
        raw.close()
    try:
        yield mode
    finally:
        raw = db.writer.raw_connection()
        try:
            driver = raw.driver_connection
            driver.execute("PRAGMA foreign_keys = ON")
            driver.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()


# --- the fixed vocabulary of the demo --------------------------------------------------

_SURNAMES = (
    "王王王王李李李李张张张张刘刘刘陈陈陈杨杨黄黄赵赵吴吴周周徐孙马马朱胡郭何高林罗郑梁谢"
    "宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏"
    "韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤祁喇妥"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
_MALE_CHARS = (
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰晨阳建国志文斌海亮东"
    "利忠永祥福贵生荣春德全兴学成清德武新云金"
)
_FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞秀英华玲红梅琳莹雪慧婷倩颖洁萍燕兰凤琴云莉桂珍淑佳欣怡蓉月晶悦瑶"
)
_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "147", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180",
    "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
)

# Towns of the (fictitious) county: (name, urban?, communities or villages, roads).
_TOWNS: tuple[tuple[str, bool, tuple[str, ...], tuple[str, ...]], ...] = (
    ("城关镇", True, ("东关社区", "西关社区", "南关社区", "北关社区", "新华社区", "滨河社区"),
     ("人民路", "解放路", "团结路", "建设街", "文化街", "滨河东路", "滨河西路", "河州大道")),
    ("北塬镇", False, ("前进村", "红星村", "马家村", "河滩村", "王家庄村"), ("北塬大街",)),
    ("新集镇", False, ("新集村", "古城村", "张家村", "杨家湾村"), ("新集街",)),
    ("土桥镇", False, ("土桥村", "下庄村", "后沟村", "大河村"), ("土桥街",)),
    ("河滩镇", False, ("河滩村", "东乡村", "何家村", "刘家坪村"), ("河滩街",)),
    ("先锋乡", False, ("先锋村", "团结村", "红光村"), ("先锋路",)),
    ("红台乡", False, ("红台村", "小岭村", "草滩村"), ("红台街",)),
    ("马集镇", False, ("马集村", "白家村", "曹家村", "韩家村"), ("马集大街",)),
)
_VENUES = (
    "县人民医院门口", "汽车站", "农贸市场", "人民广场", "县第一中学门口", "步行街", "鑫源超市",
    "福满楼饭店", "金港湾KTV", "好运来棋牌室", "百姓大药房", "建材市场", "中石化加油站",
    "惠民小区", "阳光花园小区", "滨河公园", "夜市", "红星网吧", "顺达物流园", "金鼎宾馆",
)
_RURAL_VENUES = ("村委会门口", "村小学附近", "集市", "养殖场", "砖厂", "小卖部门口", "麦场")
_DEPARTMENTS = ("县交警大队", "县消防救援大队", "县市场监管局", "镇司法所", "县120急救中心",
                "县城市管理执法局", "镇综治中心")
# (county code prefix of resident IDs, weight): mostly local, some from other provinces.
_REGIONS = (
    ("622921", 40), ("622923", 20), ("622925", 10), ("620102", 6), ("620502", 4),
    ("630102", 4), ("640104", 4), ("610113", 4), ("410105", 3), ("510107", 3), ("130104", 2),
)


def _expand(weighted: Sequence[tuple[Any, int]]) -> tuple[Any, ...]:
    """A lookup table in which each item appears as often as its weight (``table[int(
    random() * len(table))]`` is a weighted draw). Enum members become their plain
    values: cheaper to compare and to bind, and still equal to the members."""
    return tuple(
        item.value if isinstance(item, StrEnum) else item
        for item, weight in weighted
        for _ in range(weight)
    )


_HOURS = _expand(list(enumerate((2, 1, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 6, 5, 5, 6, 6, 6, 7, 7, 7, 6,
                                 5, 3))))

IC, KC, D = IncidentCategory, KeyCategory, Disposition
_CATEGORIES = _expand([(IC.DISPUTE, 26), (IC.ASSISTANCE, 20), (IC.PUBLIC_ORDER, 17),
                       (IC.TRAFFIC, 15), (IC.CRIMINAL, 11), (IC.FIRE, 2), (IC.OTHER, 9)])
_KEY_CATEGORIES = _expand([(KC.VICE, 20), (KC.GAMBLING, 30), (KC.GANG, 15), (KC.FRAUD, 35)])
_KEY_INCIDENT_CATEGORY = {
    KC.VICE: _expand([(IC.PUBLIC_ORDER, 8), (IC.CRIMINAL, 2)]),
    KC.GAMBLING: _expand([(IC.PUBLIC_ORDER, 8), (IC.CRIMINAL, 2)]),
    KC.GANG: _expand([(IC.CRIMINAL, 6), (IC.PUBLIC_ORDER, 4)]),
    KC.FRAUD: _expand([(IC.CRIMINAL, 9), (IC.PUBLIC_ORDER, 1)]),
}
_DISPOSITIONS = {
    IC.CRIMINAL: _expand([(D.CRIMINAL_CASE, 30), (D.ADMINISTRATIVE_CASE, 6), (D.NOT_ACCEPTED, 34),
                          (D.TRANSFERRED, 20), (D.MEDIATION, 10), (D.OTHER, 100)]),
    IC.PUBLIC_ORDER: _expand([(D.ADMINISTRATIVE_CASE, 14), (D.ON_THE_SPOT_PENALTY, 36),
                              (D.MEDIATION, 70), (D.NOT_ACCEPTED, 20), (D.TRANSFERRED, 10),
                              (D.OTHER, 50)]),
    IC.DISPUTE: _expand([(D.MEDIATION, 141), (D.ADMINISTRATIVE_CASE, 2), (D.NOT_ACCEPTED, 16),
                         (D.TRANSFERRED, 20), (D.OTHER, 21)]),
    IC.TRAFFIC: _expand([(D.TRANSFERRED, 110), (D.ON_THE_SPOT_PENALTY, 40), (D.MEDIATION, 30),
                         (D.CRIMINAL_CASE, 3), (D.OTHER, 17)]),
    IC.ASSISTANCE: _expand([(D.OTHER, 80), (D.TRANSFERRED, 20)]),
    IC.FIRE: _expand([(D.TRANSFERRED, 70), (D.OTHER, 30)]),
    IC.OTHER: _expand([(D.OTHER, 70), (D.NOT_ACCEPTED, 20), (D.TRANSFERRED, 10)]),
}
_KEY_DISPOSITIONS = {
    IC.CRIMINAL: _expand([(D.CRIMINAL_CASE, 18), (D.ADMINISTRATIVE_CASE, 7),
                          (D.NOT_ACCEPTED, 20), (D.TRANSFERRED, 10), (D.OTHER, 45)]),
    IC.PUBLIC_ORDER: _expand([(D.ADMINISTRATIVE_CASE, 16), (D.CRIMINAL_CASE, 4),
                              (D.ON_THE_SPOT_PENALTY, 10), (D.MEDIATION, 10), (D.NOT_ACCEPTED, 25),
                              (D.OTHER, 35)]),
}
# Which unit takes which kind of incident (unit keys: see _UNITS).
_UNIT_FOR = {
    IC.CRIMINAL: _expand([("xingzhen", 5), ("station", 4), ("dongguan", 1)]),
    IC.PUBLIC_ORDER: _expand([("zhian", 5), ("station", 4), ("dongguan", 1), ("beiyuan", 1)]),
    IC.DISPUTE: _expand([("station", 5), ("dongguan", 2), ("beiyuan", 2), ("zhian", 1)]),
    IC.TRAFFIC: _expand([("jiaojing", 8), ("station", 2)]),
    IC.ASSISTANCE: _expand([("station", 6), ("dongguan", 2), ("beiyuan", 2)]),
    IC.FIRE: _expand([("station", 8), ("beiyuan", 2)]),
    IC.OTHER: _expand([("station", 6), ("dongguan", 2), ("beiyuan", 2)]),
}

_EVENTS: dict[Any, tuple[str, ...]] = {
    IC.CRIMINAL: (
        "称其停放在{place}的电动车被盗，价值约{amount}元",
        "称其家中被盗，丢失现金{amount}元及金首饰若干",
        "称其手机在{place}被扒窃",
        "称其店铺卷帘门被撬，店内财物被盗",
        "称有人在{place}持刀抢劫，抢走现金{amount}元",
        "称在{place}被他人殴打致伤，已送医",
        "称其停在{place}的车辆玻璃被砸，车内物品被盗",
    ),
    IC.PUBLIC_ORDER: (
        "称在{place}与他人发生口角后被打",
        "称{place}有人酗酒滋事",
        "称有人故意损毁其停放在{place}的车辆",
        "称{place}噪音扰民，多次协商无果",
        "称在{place}被他人辱骂威胁",
        "称{place}有人拒不缴纳费用并殴打收费人员",
    ),
    IC.DISPUTE: (
        "称与邻居因宅基地边界发生纠纷",
        "称与{other}因欠款{amount}元发生纠纷",
        "称与家人发生家庭纠纷，请求民警调解",
        "称在{place}购物时与商家发生消费纠纷",
        "称工地拖欠其工资{amount}元",
        "称与{other}因土地承包发生纠纷",
        "称与{other}因停车位发生纠纷",
    ),
    IC.TRAFFIC: (
        "称在{road}发生两车剐蹭事故，无人员受伤",
        "称在{road}有一辆小型轿车撞上护栏",
        "称在{road}有车辆长时间堵塞道路",
        "称在{road}发现疑似酒后驾驶车辆",
        "称在{road}被电动车撞伤",
    ),
    IC.ASSISTANCE: (
        "称其{n}岁的孩子走失，最后出现在{place}",
        "称家中老人外出未归，请求帮助寻找",
        "称在{place}捡到钱包一个，内有现金{amount}元，请求寻找失主",
        "称钥匙锁在屋内，请求帮助",
        "称{place}有一醉酒男子倒地不起",
    ),
    IC.FIRE: (
        "称{place}附近一民房冒烟起火",
        "称{place}有人焚烧秸秆，烟雾较大",
        "称{place}一车辆起火",
    ),
    IC.OTHER: (
        "咨询户籍办理事宜",
        "称{place}有可疑人员徘徊",
        "反映{place}路灯损坏存在安全隐患",
        "拨打110后称误拨",
    ),
    KC.VICE: (
        "称{place}附近一足疗店内疑似有卖淫嫖娼活动",
        "举报{place}附近一宾馆内有人从事卖淫嫖娼活动",
        "称{place}一出租屋内疑似容留卖淫",
    ),
    KC.GAMBLING: (
        "举报{place}附近有人聚众赌博，参赌人员约{n}人",
        "称{place}一棋牌室内有人以麻将赌博，赌资较大",
        "称其丈夫在{place}参与赌博，输掉{amount}元",
    ),
    KC.GANG: (
        "称在{place}被多名男子围堵殴打",
        "称有人以暴力手段强行收取{place}摊位的“管理费”",
        "称遭多人上门暴力催收欠款，并被限制人身自由",
        "称{place}一伙人持棍棒寻衅滋事",
    ),
    KC.FRAUD: (
        "称接到冒充电商客服的电话，被骗转账{amount}元",
        "称通过网络刷单被骗{amount}元",
        "称被冒充公检法人员诈骗{amount}元",
        "称在网上购买商品付款{amount}元后对方失联",
        "称被人以介绍工作为名骗取{amount}元",
    ),
}
_HANDLING = {
    D.CRIMINAL_CASE: "民警{officer}到场处置，经初步调查，符合刑事立案条件，已受案侦查。",
    D.ADMINISTRATIVE_CASE: "民警{officer}到场处置，已将涉案人员带回所内调查，行政受案。",
    D.MEDIATION: "民警{officer}到场后对双方进行调解，双方达成和解协议。",
    D.ON_THE_SPOT_PENALTY: "民警{officer}到场核实，依法当场作出处罚决定。",
    D.NOT_ACCEPTED: "民警{officer}到场核实，不构成违法犯罪，已向报警人说明。",
    D.TRANSFERRED: "民警{officer}到场处置，已移交{dept}处理。",
    D.OTHER: "民警{officer}到场处置，已妥善处理。",
}

# Follow-ups: the seven items checked, and what an unchecked one says.
FOLLOW_UP_CHECKS: tuple[tuple[str, str], ...] = (
    ("reception", "报警后等待接警时间较长"),
    ("civility", "民警说话态度生硬"),
    ("appearance", "出警民警未按规定着装"),
    ("on_scene", "出警不及时，约一小时后才到场"),
    ("verification", "未详细询问情况即离开"),
    ("leads", "未告知案件办理进度和线索核查情况"),
    ("suggestions", ""),
)
_SUGGESTIONS = ("希望加强夜间巡逻", "建议在路口加装监控", "希望尽快处理完毕", "建议多开展防诈宣传")
_FOLLOW_UP_NOTES = {
    Satisfaction.SATISFIED: ("当事人对处置结果表示满意。", "当事人表示民警处置及时，满意。",
                             "当事人对出警民警表示感谢。"),
    Satisfaction.BASICALLY_SATISFIED: ("当事人表示基本满意，希望尽快处理完毕。",
                                       "当事人对处置结果基本认可。"),
    Satisfaction.DISSATISFIED: ("当事人对调解结果不满意，认为对方赔偿过少。",
                                "当事人反映民警处置不及时。", "当事人认为案件久拖未决。",
                                "当事人对民警态度不满意。"),
    Satisfaction.UNREACHABLE: ("电话无人接听。", "电话关机。", "号码有误，无法接通。"),
}
_FOLLOW_UP_STATE = {
    Satisfaction.SATISFIED: FollowUpState.DONE.value,
    Satisfaction.BASICALLY_SATISFIED: FollowUpState.DONE.value,
    Satisfaction.DISSATISFIED: FollowUpState.DISSATISFIED.value,
    Satisfaction.UNREACHABLE: FollowUpState.UNREACHABLE.value,
}

_WATCH_OK = ("已盯警，处置规范。", "已跟进，案件已依法受理。", "警情处置及时，无问题。",
             "已查看处警记录和执法记录仪视频，无问题。")
_WATCH_PROBLEMS = {
    "not_registered": "该警情涉嫌违法犯罪，至今未受案",
    "shelved": "受案后未开展调查取证",
    "downgraded": "涉嫌刑事犯罪，按治安案件处理，存在降格处理",
    "withdrawn_irregularly": "撤案理由不充分，手续不全",
    "mediation_for_penalty": "应予治安处罚，以调解方式结案",
    "acceptance_registration": "受案登记表填写不规范，未及时录入系统",
}

_CAUSES: dict[tuple[CaseKind, Any], tuple[str, ...]] = {
    (CaseKind.CRIMINAL, KC.VICE): ("组织卖淫", "容留卖淫", "介绍卖淫"),
    (CaseKind.CRIMINAL, KC.GAMBLING): ("开设赌场", "赌博"),
    (CaseKind.CRIMINAL, KC.GANG): ("寻衅滋事", "聚众斗殴", "敲诈勒索", "非法拘禁", "强迫交易"),
    (CaseKind.CRIMINAL, KC.FRAUD): ("诈骗", "帮助信息网络犯罪活动", "掩饰、隐瞒犯罪所得"),
    (CaseKind.CRIMINAL, IC.CRIMINAL): ("盗窃", "盗窃", "盗窃", "故意伤害", "抢劫", "抢夺",
                                       "故意毁坏财物", "诈骗"),
    (CaseKind.CRIMINAL, IC.TRAFFIC): ("危险驾驶", "危险驾驶", "交通肇事"),
    (CaseKind.CRIMINAL, None): ("故意伤害", "寻衅滋事", "盗窃"),
    (CaseKind.ADMINISTRATIVE, KC.VICE): ("卖淫", "嫖娼", "容留卖淫"),
    (CaseKind.ADMINISTRATIVE, KC.GAMBLING): ("赌博", "为赌博提供条件"),
    (CaseKind.ADMINISTRATIVE, KC.GANG): ("寻衅滋事", "殴打他人", "敲诈勒索"),
    (CaseKind.ADMINISTRATIVE, KC.FRAUD): ("诈骗", "出租、出借银行账户"),
    (CaseKind.ADMINISTRATIVE, IC.PUBLIC_ORDER): ("殴打他人", "殴打他人", "故意损毁财物",
                                                 "寻衅滋事", "阻碍执行职务",
                                                 "扰乱公共场所秩序", "制造噪声干扰他人生活"),
    (CaseKind.ADMINISTRATIVE, IC.CRIMINAL): ("盗窃", "诈骗", "故意损毁财物"),
    (CaseKind.ADMINISTRATIVE, None): ("殴打他人", "故意损毁财物"),
}
_VICTIM_CAUSES = frozenset(
    ("盗窃", "故意伤害", "抢劫", "抢夺", "诈骗", "殴打他人", "敲诈勒索", "非法拘禁", "交通肇事",
     "故意毁坏财物", "故意损毁财物")
)

_STEP_OPINIONS = {
    1: ("呈请审核。", "案件事实已查清，呈请领导审核。"),
    2: ("同意，呈法制审核。", "已阅，同意办案民警意见，呈法制监督员审核。"),
    3: ("经审核，事实清楚，证据确实充分，程序合法，同意。", "同意，呈法制大队审核。"),
    4: ("经法制审核，定性准确，适用法律正确，同意。", "同意，呈局领导审批。"),
    5: ("同意。", "同意，按程序办理。"),
}
_RETURN_REASONS = (
    "询问笔录缺少告知权利义务内容，退回补正。",
    "证据不足：缺少现场勘验笔录和证人证言，退回补充。",
    "法律文书填写不规范，退回补正。",
    "裁量依据说明不充分，退回补正。",
    "涉案财物未依法登记扣押，退回补正。",
)
_REJECT_REASONS = (
    "不同意。现有证据不能证明违法事实，建议撤销案件。",
    "不同意。本案不属于本单位管辖，应移送有管辖权的机关。",
    "不同意。拟处理意见与违法情节明显不相当。",
)


@dataclass
class _Officer:
    id: str
    name: str
    unit_key: str
    role: Role


@dataclass
class _CaseSeed:
    """What a case needs of the incident that led to it."""

    incident_id: str | None
    received: datetime
    kind: CaseKind
    context: Any  # the key category, or the incident category
    unit_key: str
    lead_id: str
    place: str


@dataclass
class _Finding:
    """Something that raises a rectification item."""

    source: RectificationSource
    at: datetime
    unit_key: str
    officer_id: str | None
    problem: str | None
    risk: RiskLevel
    description: str
    links: dict[str, str] = field(default_factory=dict)
    source_note: str = ""
    authority: str = ""
    working_days: int = 0  # due in so many working days; 0: by the risk level


# --- writing rows --------------------------------------------------------------------

_SYNCED = ("id", "created_at", "updated_at", "version", "deleted_at")
_HEX_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def _stamp(moment: datetime) -> str:
    """SQLAlchemy's text form of a DateTime on SQLite (``moment`` has no microseconds)."""
    return moment.isoformat(" ") + ".000000"


class _Sink:
    """Rows of one table, inserted in batches with the driver's ``executemany``."""

    def __init__(self, cursor: Any, model: type[Base], columns: Sequence[str]) -> None:
        table = model.__table__
        name = str(model.__tablename__)
        names = {c.name for c in table.columns}
        if set(columns) != names or len(columns) != len(names):
            raise RuntimeError(
                f"demo data for {name} is out of step with the model: "
                f"missing {sorted(names - set(columns))}, unknown {sorted(set(columns) - names)}"
            )
        quoted = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        self.name = name
        self._sql = f'INSERT INTO "{self.name}" ({quoted}) VALUES ({marks})'
        self._cursor = cursor
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0

    def flush(self) -> None:
        for start in range(0, len(self.rows), _BATCH):
            self._cursor.executemany(self._sql, self.rows[start : start + _BATCH])
        self.count += len(self.rows)
        self.rows.clear()


class _Generator:
    def __init__(
        self,
        connection: Connection,
        incidents: int,
        seed: int,
        days: int,
        now: datetime,
        ctx: TaskContext,
    ) -> None:
        self.connection = connection
        self.cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        self.incidents = incidents
        self.seed = seed
        self.days = days
        self.now = now
        self.today = now.date()
        self.first_day = self.today - timedelta(days=days - 1)
        self.start = datetime.combine(self.first_day, datetime.min.time())
        self.ctx = ctx
        self.sinks: dict[str, _Sink] = {}
        names = random.Random(f"lawsup-demo:{seed}:names")
        self.male_names = self._name_pool(names, _MALE_CHARS, 3000)
        self.female_names = self._name_pool(names, _FEMALE_CHARS, 3000)
        self.officers: list[_Officer] = []
        self.by_role: dict[Role, list[_Officer]] = {}
        self.case_officers: dict[str, list[_Officer]] = {}
        self.unit_ids: dict[str, str] = {}
        self.unit_leaders: dict[str, str] = {}
        self.problem_ids: dict[str, str] = {}
        self.case_seeds: list[_CaseSeed] = []
        self.findings: list[_Finding] = []
        self.first_pass: list[tuple[str, str, date]] = []  # (audit id, lead officer, date)
        self._case_rng = random.Random()

    # -- helpers --

    def _rng(self, section: str) -> random.Random:
        return random.Random(f"lawsup-demo:{self.seed}:{section}")

    @staticmethod
    def _uuid(rng: random.Random) -> str:
        h = f"{rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_HEX_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"

    @staticmethod
    def _name_pool(rng: random.Random, chars: str, size: int) -> list[str]:
        pool = []
        for _ in range(size):
            if rng.random() < 0.01:
                surname = rng.choice(_COMPOUND_SURNAMES)
            else:
                surname = rng.choice(_SURNAMES)
            given = rng.choice(chars)
            if rng.random() < 0.78:
                given += rng.choice(chars)
            pool.append(surname + given)
        return pool

    def _sink(self, model: type[Base], columns: Sequence[str]) -> _Sink:
        sink = _Sink(self.cursor, model, columns)
        self.sinks[sink.name] = sink
        return sink

    def _utc(self, moment: datetime) -> str:
        """A bookkeeping time: station wall-clock ``moment`` as naive UTC, never after now."""
        return _stamp(min(moment, self.now) - _UTC_OFFSET)

    def _mobile(self, rnd: Callable[[], float]) -> str:
        return _MOBILE_PREFIXES[int(rnd() * len(_MOBILE_PREFIXES))] + f"{int(rnd() * 1e8):08d}"

    def _name(self, rnd: Callable[[], float], male: bool | None = None) -> str:
        if male is None:
            male = rnd() < 0.55
        pool = self.male_names if male else self.female_names
        return pool[int(rnd() * len(pool))]

    def _town(self, rnd: Callable[[], float]) -> tuple[str, bool, tuple[str, ...], tuple[str, ...]]:
        # Half of everything happens in the county town.
        if rnd() < 0.5:
            return _TOWNS[0]
        return _TOWNS[1 + int(rnd() * (len(_TOWNS) - 1))]

    def _address(self, rnd: Callable[[], float]) -> str:
        town, urban, places, roads = self._town(rnd)
        place = places[int(rnd() * len(places))]
        if urban:
            if rnd() < 0.5:
                road = roads[int(rnd() * len(roads))]
                return f"{COUNTY}{town}{road}{1 + int(rnd() * 300)}号"
            return (f"{COUNTY}{town}{place}{1 + int(rnd() * 20)}号楼"
                    f"{1 + int(rnd() * 4)}单元{1 + int(rnd() * 6)}0{1 + int(rnd() * 4)}室")
        return f"{COUNTY}{town}{place}{1 + int(rnd() * 9)}社{1 + int(rnd() * 80)}号"

    def _place(self, rnd: Callable[[], float]) -> tuple[str, str]:
        """Where an incident happened: (the place as the summary names it, full address)."""
        town, urban, places, roads = self._town(rnd)
        if urban:
            road = roads[int(rnd() * len(roads))]
            if rnd() < 0.6:
                venue = _VENUES[int(rnd() * len(_VENUES))]
                return venue, f"{COUNTY}{town}{road}{venue}"
            number = f"{1 + int(rnd() * 300)}号"
            return f"{road}{number}", f"{COUNTY}{town}{road}{number}"
        village = places[int(rnd() * len(places))]
        if rnd() < 0.5:
            venue = _RURAL_VENUES[int(rnd() * len(_RURAL_VENUES))]
            return f"{village}{venue}", f"{COUNTY}{town}{village}{venue}"
        number = f"{1 + int(rnd() * 9)}社{1 + int(rnd() * 80)}号"
        return f"{village}{number}", f"{COUNTY}{town}{village}{number}"

    def _road(self, rnd: Callable[[], float]) -> str:
        town, _, _, roads = self._town(rnd)
        return f"{town}{roads[int(rnd() * len(roads))]}"

    def _resident_id(self, rnd: Callable[[], float], birth: date, male: bool) -> str:
        region = _REGION_TABLE[int(rnd() * len(_REGION_TABLE))]
        sequence = int(rnd() * 500) * 2 + (1 if male else 0)
        first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
        return first17 + resident_id_check_character(first17)

    def _drop_indexes(self, *tables: str) -> list[str]:
        """Drop the tables' secondary indexes; returns the SQL that makes them again."""
        marks = ", ".join("?" * len(tables))
        names = [name for (name,) in self.cursor.execute(
            f"SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY name",
            tables,
        )]
        return self._drop_schema_objects("index", names)

    def _drop_schema_objects(self, kind: str, names: Sequence[str]) -> list[str]:
        """Drop indexes or triggers; returns the SQL (from sqlite_master, so the schema
        comes back exactly as it was) that makes them again."""
        made = []
        for name in names:
            (sql,) = self.cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = ? AND name = ?", (kind, name)
            ).fetchone()
            self.cursor.execute(f'DROP {kind.upper()} "{name}"')
            made.append(sql)
        return made

    def _progress(self, done: int, text: str) -> None:
        self.ctx.check_cancelled()
        self.ctx.report(done, 1000, text)

    # -- the run --

    def run(self) -> DemoResult:
        station_id, station_name, operator, created = self._roster()
        self._reference_data()
        self._incidents()
        self._progress(600, "案件 / cases")
        self._cases()
        self._progress(760, "整改与积分 / rectifications and points")
        rectifications = self._rectifications()
        self._scores(rectifications)
        # Demo data is searchable at once, instead of making the first search wait.
        self._search_index()
        counts = self._finish(station_id)
        return DemoResult(station_id, station_name, operator.name, created, counts)

    # -- station, units, roster, reference data --

    def _roster(self) -> tuple[str, str, _Officer, bool]:
        rng = self._rng("roster")
        rnd = rng.random
        connection = self.connection
        origin = self.start - timedelta(days=60)
        stamp = _stamp(origin - _UTC_OFFSET)
        workstation = connection.exec_driver_sql(
            "SELECT w.station_id, s.name, s.code FROM workstation w "
            "JOIN station s ON s.id = w.station_id"
        ).first()
        stations = self._sink(Station, (*_SYNCED, "code", "name", "is_local"))
        units = self._sink(Unit, (*_SYNCED, "station_id", "name", "code", "leader_id"))
        officers = self._sink(Officer, (*_SYNCED, "unit_id", "name", "badge_no", "role", "phone",
                                         "active"))
        station_unit: str | None = None
        if workstation is None:
            station_id, station_name = self._uuid(rng), DEMO_STATION_NAME
            code = DEMO_STATION_CODE
            existing = connection.exec_driver_sql(
                "SELECT id, name FROM station WHERE code = ?", (DEMO_STATION_CODE,)
            ).first()
            if existing is not None:
                station_id, station_name = existing
                connection.exec_driver_sql(
                    "UPDATE station SET is_local = 1 WHERE id = ?", (station_id,)
                )
            else:
                stations.rows.append(
                    (station_id, stamp, stamp, 1, None, DEMO_STATION_CODE, station_name, 1)
                )
        else:
            station_id, station_name, code = workstation
        # The station's own unit is its first (StationService reports it as the operator's).
        existing_unit = connection.exec_driver_sql(
            "SELECT id, created_at FROM unit WHERE station_id = ? ORDER BY created_at LIMIT 1",
            (station_id,),
        ).first()
        units_from = origin - _UTC_OFFSET
        if existing_unit is not None:
            station_unit = str(existing_unit[0])
            # The new units come after it, so that it stays the station's first unit.
            units_from = max(units_from, datetime.fromisoformat(existing_unit[1]))
            units_from += timedelta(seconds=1)
        specs = (
            ("station", station_name, code, True),
            ("xingzhen", "刑侦中队", f"{code}-XZ", True),
            ("zhian", "治安中队", f"{code}-ZA", True),
            ("jiaojing", "交警中队", f"{code}-JJ", True),
            ("dongguan", "东关警务室", f"{code}-DG", True),
            ("beiyuan", "北塬警务室", f"{code}-BY", True),
            ("legal", f"{BUREAU}法制大队", "HX-FZ", False),
            ("bureau", BUREAU, "HX-JU", False),
        )
        unit_rows = []
        for index, (key, name, unit_code, local) in enumerate(specs):
            unit_id = self._uuid(rng)
            if key == "station" and station_unit is not None:
                self.unit_ids[key] = station_unit
                continue
            self.unit_ids[key] = unit_id
            at = _stamp(units_from.replace(microsecond=0) + timedelta(minutes=index))
            unit_rows.append(
                [unit_id, at, at, 1, None, station_id if local else None, name, unit_code]
            )
        # (unit, role, how many); a unit's first leader leads it (supervisors lead none).
        roster = (
            ("station", Role.STATION_LEADER, 3), ("station", Role.SUPERVISOR, 2),
            ("station", Role.CASE_OFFICER, 13), ("xingzhen", Role.STATION_LEADER, 1),
            ("xingzhen", Role.CASE_OFFICER, 6), ("zhian", Role.STATION_LEADER, 1),
            ("zhian", Role.CASE_OFFICER, 5), ("jiaojing", Role.STATION_LEADER, 1),
            ("jiaojing", Role.CASE_OFFICER, 4), ("dongguan", Role.CASE_OFFICER, 2),
            ("beiyuan", Role.CASE_OFFICER, 2), ("legal", Role.LEGAL_OFFICER, 4),
            ("bureau", Role.BUREAU_LEADER, 3),
        )
        used_names: set[str] = set()
        badges: set[str] = set()
        officer_rows = []
        for key, role, count in roster:
            for _ in range(count):
                male = rnd() < 0.8
                name = self._name(rnd, male)
                while name in used_names:
                    name = self._name(rnd, male)
                used_names.add(name)
                badge = f"{100000 + int(rnd() * 900000)}"
                while badge in badges:
                    badge = f"{100000 + int(rnd() * 900000)}"
                badges.add(badge)
                officer = _Officer(self._uuid(rng), name, key, role)
                self.officers.append(officer)
                self.by_role.setdefault(role, []).append(officer)
                if role is Role.CASE_OFFICER:
                    self.case_officers.setdefault(key, []).append(officer)
                elif key not in self.unit_leaders and role is not Role.SUPERVISOR:
                    self.unit_leaders[key] = officer.id
                # One officer of the station has been transferred away: still on old records.
                active = not (key == "station" and role is Role.CASE_OFFICER
                              and len(self.case_officers[key]) == 13)
                officer_rows.append((officer.id, stamp, stamp, 1, None, self.unit_ids[key],
                                     name, badge, role.value, self._mobile(rnd), int(active)))
        self.case_officers["station"].pop()  # no new work for the transferred officer
        # The deputy chief (the station's third leader) leads the two community posts.
        deputy = self.by_role[Role.STATION_LEADER][2].id
        self.unit_leaders["dongguan"] = self.unit_leaders["beiyuan"] = deputy
        for row in unit_rows:
            key = next(k for k, v in self.unit_ids.items() if v == row[0])
            row.append(self.unit_leaders[key])
        stations.flush()
        # Units and officers refer to each other: the units first, their leaders after.
        units.rows.extend((*row[:-1], None) for row in unit_rows)
        units.flush()
        officers.rows.extend(officer_rows)
        officers.flush()
        for row in unit_rows:
            connection.exec_driver_sql(
                "UPDATE unit SET leader_id = ? WHERE id = ?", (row[-1], row[0])
            )
        if station_unit is not None:
            connection.exec_driver_sql(
                "UPDATE unit SET leader_id = ?, version = version + 1 WHERE id = ?",
                (self.unit_leaders["station"], station_unit),
            )
        operator = self.by_role[Role.SUPERVISOR][0]
        created = workstation is None
        if created:
            connection.exec_driver_sql(
                "INSERT INTO workstation (station_id, operator_id, device_id, set_up_at) "
                "VALUES (?, ?, ?, ?)",
                (station_id, operator.id, str(uuid.uuid4()),
                 _stamp(datetime.now(UTC).replace(tzinfo=None, microsecond=0))),
            )
        return station_id, station_name, operator, created

    def _reference_data(self) -> None:
        rng = self._rng("reference")
        # The negative list comes from the one place that defines it; the rows it adds
        # here then get seeded ids and times, so that a seed gives the whole file.
        before = {code for (code,) in self.cursor.execute("SELECT code FROM problem_type")}
        with Session(bind=self.connection) as session:  # no audit hook: one summary entry
            ensure_reference_data(session)
            session.flush()
        stamp = _stamp(self.start - timedelta(days=60) - _UTC_OFFSET)
        for code, _label in NEGATIVE_LIST:
            problem_id = self._uuid(rng)
            if code not in before:
                self.connection.exec_driver_sql(
                    "UPDATE problem_type SET id = ?, created_at = ?, updated_at = ? WHERE code = ?",
                    (problem_id, stamp, stamp, code),
                )
        self.problem_ids = dict(self.cursor.execute("SELECT code, id FROM problem_type"))

        guidance = self._sink(Guidance, (*_SYNCED, "title", "published_on", "summary",
                                         "attachment_sha256"))
        titles = (
            ("关于规范办理殴打他人案件的执法指引", "明确殴打他人案件的受案、取证和裁量标准。"),
            ("危险驾驶案件办理指引", "规范血液酒精含量检验、强制措施适用和移送起诉程序。"),
            ("取保候审执行常见问题指引", "梳理取保候审期限、保证金管理和监督考察要点。"),
            ("涉赌案件证据收集指引", "列明赌资认定、参赌人员身份核实和电子数据提取要求。"),
            ("电信网络诈骗警情受立案指引", "明确受案登记、立案标准和资金止付流程。"),
            ("寻衅滋事案件定性指引", "区分寻衅滋事与殴打他人、故意伤害的界限。"),
            ("行政案件办案期限管理指引", "明确办案期限的起算、延长和鉴定期间的扣除。"),
            ("当场处罚程序规范指引", "规范当场处罚的适用条件、告知程序和文书制作。"),
            ("以调代处问题专项治理指引", "明确可以调解处理的情形和不得调解的情形。"),
        )
        for index, (title, summary) in enumerate(titles):
            published = self.first_day + timedelta(days=int(index * self.days / len(titles)))
            at = self._utc(datetime.combine(published, datetime.min.time()) + timedelta(hours=9))
            guidance.rows.append((self._uuid(rng), at, at, 1, None, title, published.isoformat(),
                                  summary, None))
        guidance.flush()

        bulletins = self._sink(BulletinIssue, (*_SYNCED, "year", "number", "period_from",
                                               "period_to"))
        numbers: dict[int, int] = {}
        period_from = self.first_day
        while period_from + timedelta(days=13) < self.today:
            period_to = period_from + timedelta(days=13)
            numbers[period_to.year] = numbers.get(period_to.year, 0) + 1
            at = self._utc(datetime.combine(period_to + timedelta(days=1),
                                            datetime.min.time()) + timedelta(hours=10))
            bulletins.rows.append((self._uuid(rng), at, at, 1, None, period_to.year,
                                   numbers[period_to.year], period_from.isoformat(),
                                   period_to.isoformat()))
            period_from = period_to + timedelta(days=1)
        bulletins.flush()

    # -- incidents, follow-ups and the daily watch --

    def _incidents(self) -> None:
        rng = self._rng("incidents")
        rnd = rng.random
        getrandbits = rng.getrandbits
        variant = _HEX_VARIANT
        n = self.incidents
        # Times are whole seconds from the first day's midnight; receive times first,
        # sorted, so that incident numbers run in order per day.
        limit = int((self.now - self.start).total_seconds())
        offsets = []
        for _ in range(n):
            offset = (int(rnd() * self.days) * 86400 + _HOURS[int(rnd() * len(_HOURS))] * 3600
                      + int(rnd() * 3600))
            if offset > limit:  # later today than now: the same time yesterday
                offset -= 86400
                if offset < 0:
                    offset = int(rnd() * limit)
            offsets.append(offset)
        offsets.sort()
        # Text of every day and time of day, so a time is written without datetime objects.
        days = [(self.first_day + timedelta(days=d - 1)) for d in range(self.days + 4)]
        day_text = [d.isoformat() for d in days]
        day_compact = [f"{d:%Y%m%d}" for d in days]
        clock = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
        hour_minute = [f"{m // 60:02d}时{m % 60:02d}分" for m in range(1440)]
        utc_shift = int(_UTC_OFFSET.total_seconds())

        # Bulk load: the secondary indexes of the two big tables are built once, after.
        indexes = self._drop_indexes("incident", "follow_up")
        # The search index is made in one pass at the end (_search_index): emptied
        # now, while there is no incident (whatever it held was stale), and without
        # its trigger marking each new incident for the slower incremental way.
        search.rebuild_search_index(self.connection)
        recreate = self._drop_schema_objects("trigger", [_SEARCH_INSERT_TRIGGER])
        incidents = self._sink(Incident, (
            *_SYNCED, "incident_no", "received_at", "category", "is_key", "key_category",
            "address", "summary", "caller_name", "caller_phone", "unit_id", "handling_officer_id",
            "disposition", "handling_notes", "watch_state", "follow_up_state"))
        follow_ups = self._sink(FollowUp, (
            *_SYNCED, "incident_id", "method", "party_name", "party_role", "party_phone",
            "contacted_at", "officer_id", "checks", "satisfaction", "notes",
            "next_attempt_at"))
        watch = self._sink(WatchReview, (
            *_SYNCED, "incident_id", "reviewer_id", "reviewed_at", "problem_type_id", "note",
            "responsible_unit_id", "responsible_officer_id"))

        checks = _follow_up_checks(self._rng("checks"))
        main_supervisor = self.by_role[Role.SUPERVISOR][0].id
        supervisor_ids = [o.id for o in self.by_role[Role.SUPERVISOR]]
        station_officers = [o.id for o in self.case_officers["station"]]
        unit_ids = self.unit_ids
        pools = {k: [(o.id, o.name) for o in v] for k, v in self.case_officers.items()}
        problem_codes = tuple(_WATCH_PROBLEMS)
        problem_labels = {code: label.zh for code, label in NEGATIVE_LIST}
        follow_counts = _expand([(0, 5), (1, 25), (2, 40), (3, 20), (4, 10)])
        methods = _expand([(FollowUpMethod.PHONE, 60), (FollowUpMethod.ON_SITE, 25),
                           (FollowUpMethod.HOME_VISIT, 15)])
        satisfactions = _expand([
            (Satisfaction.SATISFIED, 66), (Satisfaction.BASICALLY_SATISFIED, 22),
            (Satisfaction.DISSATISFIED, 2), (Satisfaction.UNREACHABLE, 8),
        ])
        party_roles = _expand([(PartyRole.CALLER, 75), (PartyRole.VICTIM, 15),
                               (PartyRole.OTHER_PARTY, 10)])
        on_site, home_visit, phone_call = "on_site", "home_visit", "phone"
        unreachable, dissatisfied = "unreachable", "dissatisfied"
        criminal_case, administrative_case = "criminal_case", "administrative_case"
        states = {k.value: v for k, v in _FOLLOW_UP_STATE.items()}
        check_variants = {k.value: v for k, v in checks.items()}
        notes_for = {k.value: v for k, v in _FOLLOW_UP_NOTES.items()}
        no_follow_up = FollowUpState.NONE.value
        pending, no_problem, problem_found = (WatchState.PENDING.value, WatchState.NO_PROBLEM.value,
                                              WatchState.PROBLEM_FOUND.value)
        start = self.start
        findings = self.findings
        case_seeds = self.case_seeds
        names = self.male_names, self.female_names
        mobiles = _MOBILE_PREFIXES
        departments = _DEPARTMENTS
        place = self._place
        last_day = -1
        day_seq = 0
        for chunk_start in range(0, n, _CHUNK):
            for received in offsets[chunk_start : chunk_start + _CHUNK]:
                h = f"{getrandbits(128):032x}"
                incident_id = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant[h[16]]}{h[17:20]}-{h[20:]}"
                day, moment = divmod(received, 86400)
                if day != last_day:
                    last_day, day_seq = day, 0
                day_seq += 1
                incident_no = f"J{ORG_CODE}{day_compact[day + 1]}{day_seq:05d}"
                # About 8% key incidents, across all four key categories.
                if rnd() < 0.08:
                    key: str | None = _KEY_CATEGORIES[int(rnd() * len(_KEY_CATEGORIES))]
                    table = _KEY_INCIDENT_CATEGORY[key]  # type: ignore[index]
                    category = table[int(rnd() * len(table))]
                    events = _EVENTS[key]
                    dispositions = _KEY_DISPOSITIONS[category]
                else:
                    key = None
                    category = _CATEGORIES[int(rnd() * len(_CATEGORIES))]
                    events = _EVENTS[category]
                    dispositions = _DISPOSITIONS[category]
                units = _UNIT_FOR[category]
                unit_key = units[int(rnd() * len(units))]
                pool = pools[unit_key]
                officer_id, officer_name = pool[int(rnd() * len(pool))]
                gender_pool = names[rnd() >= 0.55]
                caller = gender_pool[int(rnd() * len(gender_pool))]
                phone = mobiles[int(rnd() * len(mobiles))] + f"{int(rnd() * 1e8):08d}"
                spot, address = place(rnd)
                other_pool = names[rnd() >= 0.55]
                summary = f"{hour_minute[moment // 60]}，报警人{caller}" + events[
                    int(rnd() * len(events))
                ].format(
                    place=spot, amount=(1 + int(rnd() * 60)) * 100, n=3 + int(rnd() * 12),
                    other=other_pool[int(rnd() * len(other_pool))], road=self._road(rnd),
                ) + "。"
                age = limit - received
                if age < 21600 and rnd() < 0.5:  # the newest are still being handled
                    disposition = None
                    notes = ""
                else:
                    disposition = dispositions[int(rnd() * len(dispositions))]
                    notes = _HANDLING[disposition].format(
                        officer=officer_name, dept=departments[int(rnd() * len(departments))]
                    )
                    if disposition in (criminal_case, administrative_case):
                        case_seeds.append(_CaseSeed(
                            incident_id, start + timedelta(seconds=received),
                            CaseKind.CRIMINAL if disposition == criminal_case
                            else CaseKind.ADMINISTRATIVE,
                            key or category, unit_key, officer_id, spot,
                        ))
                created = min(limit, received + 120 + int(rnd() * 600))
                updated = created
                version = 1

                # Follow-ups: about two per incident, fewer for the newest.
                count = follow_counts[int(rnd() * len(follow_counts))]
                if age < 172800:
                    count = min(count, age // 43200)
                state = no_follow_up
                contacted = received
                for index in range(count):
                    method = methods[int(rnd() * len(methods))]
                    if index == 0:
                        if method == on_site:
                            contacted = received + 900 + int(rnd() * 4500)
                        else:
                            contacted = received + 3600 + int(rnd() * 172800)
                    else:
                        if method == on_site:
                            method = home_visit
                        contacted += 86400 + int(rnd() * 518400)
                    if contacted > limit:
                        break
                    satisfaction = satisfactions[int(rnd() * len(satisfactions))]
                    if satisfaction == unreachable and method == on_site:
                        satisfaction = "satisfied"
                    role = party_roles[int(rnd() * len(party_roles))]
                    if role == "caller":
                        party, party_phone = caller, phone
                    else:
                        party_pool = names[rnd() >= 0.55]
                        party = party_pool[int(rnd() * len(party_pool))]
                        party_phone = mobiles[int(rnd() * len(mobiles))] + f"{int(rnd() * 1e8):08d}"
                    if method == phone_call and rnd() < 0.4:
                        by = main_supervisor
                    elif method == on_site or rnd() < 0.5:
                        by = officer_id
                    else:
                        by = station_officers[int(rnd() * len(station_officers))]
                    variants = check_variants[satisfaction]
                    note_pool = notes_for[satisfaction]
                    complaint = note_pool[int(rnd() * len(note_pool))]
                    h = f"{getrandbits(128):032x}"
                    follow_up_id = (f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant[h[16]]}{h[17:20]}"
                                    f"-{h[20:]}")
                    entered = min(limit, contacted + 300 + int(rnd() * 1800))
                    d, s = divmod(entered - utc_shift, 86400)
                    entered_text = f"{day_text[d + 1]} {clock[s]}.000000"
                    d, s = divmod(contacted, 86400)
                    follow_ups.rows.append((
                        follow_up_id, entered_text, entered_text, 1, None, incident_id,
                        method, party, role, party_phone, f"{day_text[d + 1]} {clock[s]}.000000",
                        by, variants[int(rnd() * len(variants))], satisfaction, complaint,
                        f"{day_text[d + 2]} {clock[s]}.000000" if satisfaction == unreachable
                        else None,
                    ))
                    state = states[satisfaction]
                    updated = entered
                    version += 1
                    if satisfaction == dissatisfied:
                        # As services/follow_ups.py does: every dissatisfied party raises
                        # an item for the incident's unit, due in 5 working days.
                        findings.append(_Finding(
                            RectificationSource.FOLLOW_UP, start + timedelta(seconds=entered),
                            unit_key, officer_id, None, RiskLevel.MEDIUM,
                            f"警情 {incident_no} 回访不满意（{party}）：{complaint}",
                            {"follow_up_id": follow_up_id}, f"回访 {incident_no}",
                            working_days=5,
                        ))

                # The daily watch: most key incidents older than half a day are reviewed,
                # once (services/watch.py reviews only a pending incident).
                watch_state = pending
                reviewed = received + 3600 + int(rnd() * 100000)
                if key is not None and age > 43200 and rnd() < 0.85 and reviewed <= limit:
                    found = rnd() < 0.15
                    h = f"{getrandbits(128):032x}"
                    review_id = (f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant[h[16]]}{h[17:20]}"
                                 f"-{h[20:]}")
                    d, s = divmod(reviewed - utc_shift, 86400)
                    stamp = f"{day_text[d + 1]} {clock[s]}.000000"
                    reviewer = supervisor_ids[0 if rnd() < 0.8 else 1]
                    if found:
                        code = problem_codes[int(rnd() * len(problem_codes))]
                        watch.rows.append((review_id, stamp, stamp, 1, None, incident_id,
                                           reviewer, stamp, self.problem_ids[code],
                                           f"{_WATCH_PROBLEMS[code]}，请及时整改。",
                                           unit_ids[unit_key], officer_id))
                        watch_state = problem_found
                        findings.append(_Finding(
                            RectificationSource.DAILY_WATCH, start + timedelta(seconds=reviewed),
                            unit_key, officer_id, code,
                            RiskLevel.HIGH if key == "gang" or rnd() < 0.3 else RiskLevel.MEDIUM,
                            f"警情 {incident_no}：{problem_labels[code]}。"
                            f"{_WATCH_PROBLEMS[code]}，请及时整改。",
                            {"watch_review_id": review_id}, f"每日盯警 {incident_no}",
                            working_days=5,
                        ))
                    else:
                        watch.rows.append((review_id, stamp, stamp, 1, None, incident_id,
                                           reviewer, stamp, None,
                                           _WATCH_OK[int(rnd() * len(_WATCH_OK))], None, None))
                        watch_state = no_problem
                    updated = max(updated, reviewed)
                    version += 1
                d, s = divmod(created - utc_shift, 86400)
                created_text = f"{day_text[d + 1]} {clock[s]}.000000"
                d, s = divmod(updated - utc_shift, 86400)
                incidents.rows.append((
                    incident_id, created_text, f"{day_text[d + 1]} {clock[s]}.000000", version,
                    None, incident_no, f"{day_text[day + 1]} {clock[moment]}.000000", category,
                    0 if key is None else 1, key, address, summary, caller, phone,
                    unit_ids[unit_key], officer_id, disposition, notes, watch_state, state,
                ))
            incidents.flush()
            follow_ups.flush()
            watch.flush()
            done = min(n, chunk_start + _CHUNK)
            self._progress(20 + 560 * done // n, f"警情 / incidents {done:,}/{n:,}")
        for sql in (*indexes, *recreate):
            self.cursor.execute(sql)

    # -- cases --

    def _cases(self) -> None:
        rng = self._case_rng = self._rng("cases")
        rnd = rng.random
        uid = self._uuid
        now = self.now
        today = self.today
        # A few cases come from elsewhere (transferred in, found on patrol), not from a call.
        seeds = self.case_seeds
        extra = len(seeds) // 20
        for _ in range(extra):
            span = (now - self.start).total_seconds()
            received = self.start + timedelta(seconds=int(rnd() * span))
            kind = CaseKind.CRIMINAL if rnd() < 0.4 else CaseKind.ADMINISTRATIVE
            unit_key = ("xingzhen", "zhian", "station")[int(rnd() * 3)]
            pool = self.case_officers[unit_key]
            seeds.append(_CaseSeed(None, received, kind, IC.PUBLIC_ORDER if rnd() < 0.5
                                   else IC.CRIMINAL, unit_key, pool[int(rnd() * len(pool))].id,
                                   self._place(rnd)[0]))
        seeds.sort(key=lambda s: s.received)

        cases = self._sink(Case, (*_SYNCED, "case_no", "name", "kind", "cause", "unit_id",
                                  "lead_officer_id", "incident_id", "accepted_at", "registered_at",
                                  "closed_at"))
        helpers = self._sink(CaseOfficer, (*_SYNCED, "case_id", "officer_id"))
        persons = self._sink(CasePerson, (*_SYNCED, "case_id", "role", "name", "id_number",
                                          "gender", "birth_date", "phone", "address"))
        measures = self._sink(CoerciveMeasure, (*_SYNCED, "person_id", "kind", "started_at",
                                                "ended_at", "note"))
        reviews = self._sink(ProcuratorateReview, (*_SYNCED, "case_id", "sent_on", "decision",
                                                   "decided_on"))
        audits = self._sink(CaseAudit, (*_SYNCED, "case_id", "form_no", "facts",
                                        "proposed_handling", "review_points", "problems_found",
                                        "is_major", "submitted_at"))
        steps = self._sink(ReviewStep, (*_SYNCED, "audit_id", "round", "level", "decision",
                                        "opinion", "reviewer_id", "entered_by_id",
                                        "reviewed_at"))
        case_numbers: dict[tuple[str, int], int] = {}
        form_numbers: dict[int, int] = {}
        points_full, points_draft = _review_points(self._rng("points"))
        operator = self.by_role[Role.SUPERVISOR][0].id
        outcomes = _expand([("draft", 5), ("approved", 60), ("returned_approved", 12),
                            ("returned_open", 5), ("rejected", 5), ("in_review", 8),
                            ("returned_twice", 5)])

        for number, seed in enumerate(seeds):
            if number % 2000 == 0:
                self._progress(600 + 150 * number // max(1, len(seeds)),
                               f"案件 / cases {number:,}/{len(seeds):,}")
            case_id = uid(rng)
            kind = seed.kind
            criminal = kind is CaseKind.CRIMINAL
            causes = _CAUSES.get((kind, seed.context)) or _CAUSES[(kind, None)]
            cause = causes[int(rnd() * len(causes))]
            accepted = min(now, seed.received + timedelta(seconds=1200 + int(rnd() * 13000)))
            registered = None
            if criminal:
                registered = accepted + timedelta(seconds=int(rnd() * 3 * 86400))
                if registered > now:
                    registered = None
            closed = None
            if criminal and registered is not None and rnd() < 0.7:
                closed = registered + timedelta(days=20 + int(rnd() * 100))
            elif not criminal and rnd() < 0.9:
                closed = accepted + timedelta(days=3 + int(rnd() * 27))
            if closed is not None and closed > now:
                closed = None
            prefix = "A" if criminal else "B"
            sequence_key = (prefix, accepted.year)
            case_numbers[sequence_key] = case_numbers.get(sequence_key, 0) + 1
            case_no = f"{prefix}{ORG_CODE}{accepted.year}{case_numbers[sequence_key]:05d}"

            lead = seed.lead_id
            pool = [o for o in self.case_officers[seed.unit_key] if o.id != lead]
            if len(pool) < 2:
                pool += [o for o in self.case_officers["station"] if o.id != lead]
            assisting = rng.sample(pool, 2 if rnd() < 0.3 else 1)
            handling = {lead, *(o.id for o in assisting)}
            case_created = accepted + timedelta(seconds=600 + int(rnd() * 3000))
            case_stamp = self._utc(case_created)
            for officer in assisting:
                helpers.rows.append((uid(rng), case_stamp, case_stamp, 1, None, case_id,
                                     officer.id))

            # Persons: suspects, then victims and other parties.
            suspects = 1 + (rnd() < 0.3) + (rnd() < 0.1)
            people: list[tuple[PersonRole, bool, int]] = []
            for _ in range(suspects):
                people.append((PersonRole.SUSPECT, rnd() < 0.85, 16 + int(rnd() * 50)))
            if cause in _VICTIM_CAUSES:
                people.append((PersonRole.VICTIM, rnd() < 0.5, 8 + int(rnd() * 70)))
            if not criminal and rnd() < 0.15:
                people.append((PersonRole.PARTY, rnd() < 0.6, 18 + int(rnd() * 55)))
            suspect_names = []
            detained: list[tuple[str, datetime]] = []  # suspects held in criminal detention
            latest = case_created
            for role, male, age in people:
                person_id = uid(rng)
                birth = date(accepted.year - age, 1, 1) + timedelta(days=int(rnd() * 365))
                name = self._name(rnd, male)
                if role is PersonRole.SUSPECT:
                    suspect_names.append(name)
                persons.rows.append((
                    person_id, case_stamp, case_stamp, 1, None, case_id, role.value, name,
                    self._resident_id(rnd, birth, male), "male" if male else "female",
                    birth.isoformat(), self._mobile(rnd) if rnd() < 0.9 else "",
                    self._address(rnd),
                ))
                if role is not PersonRole.SUSPECT:
                    continue
                for kind_, started, ended, note in self._measures(rnd, criminal, accepted):
                    if kind_ is MeasureKind.CRIMINAL_DETENTION:
                        detained.append((person_id, started))  # its end comes with the decision
                        continue
                    stamp = self._utc(started + timedelta(seconds=1800))
                    changed = self._utc(ended) if ended is not None else stamp
                    measures.rows.append((
                        uid(rng), stamp, changed, 1 if ended is None else 2, None, person_id,
                        kind_.value, _stamp(started), _stamp(ended) if ended else None, note,
                    ))

            # Arrest requests to the procuratorate for the detained, and what followed.
            if detained:
                held_until, still_held = self._arrest_request(
                    rnd, case_id, detained, seed, lead, f"{suspect_names[0]}{cause}案", closed,
                    reviews, measures)
                latest = max(latest, held_until)
                if still_held:
                    closed = None  # no case closes while its suspects wait for the decision
            if criminal and closed is not None and rnd() < 0.2:
                # Transferred for prosecution and returned for supplementary investigation.
                sent = closed.date()
                decided = sent + timedelta(days=15 + int(rnd() * 15))
                stamp = self._utc(closed)
                returned = decided <= today
                reviews.rows.append((uid(rng), stamp, stamp, 1, None, case_id, sent.isoformat(),
                                     ProcuratorateDecision.RETURN_FOR_INVESTIGATION.value
                                     if returned else None,
                                     decided.isoformat() if returned else None))
                if returned and rnd() < 0.4:
                    self.findings.append(_Finding(
                        RectificationSource.PROCURATORATE,
                        datetime.combine(decided, datetime.min.time()) + timedelta(hours=10),
                        seed.unit_key, lead, "acceptance_registration", RiskLevel.MEDIUM,
                        f"{suspect_names[0]}{cause}案被检察院退回补充侦查，需补充证据。",
                        source_note=f"{COUNTY}人民检察院补充侦查提纲",
                    ))

            first = suspect_names[0]
            name = f"{first}等人{cause}案" if suspects > 1 else f"{first}{cause}案"
            if closed is not None:
                latest = max(latest, closed)
            cases.rows.append((
                case_id, case_stamp, self._utc(latest), 1 if latest == case_created else 2, None,
                case_no, name, kind.value, cause, self.unit_ids[seed.unit_key], lead,
                seed.incident_id, _stamp(accepted), _stamp(registered) if registered else None,
                _stamp(closed) if closed else None,
            ))

            # The audit form, for most cases a day or more old.
            opened = accepted + timedelta(seconds=86400 + int(rnd() * 4 * 86400))
            if opened > now or rnd() < 0.25:
                continue
            audit_id = uid(rng)
            form_numbers[opened.year] = form_numbers.get(opened.year, 0) + 1
            form_no = f"SH{opened.year}{form_numbers[opened.year]:05d}"
            outcome = outcomes[int(rnd() * len(outcomes))]
            is_major = criminal and (seed.context in (KC.GANG, KC.FRAUD) or cause == "抢劫") \
                and rnd() < 0.4
            victim = "被害人陈述、" if len(people) > suspects else ""
            facts = (f"经查，{accepted:%Y年%m月%d日}，{first}在{seed.place}涉嫌{cause}。"
                     f"{first}对上述事实供认不讳，有{victim}证人证言、现场视频等证据证实。")
            if criminal:
                proposed = ("拟提请批准逮捕。", "拟移送审查起诉。", f"拟对{first}取保候审。")[
                    int(rnd() * 3)]
            else:
                proposed = (f"拟对{first}处行政拘留{5 + int(rnd() * 10)}日。",
                            f"拟对{first}处罚款{(2 + int(rnd() * 8)) * 100}元。",
                            f"拟对{first}不予行政处罚。")[int(rnd() * 3)]
            plan = _plan_steps(outcome, rnd)
            reviewers = self._reviewers(rnd, seed.unit_key, lead, handling)
            step_at = opened + timedelta(seconds=3600 + int(rnd() * 86400))
            signed: list[tuple[int, int, Decision]] = []
            problems = ""
            for round_, level, decision in plan:
                if step_at > now:
                    break
                if decision is Decision.APPROVE:
                    opinion = _STEP_OPINIONS[level][int(rnd() * 2)]
                elif decision is Decision.RETURN:
                    opinion = _RETURN_REASONS[int(rnd() * len(_RETURN_REASONS))]
                    problems = opinion
                else:
                    opinion = _REJECT_REASONS[int(rnd() * len(_REJECT_REASONS))]
                    problems = opinion
                entered = step_at + timedelta(seconds=600 + int(rnd() * 7200))
                stamp = self._utc(entered)
                steps.rows.append((uid(rng), stamp, stamp, 1, None, audit_id, round_, level,
                                   decision.value, opinion, reviewers[level], operator,
                                   _stamp(step_at)))
                signed.append((round_, level, decision))
                latest = entered
                step_at += timedelta(seconds=7200 + int(rnd() * (3 * 86400 if decision is
                                                                Decision.RETURN else 86400)))
            submitted = self._utc(opened + timedelta(seconds=1800)) if signed else None
            if outcome == "draft" or not signed:
                submitted = None
                latest = opened
                points = points_draft[int(rnd() * len(points_draft))]
            else:
                points = points_full[int(rnd() * len(points_full))]
            open_stamp = self._utc(opened)
            audits.rows.append((audit_id, open_stamp, self._utc(latest),
                                1 + len({r for r, _, _ in signed}), None, case_id, form_no, facts,
                                proposed, points, problems, int(is_major), submitted))
            if signed and signed[-1] == (1, len(REVIEW_CHAIN), Decision.APPROVE):
                self.first_pass.append((audit_id, lead, latest.date()))
            if any(d is not Decision.APPROVE for _, _, d in signed) and rnd() < 0.4:
                code = ("acceptance_registration", "measure_misapplied", "downgraded",
                        "dragged_out")[int(rnd() * 4)]
                self.findings.append(_Finding(
                    RectificationSource.CASE_AUDIT, latest, seed.unit_key, lead, code,
                    RiskLevel.MEDIUM if rnd() < 0.7 else RiskLevel.HIGH,
                    f"案件审核发现：{name}（{case_no}）{problems.rstrip('。')}。",
                    {"audit_id": audit_id},
                ))
            if len(cases.rows) >= _BATCH:
                for sink in (cases, helpers, persons, measures, reviews, audits, steps):
                    sink.flush()
        for sink in (cases, helpers, persons, measures, reviews, audits, steps):
            sink.flush()

    def _measures(
        self, rnd: Callable[[], float], criminal: bool, accepted: datetime
    ) -> list[tuple[MeasureKind, datetime, datetime | None, str]]:
        """The coercive measures on one suspect, in order (the arrest or bail that follows
        a criminal detention comes from the procuratorate's decision)."""
        now = self.now
        result: list[tuple[MeasureKind, datetime, datetime | None, str]] = []

        def ends(start: datetime, seconds: float) -> datetime | None:
            end = start + timedelta(seconds=int(seconds))
            return end if end <= now else None

        start = accepted + timedelta(seconds=int(rnd() * 7200))
        if start > now:
            start = accepted
        draw = rnd()
        if criminal:
            if draw < 0.3 or draw >= 0.92:
                end = ends(start, 3600 * (6 + rnd() * 18))
                result.append((MeasureKind.SUMMONS, start, end, "传唤至执法办案中心询问"))
                if draw >= 0.92 or end is None:
                    return result
                start = end
            if draw < 0.7:
                # Held until the procuratorate decides: the arrest or bail closes it.
                result.append((MeasureKind.CRIMINAL_DETENTION, start, None,
                               f"羁押于{COUNTY}看守所"))
            elif draw < 0.85:
                end = ends(start, 86400 * (180 + rnd() * 185))
                result.append((MeasureKind.BAIL, start, end,
                               f"保证人：{self._name(rnd)}"))
            else:
                end = ends(start, 86400 * (60 + rnd() * 120))
                result.append((MeasureKind.RESIDENTIAL_SURVEILLANCE, start, end, "在住处执行"))
            return result
        end = ends(start, 3600 * (2 + rnd() * 22))
        if draw < 0.7:
            result.append((MeasureKind.SUMMONS, start, end, "口头传唤至派出所询问"))
        if draw >= 0.4 and end is not None:
            days = 5 + int(rnd() * 11)
            result.append((MeasureKind.ADMINISTRATIVE_DETENTION, end,
                           ends(end, 86400 * days), f"执行于{COUNTY}拘留所，期限{days}日"))
        if not result:
            result.append((MeasureKind.SUMMONS, start, end, "口头传唤至派出所询问"))
        return result

    def _arrest_request(
        self,
        rnd: Callable[[], float],
        case_id: str,
        detained: list[tuple[str, datetime]],
        seed: _CaseSeed,
        lead: str,
        case_name: str,
        closed: datetime | None,
        reviews: _Sink,
        measures: _Sink,
    ) -> tuple[datetime, bool]:
        """The criminal detentions of a case's suspects, the request for their arrest
        and what followed: arrest if approved, bail if declined. Returns the time of
        the last change, and whether the suspects are still held awaiting a decision."""
        rng = self._case_rng
        uid = self._uuid
        held_since = max(started for _, started in detained)
        limit = 30 if seed.context == KC.GANG else 7  # CPL Art. 91: 3 days, up to 30
        sent = (held_since + timedelta(days=3 + int(rnd() * (limit - 2)))).date()
        decided: date | None = None
        decision: ProcuratorateDecision | None = None
        if sent <= self.today:
            decided = sent + timedelta(days=3 + int(rnd() * 5))
            if decided > self.today:
                decided = None
            else:
                decision = (ProcuratorateDecision.APPROVE_ARREST if rnd() < 0.75
                            else ProcuratorateDecision.DECLINE_ARREST)
            stamp = self._utc(datetime.combine(sent, datetime.min.time()) + timedelta(hours=9))
            reviews.rows.append((uid(rng), stamp, stamp, 1, None, case_id, sent.isoformat(),
                                 decision.value if decision else None,
                                 decided.isoformat() if decided else None))
        latest = held_since
        moment = None
        if decided is not None:
            moment = min(self.now, datetime.combine(decided, datetime.min.time())
                         + timedelta(hours=16))
            latest = moment
            if decision is ProcuratorateDecision.DECLINE_ARREST and rnd() < 0.3:
                self.findings.append(_Finding(
                    RectificationSource.PROCURATORATE, moment, seed.unit_key, lead,
                    "measure_misapplied", RiskLevel.MEDIUM,
                    f"{case_name}提请批准逮捕，检察院不予批准，需核查强制措施适用是否恰当。",
                    source_note=f"{COUNTY}人民检察院不批准逮捕理由说明书",
                ))
        for person_id, started in detained:
            stamp = self._utc(started + timedelta(seconds=1800))
            measures.rows.append((
                uid(rng), stamp, self._utc(moment) if moment else stamp, 2 if moment else 1,
                None, person_id, MeasureKind.CRIMINAL_DETENTION.value, _stamp(started),
                _stamp(moment) if moment else None, f"羁押于{COUNTY}看守所",
            ))
            if moment is None:
                continue
            # Those held are arrested (approved) or released on bail (declined).
            if decision is ProcuratorateDecision.APPROVE_ARREST:
                follow, note = MeasureKind.ARREST, f"羁押于{COUNTY}看守所"
                end = closed if closed is not None and closed > moment else None
            else:
                follow, note = MeasureKind.BAIL, f"交纳保证金{(2 + int(rnd() * 9)) * 1000}元"
                end = None
            stamp = self._utc(moment)
            measures.rows.append((
                uid(rng), stamp, self._utc(end) if end else stamp, 2 if end else 1, None,
                person_id, follow.value, _stamp(moment), _stamp(end) if end else None, note,
            ))
        return latest, moment is None

    def _reviewers(
        self, rnd: Callable[[], float], unit_key: str, lead: str, handling: set[str]
    ) -> dict[int, str]:
        """Who signs each level of a form: level 1 is the lead officer presenting the case
        (呈请审核); no one above it handles the case (services/audits.py's rule)."""
        supervisors = self.by_role[Role.SUPERVISOR]
        legal = self.by_role[Role.LEGAL_OFFICER]
        leaders = self.by_role[Role.BUREAU_LEADER]
        chosen = {
            1: lead,
            2: self.unit_leaders[unit_key],
            3: supervisors[0 if rnd() < 0.8 else 1].id,
            4: legal[int(rnd() * len(legal))].id,
            5: leaders[int(rnd() * len(leaders))].id,
        }
        assert len(chosen) == len(REVIEW_CHAIN)
        assert not handling & {chosen[level] for level in range(2, len(REVIEW_CHAIN) + 1)}
        return chosen

    # -- rectifications --

    def _rectifications(self) -> list[tuple[str, str | None, str, date, RectificationState]]:
        rng = self._rng("rectifications")
        rnd = rng.random
        uid = self._uuid
        today = self.today
        span = (self.now - self.start).total_seconds()
        units = ("station", "xingzhen", "zhian", "jiaojing", "dongguan", "beiyuan")

        def anywhere(source: RectificationSource, count: int) -> None:
            for _ in range(count):
                at = self.start + timedelta(seconds=int(rnd() * span))
                unit_key = units[int(rnd() * len(units))]
                pool = self.case_officers[unit_key]
                officer = pool[int(rnd() * len(pool))].id if rnd() < 0.8 else None
                codes = _SOURCE_PROBLEMS[source]
                code = codes[int(rnd() * len(codes))]
                label = dict(NEGATIVE_LIST)[code].zh
                description, note, authority = _source_text(source, rnd, label, at)
                self.findings.append(_Finding(
                    source, at, unit_key, officer, code,
                    RiskLevel.HIGH if source is RectificationSource.BUREAU or rnd() < 0.2
                    else (RiskLevel.MEDIUM if rnd() < 0.6 else RiskLevel.LOW),
                    description, source_note=note, authority=authority,
                ))

        n = self.incidents
        anywhere(RectificationSource.INSPECTION, max(4, n // 500))
        anywhere(RectificationSource.MANUAL, max(4, n // 2000))
        anywhere(RectificationSource.BUREAU, max(4, n // 4000))
        # Every state of every source wants a few items, however few cases there are.
        found = sum(1 for f in self.findings if f.source is RectificationSource.PROCURATORATE)
        anywhere(RectificationSource.PROCURATORATE, max(0, len(RectificationState) - found))
        self.findings.sort(key=lambda f: f.at)

        items = self._sink(Rectification, (
            *_SYNCED, "number", "source", "incident_id", "follow_up_id", "audit_id",
            "watch_review_id", "source_note", "problem_type_id", "description", "risk_level",
            "responsible_unit_id", "responsible_officer_id", "due_date", "measures", "state",
            "verification_note", "no_evidence_reason", "signed_off_at", "signed_off_by_id",
            "bureau_supervised", "assigning_authority", "escalation_level"))
        events = self._sink(RectificationEvent, (
            *_SYNCED, "rectification_id", "kind", "from_state", "to_state", "occurred_on", "note",
            "actor_id"))
        supervisor = self.by_role[Role.SUPERVISOR][0].id
        calendar = WorkingCalendar([])  # the demo has no holiday arrangements
        numbers: dict[int, int] = {}
        seen: dict[RectificationSource, int] = {}
        per_source = Counter(f.source for f in self.findings)
        states = tuple(RectificationState)
        result = []
        S = RectificationState
        for finding in self.findings:
            item_id = uid(rng)
            created = finding.at.date()
            numbers[created.year] = numbers.get(created.year, 0) + 1
            number = rectification_number(created.year, numbers[created.year])
            if finding.working_days:
                due = add_working_days(calendar, created, finding.working_days)
            else:
                due = created + timedelta(
                    days={RiskLevel.HIGH: 7, RiskLevel.MEDIUM: 15, RiskLevel.LOW: 30}[finding.risk]
                )
            allowed = (due - created).days
            # The newest items of each source cover every state (the newest is pending);
            # the others' state follows their age.
            index = seen[finding.source] = seen.get(finding.source, -1) + 1
            newer = per_source[finding.source] - 1 - index
            age = (today - created).days
            if newer < len(states):
                state = states[newer]
            else:
                draw = rnd()
                # Most old items are closed; what is open is mostly recent.
                weights = (0.98, 0.985, 0.995) if age >= 45 else (
                    (0.85, 0.9, 0.96) if age >= 15 else (0.15, 0.3, 0.65))
                state = (S.SIGNED_OFF if draw < weights[0] else S.AWAITING_VERIFICATION
                         if draw < weights[1] else S.IN_PROGRESS if draw < weights[2]
                         else S.PENDING)
            officer = finding.officer_id
            actor = officer or supervisor
            history: list[tuple[str, str | None, str | None, date, str, str | None]] = [
                ("created", None, S.PENDING.value, created, finding.source.label.zh, supervisor)
            ]
            day = created

            def later(low: int, high: int) -> date:
                nonlocal day
                high = max(low, high)
                day = min(today, day + timedelta(days=low + int(rnd() * (high - low + 1))))
                return day

            measures_text = ""
            verification = ""
            reason = ""
            signed_at = None
            signed_by = None
            if state is not S.PENDING:
                later(0, 2)
                history.append((TransitionKind.START.value, S.PENDING.value, S.IN_PROGRESS.value,
                                day, "", actor))
                measures_text = _MEASURES[int(rnd() * len(_MEASURES))]
                for _ in range(int(rnd() * 3)):
                    history.append(("progress", None, None, later(0, 2),
                                    _PROGRESS[int(rnd() * len(_PROGRESS))], actor))
                if state is not S.IN_PROGRESS or rnd() < 0.15:
                    rounds = 2 if rnd() < 0.12 else 1
                    for round_ in range(rounds):
                        # Most items are fixed by their due date; some run late.
                        if rnd() < 0.85:
                            later(0, (due - day).days - 1)
                        else:
                            later(1, allowed)
                        history.append((TransitionKind.SUBMIT.value, S.IN_PROGRESS.value,
                                        S.AWAITING_VERIFICATION.value, day,
                                        "整改已完成，提请核验。", actor))
                        if round_ < rounds - 1 or state is S.IN_PROGRESS:
                            history.append((TransitionKind.SEND_BACK.value,
                                            S.AWAITING_VERIFICATION.value, S.IN_PROGRESS.value,
                                            later(0, 2), "整改材料不完整，退回继续整改。",
                                            supervisor))
                    if state is S.SIGNED_OFF:
                        later(0, 2)
                        verification = _VERIFICATIONS[int(rnd() * len(_VERIFICATIONS))]
                        reason = _NO_EVIDENCE[int(rnd() * len(_NO_EVIDENCE))]
                        history.append((TransitionKind.SIGN_OFF.value,
                                        S.AWAITING_VERIFICATION.value, S.SIGNED_OFF.value, day,
                                        verification, supervisor))
                        signed_at = self._utc(datetime.combine(day, datetime.min.time())
                                              + timedelta(hours=16, minutes=int(rnd() * 90)))
                        signed_by = supervisor
            # Escalation follows the days past the due date (up to sign-off, if signed).
            late_until = day if state is S.SIGNED_OFF else today
            level = int(escalation_for(max(0, (late_until - due).days), ESCALATION_DAYS))
            for step in range(1, level + 1):
                overdue = step * ESCALATION_DAYS
                history.append(("escalate", None, None, due + timedelta(days=overdue),
                                f"超期{overdue}天，升级至{EscalationLevel(step).label.zh}",
                                supervisor))
            history.sort(key=lambda event: event[3])  # stable: same-day events keep their order
            event_rows = []
            for kind, from_state, to_state, on, note, by in history:
                stamp = self._utc(datetime.combine(on, datetime.min.time()) + timedelta(hours=15))
                event_rows.append((uid(rng), stamp, stamp, 1, None, item_id, kind, from_state,
                                   to_state, on.isoformat(), note, by))
            events.rows.extend(event_rows)
            bureau = finding.source is RectificationSource.BUREAU
            links = finding.links
            problem = self.problem_ids[finding.problem] if finding.problem else None
            created_stamp = self._utc(finding.at + timedelta(seconds=600))
            transitions = sum(1 for h in history[1:] if h[0] != "progress")  # each a version
            items.rows.append((
                item_id, created_stamp, event_rows[-1][1] if len(event_rows) > 1
                else created_stamp, 1 + transitions, None, number, finding.source.value,
                links.get("incident_id"), links.get("follow_up_id"), links.get("audit_id"),
                links.get("watch_review_id"), finding.source_note, problem, finding.description,
                finding.risk.value, self.unit_ids[finding.unit_key], officer, due.isoformat(),
                measures_text, state.value, verification, reason, signed_at, signed_by,
                int(bureau), finding.authority, level,
            ))
            result.append((item_id, officer, finding.unit_key, created, state))
        items.flush()
        events.flush()
        return result

    # -- points --

    def _scores(self, items: list[tuple[str, str | None, str, date, RectificationState]]) -> None:
        rng = self._rng("scores")
        rnd = rng.random
        uid = self._uuid
        today = self.today
        sink = self._sink(ScoreEntry, (
            *_SYNCED, "officer_id", "unit_id", "kind", "points", "rule_code", "reason",
            "occurred_on", "state", "source_entity", "source_id", "objection", "objection_at",
            "objection_upheld", "objection_decision", "confirmed_on"))
        earned: dict[tuple[str, date], int] = {}
        deducted: dict[tuple[str, date], int] = {}

        def month(day: date) -> date:
            return day.replace(day=1)

        def add(officer: str | None, unit: str | None, kind: ScoreKind, points: int, rule: str,
                reason: str, on: date, entity: str | None = None, source: str | None = None,
                objection: bool = True) -> None:
            stamp = self._utc(datetime.combine(on, datetime.min.time()) + timedelta(hours=17))
            state = ScoreState.SUGGESTED if (today - on).days < 7 else ScoreState.CONFIRMED
            row: list[Any] = [uid(rng), stamp, stamp, 1, None, officer, unit, kind.value, points,
                              rule, reason, on.isoformat(), state.value, entity, source, "", None,
                              None, "",
                              # confirmed the day it occurred; a suggestion is not yet
                              None if state is ScoreState.SUGGESTED else on.isoformat()]
            if objection and state is ScoreState.CONFIRMED and rnd() < 0.1:
                # An objection lodged within three days; upheld ones dismiss the entry.
                at = self._utc(datetime.combine(on + timedelta(days=1 + int(rnd() * 3)),
                                                datetime.min.time()) + timedelta(hours=10))
                upheld = rnd() < 0.5
                row[2], row[3] = at, 2
                row[12] = (ScoreState.DISMISSED if upheld else ScoreState.CONFIRMED).value
                row[15] = "该问题系客观原因造成，申请复核。"
                row[16], row[17] = at, int(upheld)
                row[18] = ("经复核，异议成立，撤销该项积分。" if upheld
                           else "经复核，异议不成立，维持原积分。")
            sink.rows.append(tuple(row))

        for item_id, responsible, _unit_key, created, _state in items:
            if responsible is None:
                continue
            points = 1 + int(rnd() * 5)
            add(responsible, None, ScoreKind.DEDUCTED, points, "rectification_fault",
                "被列入整改台账的执法问题", created, "rectification", item_id)
            key = (responsible, month(created))
            deducted[key] = deducted.get(key, 0) + points
        for audit_id, lead, on in self.first_pass:
            on = min(on, today)
            add(lead, None, ScoreKind.EARNED, 2, "audit_first_pass", "案件审核一次通过", on,
                "case_audit", audit_id)
            key = (lead, month(on))
            earned[key] = earned.get(key, 0) + 2
        # Monthly: standards met by each active case officer, units ranked, offsets made.
        first = month(self.first_day)
        officers = [o for pool in self.case_officers.values() for o in pool]
        while first <= today:
            last = min(today, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1))
            for officer in officers:
                if rnd() < 0.7:
                    add(officer.id, None, ScoreKind.EARNED, 5, "monthly_standard",
                        f"{first:%Y年%m月}执法质量考评达标", last)
                    earned[(officer.id, first)] = earned.get((officer.id, first), 0) + 5
            ranked = rng.sample(sorted(self.case_officers), 2)
            add(None, self.unit_ids[ranked[0]], ScoreKind.EARNED, 10, "unit_ranking",
                f"{first:%Y年%m月}执法质量考评排名靠前", last, objection=False)
            add(None, self.unit_ids[ranked[1]], ScoreKind.DEDUCTED, 5, "unit_ranking",
                f"{first:%Y年%m月}执法质量考评排名靠后", last)
            for officer in officers:
                key = (officer.id, first)
                offset = min(earned.get(key, 0), deducted.get(key, 0))
                if offset:
                    add(officer.id, None, ScoreKind.OFFSET, offset, "offset",
                        "以达标得分消抵过错扣分", last, objection=False)
            first = last + timedelta(days=1)
        sink.flush()

    # -- the text search --

    def _search_index(self) -> None:
        """Index every incident for the text search (store/search.py), in rowid order.

        store.search.sync_search_index takes the incidents its trigger marked in
        batches, in the order of their ids, which are random; each batch is indexed
        in rowid order, but FTS5 still writes out its terms between batches. Here
        every incident is new and the index was emptied before they came
        (_incidents), so they are all indexed in one pass in rowid order (37 s of
        CPU at 200,000 incidents before, 12 s now)."""
        cursor = self.cursor
        # Anything still marked refers to no incident (there were none) or to one
        # indexed below.
        cursor.execute(f"DELETE FROM {search.PENDING_TABLE}")
        reader = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            reader.execute(
                f"SELECT rowid, id, {', '.join(search.SEARCH_FIELDS)} FROM incident ORDER BY rowid"
            )
            done = 0
            while rows := reader.fetchmany(_CHUNK):
                docs = [(rowid, incident_id, search.document_text(values))
                        for rowid, incident_id, *values in rows]
                search.index_documents(cursor.executemany, docs)
                done += len(rows)
                self._progress(800 + 180 * done // max(1, self.incidents),
                               f"检索索引 / search index {done:,}/{self.incidents:,}")
        finally:
            reader.close()

    # -- the summary --

    def _finish(self, station_id: str) -> dict[str, int]:
        counts = {name: sink.count for name, sink in sorted(self.sinks.items())}
        counts["problem_type"] = len(self.problem_ids)
        counts = dict(sorted(counts.items()))
        changes: dict[str, list[Any]] = {
            "seed": [None, self.seed], "days": [None, self.days],
            "until": [None, self.now.isoformat(" ")],
            **{name: [None, count] for name, count in counts.items()},
        }
        self.connection.execute(
            insert(AuditEntry),
            {"at": datetime.now(UTC), "actor_id": None, "actor_name": "system",
             "action": "insert", "entity": "demo", "entity_id": station_id,
             "changes": changes},
        )
        return counts


_REGION_TABLE = _expand(_REGIONS)

_SOURCE_PROBLEMS: dict[RectificationSource, tuple[str, ...]] = {
    RectificationSource.INSPECTION: ("dragged_out", "detention_overdue", "measure_misapplied",
                                     "shelved", "acceptance_registration"),
    RectificationSource.MANUAL: tuple(code for code, _ in NEGATIVE_LIST),
    RectificationSource.BUREAU: ("not_registered", "shelved", "profit_driven",
                                 "withdrawn_irregularly"),
    RectificationSource.PROCURATORATE: ("measure_misapplied", "not_registered",
                                        "detention_overdue"),
}
_MEASURES = (
    "组织办案民警重新学习相关法律规定，逐案核查补正。",
    "责任单位召开专题会议剖析原因，完善内部审核流程。",
    "补充调查取证，完善案件材料，依法作出处理。",
    "对责任民警进行约谈提醒，限期整改到位。",
)
_PROGRESS = ("已完成补充询问笔录。", "已调取相关视频监控。", "已召开整改专题会议。",
             "已提交补充材料，待领导审批。")
_VERIFICATIONS = (
    "经核查，整改措施已落实，予以销号。",
    "已实地核验整改情况，问题已纠正，同意销号。",
    "经复查案卷，材料已补正齐全，同意销号。",
)
_NO_EVIDENCE = ("整改为约谈提醒，无书面材料。", "整改情况已在执法办案系统中核验，无需另附材料。",
                "已现场核验，整改结果可在案卷中查阅。")


def _source_text(
    source: RectificationSource, rnd: Callable[[], float], label: str, at: datetime
) -> tuple[str, str, str]:
    """Description, source note and assigning authority of an item not raised by a record."""
    if source is RectificationSource.INSPECTION:
        return (f"执法巡查发现{label}问题，请责任单位限期整改。",
                f"《日常执法质量巡查通报》{at:%Y年%m月}", "")
    if source is RectificationSource.BUREAU:
        authority = (f"{BUREAU}法制大队", f"{BUREAU}督察大队",
                     f"{BUREAU}执法监督管理委员会")[int(rnd() * 3)]
        return (f"县局挂牌督办：{label}问题突出，限期整改并报告结果。",
                f"督办通知〔{at:%Y}〕{1 + int(rnd() * 60)}号", authority)
    if source is RectificationSource.PROCURATORATE:
        return (f"检察建议指出{label}问题，请依法纠正并书面回复。",
                f"{COUNTY}人民检察院检察建议书〔{at:%Y}〕{1 + int(rnd() * 40)}号", "")
    return (f"周审会发现{label}问题，需整改。", "周审会记录", "")


def _json(value: Any) -> str:
    """JSON as the ORM reads it back; compact and unescaped, as the rows are many."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _follow_up_checks(rng: random.Random) -> dict[Satisfaction, tuple[str, ...]]:
    """The JSON of a follow-up's seven checked items, a few variants per satisfaction."""

    def encode(unchecked: Sequence[str], suggestion: str) -> str:
        checks = {}
        for code, note in FOLLOW_UP_CHECKS:
            if code == "suggestions":
                checks[code] = {"checked": bool(suggestion), "note": suggestion}
            elif code in unchecked:
                checks[code] = {"checked": False, "note": note}
            else:
                checks[code] = {"checked": True, "note": ""}
        return _json(checks)

    faults = [code for code, _ in FOLLOW_UP_CHECKS[:-1]]
    suggestions = ("", *_SUGGESTIONS)
    satisfied = tuple(encode((), s) for s in suggestions)
    basically = tuple(encode((code,), s) for code in faults for s in suggestions[:2])
    dissatisfied = tuple(
        encode(rng.sample(faults, 2 + int(rng.random() * 2)), rng.choice(suggestions))
        for _ in range(16)
    )
    unreachable = (_json({code: {"checked": False, "note": ""} for code, _ in FOLLOW_UP_CHECKS}),)
    return {
        Satisfaction.SATISFIED: satisfied,
        Satisfaction.BASICALLY_SATISFIED: basically,
        Satisfaction.DISSATISFIED: dissatisfied,
        Satisfaction.UNREACHABLE: unreachable,
    }


def _review_points(rng: random.Random) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The JSON of an audit form's review points: submitted forms, then drafts."""
    notes = {"evidence": "证据已核对", "law": "适用法律已核对", "documents": "文书齐全"}

    def encode(checked: int, with_notes: bool) -> str:
        return _json({
            point.code: {"checked": index < checked,
                         "note": notes.get(point.code, "") if with_notes and index < checked
                         else ""}
            for index, point in enumerate(REVIEW_POINTS)
        })

    required = sum(1 for p in REVIEW_POINTS if p.required)
    full = tuple(encode(count, notes_) for count in range(required, len(REVIEW_POINTS) + 1)
                 for notes_ in (False, True))
    draft = tuple(encode(int(rng.random() * required), False) for _ in range(4))
    return full, draft


def _plan_steps(outcome: str, rnd: Callable[[], float]) -> list[tuple[int, int, Decision]]:
    """The (round, level, decision) steps a form will get, in order. Level 1 (the case
    officer presenting the case) only ever approves."""
    A, R, X = Decision.APPROVE, Decision.RETURN, Decision.REJECT
    levels = len(REVIEW_CHAIN)

    def returned_at() -> int:
        return 2 + int(rnd() * (levels - 1))

    if outcome == "draft":
        return []
    if outcome == "approved":
        return [(1, level, A) for level in range(1, levels + 1)]
    if outcome == "in_review":
        return [(1, level, A) for level in range(1, 2 + int(rnd() * (levels - 1)))]
    if outcome == "rejected":
        at = returned_at()
        return [(1, level, A) for level in range(1, at)] + [(1, at, X)]
    plan: list[tuple[int, int, Decision]] = []
    rounds = 2 if outcome == "returned_twice" else 1
    for round_ in range(1, rounds + 1):
        at = returned_at()
        plan += [(round_, level, A) for level in range(1, at)] + [(round_, at, R)]
    if outcome in ("returned_approved", "returned_twice"):
        plan += [(rounds + 1, level, A) for level in range(1, levels + 1)]
    return plan
