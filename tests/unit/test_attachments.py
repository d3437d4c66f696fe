"""The content-addressed evidence store: type by content, size limit before reading,
vanishing files, and nothing left behind on failure."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path
from typing import BinaryIO

import pytest

import lawsup_desktop.services.attachments as attachments
from lawsup_desktop.domain.errors import ValidationError
from lawsup_desktop.services.attachments import MAX_ATTACHMENT_BYTES, AttachmentStore

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore(tmp_path / "attachments")


def files_in(store: AttachmentStore) -> list[Path]:
    if not store.root.exists():
        return []
    return sorted(p for p in store.root.rglob("*") if p.is_file())


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def ooxml(tmp_path: Path, name: str, part: str) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return path


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("a.png", PNG, "image/png"),
        ("b.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "image/jpeg"),
        ("c.gif", b"GIF89a" + b"\x00" * 40, "image/gif"),
        ("d.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40, "image/webp"),
        ("e.pdf", b"%PDF-1.7\n" + b"\x00" * 40, "application/pdf"),
        ("f.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "application/msword"),
        ("g.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 40, "application/vnd.ms-excel"),
    ],
)
def test_accepted_types_are_recognised_by_content(
    store: AttachmentStore, tmp_path: Path, name: str, data: bytes, media_type: str
) -> None:
    stored = store.put(write(tmp_path, name, data))
    assert stored.media_type == media_type
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert stored.path == store.root / stored.sha256[:2] / stored.sha256[2:4] / stored.sha256
    assert stored.path.read_bytes() == data
    assert stored.newly_stored


def test_office_open_xml_documents_are_told_apart_by_their_parts(
    store: AttachmentStore, tmp_path: Path
) -> None:
    docx = store.put(ooxml(tmp_path, "整改报告.docx", "word/document.xml"))
    xlsx = store.put(ooxml(tmp_path, "台账.pdf", "xl/workbook.xml"))  # the name lies
    assert docx.media_type.endswith("wordprocessingml.document")
    assert xlsx.media_type.endswith("spreadsheetml.sheet")


def test_a_plain_zip_is_not_an_office_document(store: AttachmentStore, tmp_path: Path) -> None:
    path = tmp_path / "evidence.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    with pytest.raises(ValidationError) as caught:
        store.put(path)
    assert "压缩包" in caught.value.message.zh
    assert files_in(store) == []


@pytest.mark.parametrize("header", [b"\x7fELF\x02\x01\x01", b"MZ\x90\x00\x03"])
def test_an_executable_renamed_jpg_is_refused(
    store: AttachmentStore, tmp_path: Path, header: bytes
) -> None:
    with pytest.raises(ValidationError) as caught:
        store.put(write(tmp_path, "现场照片.jpg", header + b"\x00" * 100))
    assert "可执行程序" in caught.value.message.zh
    assert "现场照片.jpg" in caught.value.message.zh
    assert "executable" in caught.value.message.en
    assert files_in(store) == []


def test_text_with_an_image_name_is_refused_listing_what_is_accepted(
    store: AttachmentStore, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError) as caught:
        store.put(write(tmp_path, "scan.png", "这不是图片".encode()))
    assert "PNG" in caught.value.message.zh and "佐证材料" in caught.value.message.zh


class CountingStream(io.RawIOBase):
    """Wraps a real file and counts the bytes read from it."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self.bytes_read = 0

    def fileno(self) -> int:
        return self._file.fileno()

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self.bytes_read += len(data)
        return data

    def close(self) -> None:
        self._file.close()
        super().close()


