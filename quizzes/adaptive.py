"""Adaptive peer rounds: which way a live peer round goes after its first vote, and the
normalized gain between its two votes, per round and over a class's term.

The first vote's share of correct votes decides (`judge`), against the bank's PeerBand:
- inside the band, bounds included (35 <= share <= 70 by default): discussion, then re-vote;
- above it (share > 70): a short reveal, no discussion and no re-vote;
- below it (share < 35): the teacher chooses between explaining first (the cited passage is
  shown, then the re-vote) and discussing anyway.
The share is compared exactly (100 * correct against the bound times the voters), never as
the rounded percentage a message shows, so 69.6 % is inside a band ending at 70 and 70.4 %
is above it. A first vote nobody cast decides nothing: the round runs as it always did
(discussion and re-vote), since there is no evidence to skip or explain on.

Hake's normalized gain g = (post - pre) / (100 - pre), on the percentages correct of the first
vote (pre) and the re-vote (post), is undefined (None) when pre is 100 (no room to gain), when
either vote had no voters, or when the round skipped its re-vote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from quizzes.model import PeerBand

if TYPE_CHECKING:
    from quizzes.live import LiveAnswer


class PeerPath(StrEnum):
    """Where a live peer round goes after its first vote."""

    DISCUSS = "discuss"  # the class discusses, then votes again
    CONSENSUS = "consensus"  # most had it: a short reveal, no re-vote
    CHOOSE = "choose"  # few had it: waiting for the teacher's choice
    EXPLAIN = "explain"  # few had it, the teacher explains first: the passage, then re-vote


def judge(correct: int, voted: int, band: PeerBand) -> PeerPath:
    """The path of a peer round whose first vote had `correct` right out of `voted`."""
    if voted <= 0:
        return PeerPath.DISCUSS
    if 100 * correct > band.high * voted:
        return PeerPath.CONSENSUS
    if 100 * correct < band.low * voted:
        return PeerPath.CHOOSE
    return PeerPath.DISCUSS


def share(correct: int, voted: int) -> float | None:
    """Percent correct of those who voted; None when nobody did."""
    return 100 * correct / voted if voted else None


def normalized_gain(pre: float | None, post: float | None) -> float | None:
    """(post - pre) / (100 - pre), or None when it is undefined (see the module docstring)."""
    if pre is None or post is None or pre >= 100:
        return None
    return (post - pre) / (100 - pre)


@dataclass(frozen=True)
class RoundGain:
    """Both votes of one live peer round of a class, counted."""

    session_id: int
    position: int
    question_id: str
    at: datetime  # when its first vote began (the first answer recorded)
    pre_voted: int
    pre_correct: int
    post_voted: int
    post_correct: int

    @property
    def pre(self) -> float | None:
        return share(self.pre_correct, self.pre_voted)

    @property
    def post(self) -> float | None:
        return share(self.post_correct, self.post_voted)

    @property
    def revoted(self) -> bool:
        return self.post_voted > 0

    @property
    def gain(self) -> float | None:
        return normalized_gain(self.pre, self.post)


def round_gains(answers: Iterable[LiveAnswer], peer_ids: Iterable[str]) -> list[RoundGain]:
    """One RoundGain per question of `peer_ids` asked in a session, oldest first. A round
    with no re-vote answers (skipped for a consensus, stopped, or nobody re-voted) has
    post_voted 0 and no gain."""
    wanted = set(peer_ids)
    rounds: dict[tuple[int, int], list[LiveAnswer]] = {}
    for a in answers:
        if a.question_id in wanted:
            rounds.setdefault((a.session_id, a.position), []).append(a)
    found = []
    for (session_id, position), mine in rounds.items():
        first = [a for a in mine if a.round == 0]
        second = [a for a in mine if a.round == 1]
        found.append(
            RoundGain(
                session_id=session_id,
                position=position,
                question_id=mine[0].question_id,
                at=min(a.answered_at for a in mine),
                pre_voted=len(first),
                pre_correct=sum(1 for a in first if a.correct),
                post_voted=len(second),
                post_correct=sum(1 for a in second if a.correct),
            )
        )
    return sorted(found, key=lambda r: (r.at, r.session_id, r.position))


@dataclass(frozen=True)
class GainTrend:
    """A class's gains over the term: how many rounds had one, their mean, and the mean of
    the later half against the earlier half (None with fewer than two gains)."""

    rounds: int
    with_gain: int
    mean: float | None
    earlier: float | None
    later: float | None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def trend(rounds: Sequence[RoundGain]) -> GainTrend:
    """The trend of normalized gains over `rounds` (oldest first)."""
    gains = [g for g in (r.gain for r in rounds) if g is not None]
    half = len(gains) // 2
    two = len(gains) >= 2
    return GainTrend(
        rounds=len(rounds),
        with_gain=len(gains),
        mean=_mean(gains),
        earlier=_mean(gains[:half]) if two else None,
        later=_mean(gains[half:]) if two else None,
    )
