"""What several GUI tests need to act as a user: typing, Chinese included."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def type_text(qtbot: QtBot, field: QWidget, text: str) -> None:
    """Type into ``field`` as a user does: ASCII key by key, Chinese through the input
    method, which hands the widget each finished phrase as a commit string (QTest
    can only press keys that are on the keyboard)."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    for chunk in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if chunk.isascii():
            qtbot.keyClicks(field, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(field, event)
