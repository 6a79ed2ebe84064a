"""Every keyboard the bot draws: each of its buttons has a handler."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from telegram import InlineKeyboardMarkup

from bot import keyboards, live_keyboards, review_keyboards, teacher_keyboards
from bot.app import BUTTONS
from bot.config import DEFAULT_BANKS, DEFAULT_SEEDS
from bot.routing import GROUP, PRIVATE, ButtonRouter
from quizzes import live
from quizzes.attempt import new_attempt
from quizzes.classes import ClassInfo
from quizzes.loader import bank_files, load_banks
from quizzes.review import PromptKind, ReviewPrompt, ReviewSettings, Window

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def every_keyboard() -> list[InlineKeyboardMarkup]:
    banks = load_banks(bank_files(DEFAULT_BANKS), DEFAULT_SEEDS)
    drawn: list[InlineKeyboardMarkup | None] = [
        keyboards.banks(banks),
        live_keyboards.banks(banks),
        teacher_keyboards.homework("https://t.me/class_quiz_bot?start=hw-7", 7),
        teacher_keyboards.classes(
            teacher_keyboards.EXPORT_CLASS, [ClassInfo(-100, "الصف «أ» <b>", "supergroup")]
        ),
        teacher_keyboards.forget(),
        review_keyboards.settings(ReviewSettings(Window.EVENING), due=True),
    ]
    for bank in banks:
        attempt = replace(new_attempt(bank, 5, 5, T0, random.Random(1)), id=3)
        drawn += [keyboards.banks(banks, resume=attempt), keyboards.after_summary(attempt, True)]
        for position, qid in enumerate(attempt.question_ids):
            here = replace(attempt, position=position, selection=frozenset({"a"}))
            q = bank.question(qid)
            drawn += [keyboards.question(here, q), keyboards.next_step(here, position)]
            if q.is_choice and len(q.options) > 1:
                drawn.append(keyboards.peer_second_vote(here, q, position))
            if q.is_choice:
                keys = tuple(o.key for o in q.options)
                shown = ReviewPrompt(4, 5, bank.id, q.id, 2, PromptKind.BUTTONS, T0, None, keys)
                drawn.append(review_keyboards.options(shown, q))
        session = replace(
            live.new_session(bank, -100, 1, T0, random.Random(2), live.LiveRules()), id=9
        )
        drawn += [live_keyboards.lobby(session), live_keyboards.discussion(session)]
        for position, planned in enumerate(session.plan):
            at = replace(session, position=position, phase=live.Phase.QUESTION)
            q = bank.question(planned.question_id)
            if q.is_choice:
                drawn.append(live_keyboards.question(at, q))
            drawn.append(live_keyboards.reveal(replace(at, phase=live.Phase.REVEAL)))
    return [k for k in drawn if k is not None]


def test_every_button_the_bot_draws_has_a_handler() -> None:
    kinds = {
        button.callback_data.split(":", 1)[0]
        for markup in every_keyboard()
        for row in markup.inline_keyboard
        for button in row
        if button.callback_data
    }
    routed = {kind for kind, _, _ in BUTTONS}
    assert kinds - routed == set()
    # Kinds drawn only where these keyboards are not: private peer rounds' first vote, the
    # homework list, the class pickers of exports and reports.
    assert len(routed - kinds) <= 4


async def _nothing(update: object, context: object) -> None:
    return None


def test_a_kind_cannot_have_two_handlers() -> None:
    with pytest.raises(ValueError, match="'an'"):
        ButtonRouter([("an", _nothing, PRIVATE), ("an", _nothing, GROUP)], fallback=_nothing)
    with pytest.raises(ValueError, match="malformed"):
        ButtonRouter([("a:b", _nothing, PRIVATE)], fallback=_nothing)
