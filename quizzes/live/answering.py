"""A student's answer in a live session: a press or a typed reply, checked against the open
question, graded by its kind, and recorded; the last expected answer closes the round.

A student's last vote is their answer: in a peer round, the re-vote if they cast one, else
their first vote (quizzes.live.scoring.counted).
"""

from __future__ import annotations

from datetime import datetime

from quizzes.article import Article
from quizzes.live.events import Event, Outcome, Refusal
from quizzes.live.kinds import Given, live_kind
from quizzes.live.machine import close_stage, everyone_answered
from quizzes.live.scoring import points
from quizzes.live.session import (
    CloseReason,
    LiveAnswer,
    LiveRules,
    LiveSession,
    Phase,
    Stage,
    millis,
)
from quizzes.model import Question


def answer(
    session: LiveSession,
    question: Question,
    position: int,
    user_id: int,
    keys: frozenset[str],
    at: datetime,
    rules: LiveRules,
    *,
    text: str | None = None,
    article: Article | None = None,
    round: int = 0,
) -> tuple[LiveSession, tuple[Event, ...], Outcome]:
    """A student's answer (`keys` pressed, or the `text` of a reply) to the question at
    `position`, in answer `round` (1: the re-vote of a peer round). The first one per round
    counts; an answer from someone who had not joined makes them join. The last expected answer
    closes the round. `article` lets evidence pastes be graded against the whole article."""
    if not session.is_open or session.phase is not Phase.QUESTION or position != session.position:
        return session, (), Outcome(refusal=Refusal.CLOSED)
    if session.stage is Stage.DISCUSS:
        return session, (), Outcome(refusal=Refusal.DISCUSSING)
    if round != session.round:
        return session, (), Outcome(refusal=Refusal.CLOSED)
    if session.paused:
        return session, (), Outcome(refusal=Refusal.PAUSED)
    if session.deadline is not None and at >= session.deadline:
        # The timer has not fired yet, but time is up: this press closes the question.
        after, events = close_stage(session, at, CloseReason.TIMEOUT, rules)
        return after, events, Outcome(refusal=Refusal.CLOSED)
    if user_id in session.answered:
        return session, (), Outcome(refusal=Refusal.ALREADY)
    kind = live_kind(question)
    given = Given(keys, text)
    if (
        kind is None
        or question.id != session.current.question_id
        or not kind.valid(question, given)
    ):
        return session, (), Outcome(refusal=Refusal.INVALID)
    assert session.id is not None and session.opened_at is not None
    planned = session.current
    elapsed = min(max(millis(at - session.opened_at), 0), planned.seconds * 1000)
    verdict = kind.grade(question, given, article)
    scored = kind.scored and verdict.correct is not None
    credit = verdict.score if scored else 0.0
    right = scored and bool(verdict.correct)
    record = LiveAnswer(
        session_id=session.id,
        question_id=question.id,
        position=position,
        user_id=user_id,
        keys=keys,
        correct=bool(verdict.correct) if scored else None,
        points=points(credit, elapsed, planned.seconds, session.speed, rules.speed_floor),
        answered_at=at,
        elapsed_ms=elapsed,
        round=session.round,
        raw_text=text,
        # Choices are all or nothing; typed answers keep their grade (an evidence fragment: 0.5).
        credit=credit if scored and text is not None else None,
    )
    after = session.with_answer(user_id, right)
    events: tuple[Event, ...] = ()
    if everyone_answered(after):
        after, events = close_stage(after, at, CloseReason.ALL_ANSWERED, rules)
    return after, events, Outcome(answer=record)
