"""The bot's rate limiter: Telegram's send limits held as strict sliding windows.

`TelegramLimiter` is the `BaseRateLimiter` that build_application gives the bot. `Window` is one
limit ("at most N sends in any S seconds"), kept separately so its property can be tested alone.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, Result]]

TOKEN_PER_SECOND = 30
GROUP_PER_MINUTE = 20
CHAT_PER_SECOND = 1
# Telegram sends whole seconds; resending on the second itself can land a hair early.
RETRY_MARGIN = 0.1
# When every slot of a window is taken by calls still waiting for their answer, no time can be
# computed: the next completion frees a slot, so look again soon.
IN_FLIGHT_POLL = 0.01
MIN_WAIT = 1e-6
# Chats kept in memory before the idle ones are forgotten.
KEEP_CHATS = 1024

# Calls that put a new message in a chat.
_POSTS = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})
# Calls that change or remove a message already there.
_CHANGES = frozenset({"deleteMessage", "deleteMessages", "stopPoll", "stopMessageLiveLocation"})


def kind_of(endpoint: str) -> str | None:
    """ "post", "change", or None for a call no send limit counts."""
    if endpoint in _POSTS or (endpoint.startswith("send") and endpoint != "sendChatAction"):
        return "post"
    if endpoint in _CHANGES or endpoint.startswith("edit"):
        return "change"
    return None


def chat_key(chat_id: object) -> int | str | None:
    """The chat a call goes to, as one key whether PTB got it as an int or a string."""
    if chat_id is None:
        return None
    try:
        return int(chat_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(chat_id)  # "@channel": a group or channel we cannot map to its id


def is_group(chat: int | str) -> bool:
    return isinstance(chat, str) or chat < 0


class Window:
    """At most `most` calls in any `seconds`, each counted from its dispatch to its answer.

    Telegram receives a call somewhere between the moment it leaves and the moment its answer
    comes back. Counting a call over that whole span, and `seconds` beyond its answer, means no
    window of `seconds` on Telegram's side can hold more than `most`, whatever the network's
    delay. The answers arrive in time order, so a deque keeps them sorted.
    """

    def __init__(self, most: int, seconds: float) -> None:
        self.most = most
        self.seconds = seconds
        self.in_flight = 0
        self._answered: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more call fits; IN_FLIGHT_POLL if only an answer can free a slot."""
        answered = self._answered
        while answered and now - answered[0] >= self.seconds:
            answered.popleft()
        over = self.in_flight + len(answered) - self.most + 1
        if over <= 0:
            return 0.0
        if over > len(answered):
            return IN_FLIGHT_POLL
        # Never 0 here, even where floating point would round the remainder away.
        return max(self.seconds - (now - answered[over - 1]), MIN_WAIT)

    def start(self) -> None:
        self.in_flight += 1

    def finish(self, now: float) -> None:
        self.in_flight -= 1
        self._answered.append(now)

    def idle(self, now: float) -> bool:
        return self.wait(now) == 0.0 and self.in_flight == 0 and not self._answered


@dataclass
class Lane:
    """One chat's queue: its own windows, and how long Telegram told us to leave it alone."""

    posts: list[Window]  # the windows a new message counts against
    changes: list[Window]  # the windows an edit or a deletion counts against
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    hold_until: float = 0.0

    def idle(self, now: float) -> bool:
        return (
            not self.lock.locked()
            and self.hold_until <= now
            and all(w.idle(now) for w in self.posts + self.changes)
        )


