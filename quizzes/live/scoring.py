"""Counting, scoring and standings of live sessions: points per answer, per-option tallies,
the answer that counts per student, both votes of a peer round, and the ranked standings.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from quizzes.live.session import LiveAnswer, Planned, Status
from quizzes.model import ContentVersion, Question
from quizzes.peer import Shift, shift


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
