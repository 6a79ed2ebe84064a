"""What a transition reports: the events the bot shows, and what became of one press.

The machine never says how to show anything; the bot turns each event into its messages, so
the same events can be replayed after a restart (quizzes.live.machine.entry_events).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from quizzes.live.session import CloseReason, LiveAnswer, LiveSession, Status


class Refusal(StrEnum):
    """Why a press (or a reply) did not count."""

    ALREADY = "already"  # this student answered this question before: the first press counts
    CLOSED = "closed"  # not the open question (its time is over, or it is not open yet)
    PAUSED = "paused"
    DISCUSSING = "discussing"  # between the two votes of a peer round
    INVALID = "invalid"  # keys that are not options of this question, or unusable text


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
