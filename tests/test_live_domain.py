"""The live-session state machine, scoring and standings: pure, synchronous, table-driven."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from quizzes import live
from quizzes.live import (
    CloseReason,
    Ended,
    LeaderboardDue,
    LiveAnswer,
    LiveRules,
    LiveSession,
    Paused,
    Phase,
    Planned,
    QuestionClosed,
    QuestionOpened,
    Refusal,
    Resumed,
    SpeedChanged,
    Standing,
    Started,
    Status,
)
from quizzes.model import Bank, Option, Question, QuestionType

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
RULES = LiveRules(lobby_seconds=60, reveal_seconds=10, leaderboard_every=2)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def question(qid: str, kind: QuestionType = QuestionType.SINGLE, answer: str = "b") -> Question:
    if kind is QuestionType.TRUE_FALSE:
        options = (Option("t", ""), Option("f", ""))
    elif kind in (QuestionType.SHORT, QuestionType.DISCUSSION, QuestionType.EVIDENCE):
        options = ()
    else:
        options = tuple(Option(k, f"option {k}") for k in "abcd")
    keys = frozenset(answer.split(",")) if options else frozenset()
    return Question(qid, kind, "prompt", "why", (), options=options, answer=keys, time_limit=20)


BANK = Bank(
    "demo",
    "Demo",
    "",
    "a",
    "0",
    1,
    (
        question("q1"),
        question("q2", QuestionType.TRUE_FALSE, "t"),
        question("s1", QuestionType.SHORT),
        question("q3", QuestionType.MULTI, "a,c"),
        question("d1", QuestionType.DISCUSSION),
        question("q4", QuestionType.PEER, "d"),
    ),
)
Q = {q.id: q for q in BANK.questions}


def lobby(*joined: int, speed: bool = False) -> LiveSession:
    session = live.new_session(BANK, -100, 1, T0, random.Random(3), RULES)
    session = replace(session, id=7, speed=speed)
    for user in joined:
        session, _ = live.join(session, user)
    return session


def started(*joined: int, speed: bool = False) -> LiveSession:
    session, _ = live.start(lobby(*joined, speed=speed), T0)
    return session


def press(session: LiveSession, user: int, keys: str, seconds: float):
    q = Q[session.current.question_id]
    return live.answer(
        session, q, session.position, user, frozenset(keys.split(",")), at(seconds), RULES
    )


def correct_keys(session: LiveSession) -> str:
    return ",".join(sorted(Q[session.current.question_id].answer))


# --- building ---------------------------------------------------------------------------------


def test_new_session_plans_every_kind_of_question() -> None:
    session = lobby()
    assert [p.question_id for p in session.plan] == ["q1", "q2", "s1", "q3", "d1", "q4"]
    assert session.left_out == 0
    assert session.phase is Phase.LOBBY and session.deadline == at(60)
    # True/false keeps its order; the others are permutations of their keys; typed: none.
    assert session.plan[1].order == ("t", "f")
    assert sorted(session.plan[0].order) == ["a", "b", "c", "d"]
    assert session.plan[2].order == session.plan[4].order == ()
    assert all(p.seconds == 20 for p in session.plan)
    # Only the peer question has a discussion before a re-vote; only the prompt is unscored.
    assert [p.discuss for p in session.plan] == [0, 0, 0, 0, 0, 60]
    assert [p.scored for p in session.plan] == [True, True, True, True, False, True]


def test_default_time_limit_applies_without_one() -> None:
    bank = replace(BANK, questions=(replace(Q["q1"], time_limit=None),))
    session = live.new_session(bank, -1, 1, T0, random.Random(1), RULES)
    assert session.plan[0].seconds == RULES.default_time_limit


# --- transitions ------------------------------------------------------------------------------

STEPS = [
    # (name, session, event, expected phase, expected events)
    (
        "start",
        lobby(1),
        lambda s: live.start(s, at(5)),
        Phase.QUESTION,
        (Started(), QuestionOpened(0)),
    ),
    (
        "lobby countdown",
        lobby(1),
        lambda s: live.tick(s, at(60), RULES),
        Phase.QUESTION,
        (Started(), QuestionOpened(0)),
    ),
    ("lobby not yet", lobby(1), lambda s: live.tick(s, at(59), RULES), Phase.LOBBY, ()),
    (
        "skip lobby",
        lobby(),
        lambda s: live.skip(s, at(1), RULES),
        Phase.QUESTION,
        (Started(), QuestionOpened(0)),
    ),
    ("speed", lobby(), lambda s: live.set_speed(s, True), Phase.LOBBY, (SpeedChanged(True),)),
    ("speed again", lobby(speed=True), lambda s: live.set_speed(s, True), Phase.LOBBY, ()),
    (
        "stop lobby",
        lobby(1),
        lambda s: live.stop(s, at(1), RULES),
        Phase.ENDED,
        (Ended(Status.CANCELLED),),
    ),
    (
        "timeout",
        started(1),
        lambda s: live.tick(s, at(20), RULES),
        Phase.REVEAL,
        (QuestionClosed(0, CloseReason.TIMEOUT),),
    ),
    ("not yet", started(1), lambda s: live.tick(s, at(19.9), RULES), Phase.QUESTION, ()),
    (
        "skip question",
        started(1),
        lambda s: live.skip(s, at(3), RULES),
        Phase.REVEAL,
        (QuestionClosed(0, CloseReason.SKIPPED),),
    ),
    (
        "stop question",
        started(1),
        lambda s: live.stop(s, at(3), RULES),
        Phase.ENDED,
        (QuestionClosed(0, CloseReason.STOPPED), Ended(Status.STOPPED)),
    ),
    (
        "abandon lobby",
        lobby(1),
        lambda s: live.abandon(s, at(1)),
        Phase.ENDED,
        (Ended(Status.CANCELLED),),
    ),
    (
        "abandon question",
        started(1),
        lambda s: live.abandon(s, at(3)),
        Phase.ENDED,
        (Ended(Status.STOPPED),),
    ),
    ("pause", started(1), lambda s: live.pause(s, at(5)), Phase.QUESTION, (Paused(),)),
    ("resume unpaused", started(1), lambda s: live.resume(s, at(5)), Phase.QUESTION, ()),
    ("start twice", started(1), lambda s: live.start(s, at(5)), Phase.QUESTION, ()),
    ("speed after start", started(1), lambda s: live.set_speed(s, True), Phase.QUESTION, ()),
]


@pytest.mark.parametrize(
    ("name", "session", "event", "phase", "events"), STEPS, ids=[s[0] for s in STEPS]
)
def test_transitions(name, session, event, phase, events) -> None:
    after, happened = event(session)
    assert after.phase is phase
    assert happened == events
    # Every transition that happened moves the step on; a no-op leaves the value as it was.
    assert after.step == session.step + (1 if events else 0) or len(events) > 1
    if not events:
        assert after == session


@pytest.mark.parametrize("where", ["lobby", "paused question", "reveal"])
def test_abandon_ends_without_revealing_and_keeps_what_was_answered(where: str) -> None:
    """The bot can no longer post in the group: the session ends as it stands (no reveal, no
    clock left), and what was answered so far stays in the session's value."""
    if where == "lobby":
        s = lobby(1, 2)
    else:
        s, _, _ = press(started(1, 2), 1, correct_keys(started(1, 2)), 4)
        s, _ = live.pause(s, at(5)) if where == "paused question" else live.skip(s, at(5), RULES)
    after, events = live.abandon(s, at(9))
    status = Status.CANCELLED if where == "lobby" else Status.STOPPED
    assert events == (Ended(status),)
    assert after == replace(
        s,
        status=status,
        phase=Phase.ENDED,
        deadline=None,
        paused_left_ms=None,
        step=s.step + 1,
        ended_at=at(9),
    )
    # An ended session is left alone: a second abandon (or a late one) changes nothing.
    assert live.abandon(after, at(10)) == (after, ())


