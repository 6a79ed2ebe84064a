"""The Bot object the application talks through: PTB's ExtBot, with Telegram's "query is too
old" on answerCallbackQuery taken as the harmless no-op it is.

Telegram accepts an answer to a callback query only for a short while, and only once. After a
slow restart, a long database wait, or an answer already sent, the call fails with "query is too
old and response timeout expired or query id is invalid". Nothing can be shown to the presser any
more, but everything else the handler does (record the answer, edit the message, close the
question) must go on, so the failure is logged here, once for every call site, and not raised.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseRateLimiter, ExtBot
from telegram.request import BaseRequest

from bot.config import Config
from bot.http import make_request

log = logging.getLogger(__name__)

_EXPIRED = ("query is too old", "query id is invalid")


def expired_query(error: BadRequest) -> bool:
    """Whether Telegram refused a callback answer because the query expired or was answered."""
    said = error.message.lower()
    return any(part in said for part in _EXPIRED)


class QuizBot(ExtBot):
    """ExtBot whose callback-query answers never fail on an expired query."""

    async def answer_callback_query(
        self, callback_query_id: str, *args: Any, **kwargs: Any
    ) -> bool:
        try:
            return await super().answer_callback_query(callback_query_id, *args, **kwargs)
        except BadRequest as error:
            if not expired_query(error):
                raise
            log.info("callback query %s expired before its answer: %s", callback_query_id, error)
            return False

    # The sends and edits every handler uses: HTML, and only the message id read back. They go
    # through PTB's public methods, so the rate limiter, errors and timeouts are PTB's own.

    async def send_html(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> int:
        """sendMessage with HTML; returns the new message's id."""
        message = await self.send_message(
            chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
        )
        return message.message_id

    async def edit_html(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """editMessageText with HTML (raises BadRequest "not modified" like PTB's own)."""
        await self.edit_message_text(
            text,
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )

    async def edit_buttons(
        self, chat_id: int, message_id: int, markup: InlineKeyboardMarkup | None
    ) -> None:
        """editMessageReplyMarkup; None removes the buttons."""
        await self.edit_message_reply_markup(
            chat_id=chat_id, message_id=message_id, reply_markup=markup
        )


def make_bot(
    config: Config, request: BaseRequest | None, rate_limiter: BaseRateLimiter | None
) -> QuizBot:
    """The bot as ApplicationBuilder would build it (same connection pools), but a QuizBot."""
    urls = {}
    if config.base_url:
        urls = {"base_url": config.base_url, "base_file_url": config.base_file_url}
    return QuizBot(
        config.token,
        request=request or make_request(config.http_client),
        get_updates_request=request or make_request(config.http_client),
        rate_limiter=rate_limiter,
        **urls,
    )
