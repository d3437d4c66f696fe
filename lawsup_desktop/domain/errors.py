"""Errors the user can act on, each with its message in Chinese and English.

The domain cannot use Qt Linguist, so every user-facing text here carries both
languages; the UI picks one with :func:`Text.in_language`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A user-facing text in the two languages of the program."""

    zh: str
    en: str

    def __post_init__(self) -> None:
        if not self.zh or not self.en:
            raise ValueError(f"a Text needs both languages: {self.zh!r} / {self.en!r}")

    def in_language(self, language: str) -> str:
        return self.en if language.startswith("en") else self.zh

    def format(self, **values: object) -> Text:
        return Text(self.zh.format(**values), self.en.format(**values))


class LawsupError(Exception):
    """An error with a message fit to show the user as it is."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message

    def in_language(self, language: str) -> str:
        return self.message.in_language(language)


class ValidationError(LawsupError):
    """A value the user typed is not acceptable; ``field`` names where it was typed."""

    def __init__(self, field: Text, problem: Text) -> None:
        super().__init__(Text(f"{field.zh}：{problem.zh}", f"{field.en}: {problem.en}"))
        self.field = field
        self.problem = problem


class NotFoundError(LawsupError):
    """A record the user asked for does not exist (or was deleted)."""


class ConflictError(LawsupError):
    """The record changed under the user (another window, another writer)."""


class RuleViolation(LawsupError):
    """An action the rules of the domain forbid (wrong state, wrong reviewer, ...)."""
