"""Live group sessions: the state machine a class group drives, with scoring and standings.

A session is a frozen value. Every event (join, answer, tick, start, skip, pause, resume, stop)
takes the session and returns the new one plus what happened, so the bot only has to store it,
show what happened and schedule the next deadline. Times are absolute UTC datetimes passed in by
the caller; nothing here reads a clock, talks to Telegram or touches a database.

Stages: LOBBY -> QUESTION(0) -> REVEAL(0) -> QUESTION(1) -> ... -> ENDED. Each transition adds one
to `step`, so a control button that carries the step it was drawn for goes stale once pressed.

Question kinds plug in through LIVE_KINDS: a kind says how students answer (one press, or toggles
then confirm), how its options are ordered and how an answer is graded. Kinds that need typed
replies or several rounds (short answers, discussion prompts, peer instruction with a re-vote)
can be registered there later; until then such questions are left out of a live session and
counted in `LiveSession.left_out`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from quizzes.grading import Verdict, grade_choice
from quizzes.model import Bank, Question, QuestionType


class Phase(StrEnum):
    LOBBY = "lobby"
    QUESTION = "question"
    REVEAL = "reveal"
    ENDED = "ended"


class Status(StrEnum):
    OPEN = "open"
    FINISHED = "finished"
    STOPPED = "stopped"
    CANCELLED = "cancelled"


class CloseReason(StrEnum):
    TIMEOUT = "timeout"
    ALL_ANSWERED = "all_answered"
    SKIPPED = "skipped"
    STOPPED = "stopped"


class Refusal(StrEnum):
    """Why a press did not count."""

    ALREADY = "already"  # this student answered this question before: the first press counts
    CLOSED = "closed"  # not the open question (its time is over, or it is not open yet)
    PAUSED = "paused"
    INVALID = "invalid"  # keys that are not options of this question


class InputStyle(StrEnum):
    """How students answer a kind of question in the group."""

    PRESS = "press"  # one press on an option is the answer
    SELECT = "select"  # presses toggle options privately; a confirm press submits them


@dataclass(frozen=True)
class LiveRules:
    """Timings and limits of live sessions. Times in seconds."""

    lobby_seconds: float = 90.0  # the lobby starts by itself after this countdown
    reveal_seconds: float = 12.0  # how long a reveal stays before the next question
    default_time_limit: int = 30  # for questions without time_limit
    leaderboard_every: int = 5  # questions between two interim leaderboards
    refresh_seconds: float = 5.0  # timer of the lobby count and the answer counter
    counter_seconds: float = 10.0  # at most one answer-counter edit per question this often
    speed_floor: float = 0.5  # share of the points a correct answer at the deadline still gets
    top: int = 10
    podium: int = 3


# --- question kinds --------------------------------------------------------------------------


class LiveKind(Protocol):
    """What the engine needs to know about one kind of question."""

    style: InputStyle

    def order(self, question: Question, rng: random.Random) -> tuple[str, ...]: ...

    def valid(self, question: Question, keys: frozenset[str]) -> bool: ...

    def grade(self, question: Question, keys: frozenset[str]) -> Verdict: ...


@dataclass(frozen=True)
class ChoiceKind:
    """Questions answered by choosing among the bank's options."""

    style: InputStyle = InputStyle.PRESS
    shuffle: bool = True

    def order(self, question: Question, rng: random.Random) -> tuple[str, ...]:
        keys = [o.key for o in question.options]
        if self.shuffle:
            rng.shuffle(keys)
        return tuple(keys)

    def valid(self, question: Question, keys: frozenset[str]) -> bool:
        if not keys or not keys <= {o.key for o in question.options}:
            return False
        return self.style is InputStyle.SELECT or len(keys) == 1

    def grade(self, question: Question, keys: frozenset[str]) -> Verdict:
        return grade_choice(question, keys)


# Peer questions run as a single vote for now; their discussion round and re-vote come later.
LIVE_KINDS: dict[QuestionType, LiveKind] = {
    QuestionType.SINGLE: ChoiceKind(),
    QuestionType.PEER: ChoiceKind(),
    QuestionType.TRUE_FALSE: ChoiceKind(shuffle=False),
    QuestionType.MULTI: ChoiceKind(InputStyle.SELECT),
}


