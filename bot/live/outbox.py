"""Sends and edits to the group, tolerant of edits that change nothing or hit a deleted message."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot.context import QuizApp

log = logging.getLogger(__name__)


def _tolerate(error: BadRequest, chat_id: int, message_id: int | None) -> None:
    """Edits that change nothing, or hit a message someone deleted, must not stop a session."""
    said = error.message.lower()
    if "not modified" in said:
        return
    if "not found" in said or "can't be edited" in said:
        log.warning("live message %s in chat %s: %s", message_id, chat_id, error.message)
        return
    raise error


async def edit(
    app: QuizApp,
    chat_id: int,
    message_id: int | None,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> None:
    if message_id is None:
        return
    try:
        await app.bot.edit_html(chat_id, message_id, text, markup)
    except BadRequest as error:
        _tolerate(error, chat_id, message_id)


async def strip_buttons(app: QuizApp, chat_id: int, message_id: int | None) -> None:
    if message_id is None:
        return
    try:
        await app.bot.edit_buttons(chat_id, message_id, None)
    except BadRequest as error:
        _tolerate(error, chat_id, message_id)


async def send(
    app: QuizApp, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> int:
    return await app.bot.send_html(chat_id, text, markup)


def transient(error: TelegramError) -> bool:
    """A Bot API failure worth trying again later: 5xx, timeouts, the network, 429 after the
    rate limiter's retries (BadRequest is a NetworkError too, but trying again cannot help)."""
    return isinstance(error, NetworkError | RetryAfter) and not isinstance(error, BadRequest)
