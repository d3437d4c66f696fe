#!/usr/bin/env python3
"""Turn Designer forms and Linguist translations into files the program loads.

    python tools/build.py              compile forms, then every .ts into its .qm
    python tools/build.py --update-ts  refresh the .ts files from the sources first
    python tools/build.py --check-ts   list every message not translated; change nothing

Forms: every ``ui/**/*.ui`` becomes ``lawsup_desktop/ui/forms/ui_<stem>.py``
(pyside6-uic), rebuilt only when the .ui file is newer. Both the forms and the
.qm files are generated and git-ignored; only the .ts files are committed, and a
plain build never rewrites them.

Translations are split by AREA so that work on two features never touches the
same .ts file. Each folder ``lawsup_desktop/ui/<area>/`` with Python files, and
each ``ui/<area>/`` with .ui files, is an area; the modules directly in
``lawsup_desktop/ui/`` and the forms directly in ``ui/`` form the area
``shell``. An area's strings go to ``resources/translations/<area>_en.ts``.
The source strings are Chinese (zh_CN); English is the translation.

Uses only the standard library and the PySide6 tools installed next to the
Python that runs it (``.venv/bin/pyside6-uic`` and friends).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESIGNER = ROOT / "ui"
PACKAGE = ROOT / "lawsup_desktop"
PACKAGE_UI = PACKAGE / "ui"
FORMS = PACKAGE_UI / "forms"
TRANSLATIONS = ROOT / "resources" / "translations"

SHELL = "shell"
SOURCE_LANGUAGE = "zh_CN"
TARGET_LANGUAGE = "en"
TS_SUFFIX = f"_{TARGET_LANGUAGE}.ts"
NOT_AREAS = {"forms", "__pycache__"}

FORMS_INIT = '"""Python classes compiled from the Designer files in ui/ by tools/build.py."""\n'
FORM_HEADER = (
    "# Generated from {source} by tools/build.py (pyside6-uic). Do not edit:\n"
    "# change the .ui file in Qt Designer and build again.\n"
)


class BuildError(Exception):
    pass


def rel(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def tool(name: str) -> str:
    """The PySide6 console script installed beside the running Python."""
    exe = name + (".exe" if os.name == "nt" else "")
    # Not resolved: .venv/bin/python is a symlink to the base interpreter.
    beside = Path(sys.executable).parent / exe
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found:
        return found
    raise BuildError(
        f"{name} not found beside {sys.executable}: run this with the project's "
        "virtual environment (.venv/bin/python tools/build.py, or make run / make test)"
    )


def run(command: Sequence[str]) -> str:
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if result.returncode != 0:
        raise BuildError(
            f"{' '.join(command)} exited with {result.returncode}\n{result.stdout}{result.stderr}"
        )
    return result.stdout + result.stderr


def newer(target: Path, source: Path) -> bool:
    return target.exists() and target.stat().st_mtime >= source.stat().st_mtime


def tree(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if "__pycache__" not in p.parts)


# ------------------------------------------------------------------ forms


def compile_forms(force: bool) -> str:
    FORMS.mkdir(parents=True, exist_ok=True)
    init = FORMS / "__init__.py"
    if not init.exists():
        init.write_text(FORMS_INIT, encoding="utf-8")

    sources = tree(DESIGNER, "*.ui") if DESIGNER.is_dir() else []
    targets: dict[str, Path] = {}
    for source in sources:
        module = f"ui_{source.stem}"
        if not module.isidentifier():
            raise BuildError(f"{rel(source)}: the file name must make a module name ({module})")
        if module in targets:
            raise BuildError(
                f"{rel(source)} and {rel(targets[module])} would both compile to {module}.py: "
                "rename one (form names are unique across ui/)"
            )
        targets[module] = source

    uic = tool("pyside6-uic") if sources else ""
    compiled = 0
    for module, source in targets.items():
        target = FORMS / f"{module}.py"
        if not force and newer(target, source):
            continue
        partial = target.with_name(f".{module}.py.partial")
        try:
            run([uic, str(source), "-o", str(partial)])
            code = partial.read_text(encoding="utf-8")
            partial.write_text(FORM_HEADER.format(source=rel(source)) + code, encoding="utf-8")
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        compiled += 1

    removed = 0
    for stale in FORMS.glob("ui_*.py"):
        if stale.stem not in targets:  # its .ui file was deleted or renamed
            stale.unlink()
            removed += 1

    summary = f"forms: {compiled} compiled, {len(targets) - compiled} up to date"
    return summary + (f", {removed} stale removed" if removed else "")


# ------------------------------------------------------------ translations


def areas() -> dict[str, list[Path]]:
    """Each translation area and its source files (Python modules and .ui forms)."""
    found: dict[str, list[Path]] = {}

    def add(area: str, files: Iterable[Path]) -> None:
        files = list(files)
        if files:
            found.setdefault(area, []).extend(files)

    if PACKAGE_UI.is_dir():
        add(SHELL, sorted(PACKAGE_UI.glob("*.py")))
        for folder in sorted(PACKAGE_UI.iterdir()):
            if folder.is_dir() and folder.name not in NOT_AREAS:
                add(folder.name, tree(folder, "*.py"))
    if DESIGNER.is_dir():
        add(SHELL, sorted(DESIGNER.glob("*.ui")))
        for folder in sorted(DESIGNER.iterdir()):
            if folder.is_dir() and folder.name not in NOT_AREAS:
                add(folder.name, tree(folder, "*.ui"))
    return {area: sorted(set(files)) for area, files in sorted(found.items())}


def ts_file(area: str) -> Path:
    return TRANSLATIONS / f"{area}{TS_SUFFIX}"


def lupdate(sources: Sequence[Path], ts: Path) -> None:
    run(
        [
            tool("pyside6-lupdate"),
            *map(str, sources),
            "-ts",
            str(ts),
            "-source-language",
            SOURCE_LANGUAGE,
            "-target-language",
            TARGET_LANGUAGE,
            "-no-obsolete",  # a string removed from the code leaves the .ts
            "-locations",
            "relative",  # fewer changed lines when code moves
        ]
    )


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    state: str  # "finished", "unfinished", "empty" or "vanished"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)


def read_ts(ts: Path) -> list[Message]:
    try:
        root = ET.parse(ts).getroot()
    except ET.ParseError as exc:
        raise BuildError(f"{rel(ts)} is not a valid .ts file: {exc}") from exc
    messages = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else "unfinished"
            if translation is None:
                texts = [""]
            elif message.get("numerus") == "yes":
                texts = [form.text or "" for form in translation.iter("numerusform")] or [""]
            else:
                texts = [translation.text or ""]
            if kind in ("vanished", "obsolete"):
                state = "vanished"
            elif kind == "unfinished":
                state = "unfinished"
            elif not all(text.strip() for text in texts):
                state = "empty"
            else:
                state = "finished"
            messages.append(
                Message(
                    name, message.findtext("source") or "", message.findtext("comment") or "", state
                )
            )
    return messages


def stale_ts_files(current: Iterable[str]) -> list[Path]:
    wanted = {ts_file(area) for area in current}
    return sorted(ts for ts in TRANSLATIONS.glob(f"*{TS_SUFFIX}") if ts not in wanted)


def update_ts() -> str:
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    found = areas()
    lines = []
    for area, sources in found.items():
        ts = ts_file(area)
        existed = ts.exists()
        lupdate(sources, ts)
        messages = read_ts(ts)
        if not messages:
            ts.unlink()  # an area without strings keeps no .ts file
            if existed:
                lines.append(f"  {rel(ts)}: removed, no strings left")
            continue
        todo = sum(m.state != "finished" for m in messages)
        lines.append(f"  {rel(ts)}: {len(messages)} strings, {todo} to translate")
    for ts in stale_ts_files(found):
        ts.unlink()
        lines.append(f"  {rel(ts)}: removed, its area is gone")
    return "\n".join(["translations updated:", *lines]) if lines else "translations: no strings"


@dataclass
class Report:
    problems: list[tuple[Path, str, Message]] = field(default_factory=list)
    messages: int = 0

    def add(self, ts: Path, what: str, message: Message) -> None:
        self.problems.append((ts, what, message))


def check_ts() -> Report:
    """What ``--update-ts`` would change in the committed .ts files, message by message."""
    report = Report()
    found = areas()
    with tempfile.TemporaryDirectory(prefix="lawsup-ts-") as temp:
        for area, sources in found.items():
            committed = ts_file(area)
            scratch = Path(temp) / committed.name
            before: dict[tuple[str, str, str], Message] = {}
            if committed.exists():
                shutil.copy2(committed, scratch)
                before = {m.key: m for m in read_ts(committed)}
            lupdate(sources, scratch)
            after = read_ts(scratch)
            report.messages += len(after)
            for message in after:
                if message.key not in before:
                    report.add(committed, "new", message)
                elif message.state != "finished":
                    report.add(committed, message.state, message)
            keys = {m.key for m in after}
            for message in before.values():
                if message.key not in keys or message.state == "vanished":
                    report.add(committed, "vanished", message)
    for ts in stale_ts_files(found):
        for message in read_ts(ts):
            report.add(ts, "vanished", message)
    return report


def release_qm(force: bool) -> str:
    sources = sorted(TRANSLATIONS.glob("*.ts")) if TRANSLATIONS.is_dir() else []
    lrelease = tool("pyside6-lrelease") if sources else ""
    built = 0
    for ts in sources:
        qm = ts.with_suffix(".qm")
        if not force and newer(qm, ts):
            continue
        run([lrelease, str(ts), "-qm", str(qm), "-silent"])
        built += 1
    removed = 0
    if TRANSLATIONS.is_dir():
        for qm in TRANSLATIONS.glob("*.qm"):
            if not qm.with_suffix(".ts").exists():  # .qm files are generated only from .ts
                qm.unlink()
                removed += 1
    summary = f"translations: {built} .qm built, {len(sources) - built} up to date"
    return summary + (f", {removed} stale removed" if removed else "")


# ------------------------------------------------------------------ checks


def packages_without_init() -> list[Path]:
    """Folders of Python files that setuptools would leave out of the wheel."""
    folders = {p.parent for p in tree(PACKAGE, "*.py")}
    return sorted(f for f in folders if not (f / "__init__.py").exists())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tools/build.py", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--update-ts",
        action="store_true",
        help="refresh the .ts files from the sources (pyside6-lupdate), then build",
    )
    mode.add_argument(
        "--check-ts",
        action="store_true",
        help="exit 1 listing each message that is new, unfinished, empty or vanished "
        "compared with the committed .ts files; writes nothing",
    )
    parser.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    args = parser.parse_args(argv)

    try:
        if args.check_ts:
            report = check_ts()
            if not report.problems:
                print(f"translations: {report.messages} strings, all translated")
                return 0
            for ts, what, message in report.problems:
                comment = f" ({message.comment})" if message.comment else ""
                print(f"{rel(ts)}: {what:<10} [{message.context}] {message.source}{comment}")
            print(
                f"{len(report.problems)} message(s) to translate or clean up: run "
                "`.venv/bin/python tools/build.py --update-ts`, translate the unfinished ones "
                "(pyside6-linguist or an editor) and commit the .ts files",
                file=sys.stderr,
            )
            return 1
        if args.update_ts:
            print(update_ts())
        print(compile_forms(args.force))
        print(release_qm(args.force))
        for folder in packages_without_init():
            print(
                f"warning: {rel(folder)} has Python files but no __init__.py; "
                "it will be missing from the installed package",
                file=sys.stderr,
            )
    except BuildError as exc:
        print(f"tools/build.py: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