def retry_seconds(error: RetryAfter) -> float:
    """RetryAfter's wait in seconds, whichever form PTB_TIMEDELTA makes PTB return."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramLimiter(BaseRateLimiter[int]):
    """Holds Telegram's limits strictly: 30 messages a second per token, 20 a minute per group,
    one a second per chat; on a 429 waits `retry_after` and resends, up to `max_retries`.

    Why sliding windows: Telegram does not publish how it counts, and a bucket that refills
    continuously (PTB's AIORateLimiter) lets a burst through and then keeps sending, so some
    60 seconds see far more than 20 in one group. A window that waits for its oldest send to
    expire never does, and a call is counted until its answer is back, so network delay
    cannot squeeze two windows' worth into one on Telegram's side either.

    Why each chat waits on its own: a group at its 20 a minute would otherwise hold every
    other class's question behind it. Each chat has a lock of its own (its calls keep their
    order, and a 429 in it holds back its next sends too); a call takes the token's window only
    once its chat lets it go, so the token's queue is never blocked by one slow chat.

    What counts:
    - In a group, new messages and edits alike, against the 20 a minute and the one a second:
      Telegram does not say edits are free there, and a live question's counter and reveal
      are edits; counting them is the reading that cannot draw a 429.
    - In a private chat, only new messages against its one a second. Telegram words that
      limit as "sending" messages; a "next" press there edits the old button away and sends
      the question at once, and making the question wait a second for the edit would slow
      every private quiz for no limit Telegram states.
    - Against the token's 30 a second, every new message and every edit, wherever it goes,
      as Telegram's FAQ counts them broadly.
    - `answerCallbackQuery` (the toast), and every call that carries no message, count
      against nothing and never wait: the toast is the press's whole feedback and has to come
      at once, and it is no message: counted at 30 a second, a class of 40 pressing within
      two seconds would wait for its toasts behind the questions of every other class. A 429
      on one is still retried, holding back nothing else.

    Why a 429 holds back only its own chat: pausing the whole bot, as AIORateLimiter does,
    would stop every student's toast for the length of one chat's penalty. With the token's
    window held strictly, a 429 is about the chat it came from.
    """

    def __init__(
        self,
        max_retries: int = 3,
        *,
        token_per_second: int = TOKEN_PER_SECOND,
        group_per_minute: int = GROUP_PER_MINUTE,
        chat_per_second: int = CHAT_PER_SECOND,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.max_retries = max_retries
        self._group_per_minute = group_per_minute
        self._chat_per_second = chat_per_second
        self._monotonic = monotonic
        self._sleep = sleep
        self._token = Window(token_per_second, 1.0)
        self._token_turn = asyncio.Lock()  # first come, first served for the token's slots
        self._lanes: dict[int | str, Lane] = {}

    async def initialize(self) -> None:
        """Nothing to set up: the windows start empty."""

    async def shutdown(self) -> None:
        """Forget every chat's windows."""
        self._lanes.clear()

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Wait for the call's limits, make it, and resend it after a 429 (see the class)."""
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        kind = kind_of(endpoint)
        chat = chat_key(data.get("chat_id"))
        if kind is None or chat is None:
            return await self._free(callback, args, kwargs, endpoint, retries)
        lane = self._lane(chat)
        windows = [*(lane.posts if kind == "post" else lane.changes), self._token]

        async def once() -> Result:
            await self._admit(lane, windows)
            try:
                return await callback(*args, **kwargs)
            finally:
                now = self._monotonic()
                for window in windows:
                    window.finish(now)

        async def hold(wait: float) -> None:
            # The lane's next admission waits it out, and so do the chat's other sends.
            lane.hold_until = max(lane.hold_until, self._monotonic() + wait)

        async with lane.lock:
            return await self._retried(once, hold, endpoint, retries)

    async def _free(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str, retries: int
    ) -> Result:
        return await self._retried(
            lambda: callback(*args, **kwargs), self._sleep, endpoint, retries
        )

    async def _retried(
        self,
        once: Callable[[], Awaitable[Result]],
        hold: Callable[[float], Awaitable[None]],
        endpoint: str,
        retries: int,
    ) -> Result:
        """`once()`, tried again after each 429's wait (`hold`) up to `retries` times."""
        for attempt in range(retries + 1):
            try:
                return await once()
            except RetryAfter as error:
                if attempt == retries:
                    log.warning("%s refused (429) after %d retries", endpoint, retries)
                    raise
                wait = retry_seconds(error) + RETRY_MARGIN
                log.info("%s refused (429); retrying in %.1f s", endpoint, wait)
                await hold(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _admit(self, lane: Lane, windows: list[Window]) -> None:
        """Return once every window has room; the caller holds the chat's lock."""
        chat_windows = windows[:-1]
        while True:
            now = self._monotonic()
            wait = max([lane.hold_until - now, *(w.wait(now) for w in chat_windows)])
            if wait > 0:
                await self._sleep(wait)
                continue
            # Only this chat's holder can fill its windows, so they stay open from here on.
            async with self._token_turn:
                while (wait := self._token.wait(self._monotonic())) > 0:
                    await self._sleep(wait)
                for window in windows:
                    window.start()
            return

    def _lane(self, chat: int | str) -> Lane:
        lane = self._lanes.get(chat)
        if lane is None:
            if len(self._lanes) >= KEEP_CHATS:
                now = self._monotonic()
                for key in [k for k, v in self._lanes.items() if v.idle(now)]:
                    del self._lanes[key]
            lane = self._lanes[chat] = self._new_lane(chat)
        return lane

    def _new_lane(self, chat: int | str) -> Lane:
        second = Window(self._chat_per_second, 1.0)
        if is_group(chat):
            both = [Window(self._group_per_minute, 60.0), second]
            return Lane(posts=both, changes=both)
        return Lane(posts=[second], changes=[])
