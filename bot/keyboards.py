"""Inline keyboards and the compact callback-data format behind their buttons.

Callback data is `kind:arg:arg…`, at most 64 bytes (the loader guarantees it for every id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.formatting import Formatter
from bot.render import letter, option_text
from quizzes.article import Article
from quizzes.attempt import Attempt
from quizzes.model import Bank, Question, QuestionType

BANK = "bk"
ANSWER = "an"
TOGGLE = "tg"
CONFIRM = "ok"
NEXT = "nx"
RETRY = "rt"
MENU = "mn"
RESUME = "rs"
PEER_FIRST = "v1"  # private peer round: first vote (bot/handlers/private_peer.py)
PEER_SECOND = "v2"  # private peer round: second vote, then the reveal
BUTTON_TEXT_LIMIT = 60


@dataclass(frozen=True)
class Payload:
    kind: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int:
        try:
            return int(self.args[index])
        except (ValueError, IndexError):
            raise BadPayload(f"argument {index} of {self.args!r} is not a number") from None


class BadPayload(ValueError):
    """Callback data this bot does not understand (old version, or forged)."""


def pack(kind: str, *args: object) -> str:
    data = ":".join([kind, *(str(a) for a in args)])
    if len(data.encode()) > 64:
        raise ValueError(f"callback data over 64 bytes: {data!r}")
    return data


def unpack(data: str | None, kind: str, arity: int) -> Payload:
    """Split callback data of a known kind, checking the argument count and the id fields."""
    parts = (data or "").split(":")
    if parts[0] != kind or len(parts) != arity + 1:
        raise BadPayload(data)
    return Payload(parts[0], tuple(parts[1:]))


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
        first = [[InlineKeyboardButton(label, callback_data=pack(RESUME, resume.id))]]
    return InlineKeyboardMarkup(
        first
        + [
            [
                InlineKeyboardButton(
                    texts.BANK_BUTTON.format(
                        title=b.title, questions=fmt.count("question", len(b.questions))
                    ),
                    callback_data=pack(BANK, b.id),
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
                        callback_data=pack(TOGGLE, attempt.id, attempt.position, key),
                    )
                ]
            )
        else:
            # A peer item's first press is the first vote of its round, not the answer.
            kind = PEER_FIRST if q.type is QuestionType.PEER else ANSWER
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
                    texts.BUTTON_CONFIRM, callback_data=pack(CONFIRM, attempt.id, attempt.position)
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def next_step(attempt: Attempt, position: int) -> InlineKeyboardMarkup:
    last = position + 1 >= attempt.total
    label = texts.BUTTON_RESULTS if last else texts.BUTTON_NEXT
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=pack(NEXT, attempt.id, position))]]
    )


def after_summary(attempt: Attempt, has_missed: bool) -> InlineKeyboardMarkup:
    rows = []
    if has_missed:
        rows.append(
            [InlineKeyboardButton(texts.BUTTON_RETRY, callback_data=pack(RETRY, attempt.id))]
        )
    rows.append([InlineKeyboardButton(texts.BUTTON_BANKS, callback_data=pack(MENU))])
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

# /article outside an attempt: the article (by id, stable across restarts) and the paragraph.
ARTICLE = "ar"


def article_choice(articles: Sequence[Article], paragraph: int) -> InlineKeyboardMarkup:
    """One button per article, for /article N (0: the list of paragraphs) when none is in play."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(_clip(a.title), callback_data=pack(ARTICLE, a.id, paragraph))]
            for a in articles
        ]
    )
