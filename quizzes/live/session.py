"""The live session's model: its stages and statuses, the rules that time it, the plan of
questions, the session value itself and one recorded answer.

A session is a frozen value; every transition (quizzes.live.machine) returns a new one with
`step` one higher, so a control button drawn for an older step goes stale once pressed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from quizzes.adaptive import PeerPath
from quizzes.model import ContentVersion, PeerBand


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


def millis(delta: timedelta) -> int:
    """Whole milliseconds, the unit a session stores time left and time taken in."""
    return int(delta.total_seconds() * 1000)


def next_step(session: LiveSession, **changes: object) -> LiveSession:
    """The session after one transition: every transition goes through here, so each one
    moves `step` on and a control drawn for the step before goes stale."""
    return replace(session, step=session.step + 1, **changes)
