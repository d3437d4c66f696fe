"""How sync shows records and fields to the user: names of record types and fields,
values in a readable form. Unknown names fall back to the name itself."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from lawsup_desktop.ui.pages import QT_TRANSLATE_NOOP

_CONTEXT = "SyncLabels"

ENTITIES = {
    "incident": QT_TRANSLATE_NOOP("SyncLabels", "警情"),
    "follow_up": QT_TRANSLATE_NOOP("SyncLabels", "回访"),
    "watch_review": QT_TRANSLATE_NOOP("SyncLabels", "盯警记录"),
    "rectification": QT_TRANSLATE_NOOP("SyncLabels", "整改事项"),
    "rectification_event": QT_TRANSLATE_NOOP("SyncLabels", "整改进展"),
    "case": QT_TRANSLATE_NOOP("SyncLabels", "案件"),
    "case_audit": QT_TRANSLATE_NOOP("SyncLabels", "案件审核"),
    "review_step": QT_TRANSLATE_NOOP("SyncLabels", "审核意见"),
    "case_person": QT_TRANSLATE_NOOP("SyncLabels", "涉案人员"),
    "case_officer": QT_TRANSLATE_NOOP("SyncLabels", "办案民警"),
    "coercive_measure": QT_TRANSLATE_NOOP("SyncLabels", "强制措施"),
    "attachment": QT_TRANSLATE_NOOP("SyncLabels", "附件"),
    "unit": QT_TRANSLATE_NOOP("SyncLabels", "单位"),
    "officer": QT_TRANSLATE_NOOP("SyncLabels", "民警"),
    "score_entry": QT_TRANSLATE_NOOP("SyncLabels", "考评记分"),
    "bulletin_issue": QT_TRANSLATE_NOOP("SyncLabels", "通报"),
    "conflict": QT_TRANSLATE_NOOP("SyncLabels", "冲突处理"),
}

FIELDS = {
    "incident_no": QT_TRANSLATE_NOOP("SyncLabels", "警情编号"),
    "received_at": QT_TRANSLATE_NOOP("SyncLabels", "接警时间"),
    "category": QT_TRANSLATE_NOOP("SyncLabels", "警情类别"),
    "is_key": QT_TRANSLATE_NOOP("SyncLabels", "重点警情"),
    "key_category": QT_TRANSLATE_NOOP("SyncLabels", "重点类别"),
    "address": QT_TRANSLATE_NOOP("SyncLabels", "地址"),
    "summary": QT_TRANSLATE_NOOP("SyncLabels", "简要警情"),
    "caller_name": QT_TRANSLATE_NOOP("SyncLabels", "报警人"),
    "caller_phone": QT_TRANSLATE_NOOP("SyncLabels", "报警电话"),
    "unit_id": QT_TRANSLATE_NOOP("SyncLabels", "责任单位"),
    "handling_officer_id": QT_TRANSLATE_NOOP("SyncLabels", "处警民警"),
    "disposition": QT_TRANSLATE_NOOP("SyncLabels", "处理结果"),
    "handling_notes": QT_TRANSLATE_NOOP("SyncLabels", "处理情况"),
    "watch_state": QT_TRANSLATE_NOOP("SyncLabels", "盯警状态"),
    "follow_up_state": QT_TRANSLATE_NOOP("SyncLabels", "回访状态"),
    "number": QT_TRANSLATE_NOOP("SyncLabels", "编号"),
    "description": QT_TRANSLATE_NOOP("SyncLabels", "问题描述"),
    "risk_level": QT_TRANSLATE_NOOP("SyncLabels", "风险等级"),
    "responsible_unit_id": QT_TRANSLATE_NOOP("SyncLabels", "责任单位"),
    "responsible_officer_id": QT_TRANSLATE_NOOP("SyncLabels", "责任人"),
    "due_date": QT_TRANSLATE_NOOP("SyncLabels", "整改期限"),
    "measures": QT_TRANSLATE_NOOP("SyncLabels", "整改措施"),
    "state": QT_TRANSLATE_NOOP("SyncLabels", "状态"),
    "verification_note": QT_TRANSLATE_NOOP("SyncLabels", "核实情况"),
    "opinion": QT_TRANSLATE_NOOP("SyncLabels", "审核意见"),
    "decision": QT_TRANSLATE_NOOP("SyncLabels", "审核结论"),
    "deleted_at": QT_TRANSLATE_NOOP("SyncLabels", "删除时间"),
}

KINDS = {
    "field": QT_TRANSLATE_NOOP("SyncLabels", "同一字段两边都改了"),
    "edit_delete": QT_TRANSLATE_NOOP("SyncLabels", "一边修改、一边删除"),
    "review_level": QT_TRANSLATE_NOOP("SyncLabels", "同一审核级别有两个意见"),
    "duplicate": QT_TRANSLATE_NOOP("SyncLabels", "与本机记录重复"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def entity_label(entity: str) -> str:
    return _tr(ENTITIES[entity]) if entity in ENTITIES else entity


def field_label(name: str) -> str:
    return _tr(FIELDS[name]) if name in FIELDS else name


def kind_label(kind: str) -> str:
    return _tr(KINDS[kind]) if kind in KINDS else kind


def record_label(entity: str, title: str, record_id: str) -> str:
    """"警情 C1", or the record's short id when it has no number or name here."""
    return f"{entity_label(entity)} {title or record_id[:8]}"


def value_text(value: Any) -> str:
    """A synced value (wire form: str, number, bool, None, JSON) as the user reads it."""
    if value is None:
        return QCoreApplication.translate("SyncLabels", "（空）")
    if isinstance(value, bool):
        return (QCoreApplication.translate("SyncLabels", "是") if value
                else QCoreApplication.translate("SyncLabels", "否"))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if len(text) >= 19 and text[4:5] == "-" and text[10:11] == "T":
        try:
            return local_time(text)
        except ValueError:
            return text
    return text


def local_time(iso: str) -> str:
    """An ISO time (the server's, with its offset) on this computer's clock face."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")
