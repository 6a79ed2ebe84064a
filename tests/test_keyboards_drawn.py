"""Every keyboard the bot draws: each of its buttons is a registered kind (bot/buttons.py)
with the arguments that kind carries, and has a handler; every registered kind is drawn."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache

import pytest
from telegram import InlineKeyboardMarkup

from bot import buttons, keyboards, review_keyboards, teacher_keyboards
from bot.app import BUTTONS
from bot.buttons import Kind, Where
from bot.config import DEFAULT_BANKS, DEFAULT_SEEDS
from bot.formatting import Formatter
from bot.live import keyboards as live_keyboards
from bot.routing import GROUP, PRIVATE, ButtonRouter
from quizzes import live
from quizzes.adaptive import PeerPath
from quizzes.article import Article
from quizzes.attempt import new_attempt
from quizzes.classes import ClassInfo
from quizzes.loader import bank_files, load_banks
from quizzes.review import PromptKind, ReviewPrompt, ReviewSettings, Window

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
ARTICLE = Article("civic", "المقال", "ar", ("الفقرة الأولى.",), "0" * 64)
# Kinds drawn only by code these keyboards do not reach, each with where it is drawn. Empty
# today: add a kind here only with the reason, never to silence the test below.
DRAWN_ELSEWHERE: dict[str, str] = {}


def every_keyboard() -> list[InlineKeyboardMarkup]:
    banks = load_banks(bank_files(DEFAULT_BANKS), DEFAULT_SEEDS)
    drawn: list[InlineKeyboardMarkup | None] = [
        keyboards.banks(Formatter(), banks),
        live_keyboards.banks(Formatter(), banks),
        teacher_keyboards.homework("https://t.me/class_quiz_bot?start=hw-7", 7),
        teacher_keyboards.classes(
            buttons.EXPORT_CLASS, [ClassInfo(-100, "الصف «أ» <b>", "supergroup")]
        ),
        teacher_keyboards.classes(buttons.REPORT_CLASS, [ClassInfo(-100, "الصف", "group")], "all"),
        teacher_keyboards.forget(),
        keyboards.article_choice([ARTICLE, replace(ARTICLE, id="water", title="الماء")], 3),
        review_keyboards.settings(Formatter(), ReviewSettings(Window.EVENING), due=True),
        review_keyboards.next_item(),
    ]
    for bank in banks:
        attempt = replace(new_attempt(bank, 5, 5, T0, random.Random(1)), id=3)
        drawn += [
            keyboards.banks(Formatter(), banks, resume=attempt),
            keyboards.after_summary(attempt, True),
        ]
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
                drawn.append(live_keyboards.question(replace(at, stage=live.Stage.REVOTE), q))
            drawn.append(live_keyboards.question(replace(at, paused_left_ms=5000), q))
            choose = replace(at, stage=live.Stage.DISCUSS, path=PeerPath.CHOOSE)
            drawn.append(live_keyboards.discussion(choose))
            drawn.append(live_keyboards.reveal(replace(at, phase=live.Phase.REVEAL)))
    return [k for k in drawn if k is not None]


@cache
def every_callback_data() -> tuple[str, ...]:
    return tuple(
        button.callback_data
        for markup in every_keyboard()
        for row in markup.inline_keyboard
        for button in row
        if button.callback_data
    )


def test_every_button_the_bot_draws_has_a_handler() -> None:
    kinds = {data.split(":", 1)[0] for data in every_callback_data()}
    routed = {kind.prefix for kind, _ in BUTTONS}
    assert kinds - routed == set()


def test_every_drawn_button_is_a_registered_kind_with_its_arguments() -> None:
    registered = {kind.prefix: kind for kind in buttons.KINDS}
    for data in every_callback_data():
        prefix, *args = data.split(":")
        assert prefix in registered, data
        assert len(args) == registered[prefix].arity, data
        assert buttons.unpack(data, registered[prefix]).args == tuple(args)


def test_every_registered_kind_is_drawn() -> None:
    drawn = {data.split(":", 1)[0] for data in every_callback_data()}
    assert set(DRAWN_ELSEWHERE) <= {kind.prefix for kind in buttons.KINDS}
    assert {kind.prefix for kind in buttons.KINDS} - set(DRAWN_ELSEWHERE) == drawn


def test_every_control_action_is_drawn() -> None:
    control = buttons.LIVE_CONTROL.prefix + ":"
    actions = {d.split(":")[3] for d in every_callback_data() if d.startswith(control)}
    assert actions == set(buttons.CONTROL_ACTIONS)


async def _nothing(update: object, context: object) -> None:
    return None


def test_a_kind_cannot_have_two_handlers() -> None:
    places = {Where.PRIVATE: PRIVATE, Where.GROUP: GROUP}
    twice = [
        (Kind("an", 0, Where.PRIVATE, ""), _nothing),
        (Kind("an", 0, Where.GROUP, ""), _nothing),
    ]
    with pytest.raises(ValueError, match="'an'"):
        ButtonRouter(twice, places, fallback=_nothing)
    with pytest.raises(ValueError, match="malformed"):
        ButtonRouter([(Kind("a:b", 0, Where.PRIVATE, ""), _nothing)], places, fallback=_nothing)
