"""A roster, a case with two suspects and a complete audit form, shared by the case,
audit and PDF tests (and the bench)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lawsup_desktop.domain.audit_form import REVIEW_POINTS, PointCheck
from lawsup_desktop.domain.vocabulary import CaseKind, Decision, MeasureKind, PersonRole, Role
from lawsup_desktop.services.audits import AuditFormInput, AuditService, StepInput
from lawsup_desktop.services.cases import (
    CaseDetail,
    CaseInput,
    CaseService,
    MeasureInput,
    PersonInput,
)
from lawsup_desktop.services.station import WorkstationInfo
from lawsup_desktop.store.audit import SYSTEM
from lawsup_desktop.store.database import Database
from lawsup_desktop.store.models import Officer, Unit

# Valid resident ID numbers (check characters per GB 11643, computed with
# domain.validation.resident_id_check_character): a man born 1985-03-12 and a woman born 1992-07-08.
ID_MALE = "620102198503120013"
ID_FEMALE = "620102199207080023"


@dataclass(frozen=True)
class Roster:
    unit_id: str
    other_unit_id: str
    lead: str  # 主办民警
    assisting: str  # 协办民警
    other_officer: str  # a case officer not on the case
    leader: str  # 所队分管领导
    supervisor: str  # 法制监督员 (the operator)
    legal_officer: str  # 法制民警
    bureau_leader: str  # 局领导
    second_supervisor: str

    def reviewer(self, level: int) -> str:
        return {
            1: self.lead,
            2: self.leader,
            3: self.supervisor,
            4: self.legal_officer,
            5: self.bureau_leader,
        }[level]


def make_roster(db: Database, workstation: WorkstationInfo) -> Roster:
    with db.write(SYSTEM) as session:
        other = Unit(station_id=workstation.station_id, name="刑侦中队")
        session.add(other)
        session.flush()

        def officer(name: str, role: Role, unit_id: str = workstation.unit_id) -> str:
            row = Officer(unit_id=unit_id, name=name, role=role, badge_no="", active=True)
            session.add(row)
            session.flush()
            return row.id

        roster = Roster(
            unit_id=workstation.unit_id,
            other_unit_id=other.id,
            lead=officer("王主办", Role.CASE_OFFICER),
            assisting=officer("李协办", Role.CASE_OFFICER),
            other_officer=officer("赵民警", Role.CASE_OFFICER, other.id),
            leader=officer("陈所长", Role.STATION_LEADER),
            supervisor=workstation.operator_id,
            legal_officer=officer("周法制", Role.LEGAL_OFFICER),
            bureau_leader=officer("吴局长", Role.BUREAU_LEADER),
            second_supervisor=officer("郑监督", Role.SUPERVISOR),
        )
    return roster


def case_input(roster: Roster, case_no: str = "A6201022026110001", **changes: object) -> CaseInput:
    values: dict[str, object] = {
        "case_no": case_no,
        "name": "马某某、刘某某寻衅滋事案",
        "kind": CaseKind.CRIMINAL,
        "cause": "寻衅滋事",
        "unit_id": roster.unit_id,
        "lead_officer_id": roster.lead,
        "assisting_officer_ids": (roster.assisting,),
        "accepted_at": datetime(2026, 11, 2, 9, 30),
        "registered_at": datetime(2026, 11, 3, 16, 0),
    }
    values.update(changes)
    return CaseInput(**values)  # type: ignore[arg-type]


def two_suspects() -> list[PersonInput]:
    return [
        PersonInput(
            PersonRole.SUSPECT,
            "马某某",
            ID_MALE,
            phone="13812345678",
            measures=(
                MeasureInput(MeasureKind.CRIMINAL_DETENTION, datetime(2026, 11, 3, 18, 0)),
            ),
        ),
        PersonInput(
            PersonRole.SUSPECT,
            "刘某某",
            ID_FEMALE,
            measures=(MeasureInput(MeasureKind.BAIL, datetime(2026, 11, 4, 10, 0), note="保证金"),),
        ),
    ]


def complete_content(**changes: object) -> AuditFormInput:
    values: dict[str, object] = {
        "facts": "2026年11月1日22时许，马某某、刘某某在城关镇某烧烤店内酒后滋事，"
        "随意殴打他人，致一人轻微伤。现场温度约5℃，报警人编号№0012。",
        "proposed_handling": "拟对马某某提请批准逮捕；对刘某某取保候审。",
        "points": {
            p.code: PointCheck(True, f"{p.label.zh}：经审查无异议①") for p in REVIEW_POINTS
        },
        "problems_found": "询问笔录缺少询问人签名一处。",
        "is_major": False,
    }
    values.update(changes)
    return AuditFormInput(**values)  # type: ignore[arg-type]


def register_case(
    db: Database, workstation: WorkstationInfo, roster: Roster, case_no: str = "A6201022026110001"
) -> CaseDetail:
    return CaseService(db, workstation).create_case(case_input(roster, case_no), two_suspects())


def step(roster: Roster, level: int, decision: Decision = Decision.APPROVE,
         opinion: str | None = None) -> StepInput:
    return StepInput(
        level=level,
        decision=decision,
        opinion=opinion or f"第{level}级意见：{decision.label.zh}。",
        reviewer_id=roster.reviewer(level),
        reviewed_at=datetime(2026, 11, 5, 8 + level, 15),
    )


def walk_with_one_return(
    audits: AuditService, audit_id: str, roster: Roster, *, return_level: int = 3
) -> None:
    """Submit, approve up to ``return_level``, return there, then approve all five."""
    form = audits.get(audit_id)
    audits.submit(audit_id, form.version)
    for level in range(1, return_level):
        audits.record_step(audit_id, step(roster, level, opinion=f"第一轮第{level}级同意"))
    audits.record_step(
        audit_id,
        step(roster, return_level, Decision.RETURN, "第一轮退回：证据不足，请补充监控录像。"),
    )
    for level in range(1, 6):
        audits.record_step(audit_id, step(roster, level, opinion=f"第二轮第{level}级同意"))
