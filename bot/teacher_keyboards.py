"""Buttons of the teacher features and /forgetme, with their callback-data kinds.

hp:<homework id>      the teacher asks who has not done a homework (answered in private)
xc:<chat id>          export this class (private /export with several classes)
rc:<chat id>          chart this class (private /report with several classes)
fg:y | fg:n           confirm or cancel /forgetme
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.keyboards import pack
from quizzes.classes import ClassInfo

HOMEWORK_PENDING = "hp"
EXPORT_CLASS = "xc"
REPORT_CLASS = "rc"
FORGET = "fg"
FORGET_YES, FORGET_NO = "y", "n"


def homework(link: str, homework_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(texts.BUTTON_HOMEWORK_OPEN, url=link)],
            [
                InlineKeyboardButton(
                    texts.BUTTON_HOMEWORK_PENDING,
                    callback_data=pack(HOMEWORK_PENDING, homework_id),
                )
            ],
        ]
    )


def classes(kind: str, found: Sequence[ClassInfo], attempts: str = "first") -> InlineKeyboardMarkup:
    """One button per class, by title (titles are shown as Telegram has them); each carries
    the attempts the command asked for (first or all), so the pick keeps them."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(c.title[:60], callback_data=pack(kind, c.chat_id, attempts))]
            for c in found
        ]
    )


def forget() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.BUTTON_FORGET_YES, callback_data=pack(FORGET, FORGET_YES)
                ),
                InlineKeyboardButton(texts.BUTTON_FORGET_NO, callback_data=pack(FORGET, FORGET_NO)),
            ]
        ]
    )
