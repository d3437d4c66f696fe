"""The closed vocabularies of the domain (DOMAIN.md's glossary), with their labels.

Stored values are the English code names; the labels are what the user sees.
Open lists that the bureau extends (the negative list of problem types, the
holiday calendar, deadline rules) are reference data in the store instead.
"""

from __future__ import annotations

from enum import StrEnum

from lawsup_desktop.domain.errors import Text


class Labelled(StrEnum):
    """A StrEnum whose members carry a user-facing label."""

    @property
    def label(self) -> Text:
        return _LABELS[type(self), self.value]


class Role(Labelled):
    """Roles of people on the roster; the review chain uses the first five in order."""

    CASE_OFFICER = "case_officer"
    STATION_LEADER = "station_leader"
    SUPERVISOR = "supervisor"
    LEGAL_OFFICER = "legal_officer"
    BUREAU_LEADER = "bureau_leader"


class KeyCategory(Labelled):
    VICE = "vice"
    GAMBLING = "gambling"
    GANG = "gang"
    FRAUD = "fraud"


class IncidentCategory(Labelled):
    CRIMINAL = "criminal"
    PUBLIC_ORDER = "public_order"
    DISPUTE = "dispute"
    TRAFFIC = "traffic"
    ASSISTANCE = "assistance"
    FIRE = "fire"
    OTHER = "other"


class Disposition(Labelled):
    CRIMINAL_CASE = "criminal_case"
    ADMINISTRATIVE_CASE = "administrative_case"
    MEDIATION = "mediation"
    ON_THE_SPOT_PENALTY = "on_the_spot_penalty"
    NOT_ACCEPTED = "not_accepted"
    TRANSFERRED = "transferred"
    OTHER = "other"


class WatchState(Labelled):
    PENDING = "pending"
    NO_PROBLEM = "no_problem"
    PROBLEM_FOUND = "problem_found"


class FollowUpState(Labelled):
    """The latest outcome of an incident's follow-ups; "due" and "overdue" are derived."""

    NONE = "none"
    DONE = "done"
    DISSATISFIED = "dissatisfied"
    UNREACHABLE = "unreachable"


class FollowUpMethod(Labelled):
    ON_SITE = "on_site"
    PHONE = "phone"
    HOME_VISIT = "home_visit"


class Satisfaction(Labelled):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    UNREACHABLE = "unreachable"


class PartyRole(Labelled):
    CALLER = "caller"
    VICTIM = "victim"
    OTHER_PARTY = "other_party"


class CaseKind(Labelled):
    CRIMINAL = "criminal"
    ADMINISTRATIVE = "administrative"


class PersonRole(Labelled):
    SUSPECT = "suspect"
    PARTY = "party"
    VICTIM = "victim"


class Gender(Labelled):
    MALE = "male"
    FEMALE = "female"


class MeasureKind(Labelled):
    CRIMINAL_DETENTION = "criminal_detention"
    ARREST = "arrest"
    BAIL = "bail"
    RESIDENTIAL_SURVEILLANCE = "residential_surveillance"
    ADMINISTRATIVE_DETENTION = "administrative_detention"
    SUMMONS = "summons"


class Decision(Labelled):
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"


class ProcuratorateDecision(Labelled):
    APPROVE_ARREST = "approve_arrest"
    DECLINE_ARREST = "decline_arrest"
    RETURN_FOR_INVESTIGATION = "return_for_investigation"


class RiskLevel(Labelled):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class RectificationState(Labelled):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    AWAITING_VERIFICATION = "awaiting_verification"
    SIGNED_OFF = "signed_off"


class RectificationSource(Labelled):
    DAILY_WATCH = "daily_watch"
    FOLLOW_UP = "follow_up"
    CASE_AUDIT = "case_audit"
    INSPECTION = "inspection"
    PROCURATORATE = "procuratorate"
    BUREAU = "bureau"
    MANUAL = "manual"


class ScoreKind(Labelled):
    EARNED = "earned"
    DEDUCTED = "deducted"
    OFFSET = "offset"


class ScoreState(Labelled):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