def live_kind(question: Question) -> LiveKind | None:
    """The kind that runs this question in a live session, or None if none does yet."""
    return LIVE_KINDS.get(question.type)


def live_questions(bank: Bank) -> tuple[Question, ...]:
    """The questions of a bank a live session can ask, in bank order."""
    return tuple(q for q in bank.questions if live_kind(q) is not None)


# --- the session value -----------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """One question of a session: its id, the option order everyone sees, its time limit."""

    question_id: str
    order: tuple[str, ...]
    seconds: int


@dataclass(frozen=True)
class LiveSession:
    """A live session in one group. `joined`, `expected` and `answered` come from the stores
    of participants and answers; the rest is the session's own row."""

    id: int | None
    chat_id: int
    bank_id: str
    teacher_id: int | None
    plan: tuple[Planned, ...]
    created_at: datetime
    left_out: int = 0
    speed: bool = False
    status: Status = Status.OPEN
    phase: Phase = Phase.LOBBY
    position: int = 0
    step: int = 0
    deadline: datetime | None = None
    opened_at: datetime | None = None
    paused_left_ms: int | None = None
    reason: CloseReason | None = None
    message_id: int | None = None
    shown_step: int = -1  # the last step whose messages the bot finished showing
    started_at: datetime | None = None
    ended_at: datetime | None = None
    joined: frozenset[int] = frozenset()  # everyone taking part, late joiners included
    expected: frozenset[int] = frozenset()  # who had joined when the current question opened
    answered: frozenset[int] = frozenset()  # who answered the current question

    @property
    def total(self) -> int:
        return len(self.plan)

    @property
    def current(self) -> Planned:
        return self.plan[self.position]

    @property
    def is_open(self) -> bool:
        return self.status is Status.OPEN

    @property
    def paused(self) -> bool:
        return self.paused_left_ms is not None

    @property
    def is_last(self) -> bool:
        return self.position + 1 >= self.total


@dataclass(frozen=True)
class LiveAnswer:
    """One counted answer. `round` is 0; multi-round kinds (peer re-votes) may use more."""

    session_id: int
    question_id: str
    position: int
    user_id: int
    keys: frozenset[str]
    correct: bool
    points: float
    answered_at: datetime
    elapsed_ms: int
    round: int = 0


# --- events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    pass


@dataclass(frozen=True)
class SpeedChanged:
    speed: bool


@dataclass(frozen=True)
class QuestionOpened:
    position: int


@dataclass(frozen=True)
class QuestionClosed:
    position: int
    reason: CloseReason


@dataclass(frozen=True)
class LeaderboardDue:
    position: int


@dataclass(frozen=True)
class Paused:
    pass


@dataclass(frozen=True)
class Resumed:
    pass


@dataclass(frozen=True)
class Ended:
    status: Status


Event = (
    Started
    | SpeedChanged
    | QuestionOpened
    | QuestionClosed
    | LeaderboardDue
    | Paused
    | Resumed
    | Ended
)
Step = tuple[LiveSession, tuple[Event, ...]]


@dataclass(frozen=True)
class Outcome:
    """What became of one press: the counted answer, or why it did not count."""

    answer: LiveAnswer | None = None
    refusal: Refusal | None = None


# --- building a session ----------------------------------------------------------------------


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
        seconds = question.time_limit or rules.default_time_limit
        plan.append(Planned(question.id, kind.order(question, rng), seconds))
    return LiveSession(
        id=None,
        chat_id=chat_id,
        bank_id=bank.id,
        teacher_id=teacher_id,
        plan=tuple(plan),
        created_at=now,
        left_out=len(bank.questions) - len(plan),
        deadline=now + timedelta(seconds=rules.lobby_seconds),
    )


def _ms(delta: timedelta) -> int:
    return int(delta.total_seconds() * 1000)


def _next(session: LiveSession, **changes: object) -> LiveSession:
    return replace(session, step=session.step + 1, **changes)


