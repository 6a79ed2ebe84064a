"""Live group sessions: the state machine a class group drives, with scoring and standings.

A session is a frozen value. Every event (join, answer, tick, start, skip, pause, resume, stop)
takes the session and returns the new one plus what happened, so the bot only has to store it,
show what happened and schedule the next deadline. Times are absolute UTC datetimes passed in by
the caller; nothing here reads a clock, talks to Telegram or touches a database.

Stages: LOBBY -> QUESTION(0) -> REVEAL(0) -> QUESTION(1) -> ... -> ENDED. Each transition adds one
to `step`, so a control button that carries the step it was drawn for goes stale once pressed.

Question kinds plug in through LIVE_KINDS: a kind says how students answer (one press, toggles
then confirm, or a typed reply to the question message), how its options are ordered, how long
it runs, whether it is scored and how an answer is graded. A question of a kind with a re-vote
(peer instruction) goes through three stages while it is open: ANSWER (the first vote, results
hidden) -> DISCUSS (a timed discussion, no answers) -> REVOTE (the same question again, round 1).
A student's last vote is their answer: the re-vote if they cast one, else their first vote.
The first vote's share of correct votes decides the round's path (quizzes.adaptive): inside the
bank's band the discussion runs; above it the question is revealed at once (no re-vote); below
it the round waits in DISCUSS for the teacher to choose "explain first" (the passage is shown
for the discussion's time, then the re-vote) or "discuss anyway"; if the teacher does not
choose within `choice_seconds`, the discussion runs, as it always did.
Questions of a type no kind handles are left out and counted in `LiveSession.left_out`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from quizzes.adaptive import PeerPath, judge
from quizzes.article import Article
from quizzes.grading import Verdict, grade_choice, grade_evidence_paste, grade_text
from quizzes.model import Bank, ContentVersion, PeerBand, Question, QuestionType
from quizzes.peer import Shift, shift
from quizzes.typed import check_text


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


class Stage(StrEnum):
    """Where an open question is. Only questions with a re-vote (peer) get past ANSWER."""

    ANSWER = "answer"  # open for answers (for a peer question: the first vote, results hidden)
    DISCUSS = "discuss"  # between the votes (discussion, teacher's choice or passage: PeerPath)
    REVOTE = "revote"  # the same question asked again: answers of round 1


class Refusal(StrEnum):
    """Why a press (or a reply) did not count."""

    ALREADY = "already"  # this student answered this question before: the first press counts
    CLOSED = "closed"  # not the open question (its time is over, or it is not open yet)
    PAUSED = "paused"
    DISCUSSING = "discussing"  # between the two votes of a peer round
    INVALID = "invalid"  # keys that are not options of this question, or unusable text


class InputStyle(StrEnum):
    """How students answer a kind of question in the group."""

    PRESS = "press"  # one press on an option is the answer
    SELECT = "select"  # presses toggle options privately; a confirm press submits them
    REPLY = "reply"  # a text message replying to the question message is the answer


@dataclass(frozen=True)
class LiveRules:
    """Timings and limits of live sessions. Times in seconds."""

    lobby_seconds: float = 90.0  # the lobby starts by itself after this countdown
    reveal_seconds: float = 12.0  # how long a reveal stays before the next question
    default_time_limit: int = 30  # for choice questions without time_limit
    text_time_limit: int = 60  # for short answers and evidence pastes without time_limit
    discussion_time_limit: int = 120  # for discussion prompts without time_limit
    choice_seconds: float = 60.0  # a teacher's time to choose after a weak first vote
    responses_shown: int = 3  # anonymous discussion responses a reveal quotes, when enabled
    leaderboard_every: int = 5  # questions between two interim leaderboards
    refresh_seconds: float = 5.0  # timer of the lobby count and the answer counter
    counter_seconds: float = 10.0  # at most one answer-counter edit per question this often
    speed_floor: float = 0.5  # share of the points a correct answer at the deadline still gets
    top: int = 10
    podium: int = 3


# --- question kinds --------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """What a student sent: the option keys they pressed, or the text of their reply."""

    keys: frozenset[str] = frozenset()
    text: str | None = None


class LiveKind(Protocol):
    """What the engine needs to know about one kind of question."""

    style: InputStyle
    scored: bool

    def order(self, question: Question, rng: random.Random) -> tuple[str, ...]: ...

    def seconds(self, question: Question, rules: LiveRules) -> int: ...

    def discussion(self, question: Question) -> int:
        """Seconds of discussion before a re-vote; 0 for a single round."""
        ...

    def valid(self, question: Question, given: Given) -> bool: ...

    def grade(self, question: Question, given: Given, article: Article | None) -> Verdict: ...


@dataclass(frozen=True)
class ChoiceKind:
    """Questions answered by choosing among the bank's options (with `revote`: peer rounds)."""

    style: InputStyle = InputStyle.PRESS
    shuffle: bool = True
    revote: bool = False
    scored: bool = True

    def order(self, question: Question, rng: random.Random) -> tuple[str, ...]:
        keys = [o.key for o in question.options]
        if self.shuffle:
            rng.shuffle(keys)
        return tuple(keys)

    def seconds(self, question: Question, rules: LiveRules) -> int:
        return question.time_limit or rules.default_time_limit

    def discussion(self, question: Question) -> int:
        return question.discussion_seconds if self.revote else 0

    def valid(self, question: Question, given: Given) -> bool:
        keys = given.keys
        if given.text is not None or not keys or not keys <= {o.key for o in question.options}:
            return False
        return self.style is InputStyle.SELECT or len(keys) == 1

    def grade(self, question: Question, given: Given, article: Article | None) -> Verdict:
        return grade_choice(question, given.keys)


