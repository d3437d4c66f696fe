"""Small pieces the audit page's widgets share: combos of enum values, time text,
inline errors that name the field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from lawsup_desktop.domain.errors import LawsupError, Text, ValidationError

ERROR_STYLE = "color: #a4231b; font-weight: bold;"
FIELD_ERROR_STYLE = "border: 2px solid #c0392b;"


def fill_enum(combo: QComboBox, values: Iterable[Any], language: str,
              empty: str | None = None) -> None:
    """Labels of ``values`` (enums with ``.label``), keeping the selection."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for value in values:
        combo.addItem(value.label.in_language(language), value)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def when_text(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


class InlineErrors:
    """Shows a service's refusal in ``label`` and marks the widget of the field it
    names (matched by the field's Chinese name); what was typed stays."""

    def __init__(self, label: QLabel, fields: dict[str, QWidget], language: Any) -> None:
        self.label = label
        self.fields = fields
        self._language = language
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()

    def clear(self) -> None:
        self.label.clear()
        self.label.hide()
        for widget in self.fields.values():
            widget.setStyleSheet("")

    def show(self, exc: LawsupError | Text) -> QWidget | None:
        self.clear()
        message = exc if isinstance(exc, Text) else exc.message
        self.label.setText(message.in_language(self._language()))
        self.label.show()
        if isinstance(exc, ValidationError):
            widget = self.widget_for(exc.field)
            if widget is not None:
                widget.setStyleSheet(FIELD_ERROR_STYLE)
                widget.setFocus()
                return widget
        return None

    def widget_for(self, field: Text) -> QWidget | None:
        # Person fields are named "身份证号码（马某某）": match on the name before the bracket.
        name = field.zh.split("（", 1)[0]
        return self.fields.get(field.zh) or self.fields.get(name)
