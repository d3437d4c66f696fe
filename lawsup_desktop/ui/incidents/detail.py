"""An incident's detail beside the list: its fields and handling record, the
follow-up timeline, the watch findings with the cases and rectification items
linked to it, and the audit trail of the record. Read-only; the one action,
recording a follow-up, is the page's (Ctrl+R)."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lawsup_desktop.domain.vocabulary import (
    Disposition,
    FollowUpMethod,
    FollowUpState,
    IncidentCategory,
    KeyCategory,
    Labelled,
    PartyRole,
    Satisfaction,
    WatchState,
)
from lawsup_desktop.services.follow_ups import CHECK_LABELS
from lawsup_desktop.services.incidents import IncidentDetail
from lawsup_desktop.ui.incidents.model import follow_up_text

TABLE = "<table cellspacing='0' cellpadding='3'>"


def when(value: dt.datetime | dt.date | None) -> str:
    """Wall-clock text; UTC instants (bookkeeping) are shown in local time."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone()
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _fields(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='color:#555; white-space:nowrap'>{escape(k)}</td>"
        f"<td>{escape(v) if v else '—'}</td></tr>"
        for k, v in pairs
    )
    return f"{TABLE}{cells}</table>"


_VOCABULARIES: dict[str, type[Labelled]] = {
    "category": IncidentCategory, "key_category": KeyCategory, "disposition": Disposition,
    "watch_state": WatchState, "follow_up_state": FollowUpState, "satisfaction": Satisfaction,
    "method": FollowUpMethod, "party_role": PartyRole,
}
"""Stored codes shown by their labels in the audit trail."""


def _value(key: str, value: object, language: str, names: dict[str, str]) -> str:
    """A value of the trail as the reader knows it: labels for codes, names for ids,
    wall-clock times."""
    vocabulary = _VOCABULARIES.get(key)
    if vocabulary is not None and isinstance(value, str):
        try:
            return vocabulary(value).label.in_language(language)
        except ValueError:  # a code this version does not know: show it as stored
            return value
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, str) and key.endswith("_id"):
        return names.get(value) or value[:8] + "…"
    if isinstance(value, str) and key.endswith("_at"):
        try:
            return when(dt.datetime.fromisoformat(value))
        except ValueError:  # not a time after all: as stored
            return value
    text = "—" if value is None or value == "" else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


