"""The session's transitions: the lobby, the timer, the teacher's controls and the end.

Stages: LOBBY -> QUESTION(0) -> REVEAL(0) -> QUESTION(1) -> ... -> ENDED. Each takes the
session and returns the new one plus what happened (a Step). Times are absolute UTC datetimes
passed in by the caller: nothing here reads a clock, so restarts and tests replay exactly.
A peer question's stages between its votes are in quizzes.live.discussion; a student's
answer in quizzes.live.answering.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from quizzes.adaptive import PeerPath, judge
from quizzes.live.discussion import (
    choosing,
    discuss_anyway,
    offer_choice,
    open_discussion,
    open_revote,
)
from quizzes.live.events import (
    ConsensusReached,
    Ended,
    Event,
    LeaderboardDue,
    Paused,
    QuestionClosed,
    QuestionOpened,
    ResponsesChanged,
    Resumed,
    SpeedChanged,
    Started,
    Step,
)
from quizzes.live.kinds import live_kind, live_questions
from quizzes.live.session import (
    CloseReason,
    LiveRules,
    LiveSession,
    Phase,
    Planned,
    Stage,
    Status,
    millis,
    next_step,
)
from quizzes.model import Bank


def new_session(
    bank: Bank,
    chat_id: int,
    teacher_id: int | None,
    now: datetime,
    rng: random.Random,
    rules: LiveRules,
) -> LiveSession:
    """A session in its lobby, with the option order fixed for everyone and a start countdown."""
    plan = []
    for question in live_questions(bank):
        kind = live_kind(question)
        assert kind is not None
        plan.append(
            Planned(
                question.id,
                kind.order(question, rng),
                kind.seconds(question, rules),
                kind.discussion(question),
                kind.scored,
            )
        )
    return LiveSession(
        id=None,
        chat_id=chat_id,
        bank_id=bank.id,
        teacher_id=teacher_id,
        plan=tuple(plan),
        created_at=now,
        left_out=len(bank.questions) - len(plan),
        deadline=now + timedelta(seconds=rules.lobby_seconds),
        band=bank.peer,
        version=bank.version,
    )


def _open(session: LiveSession, position: int, now: datetime) -> Step:
    seconds = session.plan[position].seconds
    opened = next_step(
        session,
        phase=Phase.QUESTION,
        position=position,
        stage=Stage.ANSWER,
        opened_at=now,
        deadline=now + timedelta(seconds=seconds),
        paused_left_ms=None,
        reason=None,
        message_id=None,
        expected=session.joined,
        answered=frozenset(),
        right=frozenset(),
        path=None,
    )
    return opened, (QuestionOpened(position),)


def _start(session: LiveSession, now: datetime) -> Step:
    started = replace(session, started_at=now)
    if not session.plan:
        return _end(started, now, Status.FINISHED, (Started(),))
    opened, events = _open(started, 0, now)
    return opened, (Started(), *events)


def _end(
    session: LiveSession, now: datetime, status: Status, events: tuple[Event, ...] = ()
) -> Step:
    ended = next_step(
        session,
        phase=Phase.ENDED,
        status=status,
        deadline=None,
        paused_left_ms=None,
        ended_at=now,
    )
    return ended, (*events, Ended(status))


def leaderboard_due(position: int, total: int, rules: LiveRules) -> bool:
    """An interim leaderboard after every few questions, but not after the last one."""
    done = position + 1
    return done % rules.leaderboard_every == 0 and done < total


def close_stage(session: LiveSession, now: datetime, reason: CloseReason, rules: LiveRules) -> Step:
    """End the open stage: a peer round's first vote goes the way its share of correct votes
    says (discussion, the teacher's choice, or a reveal at once); otherwise the question is
    revealed (or, when stopped or last, the session ends)."""
    position = session.position
    first: tuple[Event, ...] = ()
    if (
        reason is not CloseReason.STOPPED
        and session.stage is Stage.ANSWER
        and session.current.discuss > 0
    ):
        path = judge(len(session.right), len(session.answered), session.band)
        if path is PeerPath.DISCUSS:
            return open_discussion(session, now, reason)
        if path is PeerPath.CHOOSE:
            return offer_choice(session, now, reason, rules)
        session, first = replace(session, path=path), (ConsensusReached(position),)
    closed = QuestionClosed(position, reason)
    if reason is CloseReason.STOPPED or session.is_last:
        status = Status.STOPPED if reason is CloseReason.STOPPED else Status.FINISHED
        return _end(replace(session, reason=reason), now, status, (*first, closed))
    revealed = next_step(
        session,
        phase=Phase.REVEAL,
        reason=reason,
        paused_left_ms=None,
        deadline=now + timedelta(seconds=rules.reveal_seconds),
    )
    events: tuple[Event, ...] = (*first, closed)
    if leaderboard_due(position, session.total, rules):
        events += (LeaderboardDue(position),)
    return revealed, events


def has_prompts(session: LiveSession) -> bool:
    """The session asks discussion prompts (its only unscored questions)."""
    return any(not p.scored for p in session.plan)


def everyone_answered(session: LiveSession) -> bool:
    """Everyone who had joined when the question opened has answered it in this round (late
    joiners, who join with their answer, cannot close a question on their own)."""
    return session.accepting and bool(session.expected) and session.expected <= session.answered


def join(session: LiveSession, user_id: int) -> tuple[LiveSession, bool]:
    """Add a student; returns whether they are new. Joining is not a step: it only counts."""
    if not session.is_open or user_id in session.joined:
        return session, False
    return replace(session, joined=session.joined | {user_id}), True


def set_speed(session: LiveSession, speed: bool) -> Step:
    """Choose speed points, in the lobby only."""
    if not session.is_open or session.phase is not Phase.LOBBY or session.speed == speed:
        return session, ()
    return next_step(session, speed=speed), (SpeedChanged(speed),)


def set_show_responses(session: LiveSession, show: bool) -> Step:
    """Choose, in the lobby, whether discussion reveals quote a few responses without names."""
    if not session.is_open or session.phase is not Phase.LOBBY or session.show_responses == show:
        return session, ()
    return next_step(session, show_responses=show), (ResponsesChanged(show),)


def start(session: LiveSession, now: datetime) -> Step:
    """Leave the lobby and open the first question."""
    if not session.is_open or session.phase is not Phase.LOBBY:
        return session, ()
    return _start(replace(session, paused_left_ms=None), now)


def tick(session: LiveSession, now: datetime, rules: LiveRules) -> Step:
    """The timer: act on a deadline that has passed (or on a question everyone answered)."""
    if not session.is_open or session.paused:
        return session, ()
    if session.deadline is not None and now >= session.deadline:
        if session.phase is Phase.LOBBY:
            return _start(session, now)
        if choosing(session):
            # The teacher did not choose: the round goes on as any peer round does.
            return discuss_anyway(session, now)
        if session.phase is Phase.QUESTION and session.stage is Stage.DISCUSS:
            return open_revote(session, now)
        if session.phase is Phase.QUESTION:
            return close_stage(session, now, CloseReason.TIMEOUT, rules)
        if session.phase is Phase.REVEAL:
            return _open(session, session.position + 1, now)
    if session.phase is Phase.QUESTION and everyone_answered(session):
        return close_stage(session, now, CloseReason.ALL_ANSWERED, rules)
    return session, ()


def skip(session: LiveSession, now: datetime, rules: LiveRules) -> Step:
    """The teacher moves on: lobby -> first question, question -> reveal, reveal -> next; in a
    peer round: first vote -> its path (discussion, the teacher's choice, or the reveal) and
    from between the votes (whichever the path) -> re-vote -> reveal."""
    if not session.is_open:
        return session, ()
    if session.phase is Phase.LOBBY:
        return _start(replace(session, paused_left_ms=None), now)
    if session.phase is Phase.QUESTION and session.stage is Stage.DISCUSS:
        return open_revote(session, now)
    if session.phase is Phase.QUESTION:
        return close_stage(session, now, CloseReason.SKIPPED, rules)
    return _open(session, session.position + 1, now)


def pause(session: LiveSession, now: datetime) -> Step:
    """Freeze the clock: the time left is kept and answers wait until resume."""
    if not session.is_open or session.paused or session.deadline is None:
        return session, ()
    left = max(millis(session.deadline - now), 0)
    return next_step(session, paused_left_ms=left, deadline=None), (Paused(),)


def resume(session: LiveSession, now: datetime) -> Step:
    """Start the clock again with the time that was left; paused time does not count."""
    if not session.is_open or not session.paused:
        return session, ()
    assert session.paused_left_ms is not None
    deadline = now + timedelta(milliseconds=session.paused_left_ms)
    changes: dict[str, object] = {"deadline": deadline, "paused_left_ms": None}
    if session.accepting:
        changes["opened_at"] = deadline - timedelta(seconds=session.current.seconds)
    return next_step(session, **changes), (Resumed(),)


def stop(session: LiveSession, now: datetime, rules: LiveRules) -> Step:
    """End now. In the lobby nothing happened, so the session is cancelled; later, the open
    question is revealed and the results so far stand."""
    if not session.is_open:
        return session, ()
    if session.phase is Phase.LOBBY:
        return _end(session, now, Status.CANCELLED)
    if session.phase is Phase.QUESTION:
        return close_stage(session, now, CloseReason.STOPPED, rules)
    return _end(session, now, Status.STOPPED)


def abandon(session: LiveSession, now: datetime) -> Step:
    """End a session the bot can no longer run (it may not post in the group, or the bank is
    gone). Unlike `stop`, the open question is not revealed: nothing can be shown there any
    more. The results so far stand once the session has started; a lobby is cancelled."""
    if not session.is_open:
        return session, ()
    status = Status.STOPPED if session.started_at is not None else Status.CANCELLED
    return _end(session, now, status)