def test_reveal_then_next_question_and_leaderboard_every_two() -> None:
    s = started(1)
    s, events = live.tick(s, at(20), RULES)
    assert events == (QuestionClosed(0, CloseReason.TIMEOUT),)
    assert s.deadline == at(30)
    s, events = live.tick(s, at(30), RULES)
    assert events == (QuestionOpened(1),) and s.position == 1 and s.answered == frozenset()
    s, events = live.skip(s, at(31), RULES)
    assert events == (QuestionClosed(1, CloseReason.SKIPPED), LeaderboardDue(1))
    s, events = live.skip(s, at(32), RULES)
    assert events == (QuestionOpened(2),)


def test_last_question_ends_the_session() -> None:
    s = started(1)
    for position in range(s.total - 1):
        s, _ = live.skip(s, at(position), RULES)
        s, _ = live.skip(s, at(position), RULES)
    assert s.position == s.total - 1
    # The last question is a peer round: its first vote, discussion and re-vote come first.
    s, events = live.tick(s, at(500), RULES)
    assert events == (live.DiscussionOpened(5, CloseReason.TIMEOUT),)
    s, events = live.tick(s, at(600), RULES)
    assert events == (live.RevoteOpened(5),)
    s, events = live.tick(s, at(700), RULES)
    assert events == (QuestionClosed(5, CloseReason.TIMEOUT), Ended(Status.FINISHED))
    assert s.status is Status.FINISHED and s.phase is Phase.ENDED and s.deadline is None
    assert live.tick(s, at(900), RULES) == (s, ())
    assert live.stop(s, at(900), RULES) == (s, ())