class IncidentPanel(QWidget):
    record_follow_up_requested = Signal()

    def __init__(self, language: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident_panel")
        self._language = language
        self.detail: IncidentDetail | None = None

        self.heading = QLabel(self)
        self.heading.setObjectName("detail_heading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.follow_up_button = QPushButton(self)
        self.follow_up_button.setObjectName("record_follow_up")
        self.follow_up_button.clicked.connect(
            lambda _checked=False: self.record_follow_up_requested.emit())
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.follow_up_button)

        self.summary_view = self._browser("detail_summary")
        self.follow_ups_view = self._browser("detail_follow_ups")
        self.watch_view = self._browser("detail_watch")
        self.audit_view = self._browser("detail_audit")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("detail_tabs")
        for view in (self.summary_view, self.follow_ups_view, self.watch_view, self.audit_view):
            self.tabs.addTab(view, "")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.retranslate()

    def _browser(self, name: str) -> QTextBrowser:
        browser = QTextBrowser(self)
        browser.setObjectName(name)
        browser.setOpenLinks(False)
        return browser

    @property
    def incident_id(self) -> str | None:
        return self.detail.row.id if self.detail else None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.follow_up_button.setText(self.tr("记录回访…（Ctrl+R）"))
        for index, text in enumerate((self.tr("警情"), self.tr("回访"),
                                      self.tr("盯警与整改"), self.tr("操作记录"))):
            self.tabs.setTabText(index, text)
        self.show_detail(self.detail)

    def show_detail(self, detail: IncidentDetail | None) -> None:
        self.detail = detail
        self.follow_up_button.setEnabled(detail is not None)
        if detail is None:
            self.heading.setText(self.tr("警情详情"))
            hint = self.tr("在列表中双击警情或按回车键查看详情。")
            for view in (self.summary_view, self.follow_ups_view, self.watch_view,
                         self.audit_view):
                view.setHtml(_note(hint))
            return
        language = self._language()
        row = detail.row
        self.heading.setText(self.tr("警情 {number}").format(number=row.incident_no))
        self.tabs.setTabText(1, self.tr("回访（{n}）").format(n=len(detail.follow_ups)))
        self.tabs.setTabText(2, self.tr("盯警与整改（{n}）").format(
            n=len(detail.watch_reviews) + len(detail.cases) + len(detail.rectifications)))
        self.summary_view.setHtml(self._summary_html(detail, language))
        self.follow_ups_view.setHtml(self._follow_ups_html(detail, language))
        self.watch_view.setHtml(self._watch_html(detail, language))
        self.audit_view.setHtml(self._audit_html(detail))

    # -- the tabs --------------------------------------------------------------

    def _summary_html(self, detail: IncidentDetail, language: str) -> str:
        row = detail.row

        def label(value: Any) -> str:
            return str(value.label.in_language(language)) if value is not None else ""

        key = self.tr("是") if row.is_key else self.tr("否")
        if row.is_key and row.key_category is not None:
            key = f"{key}（{label(row.key_category)}）"
        fields = [
            (self.tr("接警编号"), row.incident_no),
            (self.tr("报警时间"), when(row.received_at)),
            (self.tr("警情类别"), label(row.category)),
            (self.tr("重点警情"), key),
            (self.tr("发生地点"), row.address),
            (self.tr("报警人"), row.caller_name),
            (self.tr("联系电话"), row.caller_phone),
            (self.tr("处警单位"), row.unit_name),
            (self.tr("处警民警"), detail.handling_officer_name),
            (self.tr("处置结果"), label(row.disposition)),
            (self.tr("盯警状态"), label(row.watch_state) if row.is_key else ""),
            (self.tr("回访状态"), follow_up_text(row, language)),
            (self.tr("登记时间"), when(detail.created_at)),
            (self.tr("最后修改"), when(detail.updated_at)),
        ]
        summary_title = escape(self.tr("简要警情"))
        handling_title = escape(self.tr("处警记录"))
        return (
            _fields(fields)
            + f"<h4>{summary_title}</h4><p>{_paragraphs(row.summary)}</p>"
            + f"<h4>{handling_title}</h4><p>{_paragraphs(detail.handling_notes)}</p>"
        )

    def _follow_ups_html(self, detail: IncidentDetail, language: str) -> str:
        if not detail.follow_ups:
            return _note(self.tr("尚无回访记录。"))
        parts = []
        for number, f in enumerate(detail.follow_ups, start=1):
            satisfaction = f.satisfaction.label.in_language(language)
            colour = {"dissatisfied": "#a4231b", "unreachable": "#7a5c00"}.get(
                f.satisfaction.value, "#1d5e2a")
            title = (f"{number}. {when(f.contacted_at)} · "
                     f"{f.method.label.in_language(language)} · "
                     f"<span style='color:{colour}'>{escape(satisfaction)}</span>")
            fields = [
                (self.tr("回访对象"),
                 f"{f.party_name}（{f.party_role.label.in_language(language)}）"),
                (self.tr("联系电话"), f.party_phone),
                (self.tr("回访民警"), f.officer_name),
            ]
            if f.next_attempt_at is not None:
                fields.append((self.tr("下次回访"), when(f.next_attempt_at)))
            checked = [
                CHECK_LABELS[code].in_language(language) + (f"：{item.note}" if item.note else "")
                for code, item in f.checks.items() if item.checked and code in CHECK_LABELS
            ]
            if checked:
                fields.append((self.tr("回访事项"), "；".join(checked)))
            if f.notes:
                fields.append((self.tr("备注"), f.notes))
            parts.append(f"<p><b>{title}</b></p>{_fields(fields)}")
        return "<hr/>".join(parts)

    def _watch_html(self, detail: IncidentDetail, language: str) -> str:
        none = self.tr("无")
        html = [_heading(self.tr("盯警记录"))]
        if not detail.watch_reviews:
            html.append(_note(none))
        for review in detail.watch_reviews:
            if review.problem_type is None:
                outcome = escape(self.tr("已盯，无问题"))
            else:
                outcome = ("<span style='color:#a4231b'>"
                           + escape(self.tr("发现问题：{problem}").format(
                               problem=review.problem_type.in_language(language)))
                           + "</span>")
            html.append(f"<p><b>{escape(when(review.reviewed_at))}</b> "
                        f"{escape(review.reviewer_name)} · {outcome}</p>")
            fields = []
            if review.note:
                fields.append((self.tr("问题说明"), review.note))
            if review.responsible_unit_name or review.responsible_officer_name:
                fields.append((self.tr("责任单位/责任人"), " / ".join(
                    x for x in (review.responsible_unit_name, review.responsible_officer_name)
                    if x)))
            if review.rectification_number:
                fields.append((self.tr("整改事项"), review.rectification_number))
            if fields:
                html.append(_fields(fields))
        html.append(_heading(self.tr("关联案件")))
        if not detail.cases:
            html.append(_note(none))
        else:
            html.append("<ul>" + "".join(
                f"<li>{escape(c.case_no)} {escape(c.name)}"
                f"（{escape(c.kind.label.in_language(language))}"
                f"{'，' + escape(c.cause) if c.cause else ''}）</li>"
                for c in detail.cases) + "</ul>")
        html.append(_heading(self.tr("整改事项")))
        if not detail.rectifications:
            html.append(_note(none))
        else:
            html.append("<ul>" + "".join(
                f"<li><b>{escape(r.number)}</b> {escape(r.state.label.in_language(language))} · "
                + escape(self.tr("期限 {day}").format(day=r.due_date.isoformat()))
                + f" · {escape(r.responsible_unit_name or '—')}<br/>{escape(r.description)}</li>"
                for r in detail.rectifications) + "</ul>")
        return "".join(html)

    def _audit_html(self, detail: IncidentDetail) -> str:
        if not detail.audit_trail:
            return _note(self.tr("无操作记录。"))
        actions = {"insert": self.tr("新建"), "update": self.tr("修改"), "delete": self.tr("删除")}
        entities = {"incident": self.tr("警情", "audit entity"),
                    "follow_up": self.tr("回访", "audit entity"),
                    "watch_review": self.tr("盯警", "audit entity")}
        what = self.tr("{action}{entity}")
        pair = self.tr("{field}：{value}")
        fields = self._field_names()
        language = self._language()
        names = {detail.row.unit_id: detail.row.unit_name} if detail.row.unit_id else {}
        rows = []
        for entry in reversed(detail.audit_trail):  # the newest first
            changes = "<br/>".join(
                escape(pair.format(field=fields.get(key, key), value=(
                    f"{_value(key, old, language, names)} → {_value(key, new, language, names)}"
                    if entry.action != "insert" else _value(key, new, language, names))))
                for key, (old, new) in _pairs(entry.changes)
            )
            rows.append(
                f"<tr><td style='white-space:nowrap; vertical-align:top'>{escape(when(entry.at))}"
                f"</td><td style='vertical-align:top'>{escape(entry.actor_name)}</td>"
                "<td style='vertical-align:top'>" + escape(what.format(
                    action=actions.get(entry.action, entry.action),
                    entity=entities.get(entry.entity, entry.entity))) + "</td>"
                f"<td>{changes}</td></tr>")
        head = "".join(f"<th align='left'>{escape(h)}</th>" for h in (
            self.tr("时间"), self.tr("操作人"), self.tr("操作"), self.tr("内容")))
        return f"{TABLE}<tr>{head}</tr>{''.join(rows)}</table>"

    def _field_names(self) -> dict[str, str]:
        return {
            "incident_no": self.tr("接警编号"), "received_at": self.tr("报警时间"),
            "category": self.tr("警情类别"), "is_key": self.tr("重点警情"),
            "key_category": self.tr("重点类别"), "address": self.tr("发生地点"),
            "summary": self.tr("简要警情"), "caller_name": self.tr("报警人"),
            "caller_phone": self.tr("联系电话"), "unit_id": self.tr("处警单位"),
            "handling_officer_id": self.tr("处警民警"), "disposition": self.tr("处置结果"),
            "handling_notes": self.tr("处警记录"), "watch_state": self.tr("盯警状态"),
            "follow_up_state": self.tr("回访状态"), "satisfaction": self.tr("回访评价"),
            "method": self.tr("回访方式"), "party_name": self.tr("回访对象"),
            "contacted_at": self.tr("回访时间"), "note": self.tr("问题说明"),
            "notes": self.tr("备注"), "party_role": self.tr("回访对象身份"),
            "party_phone": self.tr("回访对象电话"), "next_attempt_at": self.tr("下次回访"),
            "reviewed_at": self.tr("盯警时间"),
        }


_HIDDEN = {"id", "incident_id", "checks", "station_id", "officer_id", "reviewer_id",
           "problem_type_id", "responsible_unit_id", "responsible_officer_id"}
"""Ids and structures that say nothing to a reader of the trail."""


def _pairs(changes: dict[str, Any]) -> list[tuple[str, tuple[object, object]]]:
    pairs = []
    for key, value in changes.items():
        if key in _HIDDEN:
            continue
        old, new = (value[0], value[1]) if isinstance(value, list) and len(value) == 2 else (
            None, value)
        pairs.append((key, (old, new)))
    return pairs


def _heading(text: str) -> str:
    return f"<h4>{escape(text)}</h4>"


def _note(text: str) -> str:
    return f"<p style='color:#666'>{escape(text)}</p>"


def _paragraphs(text: str) -> str:
    return escape(text).replace("\n", "<br/>") if text.strip() else "—"