def test_a_2_gb_file_is_refused_before_anything_is_read(
    store: AttachmentStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = tmp_path / "监控录像.jpg"
    with huge.open("wb") as f:
        f.write(b"\xff\xd8\xff\xe0")
        f.truncate(2 * 1024**3)  # sparse: takes no disk space
    opened: list[CountingStream] = []

    def counting_open(path: Path) -> BinaryIO:
        opened.append(CountingStream(path))
        return opened[-1]  # type: ignore[return-value]

    monkeypatch.setattr(attachments, "_open_source", counting_open)
    with pytest.raises(ValidationError) as caught:
        store.put(huge)
    assert "20 MB" in caught.value.message.zh and "监控录像.jpg" in caught.value.message.zh
    assert opened[0].bytes_read == 0
    assert files_in(store) == []


def test_exactly_the_limit_is_accepted_one_byte_more_is_not(tmp_path: Path) -> None:
    small = AttachmentStore(tmp_path / "store", max_bytes=1024)
    assert small.put(write(tmp_path, "ok.png", PNG + b"\x00" * (1024 - len(PNG)))).size == 1024
    with pytest.raises(ValidationError):
        small.put(write(tmp_path, "big.png", PNG + b"\x00" * (1025 - len(PNG))))
    assert MAX_ATTACHMENT_BYTES == 20 * 1024 * 1024


def test_a_file_growing_after_the_size_check_is_capped_while_streaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = AttachmentStore(tmp_path / "store", max_bytes=4096)
    stat_of = write(tmp_path, "at-check.png", PNG)  # what the size check sees
    grown = write(tmp_path, "grown.png", PNG + b"\x01" * 10_000)  # what is then read

    class Growing(CountingStream):
        """Reads the grown file, but its size (fstat) is that of the small one."""

        def __init__(self) -> None:
            super().__init__(grown)
            self._small = stat_of.open("rb")

        def fileno(self) -> int:
            return self._small.fileno()

        def close(self) -> None:
            self._small.close()
            super().close()

    def open_growing(_path: Path) -> BinaryIO:
        return Growing()  # type: ignore[return-value]

    monkeypatch.setattr(attachments, "_open_source", open_growing)
    with pytest.raises(ValidationError) as caught:
        small.put(grown)
    assert "MB" in caught.value.message.zh
    assert files_in(small) == []


def test_a_file_that_vanished_before_attaching_gives_a_clear_message(
    store: AttachmentStore, tmp_path: Path
) -> None:
    path = write(tmp_path, "照片.png", PNG)
    path.unlink()
    with pytest.raises(ValidationError) as caught:
        store.put(path)
    assert "照片.png" in caught.value.message.zh and "无法读取" in caught.value.message.zh
    assert "cannot be read" in caught.value.message.en


def test_a_file_that_vanishes_while_it_is_copied_leaves_no_temporary_file(
    store: AttachmentStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "u盘照片.png", PNG + b"\x00" * (3 * 1024 * 1024))

    class Unplugged(CountingStream):
        """A removable drive pulled out after the first megabyte."""

        def read(self, size: int = -1) -> bytes:
            if self.bytes_read > 1024 * 1024:
                raise OSError(5, "Input/output error")
            return super().read(size)

    def open_then_unplug(p: Path) -> BinaryIO:
        stream = Unplugged(p)
        p.unlink()  # gone from the folder too; the open handle still reads at first
        return stream  # type: ignore[return-value]

    monkeypatch.setattr(attachments, "_open_source", open_then_unplug)
    with pytest.raises(ValidationError) as caught:
        store.put(path)
    assert "无法读取" in caught.value.message.zh
    assert files_in(store) == []
    assert store.leftover_temporary_files() == []


def test_a_folder_is_not_a_file(store: AttachmentStore, tmp_path: Path) -> None:
    folder = tmp_path / "照片"
    folder.mkdir()
    with pytest.raises(ValidationError) as caught:
        store.put(folder)
    assert "文件夹" in caught.value.message.zh


def test_the_same_content_is_stored_once(store: AttachmentStore, tmp_path: Path) -> None:
    first = store.put(write(tmp_path, "a.png", PNG))
    second = store.put(write(tmp_path, "b.png", PNG))
    assert first.path == second.path
    assert (first.newly_stored, second.newly_stored) == (True, False)
    assert files_in(store) == [first.path]


def test_discard_removes_only_a_new_unreferenced_file(
    store: AttachmentStore, tmp_path: Path
) -> None:
    first = store.put(write(tmp_path, "a.png", PNG))
    again = store.put(write(tmp_path, "a2.png", PNG))
    assert not store.discard(again, lambda _sha: False)  # it was there before this call
    assert not store.discard(first, lambda _sha: True)  # a record refers to it
    assert first.path.exists()
    assert store.discard(first, lambda _sha: False)
    assert not first.path.exists()


def test_a_failure_while_moving_into_place_removes_the_temporary_file(
    store: AttachmentStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        store.put(write(tmp_path, "a.png", PNG))
    monkeypatch.undo()
    assert files_in(store) == []


def test_path_for_refuses_anything_but_a_digest(store: AttachmentStore) -> None:
    with pytest.raises(ValueError):
        store.path_for("../../etc/passwd")
