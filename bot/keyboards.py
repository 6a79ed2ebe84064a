"""Inline keyboards of private quizzes and of /article; their kinds are in bot/buttons.py."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.buttons import (
    ARTICLE,
    PEER_FIRST,
    PEER_SECOND,
    QUIZ_ANSWER,
    QUIZ_BANK,
    QUIZ_CONFIRM,
    QUIZ_MENU,
    QUIZ_NEXT,
    QUIZ_RESUME,
    QUIZ_RETRY,
    QUIZ_TOGGLE,
    pack,
)
from bot.formatting import Formatter
from bot.render import letter, option_text
from quizzes.article import Article
from quizzes.attempt import Attempt
from quizzes.model import Bank, Question, QuestionType

BUTTON_TEXT_LIMIT = 60


def _clip(text: str) -> str:
    return text if len(text) <= BUTTON_TEXT_LIMIT else text[: BUTTON_TEXT_LIMIT - 1] + "…"


def banks(
    fmt: Formatter, all_banks: Sequence[Bank], resume: Attempt | None = None
) -> InlineKeyboardMarkup:
    """One button per bank, after a "continue" button when an attempt is in progress."""
    first = []
    if resume is not None:
        label = texts.BUTTON_RESUME.format(
            number=fmt.num(resume.position + 1), total=fmt.num(resume.total)
        )
        first = [[InlineKeyboardButton(label, callback_data=pack(QUIZ_RESUME, resume.id))]]
    return InlineKeyboardMarkup(
        first
        + [
            [
                InlineKeyboardButton(
                    texts.BANK_BUTTON.format(
                        title=b.title, questions=fmt.count("question", len(b.questions))
                    ),
                    callback_data=pack(QUIZ_BANK, b.id),
                )
            ]
            for b in all_banks
        ]
    )


def question(attempt: Attempt, q: Question) -> InlineKeyboardMarkup | None:
    """Buttons for the current question: one per option, or toggles plus confirm."""
    if not q.is_choice:
        return None
    order = attempt.options_shown(attempt.position)
    rows = []
    for index, key in enumerate(order):
        label = texts.BUTTON_OPTION.format(letter=letter(index), text=option_text(q, q.option(key)))
        if q.type is QuestionType.TRUE_FALSE:
            label = option_text(q, q.option(key))
        if q.type is QuestionType.MULTI:
            mark = texts.CHECKED if key in attempt.selection else texts.UNCHECKED
            rows.append(
                [
                    InlineKeyboardButton(
                        f"{mark} {_clip(label)}",
                        callback_data=pack(QUIZ_TOGGLE, attempt.id, attempt.position, key),
                    )
                ]
            )
        else:
            # A peer item's first press is the first vote of its round, not the answer.
            kind = PEER_FIRST if q.type is QuestionType.PEER else QUIZ_ANSWER
            rows.append(
                [
                    InlineKeyboardButton(
                        _clip(label), callback_data=pack(kind, attempt.id, attempt.position, key)
                    )
                ]
            )
    if q.type is QuestionType.TRUE_FALSE:
        rows = [[button for row in rows for button in row]]
    if q.type is QuestionType.MULTI:
        rows.append(
            [
                InlineKeyboardButton(
                    texts.BUTTON_CONFIRM,
                    callback_data=pack(QUIZ_CONFIRM, attempt.id, attempt.position),
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def next_step(attempt: Attempt, position: int) -> InlineKeyboardMarkup:
    last = position + 1 >= attempt.total
    label = texts.BUTTON_RESULTS if last else texts.BUTTON_NEXT
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=pack(QUIZ_NEXT, attempt.id, position))]]
    )


def after_summary(attempt: Attempt, has_missed: bool) -> InlineKeyboardMarkup:
    rows = []
    if has_missed:
        rows.append(
            [InlineKeyboardButton(texts.BUTTON_RETRY, callback_data=pack(QUIZ_RETRY, attempt.id))]
        )
    rows.append([InlineKeyboardButton(texts.BUTTON_BANKS, callback_data=pack(QUIZ_MENU))])
    return InlineKeyboardMarkup(rows)


# --- discussion: private peer rounds ---------------------------------------------------------


def peer_second_vote(attempt: Attempt, q: Question, position: int) -> InlineKeyboardMarkup:
    """The options again, in the order this attempt shows them, for the second vote."""
    order = attempt.options_shown(position)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _clip(
                        texts.BUTTON_OPTION.format(
                            letter=letter(index), text=option_text(q, q.option(key))
                        )
                    ),
                    callback_data=pack(PEER_SECOND, attempt.id, position, key),
                )
            ]
            for index, key in enumerate(order)
        ]
    )


# --- several articles served at once ---------------------------------------------------------


def article_choice(articles: Sequence[Article], paragraph: int) -> InlineKeyboardMarkup:
    """One button per article, for /article N (0: the list of paragraphs) when none is in play."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_clip(a.title), callback_data=pack(ARTICLE, a.id, paragraph))]
            for a in articles
        ]
    )