def test_stop_during_reveal_keeps_results() -> None:
    s, _ = live.skip(started(1), at(1), RULES)
    s, events = live.stop(s, at(2), RULES)
    assert events == (Ended(Status.STOPPED),) and s.status is Status.STOPPED


def test_pause_keeps_the_time_left_and_resume_shifts_the_clock() -> None:
    s = started(1, 2)
    s, _ = live.pause(s, at(5))
    assert s.paused and s.paused_left_ms == 15_000 and s.deadline is None
    # Nothing moves while paused, and answers wait.
    assert live.tick(s, at(100), RULES) == (s, ())
    assert press(s, 1, correct_keys(s), 6)[2].refusal is Refusal.PAUSED
    s, events = live.resume(s, at(65))
    assert events == (Resumed(),)
    assert s.deadline == at(80) and s.opened_at == at(60)
    # Answer time counts from the (shifted) opening: 5 s before the pause + 2 s after.
    _, _, outcome = press(s, 1, correct_keys(s), 67)
    assert outcome.answer is not None and outcome.answer.elapsed_ms == 7_000


def test_skip_while_paused_moves_on_and_unpauses() -> None:
    s, _ = live.pause(started(1), at(5))
    s, events = live.skip(s, at(9), RULES)
    assert events == (QuestionClosed(0, CloseReason.SKIPPED),)
    assert not s.paused and s.deadline == at(19)


# --- answers ----------------------------------------------------------------------------------


def test_first_press_counts_and_later_presses_are_refused() -> None:
    s = started(1, 2)
    s, events, first = press(s, 1, correct_keys(s), 4)
    assert events == () and first.answer is not None and first.answer.correct
    assert first.answer.points == 1.0 and first.answer.elapsed_ms == 4000
    for keys in (correct_keys(s), "a"):
        again, events, outcome = press(s, 1, keys, 5)
        assert outcome.refusal is Refusal.ALREADY and again == s and events == ()


def test_everyone_answering_closes_early_but_late_joiners_do_not() -> None:
    s = started(1, 2)
    # A student who did not join answers: they join, and the question stays open.
    s, events, outcome = press(s, 9, "a", 1)
    assert outcome.answer is not None and 9 in s.joined and 9 not in s.expected and events == ()
    s, events, _ = press(s, 1, "a", 2)
    assert events == ()
    s, events, _ = press(s, 2, "a", 3)
    assert events == (QuestionClosed(0, CloseReason.ALL_ANSWERED),)
    # At the next question the late joiner is expected like everyone else.
    s, _ = live.tick(s, at(100), RULES)
    assert s.expected == {1, 2, 9}


def test_a_student_who_joins_during_a_question_does_not_hold_it_open() -> None:
    """Who is waited for is fixed when the question opens: one who joins later and stays
    silent must not keep the class waiting for the timer."""
    s = started(1, 2)
    s, new = live.join(s, 9)
    assert new and 9 in s.joined and 9 not in s.expected
    s, _, _ = press(s, 1, "a", 1)
    s, events, _ = press(s, 2, "a", 2)
    assert events == (QuestionClosed(0, CloseReason.ALL_ANSWERED),)


