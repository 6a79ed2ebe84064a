"""A peer round between its two votes: the discussion, the teacher's choice after a weak
first vote, the passage shown first, and the re-vote.

The first vote's share of correct votes decides the path (quizzes.adaptive.judge): inside
the bank's band the discussion runs; above it the question is revealed at once (no re-vote);
below it the round waits in DISCUSS for the teacher to choose "explain first" (the passage is
shown for the discussion's time, then the re-vote) or "discuss anyway"; if the teacher does
not choose within `choice_seconds`, the discussion runs, as it always did.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from quizzes.adaptive import PeerPath
from quizzes.live.events import (
    ChoiceOffered,
    DiscussionOpened,
    ExplanationOpened,
    RevoteOpened,
    Step,
)
from quizzes.live.session import CloseReason, LiveRules, LiveSession, Phase, Stage, next_step


def open_discussion(session: LiveSession, now: datetime, reason: CloseReason) -> Step:
    """The first vote of a peer round is over (or the teacher chose to discuss): answers
    close, the discussion timer runs."""
    discussing = next_step(
        session,
        stage=Stage.DISCUSS,
        path=PeerPath.DISCUSS,
        reason=reason,
        paused_left_ms=None,
        deadline=now + timedelta(seconds=session.current.discuss),
    )
    return discussing, (DiscussionOpened(session.position, reason),)


def offer_choice(
    session: LiveSession, now: datetime, reason: CloseReason, rules: LiveRules
) -> Step:
    """A weak first vote: answers close and the teacher has `choice_seconds` to choose."""
    waiting = next_step(
        session,
        stage=Stage.DISCUSS,
        path=PeerPath.CHOOSE,
        reason=reason,
        paused_left_ms=None,
        deadline=now + timedelta(seconds=rules.choice_seconds),
    )
    return waiting, (ChoiceOffered(session.position, reason),)


def _explain(session: LiveSession, now: datetime) -> Step:
    """The passage is shown for the discussion's time; the re-vote follows."""
    explaining = next_step(
        session,
        path=PeerPath.EXPLAIN,
        paused_left_ms=None,
        deadline=now + timedelta(seconds=session.current.discuss),
    )
    return explaining, (ExplanationOpened(session.position),)


def choosing(session: LiveSession) -> bool:
    """The session waits for the teacher's choice after a weak first vote."""
    return (
        session.is_open
        and session.phase is Phase.QUESTION
        and session.stage is Stage.DISCUSS
        and session.path is PeerPath.CHOOSE
    )


def explain_first(session: LiveSession, now: datetime) -> Step:
    """The teacher's choice after a weak first vote: show the passage, then the re-vote.
    Nothing happens unless the session is waiting for that choice; a pause ends with it (the
    choice starts the next stage's clock)."""
    if not choosing(session):
        return session, ()
    return _explain(session, now)


def discuss_anyway(session: LiveSession, now: datetime) -> Step:
    """The teacher's choice after a weak first vote: the discussion, as in any peer round."""
    if not choosing(session):
        return session, ()
    assert session.reason is not None
    return open_discussion(session, now, session.reason)


def open_revote(session: LiveSession, now: datetime) -> Step:
    """After the discussion, the same question again: a new message, a new round of answers.
    Who is expected stays who was expected at the first vote."""
    revoting = next_step(
        session,
        stage=Stage.REVOTE,
        opened_at=now,
        deadline=now + timedelta(seconds=session.current.seconds),
        paused_left_ms=None,
        reason=None,
        message_id=None,
        answered=frozenset(),
        right=frozenset(),
    )
    return revoting, (RevoteOpened(session.position),)