@dataclass(frozen=True)
class TextKind:
    """Questions answered by replying with text: short answers and evidence pastes (graded
    like in private, with the same Arabic-aware matching) and discussion prompts (unscored).
    A reply that cannot be an answer (empty, over-long, not Arabic, below a discussion
    prompt's minimum length: quizzes.typed.check_text) is invalid and recorded nowhere."""

    scored: bool = True
    style: InputStyle = InputStyle.REPLY

    def order(self, question: Question, rng: random.Random) -> tuple[str, ...]:
        return ()

    def seconds(self, question: Question, rules: LiveRules) -> int:
        if question.time_limit:
            return question.time_limit
        return rules.text_time_limit if self.scored else rules.discussion_time_limit

    def discussion(self, question: Question) -> int:
        return 0

    def valid(self, question: Question, given: Given) -> bool:
        return not given.keys and given.text is not None and not check_text(question, given.text)

    def grade(self, question: Question, given: Given, article: Article | None) -> Verdict:
        assert given.text is not None
        if question.type is QuestionType.EVIDENCE and article is not None:
            # Also full credit for the whole article sentence around a shorter cited quote.
            return grade_evidence_paste(question, article, given.text)[0]
        return grade_text(question, given.text)


LIVE_KINDS: dict[QuestionType, LiveKind] = {
    QuestionType.SINGLE: ChoiceKind(),
    QuestionType.PEER: ChoiceKind(revote=True),
    QuestionType.TRUE_FALSE: ChoiceKind(shuffle=False),
    QuestionType.MULTI: ChoiceKind(InputStyle.SELECT),
    QuestionType.SHORT: TextKind(),
    QuestionType.EVIDENCE: TextKind(),
    QuestionType.DISCUSSION: TextKind(scored=False),
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
    """One question of a session: its id, the option order everyone sees, its time limit,
    the seconds of discussion before a re-vote (0: a single round) and whether it is scored."""

    question_id: str
    order: tuple[str, ...]
    seconds: int
    discuss: int = 0
    scored: bool = True


def asked_so_far(plan: Sequence[Planned], position: int, started: bool) -> tuple[Planned, ...]:
    """The questions a session has put to the class: up to its current one, once started."""
    return tuple(plan[: position + 1]) if started else ()


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
    show_responses: bool = False  # quote a few discussion responses, without names, at reveal
    status: Status = Status.OPEN
    phase: Phase = Phase.LOBBY
    position: int = 0
    stage: Stage = Stage.ANSWER
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
    answered: frozenset[int] = frozenset()  # who answered the current question (this round)
    right: frozenset[int] = frozenset()  # who of them answered it correctly
    path: PeerPath | None = None  # a peer question's path once its first vote closed
    band: PeerBand = PeerBand()  # the bank's band, fixed when the session was created
    version: ContentVersion | None = None  # what was asked; None for sessions stored before

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
    def asked(self) -> tuple[Planned, ...]:
        """The questions put to the class so far (scores and "out of" count these)."""
        return asked_so_far(self.plan, self.position, self.started_at is not None)

    @property
    def is_last(self) -> bool:
        return self.position + 1 >= self.total

    @property
    def round(self) -> int:
        """The answer round of the current question: 1 for a peer re-vote, else 0."""
        return 1 if self.stage is Stage.REVOTE else 0

    @property
    def accepting(self) -> bool:
        """The current question takes answers now (not between the votes of a peer round)."""
        return self.phase is Phase.QUESTION and self.stage is not Stage.DISCUSS

    def with_answer(self, user_id: int, correct: bool = False) -> LiveSession:
        """This session with `user_id` among those who joined and answered (and, if `correct`,
        answered right): what every counted press changes."""
        return replace(
            self,
            joined=self.joined | {user_id},
            answered=self.answered | {user_id},
            right=self.right | {user_id} if correct else self.right,
        )


@dataclass(frozen=True)
class LiveAnswer:
    """One recorded answer. `round` is 0, or 1 for the re-vote of a peer round. `correct` is
    None for an unscored discussion response; `credit` is the share of a point an answer
    earned when that differs from all or nothing (half for an evidence fragment); `raw_text`
    is a typed reply exactly as sent."""

    session_id: int
    question_id: str
    position: int
    user_id: int
    keys: frozenset[str]
    correct: bool | None
    points: float
    answered_at: datetime
    elapsed_ms: int
    round: int = 0
    raw_text: str | None = None
    credit: float | None = None

    @property
    def score(self) -> float:
        """What the answer is worth, speed aside: 1, 0, or partial credit."""
        if self.credit is not None:
            return self.credit
        return 1.0 if self.correct else 0.0


# --- events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    pass


@dataclass(frozen=True)
class SpeedChanged:
    speed: bool


@dataclass(frozen=True)
class ResponsesChanged:
    show: bool


@dataclass(frozen=True)
class QuestionOpened:
    position: int


@dataclass(frozen=True)
class QuestionClosed:
    position: int
    reason: CloseReason


@dataclass(frozen=True)
class DiscussionOpened:
    """The first vote of a peer round closed; the class discusses before the re-vote."""

    position: int
    reason: CloseReason


@dataclass(frozen=True)
class ConsensusReached:
    """Most of the class had a peer question right at the first vote: it is revealed at once
    (a QuestionClosed follows), without discussion or re-vote."""

    position: int


@dataclass(frozen=True)
class ChoiceOffered:
    """Few had a peer question right at the first vote: the teacher chooses what comes next."""

    position: int
    reason: CloseReason


@dataclass(frozen=True)
class ExplanationOpened:
    """The teacher chose to explain first: the passage is shown, then the re-vote."""

    position: int


@dataclass(frozen=True)
class RevoteOpened:
    """The same question is asked again after the discussion (round 1)."""

    position: int


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
    | ResponsesChanged
    | QuestionOpened
    | DiscussionOpened
    | ConsensusReached
    | ChoiceOffered
    | ExplanationOpened
    | RevoteOpened
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


def _discuss(session: LiveSession, now: datetime, reason: CloseReason) -> Step:
    """The first vote of a peer round is over (or the teacher chose to discuss): answers
    close, the discussion timer runs."""
    discussing = _next(
        session,
        stage=Stage.DISCUSS,
        path=PeerPath.DISCUSS,
        reason=reason,
        paused_left_ms=None,
        deadline=now + timedelta(seconds=session.current.discuss),
    )
    return discussing, (DiscussionOpened(session.position, reason),)


def _offer(session: LiveSession, now: datetime, reason: CloseReason, rules: LiveRules) -> Step:
    """A weak first vote: answers close and the teacher has `choice_seconds` to choose."""
    waiting = _next(
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
    explaining = _next(
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
    return _discuss(session, now, session.reason)


def _revote(session: LiveSession, now: datetime) -> Step:
    """After the discussion, the same question again: a new message, a new round of answers.
    Who is expected stays who was expected at the first vote."""
    revoting = _next(
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


def _close(session: LiveSession, now: datetime, reason: CloseReason, rules: LiveRules) -> Step:
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
            return _discuss(session, now, reason)
        if path is PeerPath.CHOOSE:
            return _offer(session, now, reason, rules)
        session, first = replace(session, path=path), (ConsensusReached(position),)
    closed = QuestionClosed(position, reason)
    if reason is CloseReason.STOPPED or session.is_last:
        status = Status.STOPPED if reason is CloseReason.STOPPED else Status.FINISHED
        return _end(replace(session, reason=reason), now, status, (*first, closed))
    revealed = _next(
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


def set_show_responses(session: LiveSession, show: bool) -> Step:
    """Choose, in the lobby, whether discussion reveals quote a few responses without names."""
    if not session.is_open or session.phase is not Phase.LOBBY or session.show_responses == show:
        return session, ()
    return _next(session, show_responses=show), (ResponsesChanged(show),)


def start(session: LiveSession, now: datetime) -> Step:
    """Leave the lobby and open the first question."""
    if not session.is_open or session.phase is not Phase.LOBBY:
        return session, ()
    return _start(replace(session, paused_left_ms=None), now)


def points(
    correct: bool | float, elapsed_ms: int, seconds: int, speed: bool, floor: float
) -> float:
    """1 per correct answer (or the partial credit given); with speed points, that at once
    falling linearly to `floor` times it at the deadline (Kahoot style)."""
    if not correct:
        return 0.0
    credit = float(correct)
    if not speed:
        return credit
    share = min(max(elapsed_ms / (seconds * 1000), 0.0), 1.0)
    return round(credit * (1.0 - (1.0 - floor) * share), 3)


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
        after, events = _close(session, at, CloseReason.TIMEOUT, rules)
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
    elapsed = min(max(_ms(at - session.opened_at), 0), planned.seconds * 1000)
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
        after, events = _close(after, at, CloseReason.ALL_ANSWERED, rules)
    return after, events, Outcome(answer=record)


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
            return _revote(session, now)
        if session.phase is Phase.QUESTION:
            return _close(session, now, CloseReason.TIMEOUT, rules)
        if session.phase is Phase.REVEAL:
            return _open(session, session.position + 1, now)
    if session.phase is Phase.QUESTION and everyone_answered(session):
        return _close(session, now, CloseReason.ALL_ANSWERED, rules)
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
        return _revote(session, now)
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
    if session.accepting:
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
    elif choosing(session):
        assert session.reason is not None
        events = (ChoiceOffered(session.position, session.reason),)
    elif session.phase is Phase.QUESTION and session.stage is Stage.DISCUSS:
        assert session.reason is not None
        events = (
            (ExplanationOpened(session.position),)
            if session.path is PeerPath.EXPLAIN
            else (DiscussionOpened(session.position, session.reason),)
        )
    elif session.phase is Phase.QUESTION and session.stage is Stage.REVOTE:
        events = (RevoteOpened(session.position),)
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


def tally(planned: Planned, answers: Iterable[LiveAnswer], round: int = 0) -> Tally:
    """Count the answers of one round to one question per option (a multi answer counts for
    each key). `correct` counts fully correct answers."""
    mine = [a for a in answers if a.question_id == planned.question_id and a.round == round]
    counts = tuple((key, sum(1 for a in mine if key in a.keys)) for key in planned.order)
    return Tally(counts, len(mine), sum(1 for a in mine if a.correct))


def counted(answers: Iterable[LiveAnswer]) -> list[LiveAnswer]:
    """The answer that counts per student and question, in recorded order: the latest round
    (a peer re-vote replaces the first vote; a first vote not revised stands)."""
    rows = list(answers)
    latest: dict[tuple[int, int, str], LiveAnswer] = {}
    for a in rows:
        key = (a.session_id, a.user_id, a.question_id)
        if key not in latest or a.round > latest[key].round:
            latest[key] = a
    return [a for a in rows if latest[(a.session_id, a.user_id, a.question_id)] is a]


@dataclass(frozen=True)
class PeerRound:
    """Both votes of a peer question: each round's tally, and how the students who voted in
    both rounds moved (to the correct answer, away from it, or to another option)."""

    first: Tally
    second: Tally
    both: int
    changed: int
    to_right: int
    to_wrong: int


def peer_round(question: Question, planned: Planned, answers: Sequence[LiveAnswer]) -> PeerRound:
    """Compare the first vote (round 0) and the re-vote (round 1) of one peer question."""
    mine = [a for a in answers if a.question_id == planned.question_id]
    first = {a.user_id: a for a in mine if a.round == 0}
    shifts = [
        (first[a.user_id], a, shift(question, _key(first[a.user_id]), _key(a)))
        for a in mine
        if a.round == 1 and a.user_id in first
    ]
    return PeerRound(
        first=tally(planned, mine, 0),
        second=tally(planned, mine, 1),
        both=len(shifts),
        changed=sum(1 for before, after, _ in shifts if before.keys != after.keys),
        to_right=sum(1 for *_, s in shifts if s is Shift.TO_RIGHT),
        to_wrong=sum(1 for *_, s in shifts if s is Shift.TO_WRONG),
    )


def _key(answer: LiveAnswer) -> str:
    return ",".join(sorted(answer.keys))


def sample_responses(
    answers: Sequence[LiveAnswer], question_id: str, count: int, seed: str
) -> list[str]:
    """Up to `count` typed responses to a question, picked at random but the same every time
    for the same seed (a reveal drawn again after a restart quotes the same ones), in the order
    they came. No names: only the text."""
    mine = [a for a in answers if a.question_id == question_id and a.raw_text]
    if len(mine) > count:
        picked = set(random.Random(seed).sample(range(len(mine)), count))
        mine = [a for i, a in enumerate(mine) if i in picked]
    return [a.raw_text for a in mine if a.raw_text]


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

    Only the answer that counts (`counted`: a peer re-vote replaces the first vote) and only
    scored questions count. Total answer time, the tie-breaker, counts a scored question of
    `asked` that a student left unanswered as its whole time limit, so staying silent is never
    faster than answering.
    """
    totals: dict[int, list[float]] = {u: [0.0, 0, 0, 0] for u in participants}
    done: dict[int, set[str]] = {}
    for a in counted(answers):
        if a.correct is None:
            continue  # a discussion response: taking part, not a score
        row = totals.setdefault(a.user_id, [0.0, 0, 0, 0])
        row[0] += a.points
        row[1] += int(a.correct)
        row[2] += 1
        row[3] += a.elapsed_ms
        done.setdefault(a.user_id, set()).add(a.question_id)
    for user, row in totals.items():
        mine = done.get(user, set())
        row[3] += sum(p.seconds * 1000 for p in asked if p.scored and p.question_id not in mine)
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
    asked: int  # scored questions the session asked before it ended (the "out of")
    total_ms: int
    rank: int
    started_at: datetime | None
    ended_at: datetime | None
    version: ContentVersion | None = None

    def standing(self) -> Standing:
        return Standing(
            self.user_id, self.score, self.correct, self.answered, self.total_ms, self.rank
        )


def toggle_selection(selection: frozenset[str], key: str) -> frozenset[str]:
    """A private multi-select choice: pressing an option adds or removes it."""
    return selection ^ {key}
