"""No NUL character (U+0000) in stored text.

The central service's PostgreSQL cannot store it, so a NUL saved here would be
refused at the next sync and stall the station's outbox. Forms go through
``domain.validation.require_text``; this guard catches every other path: the ORM's
flush hook (store/audit.py) and the bulk writer (store/bulk.py) call it before
anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from lawsup_desktop.domain.errors import Text, ValidationError
from lawsup_desktop.domain.validation import NUL_PROBLEM

# The fields as the forms name them; any other column is named "table.column".
_FIELD_LABELS: dict[tuple[str, str], Text] = {
    ("station", "name"): Text("派出所名称", "Station name"),
    ("unit", "name"): Text("单位名称", "Unit name"),
    ("officer", "name"): Text("民警姓名", "Officer's name"),
    ("officer", "badge_no"): Text("警号", "Badge number"),
    ("officer", "phone"): Text("民警电话", "Officer's phone"),
    ("holiday_period", "name"): Text("节假日名称", "Holiday name"),
    ("guidance", "title"): Text("指导意见标题", "Guidance title"),
    ("guidance", "summary"): Text("指导意见摘要", "Guidance summary"),
    ("incident", "incident_no"): Text("接警编号", "Incident number"),
    ("incident", "address"): Text("发生地点", "Address"),
    ("incident", "summary"): Text("简要警情", "Summary"),
    ("incident", "caller_name"): Text("报警人", "Caller"),
    ("incident", "caller_phone"): Text("联系电话", "Caller's phone"),
    ("incident", "handling_notes"): Text("处警情况", "Handling notes"),
    ("watch_review", "note"): Text("每日盯警问题说明", "Daily watch note"),
    ("follow_up", "party_name"): Text("回访对象", "Party contacted"),
    ("follow_up", "party_phone"): Text("回访电话", "Party's phone"),
    ("follow_up", "checks"): Text("回访事项说明", "Follow-up check notes"),
    ("follow_up", "notes"): Text("回访备注", "Follow-up notes"),
    ("case", "case_no"): Text("案件编号", "Case number"),
    ("case", "name"): Text("案件名称", "Case name"),
    ("case", "cause"): Text("案由", "Cause of action"),
    ("case_person", "name"): Text("涉案人员姓名", "Person's name"),
    ("case_person", "id_number"): Text("身份证号", "Resident ID number"),
    ("case_person", "phone"): Text("涉案人员电话", "Person's phone"),
    ("case_person", "address"): Text("涉案人员住址", "Person's address"),
    ("coercive_measure", "note"): Text("强制措施备注", "Coercive measure note"),
    ("deadline_adjustment", "approval"): Text("审批文号", "Approval"),
    ("warning_clearance", "note"): Text("销账说明", "Clearance note"),
    ("case_audit", "facts"): Text("简要案情", "Facts"),
    ("case_audit", "proposed_handling"): Text("拟处理意见", "Proposed handling"),
    ("case_audit", "problems_found"): Text("发现的问题", "Problems found"),
    ("review_step", "opinion"): Text("审核意见", "Review opinion"),
    ("rectification", "source_note"): Text("整改来源说明", "Rectification source note"),
    ("rectification", "description"): Text("整改事项问题描述", "Rectification problem description"),
    ("rectification", "measures"): Text("整改措施", "Rectification measures"),
    ("rectification", "verification_note"): Text("整改核查意见", "Verification note"),
    ("rectification", "no_evidence_reason"): Text("无需佐证原因", "Reason no evidence is needed"),
    ("rectification", "assigning_authority"): Text("挂牌督办单位", "Assigning authority"),
    ("rectification_event", "note"): Text("整改记录说明", "Rectification event note"),
    ("attachment", "file_name"): Text("附件文件名", "Attachment file name"),
    ("score_entry", "reason"): Text("计分事由", "Reason for the points"),
    ("score_entry", "objection"): Text("异议内容", "Objection"),
    ("score_entry", "objection_decision"): Text("复核意见", "Decision on the objection"),
}


def field_label(table: str, column: str) -> Text:
    """How the forms name ``table.column`` (the technical name if no form does)."""
    return _FIELD_LABELS.get((table, column)) or Text(f"{table}.{column}", f"{table}.{column}")


def _has_nul(value: Any) -> bool:
    """A NUL anywhere in a text, or in the texts inside a JSON value."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def refuse_nul(table: str, values: Iterable[tuple[str, Any]]) -> None:
    """Raise :class:`ValidationError` naming the first field whose value holds a NUL."""
    for column, value in values:
        if _has_nul(value):
            raise ValidationError(field_label(table, column), NUL_PROBLEM)


def refuse_nul_in_flush(session: Session) -> None:
    """The ORM's side of the guard (store/audit.py's before_flush hook): every text of
    a new record, and every text changed in a dirty one (a NUL that came in before
    this guard existed does not block editing the record's other fields)."""
    for obj in session.new:
        state = inspect(obj)
        table = str(state.mapper.local_table.name)
        refuse_nul(table, ((a.key, getattr(obj, a.key)) for a in state.mapper.column_attrs))
    for obj in session.dirty:
        state = inspect(obj)
        table = str(state.mapper.local_table.name)
        refuse_nul(
            table,
            (
                (attr.key, value)
                for attr in state.mapper.column_attrs
                for value in state.attrs[attr.key].history.added
            ),
        )
