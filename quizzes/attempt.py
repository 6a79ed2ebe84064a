"""A self-paced attempt at a bank: the state machine a private chat drives.

An attempt is a frozen value. Every event (answer, toggle, next) takes the attempt and returns
the new one, so the bot can store it and a restart loses nothing.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from quizzes.errors import StaleAction
from quizzes.model import Bank, Question, QuestionType


class AttemptStatus(StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Attempt:
    """One student's pass through (part of) a bank."""

    id: int | None
    user_id: int
    chat_id: int
    bank_id: str
    question_ids: tuple[str, ...]
    option_orders: tuple[tuple[str, ...], ...]
    started_at: datetime
    position: int = 0
    selection: frozenset[str] = frozenset()
    status: AttemptStatus = AttemptStatus.ACTIVE
    finished_at: datetime | None = None
    class_chat_id: int | None = None
    retry_of: int | None = None

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def current_question_id(self) -> str:
        return self.question_ids[self.position]

    def options_shown(self, position: int) -> tuple[str, ...]:
        """Option keys in the order this attempt shows them at a position."""
        return self.option_orders[position]

    def require_current(self, position: int) -> None:
        """Raise StaleAction unless `position` is the live question of an active attempt."""
        if (
            self.status is not AttemptStatus.ACTIVE
            or position != self.position
            or not 0 <= position < self.total
        ):
            raise StaleAction(f"attempt {self.id}: position {position} is not current")


@dataclass(frozen=True)
class AnswerRecord:
    """One recorded answer."""

    attempt_id: int
    question_id: str
    choice: str
    correct: bool | None
    score: float
    answered_at: datetime
    latency_ms: int
    raw_text: str | None = None


def _order(question: Question, rng: random.Random) -> tuple[str, ...]:
    keys = [o.key for o in question.options]
    if question.type is not QuestionType.TRUE_FALSE:
        rng.shuffle(keys)
    return tuple(keys)


def new_attempt(
    bank: Bank,
    user_id: int,
    chat_id: int,
    now: datetime,
    rng: random.Random,
    only: Sequence[str] | None = None,
    class_chat_id: int | None = None,
    retry_of: int | None = None,
) -> Attempt:
    """Start an attempt at the whole bank, or only at the given question ids (a retry)."""
    wanted = set(only) if only is not None else None
    questions = [q for q in bank.questions if wanted is None or q.id in wanted]
    return Attempt(
        id=None,
        user_id=user_id,
        chat_id=chat_id,
        bank_id=bank.id,
        question_ids=tuple(q.id for q in questions),
        option_orders=tuple(_order(q, rng) for q in questions),
        started_at=now,
        class_chat_id=class_chat_id,
        retry_of=retry_of,
    )


def toggle(attempt: Attempt, position: int, key: str) -> Attempt:
    """Flip one option of a multi-select question in the current selection."""
    attempt.require_current(position)
    if key not in attempt.options_shown(position):
        raise StaleAction(f"option {key!r} is not shown at position {position}")
    return replace(attempt, selection=attempt.selection ^ {key})


def advance(attempt: Attempt, position: int, now: datetime) -> Attempt:
    """Move past an answered question; finish the attempt after the last one."""
    attempt.require_current(position)
    if position + 1 >= attempt.total:
        return replace(
            attempt, status=AttemptStatus.FINISHED, finished_at=now, selection=frozenset()
        )
    return replace(attempt, position=position + 1, selection=frozenset())


@dataclass(frozen=True)
class Summary:
    """The result of a finished attempt."""

    score: float
    out_of: int
    missed: tuple[str, ...]
    seconds: int

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.out_of) if self.out_of else 0


def summarize(attempt: Attempt, bank: Bank, answers: Sequence[AnswerRecord]) -> Summary:
    """Score an attempt: scored questions only; unanswered scored questions count as missed."""
    by_question = {a.question_id: a for a in answers}
    scored = [qid for qid in attempt.question_ids if bank.question(qid).is_scored]
    score = sum(by_question[q].score for q in scored if q in by_question)
    missed = tuple(q for q in scored if q not in by_question or not by_question[q].correct)
    end = attempt.finished_at or max((a.answered_at for a in answers), default=attempt.started_at)
    return Summary(score, len(scored), missed, int((end - attempt.started_at).total_seconds()))
