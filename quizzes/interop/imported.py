"""Questions read from GIFT or Aiken, before they become a draft bank."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """One answer as the file gives it: text, weight (1 = full credit) and feedback."""

    text: str
    fraction: float
    feedback: str = ""


@dataclass(frozen=True)
class Imported:
    """One question of a GIFT or Aiken file.

    `kind` is Moodle's type name (multichoice, truefalse, shortanswer, essay, numerical,
    match, description); `single` is False for a multiple-answer multichoice; `truth` is the
    answer of a truefalse question, whose two feedbacks are in `choices` (for true, for false).
    """

    line: int
    kind: str
    text: str
    name: str = ""
    choices: tuple[Choice, ...] = ()
    single: bool = True
    truth: bool | None = None
    general_feedback: str = ""
    category: str = ""


@dataclass(frozen=True)
class ReadProblem:
    """A block of the file that is not a question the reader understands."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"
