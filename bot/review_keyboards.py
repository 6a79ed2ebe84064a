"""Buttons of spaced review: the /review settings, the next item, and options too long for a
quiz poll. Their kinds are in bot/buttons.py."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.buttons import REVIEW_ANSWER, REVIEW_OFF, REVIEW_START, REVIEW_WINDOW, pack
from bot.formatting import Formatter
from bot.render import letter, option_text
from quizzes.model import Question
from quizzes.review import HOURS, ReviewPrompt, ReviewSettings, Window


def window_label(fmt: Formatter, window: Window) -> str:
    start, end = HOURS[window]
    return texts.REVIEW_WINDOWS[window.value].format(start=fmt.num(start), end=fmt.num(end))


def settings(fmt: Formatter, current: ReviewSettings, due: bool) -> InlineKeyboardMarkup:
    rows = []
    if due:
        rows.append(
            [InlineKeyboardButton(texts.REVIEW_BUTTON_START, callback_data=pack(REVIEW_START))]
        )
    rows.append(
        [
            InlineKeyboardButton(
                ("✅ " if current.window is w and not current.blocked else "")
                + window_label(fmt, w),
                callback_data=pack(REVIEW_WINDOW, w.value),
            )
            for w in Window
        ]
    )
    if current.window is not None:
        rows.append(
            [
                InlineKeyboardButton(
                    texts.REVIEW_BUTTON_OFF, callback_data=pack(REVIEW_WINDOW, REVIEW_OFF)
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def next_item() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.REVIEW_BUTTON_NEXT, callback_data=pack(REVIEW_START))]]
    )


def options(prompt: ReviewPrompt, question: Question) -> InlineKeyboardMarkup:
    """One button per option, in full on its own row (they were too long for a poll)."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"{letter(i)}) {option_text(question, question.option(key))}"[:60],
                    callback_data=pack(REVIEW_ANSWER, prompt.id, key),
                )
            ]
            for i, key in enumerate(prompt.option_order)
        ]
    )
