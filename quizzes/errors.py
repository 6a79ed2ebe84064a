"""Exceptions raised by the domain. The bot maps each to a short Arabic notice."""

from __future__ import annotations

from dataclasses import dataclass


class QuizError(Exception):
    """Base class of every domain error."""


class ArticleError(QuizError):
    """The article or its metadata cannot be loaded or does not match its hash."""


class ParagraphOutOfRange(QuizError):
    """A paragraph number outside 1..N."""

    def __init__(self, number: int, count: int) -> None:
        super().__init__(f"paragraph {number} is outside 1..{count}")
        self.number = number
        self.count = count


@dataclass(frozen=True)
class Problem:
    """One problem found in a bank file, with where it is and what to fix."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class BankError(QuizError):
    """One or more banks are invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class StaleAction(QuizError):
    """A button or reply refers to a question that is no longer the current one."""


class UnknownBank(QuizError):
    """No bank with that id is loaded."""
