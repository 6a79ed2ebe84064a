"""Peer-instruction rounds played alone: what changed between the first and the second vote.

In a private chat the "discussion" between the two votes is the student's own second look at
the cited paragraphs; both votes are kept, and only the second one is scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from quizzes.errors import StaleAction
from quizzes.model import Question, QuestionType

FIRST = 1
SECOND = 2


@dataclass(frozen=True)
class FirstVote:
    """A student's first vote on a peer item of a private attempt (the second is the answer)."""

    attempt_id: int
    question_id: str
    choice: str
    voted_at: datetime


class Shift(StrEnum):
    """How the second vote relates to the first."""

    STAYED_RIGHT = "stayed_right"
    TO_RIGHT = "to_right"
    TO_WRONG = "to_wrong"
    STAYED_WRONG = "stayed_wrong"
    OTHER_WRONG = "other_wrong"


def check_vote(question: Question, round_number: int, key: str) -> None:
    """Raise StaleAction for a vote that cannot belong to this peer question."""
    if question.type is not QuestionType.PEER:
        raise StaleAction(f"question {question.id} is not a peer item")
    if round_number not in (FIRST, SECOND):
        raise StaleAction(f"no round {round_number}")
    if key not in {o.key for o in question.options}:
        raise StaleAction(f"no option {key!r}")


def shift(question: Question, first: str, second: str) -> Shift:
    """Classify the change from the first vote to the second."""
    was, now = first in question.answer, second in question.answer
    if was and now:
        return Shift.STAYED_RIGHT
    if now:
        return Shift.TO_RIGHT
    if was:
        return Shift.TO_WRONG
    return Shift.STAYED_WRONG if first == second else Shift.OTHER_WRONG