def test_nobody_joined_means_no_early_close() -> None:
    s = started()
    s, events, outcome = press(s, 5, "a", 1)
    assert outcome.answer is not None and events == () and s.phase is Phase.QUESTION


ANSWERS = [
    # (name, position offset, keys, seconds, refusal)
    ("wrong position", 1, "a", 1, Refusal.CLOSED),
    ("not an option", 0, "z", 1, Refusal.INVALID),
    ("two keys on a single", 0, "a,b", 1, Refusal.INVALID),
    ("after the deadline", 0, "a", 20, Refusal.CLOSED),
]


@pytest.mark.parametrize(
    ("name", "offset", "keys", "seconds", "refusal"), ANSWERS, ids=[a[0] for a in ANSWERS]
)
def test_refused_answers(name, offset, keys, seconds, refusal) -> None:
    s = started(1)
    q = Q[s.current.question_id]
    after, events, outcome = live.answer(
        s, q, s.position + offset, 1, frozenset(keys.split(",")), at(seconds), RULES
    )
    assert outcome.refusal is refusal and outcome.answer is None
    if name == "after the deadline":
        # A press after time is up closes the question at once, without counting.
        assert events == (QuestionClosed(0, CloseReason.TIMEOUT),)
    else:
        assert after == s and events == ()


def test_multi_select_grades_the_whole_set() -> None:
    s = started(1, 2, 3)
    while s.current.question_id != "q3":
        s, _ = live.skip(s, at(1), RULES)
        s, _ = live.skip(s, at(1), RULES)
    s, _, right = press(s, 1, "a,c", 2)
    s, _, partial = press(s, 2, "a", 2)
    s, _, wrong = press(s, 3, "a,b,c", 2)
    assert (right.answer.correct, partial.answer.correct, wrong.answer.correct) == (
        True,
        False,
        False,
    )


def test_an_answer_of_the_wrong_kind_is_invalid() -> None:
    s = started(1)
    # A press for a typed question, or text for a choice question, is not an answer.
    outcome = live.answer(s, Q["s1"], 0, 1, frozenset({"a"}), at(1), RULES)[2]
    assert outcome.refusal is Refusal.INVALID
    outcome = live.answer(s, Q["q1"], 0, 1, frozenset(), at(1), RULES, text="b")[2]
    assert outcome.refusal is Refusal.INVALID


# --- scoring ----------------------------------------------------------------------------------

POINTS = [
    # (correct, elapsed ms, seconds, speed, expected)
    (True, 0, 20, False, 1.0),
    (True, 19_000, 20, False, 1.0),
    (False, 0, 20, False, 0.0),
    (True, 0, 20, True, 1.0),
    (True, 10_000, 20, True, 0.75),
    (True, 20_000, 20, True, 0.5),
    (True, 99_000, 20, True, 0.5),
    (False, 0, 20, True, 0.0),
]


@pytest.mark.parametrize(("correct", "elapsed", "seconds", "speed", "expected"), POINTS)
def test_points(correct, elapsed, seconds, speed, expected) -> None:
    assert live.points(correct, elapsed, seconds, speed, 0.5) == expected


def test_speed_points_through_answer() -> None:
    s = started(1, 2, speed=True)
    s, _, fast = press(s, 1, correct_keys(s), 0)
    s, _, slow = press(s, 2, correct_keys(s), 15)
    assert fast.answer.points == 1.0 and slow.answer.points == 0.625


def _answer(user: int, points: float, ms: int, correct: bool = True, qid: str = "q1") -> LiveAnswer:
    return LiveAnswer(7, qid, 0, user, frozenset({"a"}), correct, points, T0, ms)


