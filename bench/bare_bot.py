"""A bare PTB bot, the ratio's baseline: only a handler that answers the callback query.

Everything else is as `quizbot run` has it: the update processor (bot/updates.py), the
Bot API client (QUIZBOT_HTTP), the rate limiter, the event loop and getUpdates long polling
with the same allowed updates, so the ratio measures what our handlers add and nothing else.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:PORT python -m bench.bare_bot
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes

from bot import eventloop
from bot.http import make_request
from bot.ratelimit import TelegramLimiter
from bot.updates import PerUserUpdateProcessor


async def acknowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press, and nothing more."""
    await update.callback_query.answer()


def main() -> None:
    api = os.environ["TELEGRAM_API_URL"].rstrip("/")
    client = os.environ.get("QUIZBOT_HTTP", "").strip().lower() or "aiohttp"
    application = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(f"{api}/bot")
        # The same Bot API client as quizbot's, chosen the same way (QUIZBOT_HTTP).
        .request(make_request(client))
        .get_updates_request(make_request(client))
        .rate_limiter(TelegramLimiter(max_retries=3))
        .concurrent_updates(PerUserUpdateProcessor())
        .build()
    )
    application.add_handler(CallbackQueryHandler(acknowledge))
    eventloop.install()
    application.run_polling(allowed_updates=["message", "callback_query", "my_chat_member"])


if __name__ == "__main__":
    main()