# Pairs, not a dict literal: members of different enums with the same value
# (WatchState.PENDING, RectificationState.PENDING) are equal strings and would
# collapse into one key.
_LABEL_PAIRS: tuple[tuple[Labelled, Text], ...] = (
    (Role.CASE_OFFICER, Text("办案民警", "Case officer")),
    (Role.STATION_LEADER, Text("所队分管领导", "Station/team leader")),
    (Role.SUPERVISOR, Text("法制监督员", "Legal supervisor")),
    (Role.LEGAL_OFFICER, Text("法制民警", "Bureau legal officer")),
    (Role.BUREAU_LEADER, Text("局领导", "Bureau leader")),
    (KeyCategory.VICE, Text("涉黄", "Vice")),
    (KeyCategory.GAMBLING, Text("涉赌", "Gambling")),
    (KeyCategory.GANG, Text("涉黑恶", "Gang / organised crime")),
    (KeyCategory.FRAUD, Text("涉诈骗", "Fraud")),
    (IncidentCategory.CRIMINAL, Text("刑事", "Criminal")),
    (IncidentCategory.PUBLIC_ORDER, Text("治安", "Public order")),
    (IncidentCategory.DISPUTE, Text("纠纷", "Dispute")),
    (IncidentCategory.TRAFFIC, Text("交通", "Traffic")),
    (IncidentCategory.ASSISTANCE, Text("求助", "Request for help")),
    (IncidentCategory.FIRE, Text("火灾", "Fire")),
    (IncidentCategory.OTHER, Text("其他", "Other")),
    (Disposition.CRIMINAL_CASE, Text("刑事立案", "Criminal case registered")),
    (Disposition.ADMINISTRATIVE_CASE, Text("行政受案", "Administrative case accepted")),
    (Disposition.MEDIATION, Text("调解", "Mediation")),
    (Disposition.ON_THE_SPOT_PENALTY, Text("当场处罚", "On-the-spot penalty")),
    (Disposition.NOT_ACCEPTED, Text("不予受理/不予立案", "Not accepted / not registered")),
    (Disposition.TRANSFERRED, Text("移交", "Transferred")),
    (Disposition.OTHER, Text("其他", "Other")),
    (WatchState.PENDING, Text("待盯", "To watch")),
    (WatchState.NO_PROBLEM, Text("已盯无问题", "Watched, no problem")),
    (WatchState.PROBLEM_FOUND, Text("发现问题", "Problem found")),
    (FollowUpState.NONE, Text("未回访", "Not followed up")),
    (FollowUpState.DONE, Text("已回访", "Followed up")),
    (FollowUpState.DISSATISFIED, Text("不满意", "Dissatisfied")),
    (FollowUpState.UNREACHABLE, Text("未联系上", "Unreachable")),
    (FollowUpMethod.ON_SITE, Text("当场面访", "On-site visit")),
    (FollowUpMethod.PHONE, Text("电话回访", "Phone call")),
    (FollowUpMethod.HOME_VISIT, Text("上门走访", "Home visit")),
    (Satisfaction.SATISFIED, Text("满意", "Satisfied")),
    (Satisfaction.BASICALLY_SATISFIED, Text("基本满意", "Basically satisfied")),
    (Satisfaction.DISSATISFIED, Text("不满意", "Dissatisfied")),
    (Satisfaction.UNREACHABLE, Text("未联系上", "Unreachable")),
    (PartyRole.CALLER, Text("报警人", "Caller")),
    (PartyRole.VICTIM, Text("被害人", "Victim")),
    (PartyRole.OTHER_PARTY, Text("其他当事人", "Other party")),
    (CaseKind.CRIMINAL, Text("刑事", "Criminal")),
    (CaseKind.ADMINISTRATIVE, Text("行政", "Administrative")),
    (PersonRole.SUSPECT, Text("犯罪嫌疑人/违法嫌疑人", "Suspect")),
    (PersonRole.PARTY, Text("当事人", "Party")),
    (PersonRole.VICTIM, Text("被害人", "Victim")),
    (Gender.MALE, Text("男", "Male")),
    (Gender.FEMALE, Text("女", "Female")),
    (MeasureKind.CRIMINAL_DETENTION, Text("刑事拘留", "Criminal detention")),
    (MeasureKind.ARREST, Text("逮捕", "Arrest")),
    (MeasureKind.BAIL, Text("取保候审", "Bail pending trial")),
    (MeasureKind.RESIDENTIAL_SURVEILLANCE, Text("监视居住", "Residential surveillance")),
    (MeasureKind.ADMINISTRATIVE_DETENTION, Text("行政拘留", "Administrative detention")),
    (MeasureKind.SUMMONS, Text("传唤", "Summons")),
    (Decision.APPROVE, Text("同意", "Approve")),
    (Decision.RETURN, Text("退回补正", "Return for correction")),
    (Decision.REJECT, Text("不同意", "Reject")),
    (ProcuratorateDecision.APPROVE_ARREST, Text("批准逮捕", "Arrest approved")),
    (ProcuratorateDecision.DECLINE_ARREST, Text("不批准逮捕", "Arrest declined")),
    (ProcuratorateDecision.RETURN_FOR_INVESTIGATION, Text(
        "退回补充侦查", "Returned for supplementary investigation"
    )),
    (RiskLevel.HIGH, Text("高", "High")),
    (RiskLevel.MEDIUM, Text("中", "Medium")),
    (RiskLevel.LOW, Text("低", "Low")),
    (RectificationState.PENDING, Text("待整改", "To rectify")),
    (RectificationState.IN_PROGRESS, Text("整改中", "In progress")),
    (RectificationState.AWAITING_VERIFICATION, Text("待核验", "Awaiting verification")),
    (RectificationState.SIGNED_OFF, Text("已销号", "Signed off")),
    (RectificationSource.DAILY_WATCH, Text("每日盯警", "Daily watch")),
    (RectificationSource.FOLLOW_UP, Text("回访", "Follow-up")),
    (RectificationSource.CASE_AUDIT, Text("案件审核", "Case audit")),
    (RectificationSource.INSPECTION, Text("执法巡查", "Inspection")),
    (RectificationSource.PROCURATORATE, Text("检察建议", "Procuratorate suggestion")),
    (RectificationSource.BUREAU, Text("挂牌督办", "Bureau-supervised")),
    (RectificationSource.MANUAL, Text("手工录入", "Manual entry")),
    (ScoreKind.EARNED, Text("达标得分", "Earned for meeting standards")),
    (ScoreKind.DEDUCTED, Text("过错扣分", "Deducted for a fault")),
    (ScoreKind.OFFSET, Text("积分消抵", "Offset of deductions")),
    (ScoreState.SUGGESTED, Text("待确认", "Suggested")),
    (ScoreState.CONFIRMED, Text("已确认", "Confirmed")),
    (ScoreState.DISMISSED, Text("已驳回", "Dismissed")),
)
_LABELS: dict[tuple[type[Labelled], str], Text] = {
    (type(member), member.value): text for member, text in _LABEL_PAIRS
}

