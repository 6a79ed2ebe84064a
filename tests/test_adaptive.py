"""Adaptive peer rounds in the domain: the path a first vote decides, the transitions of each
path (with their events and deadlines), the normalized gain and its trend. Pure and
table-driven, like the live state machine's own tests."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from quizzes import live
from quizzes.adaptive import (
    PeerPath,
    RoundGain,
    judge,
    normalized_gain,
    round_gains,
    trend,
)
from quizzes.live import (
    ChoiceOffered,
    CloseReason,
    ConsensusReached,
    DiscussionOpened,
    ExplanationOpened,
    LiveAnswer,
    LiveRules,
    LiveSession,
    Phase,
    QuestionClosed,
    Refusal,
    RevoteOpened,
    Stage,
)
from quizzes.model import Bank, Option, PeerBand, Question, QuestionType

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
RULES = LiveRules(choice_seconds=45, reveal_seconds=10)
DEFAULT = PeerBand()
PEER = Question(
    "p1",
    QuestionType.PEER,
    "prompt",
    "why",
    (),
    options=tuple(Option(k, f"option {k}") for k in "abcd"),
    answer=frozenset({"c"}),
    time_limit=20,
    discussion_seconds=90,
)
SINGLE = replace(PEER, id="q1", type=QuestionType.SINGLE, discussion_seconds=0)


def bank(band: PeerBand = DEFAULT) -> Bank:
    return Bank("demo", "Demo", "", "a", "0", 1, (PEER, SINGLE), peer=band)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def voting(size: int, band: PeerBand = DEFAULT) -> LiveSession:
    """The first vote of the peer question open, `size` students joined."""
    session = replace(live.new_session(bank(band), -100, 1, T0, random.Random(1), RULES), id=3)
    for user in range(size):
        session, _ = live.join(session, user)
    session, _ = live.start(session, T0)
    return session


def vote(session: LiveSession, right: int, wrong: int) -> tuple[LiveSession, tuple]:
    """`right` correct and `wrong` wrong first votes; the last one may close the vote."""
    events: tuple = ()
    for user in range(right + wrong):
        keys = frozenset({"c" if user < right else "a"})
        session, events, outcome = live.answer(session, PEER, 0, user, keys, at(1), RULES)
        assert outcome.answer is not None
    return session, events


# --- the decision ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "voted", "band", "path"),
    [
        (0, 0, PeerBand(), PeerPath.DISCUSS),  # nobody voted: the round as it always ran
        (35, 100, PeerBand(), PeerPath.DISCUSS),  # the low bound is inside
        (70, 100, PeerBand(), PeerPath.DISCUSS),  # the high bound is inside
        (34, 100, PeerBand(), PeerPath.CHOOSE),
        (71, 100, PeerBand(), PeerPath.CONSENSUS),
        (7, 20, PeerBand(), PeerPath.DISCUSS),  # exactly 35 %
        (1, 3, PeerBand(), PeerPath.CHOOSE),  # 33.3 %, which a message rounds to 33 %
        (2, 3, PeerBand(), PeerPath.DISCUSS),  # 66.7 %
        (5, 7, PeerBand(), PeerPath.CONSENSUS),  # 71.4 %
        (10, 10, PeerBand(), PeerPath.CONSENSUS),
        (0, 10, PeerBand(), PeerPath.CHOOSE),
        (8, 10, PeerBand(50, 90), PeerPath.DISCUSS),  # a bank's own band
        (4, 10, PeerBand(50, 90), PeerPath.CHOOSE),
        (10, 10, PeerBand(0, 100), PeerPath.DISCUSS),  # a band no vote leaves
        (0, 10, PeerBand(0, 100), PeerPath.DISCUSS),
    ],
)
def test_the_first_vote_decides_the_path(
    correct: int, voted: int, band: PeerBand, path: PeerPath
) -> None:
    assert judge(correct, voted, band) is path


# --- the transitions -------------------------------------------------------------------------


def test_inside_the_band_the_discussion_runs_as_before() -> None:
    session, events = vote(voting(4), right=2, wrong=2)
    assert events == (DiscussionOpened(0, CloseReason.ALL_ANSWERED),)
    assert session.stage is Stage.DISCUSS and session.path is PeerPath.DISCUSS
    assert session.deadline == at(1 + 90)


def test_above_the_band_the_question_is_revealed_at_once() -> None:
    session, events = vote(voting(5), right=4, wrong=1)
    assert events == (ConsensusReached(0), QuestionClosed(0, CloseReason.ALL_ANSWERED))
    assert session.phase is Phase.REVEAL and session.stage is Stage.ANSWER
    assert session.path is PeerPath.CONSENSUS and session.deadline == at(1 + 10)
    # The reveal's timer opens the next question, whose path starts blank.
    session, _ = live.tick(session, at(11), RULES)
    assert session.position == 1 and session.path is None and session.right == frozenset()


def test_below_the_band_the_teacher_chooses_and_explain_first_leads_to_the_revote() -> None:
    session, events = vote(voting(5), right=1, wrong=4)
    assert events == (ChoiceOffered(0, CloseReason.ALL_ANSWERED),)
    assert live.choosing(session) and session.deadline == at(1 + 45)
    # No answers while the teacher chooses.
    *_, outcome = live.answer(session, PEER, 0, 0, frozenset({"c"}), at(2), RULES)
    assert outcome.refusal is Refusal.DISCUSSING
    session, events = live.explain_first(session, at(5))
    assert events == (ExplanationOpened(0),)
    assert session.path is PeerPath.EXPLAIN and session.stage is Stage.DISCUSS
    assert session.deadline == at(5 + 90)
    # A second press of either choice, once the choice is made, does nothing.
    assert live.explain_first(session, at(6)) == (session, ())
    assert live.discuss_anyway(session, at(6)) == (session, ())
    session, events = live.tick(session, at(95), RULES)
    assert events == (RevoteOpened(0),) and session.stage is Stage.REVOTE


def test_discuss_anyway_runs_the_usual_discussion() -> None:
    session, _ = vote(voting(5), right=1, wrong=4)
    session, events = live.discuss_anyway(session, at(5))
    assert events == (DiscussionOpened(0, CloseReason.ALL_ANSWERED),)
    assert session.path is PeerPath.DISCUSS and session.deadline == at(5 + 90)


def test_a_teacher_who_does_not_choose_gets_the_discussion() -> None:
    session, _ = vote(voting(5), right=1, wrong=4)
    assert live.tick(session, at(45), RULES) == (session, ())
    session, events = live.tick(session, at(46), RULES)
    assert events == (DiscussionOpened(0, CloseReason.ALL_ANSWERED),)
    assert session.path is PeerPath.DISCUSS


def test_the_existing_controls_still_override() -> None:
    waiting, _ = vote(voting(5), right=1, wrong=4)
    # Skip goes straight to the re-vote; pause keeps the time left to choose.
    skipped, events = live.skip(waiting, at(3), RULES)
    assert events == (RevoteOpened(0),)
    paused, _ = live.pause(waiting, at(11))
    assert paused.paused_left_ms == 35_000 and live.tick(paused, at(500), RULES)[1] == ()
    # Stop ends the session and keeps the first vote.
    stopped, events = live.stop(waiting, at(3), RULES)
    assert stopped.status is live.Status.STOPPED


def test_a_band_from_the_bank_changes_the_path() -> None:
    band = PeerBand(10, 90)
    session, events = vote(voting(5, band), right=4, wrong=1)
    assert session.band == band and events == (DiscussionOpened(0, CloseReason.ALL_ANSWERED),)


def test_entry_events_show_each_path_again() -> None:
    waiting, _ = vote(voting(5), right=1, wrong=4)
    assert live.entry_events(waiting, RULES) == (ChoiceOffered(0, CloseReason.ALL_ANSWERED),)
    explaining, _ = live.explain_first(waiting, at(2))
    assert live.entry_events(explaining, RULES) == (ExplanationOpened(0),)


def test_with_answer_keeps_who_was_right() -> None:
    session = voting(3)
    copy = session.with_answer(1, True)
    assert copy == replace(session, answered={1}, joined=session.joined | {1}, right={1})
    assert session.with_answer(2).right == frozenset()


# --- the gain --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pre", "post", "gain"),
    [
        (40.0, 70.0, 0.5),
        (50.0, 50.0, 0.0),
        (60.0, 40.0, -0.5),
        (20.0, 100.0, 1.0),
        (100.0, 100.0, None),  # nothing left to gain
        (None, 50.0, None),  # nobody voted first
        (50.0, None, None),  # no re-vote
    ],
)
def test_normalized_gain(pre: float | None, post: float | None, gain: float | None) -> None:
    assert normalized_gain(pre, post) == (None if gain is None else pytest.approx(gain))


def _answer(session: int, user: int, correct: bool, round: int, minute: int) -> LiveAnswer:
    return LiveAnswer(
        session, "p1", 0, user, frozenset("c" if correct else "a"), correct, 0.0,
        at(60 * minute), 0, round=round,
    )  # fmt: skip


def test_round_gains_and_their_trend_by_hand() -> None:
    # Session 1: 2 of 5 right, then 4 of 5: g = (80 - 40) / 60 = 0.667.
    # Session 2: 1 of 4 right, then 1 of 4: g = 0.
    # Session 3: 4 of 5 right, no re-vote (a consensus): no gain.
    answers = [
        *(_answer(1, u, u < 2, 0, 0) for u in range(5)),
        *(_answer(1, u, u < 4, 1, 3) for u in range(5)),
        *(_answer(2, u, u < 1, 0, 100) for u in range(4)),
        *(_answer(2, u, u < 1, 1, 103) for u in range(4)),
        *(_answer(3, u, u < 4, 0, 200) for u in range(5)),
        LiveAnswer(3, "q1", 1, 0, frozenset("c"), True, 1.0, at(12_500), 0),  # not a peer one
    ]
    rounds = round_gains(answers, {"p1"})
    assert [(r.session_id, r.pre, r.post) for r in rounds] == [
        (1, 40.0, 80.0),
        (2, 25.0, 25.0),
        (3, 80.0, None),
    ]
    assert rounds[0].gain == pytest.approx(2 / 3) and rounds[1].gain == 0.0
    assert rounds[2].gain is None and not rounds[2].revoted
    summary = trend(rounds)
    assert (summary.rounds, summary.with_gain) == (3, 2)
    assert summary.mean == pytest.approx(1 / 3)
    assert summary.earlier == pytest.approx(2 / 3) and summary.later == 0.0
    one = trend(rounds[:1])
    assert one.mean == pytest.approx(2 / 3) and one.earlier is None
    assert trend([]).mean is None


def test_a_round_gain_without_voters_has_no_shares() -> None:
    empty = RoundGain(1, 0, "p1", T0, 0, 0, 0, 0)
    assert empty.pre is None and empty.post is None and empty.gain is None
