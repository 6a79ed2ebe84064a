"""The Bot object the application talks through: PTB's ExtBot, with Telegram's "query is too
old" on answerCallbackQuery taken as the harmless no-op it is, and lean sends and edits.

Telegram accepts an answer to a callback query only for a short while, and only once. After a
slow restart, a long database wait, or an answer already sent, the call fails with "query is too
old and response timeout expired or query id is invalid". Nothing can be shown to the presser any
more, but everything else the handler does (record the answer, edit the message, close the
question) must go on, so the failure is logged here, once for every call site, and not raised.
"""

from __future__ import annotations

import logging
import operator
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseRateLimiter, ExtBot
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Config

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

    # Sends and edits of the hot paths (feedback, next question, live counters). Telegram
    # answers each with the whole Message, which PTB turns into objects: about 300 µs of CPU
    # per call, four times the cost of the request itself. These calls go through the same
    # request path (rate limiter, errors, timeouts) and read only the message id. Keyboards
    # are serialized directly (`keyboard_json`), not through PTB's generic to_dict.

    def _keyboard(self, markup: InlineKeyboardMarkup | None) -> dict[str, Any] | None:
        replaced = self._replace_keyboard(markup)
        return None if replaced is None else keyboard_json(replaced)

    async def send_html(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> int:
        """sendMessage with HTML; returns the new message's id."""
        result = await self._post(
            "sendMessage",
            {
                "chat_id": chat_id,
                "text": text,
                "parse_mode": ParseMode.HTML,
                "reply_markup": self._keyboard(markup),
            },
        )
        return int(result["message_id"])

    async def edit_html(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        """editMessageText with HTML (raises BadRequest "not modified" like PTB's own)."""
        await self._post(
            "editMessageText",
            {
                "chat_id": chat_id,
                "message_id": message_id,
                "text": text,
                "parse_mode": ParseMode.HTML,
                "reply_markup": self._keyboard(markup),
            },
        )

    async def edit_buttons(
        self, chat_id: int, message_id: int, markup: InlineKeyboardMarkup | None
    ) -> None:
        """editMessageReplyMarkup; None removes the buttons."""
        await self._post(
            "editMessageReplyMarkup",
            {
                "chat_id": chat_id,
                "message_id": message_id,
                "reply_markup": self._keyboard(markup),
            },
        )


_PLAIN = frozenset({"text", "callback_data", "url"})
# Every other field a button can have: any of them set sends the button through to_dict.
_OTHER = tuple(sorted(set(InlineKeyboardButton.__slots__) - _PLAIN))
_others = operator.attrgetter(*_OTHER)


def keyboard_json(markup: InlineKeyboardMarkup) -> dict[str, Any]:
    """The Bot API JSON of an inline keyboard, equal to `markup.to_dict()` but built from the
    fields our buttons use (text, callback_data, url) at a tenth of the cost; any other kind
    of button goes through PTB's own to_dict."""
    rows = []
    for row in markup.inline_keyboard:
        out = []
        for button in row:
            fields = (
                button.to_dict()
                if _unusual(button)
                else {
                    "text": button.text,
                    **({"callback_data": button.callback_data} if button.callback_data else {}),
                    **({"url": button.url} if button.url else {}),
                }
            )
            out.append(fields)
        rows.append(out)
    return {"inline_keyboard": rows}


def _unusual(button: InlineKeyboardButton) -> bool:
    return _others(button).count(None) != len(_OTHER) or bool(button.api_kwargs)


def make_bot(
    config: Config, request: BaseRequest | None, rate_limiter: BaseRateLimiter | None
) -> QuizBot:
    """The bot as ApplicationBuilder would build it (same connection pools), but a QuizBot."""
    urls = {}
    if config.base_url:
        urls = {"base_url": config.base_url, "base_file_url": config.base_file_url}
    return QuizBot(
        config.token,
        request=request or HTTPXRequest(connection_pool_size=256),
        get_updates_request=request or HTTPXRequest(),
        rate_limiter=rate_limiter,
        **urls,
    )
