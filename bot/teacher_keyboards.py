"""Buttons of the teacher features and /forgetme; their kinds are in bot/buttons.py."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.buttons import FORGET, FORGET_NO, FORGET_YES, HOMEWORK_PENDING, Kind, pack
from quizzes.classes import ClassInfo


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


def classes(
    kind: Kind, found: Sequence[ClassInfo], attempts: str = "first"
) -> InlineKeyboardMarkup:
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
