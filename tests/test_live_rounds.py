"""Live sessions, pure domain: peer rounds (vote, discussion, re-vote), typed replies graded like
in private, unscored discussion responses, and what counts for scores and exports."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import load_content
from quizzes import live
from quizzes.analysis import rows_from_live
from quizzes.live import (
    CloseReason,
    DiscussionOpened,
    Ended,
    LiveAnswer,
    LiveResult,
    LiveRules,
    LiveSession,
    Paused,
    Phase,
    QuestionClosed,
    QuestionOpened,
    Refusal,
    RevoteOpened,
    Stage,
    Status,
)
from quizzes.model import Bank
from quizzes.typed import MAX_CHARS
from tests.harness import make_config

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
RULES = LiveRules(lobby_seconds=60, reveal_seconds=10)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    return load_content(make_config(tmp_path_factory.mktemp("content")))


@pytest.fixture(scope="module")
def bank(content: tuple) -> Bank:
    """The discussion bank cut down to one question of each new kind (and a choice one)."""
    discuss = content[1]["discuss"]
    keep = ("s01", "e01", "d01", "p01", "p02")
    return replace(discuss, questions=tuple(discuss.question(q) for q in keep))


def opened(bank: Bank, question_id: str, *joined: int, speed: bool = False) -> LiveSession:
    """A session with `joined` students, at the opening of `question_id`."""
    s = live.new_session(bank, -100, 1, T0, random.Random(5), RULES)
    s = replace(s, id=3, speed=speed)
    for user in joined:
        s, _ = live.join(s, user)
    s, _ = live.start(s, T0)
    while s.current.question_id != question_id:
        s = replace(s, phase=Phase.REVEAL, stage=Stage.ANSWER)
        s, _ = live.skip(s, T0, RULES)
    return replace(s, opened_at=T0, deadline=at(s.current.seconds))


def vote(s: LiveSession, bank: Bank, user: int, key: str, seconds: float, round: int = 0):
    q = bank.question(s.current.question_id)
    return live.answer(s, q, s.position, user, frozenset({key}), at(seconds), RULES, round=round)


def reply(s: LiveSession, bank: Bank, user: int, text: str, seconds: float, article=None):
    q = bank.question(s.current.question_id)
    return live.answer(
        s, q, s.position, user, frozenset(), at(seconds), RULES, text=text, article=article
    )


def right_and_wrong(bank: Bank, s: LiveSession) -> tuple[str, str]:
    q = bank.question(s.current.question_id)
    right = sorted(q.answer)[0]
    return right, next(k for k in s.current.order if k != right)


# --- the plan ---------------------------------------------------------------------------------


def test_the_plan_of_every_kind(bank: Bank) -> None:
    s = live.new_session(bank, -1, 1, T0, random.Random(1), RULES)
    assert [(p.question_id, p.discuss, p.scored) for p in s.plan] == [
        ("s01", 0, True),
        ("e01", 0, True),
        ("d01", 0, False),
        ("p01", 90, True),
        ("p02", 90, True),
    ]
    # Typed questions without a time limit get the typed defaults; a prompt gets longer.
    assert [p.seconds for p in s.plan[:3]] == [
        RULES.text_time_limit,
        RULES.text_time_limit,
        RULES.discussion_time_limit,
    ]
    assert live.has_prompts(s) and s.left_out == 0


def test_showing_responses_is_chosen_in_the_lobby_only(bank: Bank) -> None:
    s = replace(live.new_session(bank, -1, 1, T0, random.Random(1), RULES), id=1)
    on, events = live.set_show_responses(s, True)
    assert on.show_responses and events == (live.ResponsesChanged(True),) and on.step == 1
    assert live.set_show_responses(on, True) == (on, ())
    going, _ = live.start(on, T0)
    assert live.set_show_responses(going, False) == (going, ())


# --- peer rounds ------------------------------------------------------------------------------


def test_a_peer_round_votes_discusses_and_votes_again(bank: Bank) -> None:
    s = opened(bank, "p01", 1, 2)
    right, wrong = right_and_wrong(bank, s)
    s, events, first = vote(s, bank, 1, wrong, 3)
    assert first.answer is not None and first.answer.round == 0 and events == ()
    # The last expected vote closes the first vote: the discussion starts, answers close.
    s, events, _ = vote(s, bank, 2, right, 5)
    assert events == (DiscussionOpened(s.position, CloseReason.ALL_ANSWERED),)
    assert s.phase is Phase.QUESTION and s.stage is Stage.DISCUSS
    assert s.deadline == at(5 + 90) and not s.accepting
    assert vote(s, bank, 1, right, 6)[2].refusal is Refusal.DISCUSSING
    assert live.tick(s, at(94), RULES) == (s, ())
    # Everyone voted, but nobody can vote now: the discussion does not close by itself.
    assert not live.everyone_answered(s)
    s, events = live.tick(s, at(95), RULES)
    assert events == (RevoteOpened(s.position),)
    assert s.stage is Stage.REVOTE and s.round == 1 and s.answered == frozenset()
    assert s.message_id is None and s.opened_at == at(95) and s.expected == {1, 2}
    # A press on the first vote's buttons no longer counts; the re-vote's does, once.
    assert vote(s, bank, 1, right, 96)[2].refusal is Refusal.CLOSED
    s, _, again = vote(s, bank, 1, right, 97, round=1)
    assert again.answer is not None and again.answer.round == 1 and again.answer.correct
    assert again.answer.elapsed_ms == 2000  # from the re-vote's opening
    assert vote(s, bank, 1, wrong, 98, round=1)[2].refusal is Refusal.ALREADY
    s, events, _ = vote(s, bank, 2, right, 99, round=1)
    assert events == (QuestionClosed(s.position, CloseReason.ALL_ANSWERED),)
    assert s.phase is Phase.REVEAL and s.stage is Stage.REVOTE


def test_the_teacher_moves_a_peer_round_through_every_stage(bank: Bank) -> None:
    s = opened(bank, "p01", 1)
    position = s.position
    s, events = live.skip(s, at(2), RULES)
    assert events == (DiscussionOpened(position, CloseReason.SKIPPED),)
    # Paused during the discussion: the time left is kept, nothing moves.
    s, events = live.pause(s, at(32))
    assert events == (Paused(),) and s.paused_left_ms == 60_000
    assert live.tick(s, at(500), RULES) == (s, ())
    assert vote(s, bank, 1, "a", 501)[2].refusal is Refusal.DISCUSSING
    s, _ = live.resume(s, at(600))
    assert s.deadline == at(660) and s.stage is Stage.DISCUSS
    assert live.entry_events(s, RULES) == (DiscussionOpened(position, CloseReason.SKIPPED),)
    s, events = live.skip(s, at(610), RULES)
    assert events == (RevoteOpened(position),)
    assert live.entry_events(s, RULES) == (RevoteOpened(position),)
    # Paused during the re-vote: resuming shifts its opening, like any question.
    s, _ = live.pause(s, at(615))
    s, _ = live.resume(s, at(700))
    assert s.opened_at == at(695)
    s, events = live.skip(s, at(701), RULES)
    assert events == (QuestionClosed(position, CloseReason.SKIPPED),)
    s, events = live.skip(s, at(702), RULES)
    assert events == (QuestionOpened(position + 1),) and s.stage is Stage.ANSWER


def test_stop_during_a_discussion_ends_with_the_first_vote(bank: Bank) -> None:
    s = opened(bank, "p02", 1)
    s, _ = live.skip(s, at(1), RULES)
    s, events = live.stop(s, at(2), RULES)
    assert events == (QuestionClosed(s.position, CloseReason.STOPPED), Ended(Status.STOPPED))
    assert s.stage is Stage.DISCUSS and s.status is Status.STOPPED


def _peer(user: int, key: str, round: int, correct: bool, points: float = 1.0) -> LiveAnswer:
    return LiveAnswer(
        3, "p01", 3, user, frozenset({key}), correct, points * correct, T0, 1000, round
    )


def test_the_last_vote_counts() -> None:
    answers = [
        _peer(1, "a", 0, False),
        _peer(2, "b", 0, True),
        _peer(3, "b", 0, True),
        _peer(1, "b", 1, True, 0.75),  # changed to the right answer
        _peer(3, "c", 1, False),  # changed away from it
    ]
    kept = live.counted(answers)
    assert [(a.user_id, a.round) for a in kept] == [(2, 0), (1, 1), (3, 1)]
    rows = {r.user_id: r for r in live.standings(answers, [1, 2, 3])}
    assert (rows[1].score, rows[1].correct, rows[1].answered) == (0.75, 1, 1)
    assert (rows[2].score, rows[3].score) == (1.0, 0.0)


def test_the_shift_between_the_two_votes(bank: Bank) -> None:
    q = bank.question("p01")
    right = sorted(q.answer)[0]
    wrong = sorted(k.key for k in q.options if k.key != right)
    planned = live.Planned("p01", tuple(o.key for o in q.options), 30, 90)
    answers = [
        _peer(1, wrong[0], 0, False),
        _peer(2, wrong[0], 0, False),
        _peer(3, right, 0, True),
        _peer(4, wrong[1], 0, False),
        _peer(1, right, 1, True),  # to the right answer
        _peer(2, wrong[1], 1, False),  # to another wrong one
        _peer(3, wrong[0], 1, False),  # away from the right one
        _peer(4, wrong[1], 1, False),  # stayed
        _peer(5, right, 1, True),  # voted only the second time
    ]
    shown = live.peer_round(q, planned, answers)
    assert (shown.first.answered, shown.first.correct) == (4, 1)
    assert (shown.second.answered, shown.second.correct) == (5, 2)
    assert dict(shown.first.counts)[wrong[0]] == 2 and dict(shown.second.counts)[right] == 2
    assert (shown.both, shown.changed, shown.to_right, shown.to_wrong) == (4, 3, 1, 1)


# --- typed replies ----------------------------------------------------------------------------


def test_short_answers_are_graded_like_in_private(bank: Bank) -> None:
    s = opened(bank, "s01", 1, 2, 3)
    s, _, right = reply(s, bank, 1, "عامَ ٢٠١١", 4)
    s, _, wrong = reply(s, bank, 2, "2014", 5)
    assert right.answer.correct and right.answer.raw_text == "عامَ ٢٠١١"
    assert right.answer.points == 1.0 and right.answer.score == 1.0
    assert wrong.answer.correct is False and wrong.answer.points == 0.0
    assert right.answer.keys == frozenset() and right.answer.round == 0
    assert reply(s, bank, 1, "2011", 6)[2].refusal is Refusal.ALREADY
    s, events, _ = reply(s, bank, 3, "2011", 7)
    assert events == (QuestionClosed(0, CloseReason.ALL_ANSWERED),)


def test_an_evidence_fragment_earns_half_a_point(bank: Bank, content: tuple) -> None:
    article = content[0]["000_b2ad9beff8a3f107"]
    s = opened(bank, "e01", 1, 2, 3, speed=True)
    sentence = bank.question("e01").citations[0].passage.text
    s, _, whole = reply(s, bank, 1, sentence, 0, article)
    s, _, part = reply(s, bank, 2, sentence[:70], 0, article)
    s, _, other = reply(s, bank, 3, article.sentences[0].text, 0, article)
    assert (whole.answer.correct, whole.answer.credit, whole.answer.points) == (True, 1.0, 1.0)
    assert (part.answer.correct, part.answer.credit, part.answer.points) == (False, 0.5, 0.5)
    assert (other.answer.correct, other.answer.score) == (False, 0.0)


def test_discussion_responses_are_recorded_but_not_scored(bank: Bank) -> None:
    s = opened(bank, "d01", 1, 2, speed=True)
    text = "أرى أن صمت بوتين حساب بعيد المدى، فالمعاهدة لم تلزمه بالتدخل كما تقول الفقرة الثالثة."
    s, _, response = reply(s, bank, 1, text, 3)
    assert response.answer.correct is None and response.answer.points == 0.0
    assert response.answer.raw_text == text and response.answer.score == 0.0
    rows = {r.user_id: r for r in live.standings([response.answer], [1, 2], s.plan[:3])}
    # Unscored: no point, no answer counted, and no time charged to the silent student.
    assert (rows[1].score, rows[1].answered) == (0.0, 0)
    assert rows[2].total_ms - rows[1].total_ms == 0


BAD_REPLIES = [
    ("empty", "s01", "  ...  ؟ "),
    ("over-long", "s01", "٢٠١١ " * (MAX_CHARS // 5 + 1)),
    ("Latin for a prompt", "d01", "I think Putin was weak and did not want a war at all."),
    ("too short a response", "d01", "ضعف."),
    ("Latin on the wrong keyboard", "s01", "hgrhivm"),
]


@pytest.mark.parametrize(("name", "qid", "text"), BAD_REPLIES, ids=[b[0] for b in BAD_REPLIES])
def test_unusable_replies_are_refused(bank: Bank, name: str, qid: str, text: str) -> None:
    s = opened(bank, qid, 1)
    after, events, outcome = reply(s, bank, 1, text, 2)
    assert outcome.refusal is Refusal.INVALID and (after, events) == (s, ())


def test_a_few_responses_are_picked_the_same_way_every_time() -> None:
    answers = [
        replace(_peer(u, "a", 0, False), question_id="d01", raw_text=f"رد {u}") for u in range(9)
    ]
    picked = live.sample_responses(answers, "d01", 3, "3:2")
    assert len(picked) == 3 and picked == live.sample_responses(answers, "d01", 3, "3:2")
    # In the order they came, and all of them when there are few.
    assert picked == sorted(picked, key=lambda t: int(t.split()[-1]))
    assert live.sample_responses(answers[:2], "d01", 3, "x") == ["رد 0", "رد 1"]
    assert live.sample_responses(answers, "other", 3, "x") == []


def test_export_rows_keep_the_counted_answer_its_credit_and_raw_text() -> None:
    result = LiveResult(
        3, -100, "discuss", Status.FINISHED, 1, "هدى", None, 1.5, 1, 3, 3, 0, 1, T0, T0
    )
    answers = [
        _peer(1, "a", 0, False),
        _peer(1, "b", 1, True),
        LiveAnswer(3, "e01", 1, 1, frozenset(), False, 0.5, T0, 900, raw_text="جزء", credit=0.5),
        LiveAnswer(3, "d01", 2, 1, frozenset(), None, 0.0, T0, 900, raw_text="رأيي"),
    ]
    results, rows = rows_from_live([result], answers)
    assert results[0].score == 1.5 and results[0].out_of == 3
    # The re-vote replaces the first vote; typed rows keep their credit and their text.
    assert [(r.question_id, r.choice, r.correct, r.score, r.raw_text) for r in rows] == [
        ("p01", "b", True, 1.0, None),
        ("e01", "", False, 0.5, "جزء"),
        ("d01", "", None, 0.0, "رأيي"),
    ]


def test_points_scale_partial_credit_with_speed() -> None:
    assert live.points(0.5, 0, 20, False, 0.5) == 0.5
    assert live.points(0.5, 20_000, 20, True, 0.5) == 0.25
    assert live.points(0.0, 0, 20, True, 0.5) == 0.0