def _open(session: LiveSession, position: int, now: datetime) -> Step:
    seconds = session.plan[position].seconds
    opened = _next(
        session,
        phase=Phase.QUESTION,
        position=position,
        opened_at=now,
        deadline=now + timedelta(seconds=seconds),
        paused_left_ms=None,
        reason=None,
        message_id=None,
        expected=session.joined,
        answered=frozenset(),
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
    ended = _next(
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


def _close(session: LiveSession, now: datetime, reason: CloseReason, rules: LiveRules) -> Step:
    position = session.position
    closed = QuestionClosed(position, reason)
    if reason is CloseReason.STOPPED or session.is_last:
        status = Status.STOPPED if reason is CloseReason.STOPPED else Status.FINISHED
        return _end(replace(session, reason=reason), now, status, (closed,))
    revealed = _next(
        session,
        phase=Phase.REVEAL,
        reason=reason,
        paused_left_ms=None,
        deadline=now + timedelta(seconds=rules.reveal_seconds),
    )
    events: tuple[Event, ...] = (closed,)
    if leaderboard_due(position, session.total, rules):
        events += (LeaderboardDue(position),)
    return revealed, events


def everyone_answered(session: LiveSession) -> bool:
    """Everyone who had joined when the question opened has answered it (late joiners, who
    join with their answer, cannot close a question on their own)."""
    return bool(session.expected) and session.expected <= session.answered


# --- events ----------------------------------------------------------------------------------


def join(session: LiveSession, user_id: int) -> tuple[LiveSession, bool]:
    """Add a student; returns whether they are new. Joining is not a step: it only counts."""
    if not session.is_open or user_id in session.joined:
        return session, False
    return replace(session, joined=session.joined | {user_id}), True


def set_speed(session: LiveSession, speed: bool) -> Step:
    """Choose speed points, in the lobby only."""
    if not session.is_open or session.phase is not Phase.LOBBY or session.speed == speed:
        return session, ()
    return _next(session, speed=speed), (SpeedChanged(speed),)


def start(session: LiveSession, now: datetime) -> Step:
    """Leave the lobby and open the first question."""
    if not session.is_open or session.phase is not Phase.LOBBY:
        return session, ()
    return _start(replace(session, paused_left_ms=None), now)


def points(correct: bool, elapsed_ms: int, seconds: int, speed: bool, floor: float) -> float:
    """1 per correct answer; with speed points, 1 at once falling linearly to `floor` at the
    deadline (Kahoot style)."""
    if not correct:
        return 0.0
    if not speed:
        return 1.0
    share = min(max(elapsed_ms / (seconds * 1000), 0.0), 1.0)
    return round(1.0 - (1.0 - floor) * share, 3)


def answer(
    session: LiveSession,
    question: Question,
    position: int,
    user_id: int,
    keys: frozenset[str],
    at: datetime,
    rules: LiveRules,
) -> tuple[LiveSession, tuple[Event, ...], Outcome]:
    """A student's answer to the question at `position`. The first one counts; an answer from
    someone who had not joined makes them join. The last expected answer closes the question."""
    if not session.is_open or session.phase is not Phase.QUESTION or position != session.position:
        return session, (), Outcome(refusal=Refusal.CLOSED)
    if session.paused:
        return session, (), Outcome(refusal=Refusal.PAUSED)
    if session.deadline is not None and at >= session.deadline:
        # The timer has not fired yet, but time is up: this press closes the question.
        after, events = _close(session, at, CloseReason.TIMEOUT, rules)
        return after, events, Outcome(refusal=Refusal.CLOSED)
    if user_id in session.answered:
        return session, (), Outcome(refusal=Refusal.ALREADY)
    kind = live_kind(question)
    if kind is None or question.id != session.current.question_id or not kind.valid(question, keys):
        return session, (), Outcome(refusal=Refusal.INVALID)
    assert session.id is not None and session.opened_at is not None
    planned = session.current
    elapsed = min(max(_ms(at - session.opened_at), 0), planned.seconds * 1000)
    verdict = kind.grade(question, keys)
    record = LiveAnswer(
        session_id=session.id,
        question_id=question.id,
        position=position,
        user_id=user_id,
        keys=keys,
        correct=bool(verdict.correct),
        points=points(
            bool(verdict.correct), elapsed, planned.seconds, session.speed, rules.speed_floor
        ),
        answered_at=at,
        elapsed_ms=elapsed,
    )
    after = replace(
        session, joined=session.joined | {user_id}, answered=session.answered | {user_id}
    )
    events: tuple[Event, ...] = ()
    if everyone_answered(after):
        after, events = _close(after, at, CloseReason.ALL_ANSWERED, rules)
    return after, events, Outcome(answer=record)


def tick(session: LiveSession, now: datetime, rules: LiveRules) -> Step:
    """The timer: act on a deadline that has passed (or on a question everyone answered)."""
    if not session.is_open or session.paused:
        return session, ()
    if session.deadline is not None and now >= session.deadline:
        if session.phase is Phase.LOBBY:
            return _start(session, now)
        if session.phase is Phase.QUESTION:
            return _close(session, now, CloseReason.TIMEOUT, rules)
        if session.phase is Phase.REVEAL:
            return _open(session, session.position + 1, now)
    if session.phase is Phase.QUESTION and everyone_answered(session):
        return _close(session, now, CloseReason.ALL_ANSWERED, rules)
    return session, ()


def skip(session: LiveSession, now: datetime, rules: LiveRules) -> Step:
    """The teacher moves on: lobby -> first question, question -> reveal, reveal -> next."""
    if not session.is_open:
        return session, ()
    if session.phase is Phase.LOBBY:
        return _start(replace(session, paused_left_ms=None), now)
    if session.phase is Phase.QUESTION:
        return _close(session, now, CloseReason.SKIPPED, rules)
    return _open(session, session.position + 1, now)


def pause(session: LiveSession, now: datetime) -> Step:
    """Freeze the clock: the time left is kept and answers wait until resume."""
    if not session.is_open or session.paused or session.deadline is None:
        return session, ()
    left = max(_ms(session.deadline - now), 0)
    return _next(session, paused_left_ms=left, deadline=None), (Paused(),)


def resume(session: LiveSession, now: datetime) -> Step:
    """Start the clock again with the time that was left; paused time does not count."""
    if not session.is_open or not session.paused:
        return session, ()
    assert session.paused_left_ms is not None
    deadline = now + timedelta(milliseconds=session.paused_left_ms)
    changes: dict[str, object] = {"deadline": deadline, "paused_left_ms": None}
    if session.phase is Phase.QUESTION:
        changes["opened_at"] = deadline - timedelta(seconds=session.current.seconds)
    return _next(session, **changes), (Resumed(),)


def stop(session: LiveSession, now: datetime, rules: LiveRules) -> Step:
    """End now. In the lobby nothing happened, so the session is cancelled; later, the open
    question is revealed and the results so far stand."""
    if not session.is_open:
        return session, ()
    if session.phase is Phase.LOBBY:
        return _end(session, now, Status.CANCELLED)
    if session.phase is Phase.QUESTION:
        return _close(session, now, CloseReason.STOPPED, rules)
    return _end(session, now, Status.STOPPED)


def entry_events(session: LiveSession, rules: LiveRules) -> tuple[Event, ...]:
    """The events that lead into the session's current state, to show it again after a restart
    that interrupted the showing (showing them twice is harmless: edits are idempotent)."""
    if session.phase is Phase.LOBBY:
        events: tuple[Event, ...] = ()
    elif session.phase is Phase.QUESTION:
        events = (QuestionOpened(session.position),)
    elif session.phase is Phase.REVEAL:
        assert session.reason is not None
        events = (QuestionClosed(session.position, session.reason),)
        if leaderboard_due(session.position, session.total, rules):
            events += (LeaderboardDue(session.position),)
    else:
        closed = (
            (QuestionClosed(session.position, session.reason),)
            if session.reason is not None
            else ()
        )
        events = (*closed, Ended(session.status))
    return (*events, Paused()) if session.paused else events


# --- counting, scoring and standings ---------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Answers to one question: per option key (in shown order), answered and correct."""

    counts: tuple[tuple[str, int], ...]
    answered: int
    correct: int

    def share(self, count: int) -> int:
        """A count as a whole percentage of those who answered."""
        return round(100 * count / self.answered) if self.answered else 0


def tally(planned: Planned, answers: Iterable[LiveAnswer]) -> Tally:
    """Count the answers to one question per option (a multi answer counts for each key)."""
    mine = [a for a in answers if a.question_id == planned.question_id and a.round == 0]
    counts = tuple((key, sum(1 for a in mine if key in a.keys)) for key in planned.order)
    return Tally(counts, len(mine), sum(1 for a in mine if a.correct))


def refresh_due(
    shown: int | None,
    shown_at: datetime | None,
    count: int,
    now: datetime,
    min_seconds: float,
) -> bool:
    """A counter is edited only when its number changed, and not more often than min_seconds."""
    if shown == count:
        return False
    return shown_at is None or (now - shown_at).total_seconds() >= min_seconds


@dataclass(frozen=True)
class Standing:
    """A student's place: points, correct answers, answers, total answer time, rank (1-based)."""

    user_id: int
    score: float
    correct: int
    answered: int
    total_ms: int
    rank: int = 0


def _ranked(rows: Iterable[Standing]) -> list[Standing]:
    # Ties on points go to the faster student (less total answer time), then a stable id order.
    ordered = sorted(rows, key=lambda s: (-round(s.score, 6), s.total_ms, s.user_id))
    return [replace(s, rank=i) for i, s in enumerate(ordered, start=1)]


def standings(
    answers: Iterable[LiveAnswer], participants: Iterable[int], asked: Sequence[Planned] = ()
) -> list[Standing]:
    """Rank every participant of a session (joined but silent ones score 0).

    Total answer time, the tie-breaker, counts a question of `asked` that a student left
    unanswered as its whole time limit, so staying silent is never faster than answering.
    """
    totals: dict[int, list[float]] = {u: [0.0, 0, 0, 0] for u in participants}
    done: dict[int, set[str]] = {}
    for a in answers:
        row = totals.setdefault(a.user_id, [0.0, 0, 0, 0])
        row[0] += a.points
        row[1] += int(a.correct)
        row[2] += 1
        row[3] += a.elapsed_ms
        done.setdefault(a.user_id, set()).add(a.question_id)
    for user, row in totals.items():
        mine = done.get(user, set())
        row[3] += sum(p.seconds * 1000 for p in asked if p.question_id not in mine)
    return _ranked(
        Standing(u, round(r[0], 3), int(r[1]), int(r[2]), int(r[3])) for u, r in totals.items()
    )


def combine(rows: Iterable[Standing]) -> list[Standing]:
    """Standings over several sessions: sums per student, ranked the same way."""
    totals: dict[int, Standing] = {}
    for s in rows:
        had = totals.get(s.user_id)
        totals[s.user_id] = (
            replace(s, rank=0)
            if had is None
            else replace(
                had,
                score=round(had.score + s.score, 3),
                correct=had.correct + s.correct,
                answered=had.answered + s.answered,
                total_ms=had.total_ms + s.total_ms,
            )
        )
    return _ranked(totals.values())


@dataclass(frozen=True)
class LiveResult:
    """A student's saved result in one ended session: what /leaderboard and exports read."""

    session_id: int
    chat_id: int
    bank_id: str
    status: Status
    user_id: int
    name: str
    username: str | None
    score: float
    correct: int
    answered: int
    asked: int  # questions the session asked before it ended (the "out of")
    total_ms: int
    rank: int
    started_at: datetime | None
    ended_at: datetime | None

    def standing(self) -> Standing:
        return Standing(
            self.user_id, self.score, self.correct, self.answered, self.total_ms, self.rank
        )


def toggle_selection(selection: frozenset[str], key: str) -> frozenset[str]:
    """A private multi-select choice: pressing an option adds or removes it."""
    return selection ^ {key}
