"""One workbench per data folder: the folder lock plus an activation channel.

The first start on a folder takes its :class:`~lawsup_desktop.services.folder_lock.FolderLock`
(an OS lock: never stale after a crash) and listens on a :class:`QLocalServer`
named from a hash of the folder's path. A second start on the same folder
finds the lock taken, sends ``activate`` to the first, which brings its window
forward and answers ``ok``, and ends without opening the database. If nobody
answers (a command such as ``lawsup restore`` holds the folder, or the first
program hangs) the second start says clearly that the folder is in use.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

from lawsup_desktop.services.folder_lock import WORKBENCH, FolderInUse, FolderLock

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"
ANSWER = b"ok\n"
ANSWER_TIMEOUT_MS = 3000
"""How long a second start tries to reach the first (which may still be starting)."""


def server_name(root: Path) -> str:
    """The local server's name for a folder: the same for every spelling of its path."""
    digest = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:24]
    return f"lawsup-{digest}"


class Claim(enum.Enum):
    OWNER = "owner"
    """This program has the folder."""
    ACTIVATED = "activated"
    """Another workbench has it and was brought forward."""


class FolderGuard(QObject):
    """This program's hold on its data folder; brings :attr:`window` forward when a
    second start asks."""

    activation_requested = Signal()

    def __init__(self, root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self.window: QWidget | None = None
        self._lock = FolderLock(root, WORKBENCH)
        self._server: QLocalServer | None = None

    def claim(self) -> Claim:
        """Take the folder, or hand over to the workbench that has it.

        Raises :class:`FolderInUse` when the folder is held by something that
        does not answer, and a LawsupError when it cannot be written.
        """
        try:
            self._lock.acquire()
        except FolderInUse:
            if ask_to_activate(self.root):
                log.info("data folder %s is open in another workbench: activated it", self.root)
                return Claim.ACTIVATED
            raise
        self._listen()
        return Claim.OWNER

    def _listen(self) -> None:
        name = server_name(self.root)
        # We hold the folder, so a socket of that name is a dead program's leftover.
        QLocalServer.removeServer(name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            # The workbench works without it; a second start then says "in use".
            log.warning("cannot listen for activation on %s: %s", name, server.errorString())
            return
        server.newConnection.connect(self._on_connection)
        self._server = server

    @Slot()
    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        request = bytes(socket.readLine().data())
        if request != ACTIVATE:
            log.warning("unknown request on the activation channel: %r", request[:40])
            socket.disconnectFromServer()
            return
        log.info("activation requested by a second start on %s", self.root)
        self.activate_window()
        socket.write(ANSWER)
        socket.flush()
        socket.disconnectFromServer()
        self.activation_requested.emit()

    def activate_window(self) -> None:
        """Bring the workbench's window (or, before it exists, the first-run
        dialog) to the front."""
        window = self.window
        if window is None:
            window = QApplication.activeModalWidget() or QApplication.activeWindow()
        if window is None:
            return
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()

    def release(self) -> None:
        """At exit, after the database was closed."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.held


def ask_to_activate(root: Path, timeout_ms: int = ANSWER_TIMEOUT_MS) -> bool:
    """Ask the workbench that has ``root`` to come forward; True if it answered."""
    deadline = time.monotonic() + timeout_ms / 1000
    name = server_name(root)
    while True:
        remaining = int((deadline - time.monotonic()) * 1000)
        if remaining <= 0:
            return False
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(min(remaining, 500)):
            socket.write(ACTIVATE)
            socket.flush()
            answered = False
            while not answered and socket.waitForReadyRead(
                max(int((deadline - time.monotonic()) * 1000), 1)
            ):
                answered = socket.canReadLine() and bytes(socket.readLine().data()) == ANSWER
            socket.abort()
            return answered
        socket.abort()
        # Not listening (yet): the first workbench may be starting; try again.
        time.sleep(0.1)

