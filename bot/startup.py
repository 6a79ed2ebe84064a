"""Before `quizbot run` hands over to PTB: is the token accepted, and can the Bot API be reached?

PTB's own start-up makes one attempt, and on a rejected token logs a traceback whose message
holds the token. Here getMe is asked first, with retries and backoff for a bounded time, so
each outcome ends in one line the operator can act on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

log = logging.getLogger("quizbot")

FIRST_DELAY = 1.0
MAX_DELAY = 15.0


class TokenRejected(Exception):
    """Telegram answered getMe with 401 or 404: the token is wrong or was revoked."""


class Unreachable(Exception):
    """No answer from the Bot API within the time allowed; the message says what failed."""


def _describe(error: BaseException) -> str:
    return str(error) or type(error).__name__


async def reach_telegram(
    make_bot: Callable[[], Bot],
    api: str,
    bound: float,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """Ask getMe until it answers; return the bot's username.

    Anything but a rejected token (network failures, timeouts, 5xx, 429) is retried after 1,
    2, 4, 8, then every 15 seconds, each retry logged in one line, until `bound` seconds have
    passed since the first attempt. Raises TokenRejected at once, or Unreachable when time is
    up.
    """
    deadline = clock() + bound
    delay = FIRST_DELAY
    attempt = 0
    while True:
        attempt += 1
        try:
            # Each attempt may use only what is left of the bound, however slow the network.
            async with asyncio.timeout(max(deadline - clock(), 0.1)):
                async with make_bot() as bot:
                    return bot.username
        except InvalidToken:
            raise TokenRejected() from None
        except (TelegramError, TimeoutError) as error:  # network, 5xx, 429, a garbled answer
            reason = _describe(error)
        left = deadline - clock()
        if left <= 0:
            raise Unreachable(f"{reason} (after {attempt} attempts in {bound:g} s)")
        wait = min(delay, left)
        log.warning(
            "cannot reach the Bot API at %s: %s; attempt %d, retrying in %.0f s",
            api,
            reason,
            attempt,
            wait,
        )
        await sleep(wait)
        delay = min(delay * 2, MAX_DELAY)


# The payload a class group's /start carries when the bot is added through the startgroup link.
GROUP_PAYLOAD = "class"


def started_lines(username: str | None, db_path: Path | str) -> list[str]:
    """What `quizbot run` tells the operator once Telegram has accepted the token."""
    if not username:
        return [f"quizbot is running; database {db_path}"]
    return [
        f"quizbot is running as @{username}",
        f"database: {db_path}",
        f"add it to a class group: https://t.me/{username}?startgroup={GROUP_PAYLOAD}",
    ]
