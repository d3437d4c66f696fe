"""Evidence files, stored content-addressed in the data folder.

A file is kept once under its SHA-256 (``attachments/ab/cd/abcd...``), whatever
its name and however many items refer to it. Its type is judged by its first
bytes, never by its name; the size limit is checked before anything is read.
A file is copied to a temporary file in the store's own folder and moved into
place with ``os.replace``, so a failure never leaves a half-written file where
a complete one is expected, and the temporary file is removed on any failure.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lawsup_desktop.domain.errors import Text, ValidationError

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
FIELD_ATTACHMENT = Text("佐证材料", "Evidence file")
_CHUNK = 1024 * 1024
_HEADER_BYTES = 16
_TEMP_PREFIX = ".incoming-"

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_BY_SUFFIX = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
_OOXML_BY_PART = (
    ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)
ACCEPTED_KINDS = Text(
    "图片（PNG、JPEG、GIF、WEBP）、PDF、Word/Excel/PowerPoint 文档",
    "images (PNG, JPEG, GIF, WEBP), PDF, Word/Excel/PowerPoint documents",
)


@dataclass(frozen=True)
class StoredFile:
    """A file now in the store: where, what, and whether this call put it there."""

    sha256: str
    size: int
    media_type: str
    path: Path
    newly_stored: bool


def _refuse(problem: Text) -> ValidationError:
    return ValidationError(FIELD_ATTACHMENT, problem)


def _unreadable(name: str) -> ValidationError:
    return _refuse(
        Text(
            f"文件“{name}”无法读取（已被移动、删除或所在磁盘已断开），请重新选择",
            f"'{name}' cannot be read (moved, deleted, or its drive was disconnected); "
            "choose it again",
        )
    )


def sniff_media_type(header: bytes, suffix: str = "") -> str | None:
    """The media type that the first bytes of a file show, or None if not accepted.

    OOXML files are zip archives; :func:`_ooxml_type` looks inside them. The legacy
    Office container (OLE) looks the same for Word and Excel, so only there the
    name's suffix chooses the label."""
    if header.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if header.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if header.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if header[:4] == b"RIFF" and header[8:12] == b"WEBP":
        return "image/webp"
    if header.startswith(b"%PDF-"):
        return "application/pdf"
    if header.startswith(b"PK\x03\x04"):
        return "application/zip"  # refined (or refused) by _ooxml_type
    if header.startswith(OLE_SIGNATURE):
        return _OLE_BY_SUFFIX.get(suffix.lower(), "application/x-ole-storage")
    return None


def _is_executable(header: bytes) -> bool:
    return header.startswith((b"\x7fELF", b"MZ", b"#!", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"))


def _ooxml_type(path: Path) -> str | None:
    """An Office Open XML document (docx/xlsx/pptx) is a zip with [Content_Types].xml;
    any other zip is refused."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, media_type in _OOXML_BY_PART:
        if any(n.startswith(prefix) for n in names):
            return media_type
    return None


def _open_source(path: Path) -> BinaryIO:
    """Open the file to attach (a seam: tests replace it to make files vanish)."""
    return path.open("rb")


class AttachmentStore:
    """The content-addressed file store under one folder (DataFolder.attachments)."""

    def __init__(self, root: Path, max_bytes: int = MAX_ATTACHMENT_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, source: Path) -> StoredFile:
        """Copy ``source`` into the store after checking its size and type.

        Raises :class:`ValidationError` for a file too large, of a type not accepted,
        or unreadable (vanished while being attached); nothing is left behind."""
        name = source.name
        limit_mb = self.max_bytes // (1024 * 1024)
        too_large = _refuse(
            Text(
                f"文件“{name}”超过{limit_mb} MB，不能作为佐证材料",
                f"'{name}' is larger than {limit_mb} MB",
            )
        )
        try:
            stream = _open_source(source)
        except FileNotFoundError as exc:
            raise _unreadable(name) from exc
        except IsADirectoryError as exc:
            raise _refuse(Text(f"“{name}”是文件夹，不是文件", f"'{name}' is a folder")) from exc
        except OSError as exc:
            raise _unreadable(name) from exc
        with stream:
            try:
                # The size before any read: a 2 GB file is refused at once.
                if os.fstat(stream.fileno()).st_size > self.max_bytes:
                    raise too_large
                header = stream.read(_HEADER_BYTES)
            except OSError as exc:
                raise _unreadable(name) from exc
            if _is_executable(header):
                raise _refuse(
                    Text(
                        f"“{name}”是可执行程序，不能作为佐证材料（无论文件扩展名是什么）",
                        f"'{name}' is an executable program, whatever its name says",
                    )
                )
            media_type = sniff_media_type(header, source.suffix)
            if media_type is None:
                raise _refuse(
                    Text(
                        f"“{name}”的内容不是可接受的文件类型；可接受：{ACCEPTED_KINDS.zh}",
                        f"the content of '{name}' is not an accepted type; accepted: "
                        f"{ACCEPTED_KINDS.en}",
                    )
                )
            return self._copy_in(stream, header, media_type, name, too_large)

    def _copy_in(
        self, stream: BinaryIO, header: bytes, media_type: str, name: str,
        too_large: ValidationError,
    ) -> StoredFile:
        self.root.mkdir(parents=True, exist_ok=True)
        # In the store's own folder: os.replace then moves it within one file system.
        fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=self.root)
        temp = Path(temp_name)
        try:
            digest = hashlib.sha256(header)
            size = len(header)
            with os.fdopen(fd, "wb") as out:
                out.write(header)
                while chunk := self._read(stream, name):
                    size += len(chunk)
                    if size > self.max_bytes:  # it grew after the size check
                        raise too_large
                    digest.update(chunk)
                    out.write(chunk)
            if media_type == "application/zip":
                media_type = _ooxml_type(temp) or ""
                if not media_type:
                    raise _refuse(
                        Text(
                            f"“{name}”是压缩包，不是 Word/Excel/PowerPoint 文档",
                            f"'{name}' is a zip archive, not an Office document",
                        )
                    )
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.is_file():
                temp.unlink()
                return StoredFile(sha, size, media_type, final, newly_stored=False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, final)
            return StoredFile(sha, size, media_type, final, newly_stored=True)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    @staticmethod
    def _read(stream: BinaryIO, name: str) -> bytes:
        try:
            return stream.read(_CHUNK)
        except OSError as exc:
            raise _unreadable(name) from exc

    def discard(self, stored: StoredFile, still_referenced: Callable[[str], bool]) -> bool:
        """Undo a :meth:`put` whose database write failed: remove the file if this
        call stored it and no record refers to its hash. True if removed."""
        if not stored.newly_stored or still_referenced(stored.sha256):
            return False
        stored.path.unlink(missing_ok=True)
        return True

    def leftover_temporary_files(self) -> list[Path]:
        """Temporary files of interrupted copies (a crash mid-copy); for the check."""
        if not self.root.is_dir():
            return []
        return sorted(self.root.glob(_TEMP_PREFIX + "*"))