REVIEW_CHAIN: tuple[Role, ...] = (
    Role.CASE_OFFICER,
    Role.STATION_LEADER,
    Role.SUPERVISOR,
    Role.LEGAL_OFFICER,
    Role.BUREAU_LEADER,
)
"""The five levels of the audit form's review chain, in order (level 1 first)."""

# The negative list as the seed names it; the store keeps it as editable data
# seeded from here, and the bureau may extend it through sync.
NEGATIVE_LIST: tuple[tuple[str, Text], ...] = (
    ("not_registered", Text("有案不立", "Case not registered")),
    ("shelved", Text("压案不查", "Case shelved, not investigated")),
    ("downgraded", Text("降格处理", "Handled at a lower level")),
    ("withdrawn_irregularly", Text("违规撤案", "Case withdrawn against the rules")),
    ("mediation_for_penalty", Text("以调代处", "Mediation in place of a penalty")),
    ("dragged_out", Text("久拖不决", "Dragged out, undecided")),
    ("detention_overdue", Text("羁押超期", "Detention past its limit")),
    ("profit_driven", Text("逐利执法", "Profit-driven enforcement")),
    ("acceptance_registration", Text("受立案问题", "Acceptance/registration problem")),
    ("measure_misapplied", Text("措施适用问题", "Coercive measure misapplied")),
)