def test_standings_rank_by_points_then_total_time() -> None:
    answers = [
        _answer(1, 1.0, 9000),
        _answer(1, 1.0, 1000, qid="q2"),  # 2 points, 10 s
        _answer(2, 1.0, 3000),
        _answer(2, 1.0, 3000, qid="q2"),  # 2 points, 6 s: ahead of 1 on the tie
        _answer(3, 0.0, 500, correct=False),
        _answer(4, 1.0, 100),
    ]
    asked = [Planned("q1", ("a", "b"), 20), Planned("q2", ("a", "b"), 20)]
    rows = live.standings(answers, participants=[1, 2, 3, 4, 5], asked=asked)
    assert [(r.user_id, r.rank) for r in rows] == [(2, 1), (1, 2), (4, 3), (3, 4), (5, 5)]
    assert rows[0] == Standing(2, 2.0, 2, 2, 6000, 1)
    # Unanswered questions count their whole time: silence never wins a tie.
    assert rows[3] == Standing(3, 0.0, 0, 1, 20_500, 4)
    assert rows[-1] == Standing(5, 0.0, 0, 0, 40_000, 5)


def test_combine_sums_sessions() -> None:
    first = [Standing(1, 3.0, 3, 3, 9000, 1), Standing(2, 2.0, 2, 3, 4000, 2)]
    second = [Standing(2, 1.5, 2, 2, 1000, 1), Standing(3, 0.5, 1, 2, 100, 2)]
    rows = live.combine(first + second)
    assert [(r.user_id, r.score, r.rank) for r in rows] == [(2, 3.5, 1), (1, 3.0, 2), (3, 0.5, 3)]
    assert rows[0].total_ms == 5000 and rows[0].answered == 5


def test_tally_counts_per_shown_option() -> None:
    planned = Planned("q3", ("c", "a", "b"), 20)
    answers = [
        replace(_answer(1, 1, 0, qid="q3"), keys=frozenset("ac")),
        replace(_answer(2, 0, 0, False, qid="q3"), keys=frozenset("a")),
        replace(_answer(3, 0, 0, False, qid="q3"), keys=frozenset("b")),
        _answer(4, 1, 0, qid="other"),
    ]
    result = live.tally(planned, answers)
    assert result.counts == (("c", 1), ("a", 2), ("b", 1))
    assert (result.answered, result.correct) == (3, 1)
    assert result.share(2) == 67 and live.tally(planned, []).share(0) == 0


REFRESH = [
    # (shown, shown_at offset, count, now offset, min seconds, due)
    (None, None, 0, 0, 10, True),
    (3, 0, 3, 60, 10, False),
    (3, 0, 4, 9, 10, False),
    (3, 0, 4, 10, 10, True),
]


@pytest.mark.parametrize(("shown", "shown_at", "count", "now", "minimum", "due"), REFRESH)
def test_refresh_only_on_change_and_not_too_often(
    shown, shown_at, count, now, minimum, due
) -> None:
    when = None if shown_at is None else at(shown_at)
    assert live.refresh_due(shown, when, count, at(now), minimum) is due


def test_entry_events_show_the_current_state_again() -> None:
    s = started(1)
    assert live.entry_events(s, RULES) == (QuestionOpened(0),)
    s, _ = live.skip(s, at(1), RULES)
    s, _ = live.skip(s, at(1), RULES)
    s, _ = live.skip(s, at(1), RULES)
    assert live.entry_events(s, RULES) == (
        QuestionClosed(1, CloseReason.SKIPPED),
        LeaderboardDue(1),
    )
    paused, _ = live.pause(s, at(2))
    assert live.entry_events(paused, RULES)[-1] == Paused()
    ended, _ = live.stop(s, at(3), RULES)
    assert live.entry_events(ended, RULES) == (
        QuestionClosed(1, CloseReason.SKIPPED),
        Ended(Status.STOPPED),
    )


def test_the_domain_imports_neither_telegram_nor_sqlite() -> None:
    import subprocess
    import sys

    code = "import sys, quizzes.live; print('telegram' in sys.modules, 'aiosqlite' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_with_answer_is_the_session_replace_would_build() -> None:
    session = started(1, 2, 3)
    for user in (2, 9):  # one who joined, one who joins with the answer
        built = replace(session, joined=session.joined | {user}, answered=session.answered | {user})
        copy = session.with_answer(user)
        assert copy == built and type(copy) is LiveSession
        assert hash(copy) == hash(built) and copy is not session
    assert session.answered == frozenset()  # the original is untouched
