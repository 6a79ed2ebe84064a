"""The review domain: what is scheduled, the Leitner ladder, local days and windows; and the
quiz poll a review item becomes, within Telegram's limits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import review_polls
from bot.app import load_content
from bot.config import Config
from bot.formatting import Formatter
from quizzes.model import MatchRules, Option, Question, QuestionType
from quizzes.review import (
    BOX_DAYS,
    Window,
    answered,
    due_after,
    in_window,
    needs_review,
    schedule,
    windows_at,
)

RIYADH = ZoneInfo("Asia/Riyadh")
NOW = datetime(2026, 12, 1, 19, 30, tzinfo=UTC)  # 22:30 in Riyadh
SHORT = Question(
    "s1", QuestionType.SHORT, "p", "e", (), accepted=("فنزويلا",), match=MatchRules(typos=True)
)
DISCUSSION = Question("d1", QuestionType.DISCUSSION, "p", "e", ())
SINGLE = Question(
    "c1", QuestionType.SINGLE, "p", "e", (), (Option("a", "x"), Option("b", "y")), frozenset("a")
)


@pytest.mark.parametrize(
    ("question", "correct", "score", "raw", "expected"),
    [
        (SINGLE, False, 0.0, None, True),
        (SINGLE, True, 1.0, None, False),
        (SHORT, True, 1.0, "فنزويلا", False),
        (SHORT, True, 1.0, "فنزولا", True),  # right only through the typo tolerance
        (SHORT, False, 0.5, "…", True),  # half credit
        (SHORT, True, 0.5, "فنزويلا", True),  # a live answer marked right with part credit
        (DISCUSSION, None, 0.0, "رأيي", False),  # unscored
    ],
)
def test_what_is_scheduled(question, correct, score, raw, expected) -> None:
    assert needs_review(question, correct, score, raw) is expected


def test_due_from_the_start_of_the_local_day() -> None:
    # 22:30 on Dec 1 in Riyadh: one day later is Dec 2 from local midnight (21:00 UTC Dec 1).
    assert due_after(NOW, 1, RIYADH) == datetime(2026, 12, 2, tzinfo=RIYADH)
    item = schedule(7, "facts", "f01", NOW, RIYADH)
    assert (item.box, item.due_at) == (0, datetime(2026, 12, 2, tzinfo=RIYADH))


def test_the_ladder_up_and_back_down() -> None:
    item = schedule(7, "facts", "f01", NOW, RIYADH)
    seen = []
    for _ in range(len(BOX_DAYS) - 1):
        item = answered(item, True, NOW, RIYADH)
        seen.append((item.box, item.due_at.day))
    assert seen == [(1, 4), (2, 8), (3, 17)]
    assert answered(item, True, NOW, RIYADH).done
    back = answered(item, False, NOW, RIYADH)
    assert (back.box, back.due_at.day, back.done, back.reviews) == (0, 2, False, 4)


@pytest.mark.parametrize(
    ("utc_hour", "open_windows"),
    [(4, ()), (5, (Window.MORNING,)), (9, (Window.AFTERNOON,)), (14, (Window.EVENING,)), (18, ())],
)
def test_windows_in_the_class_time_zone(utc_hour, open_windows) -> None:
    moment = datetime(2026, 12, 1, utc_hour, tzinfo=UTC)
    assert windows_at(moment, RIYADH) == open_windows
    assert all(in_window(w, moment, RIYADH) for w in open_windows)


def test_every_choice_item_of_the_banks_fits_a_poll() -> None:
    _, banks = load_content(Config(token="x"))
    for bank in banks.values():
        for question in bank.questions:
            plan = review_polls.plan(Formatter(), question)
            if not question.is_choice:
                assert plan is None
                continue
            assert plan is not None, question.id
            assert len(plan.question) <= 300 and all(len(o) <= 100 for o in plan.options)
            assert 0 < len(plan.evidence.explanation) <= 200
            assert [plan.keys[i] for i in plan.correct_ids] == sorted(
                question.answer, key=plan.keys.index
            )
            assert plan.multiple is (question.type is QuestionType.MULTI)


def test_an_item_too_long_for_a_poll_is_not_cut() -> None:
    long_option = Question(
        "c2",
        QuestionType.SINGLE,
        "p",
        "e",
        (),
        (Option("a", "x" * 101), Option("b", "y")),
        frozenset("a"),
    )
    assert review_polls.plan(Formatter(), long_option) is None
    assert review_polls.plan(Formatter(), replace(SINGLE, prompt="q" * 301)) is None


def test_a_long_quote_is_cut_at_a_word_and_marked() -> None:
    _, banks = load_content(Config(token="x"))
    for bank in banks.values():
        for question in bank.questions:
            if not question.citations:
                continue
            evidence = review_polls.evidence(Formatter(), question)
            assert len(evidence.explanation) <= 200
            full = (question.citations[0].sentence or question.citations[0].passage).text
            assert evidence.cut is (full not in evidence.explanation)
