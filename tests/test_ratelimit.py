"""TelegramLimiter (bot/ratelimit.py) on virtual time: the limits it holds, what it lets pass at
once, and how it retries a 429. The limiter's clock and sleep are the test's, so a minute of
Telegram's limits passes in milliseconds."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.app import build_application
from bot.ratelimit import TelegramLimiter, Window
from tests.harness import make_config

GROUP, OTHER_GROUP, STUDENT = -100, -200, 42


class VirtualTime:
    """A clock that moves only when every task waits on it, to the earliest deadline."""

    def __init__(self) -> None:
        self.now = 0.0
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self.moves = 0  # bumped by every step a task takes that the test can see

    def poke(self) -> None:
        self.moves += 1

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.poke()
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + max(seconds, 0.0), next(self._order), future))
        await future

    async def run(self, *coros: Awaitable[Any]) -> list[Any]:
        tasks = [asyncio.ensure_future(c) for c in coros]
        while True:
            await self._settle()
            if all(t.done() for t in tasks):
                return [t.result() for t in tasks]
            assert self._timers, "every task waits, but not on the clock"
            at, _, future = heapq.heappop(self._timers)
            assert at < 3600, "an hour of virtual time: the limiter never lets a call go"
            self.now = max(self.now, at)
            future.set_result(None)

    async def _settle(self) -> None:
        """Let every task run until each waits on the clock (no visible step for a while)."""
        quiet, seen = 0, self.moves
        while quiet < 8:
            await asyncio.sleep(0)
            quiet, seen = (quiet + 1, seen) if self.moves == seen else (0, self.moves)


class Telegram:
    """The callback PTB hands the limiter: records when each call left, answers at once."""

    def __init__(
        self, clock: VirtualTime, refusals: int = 0, retry_after: float = 5, only: object = None
    ) -> None:
        self.clock = clock
        self.only = only  # the one chat refused, if not every call
        self.sent: list[tuple[float, str, object]] = []
        self.refusals = refusals
        self.retry_after = retry_after

    def call(self, endpoint: str, data: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
        async def post(endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
            self.clock.poke()
            self.sent.append((self.clock.now, endpoint, data.get("chat_id")))
            if self.refusals and self.only in (None, data.get("chat_id")):
                self.refusals -= 1
                with warnings.catch_warnings():  # PTB warns on the int form unless PTB_TIMEDELTA
                    warnings.simplefilter("ignore", PTBDeprecationWarning)
                    raise RetryAfter(self.retry_after)
            return {"ok": True}

        return post


def limiter_on(clock: VirtualTime, **options: Any) -> TelegramLimiter:
    return TelegramLimiter(monotonic=clock.monotonic, sleep=clock.sleep, **options)


async def send(
    limiter: TelegramLimiter,
    telegram: Telegram,
    endpoint: str,
    chat_id: int | None = None,
    retries: int | None = None,
) -> Any:
    data: dict[str, Any] = {} if chat_id is None else {"chat_id": chat_id}
    return await limiter.process_request(
        callback=telegram.call(endpoint, data),
        args=(endpoint, data),
        kwargs={},
        endpoint=endpoint,
        data=data,
        rate_limit_args=retries,
    )


def most_in_any(times: list[float], seconds: float) -> int:
    """The most times inside any half-open window [t, t + seconds)."""
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= seconds:
            start += 1
        best = max(best, end - start + 1)
    return best


def times_of(telegram: Telegram, chat_id: int | None = None) -> list[float]:
    return [t for t, _, c in telegram.sent if chat_id is None or c == chat_id]


# --- a group's 20 a minute ------------------------------------------------------------------


async def test_the_21st_send_to_a_group_waits_for_the_first_to_leave_the_minute() -> None:
    clock = VirtualTime()
    limiter, telegram = limiter_on(clock), Telegram(clock)
    await clock.run(*(send(limiter, telegram, "sendMessage", GROUP) for _ in range(25)))
    times = times_of(telegram)
    assert times[:20] == [float(i) for i in range(20)]  # one a second
    assert times[20] == times[0] + 60.0
    assert times[20:] == [60.0 + i for i in range(5)]
    assert most_in_any(times, 60.0) == 20


async def test_edits_in_a_group_count_like_sends() -> None:
    clock = VirtualTime()
    limiter, telegram = limiter_on(clock), Telegram(clock)
    calls = [
        send(limiter, telegram, "editMessageText" if i % 2 else "sendMessage", GROUP)
        for i in range(21)
    ]
    await clock.run(*calls)
    assert times_of(telegram)[20] == 60.0


@settings(max_examples=60, deadline=None)
@given(
    # Bursts (gaps of 0) and pauses of up to a few seconds; most sends to one group, so its
    # minute fills often.
    gaps=st.lists(
        st.one_of(st.just(0.0), st.floats(min_value=0, max_value=5, allow_nan=False)),
        min_size=21,
        max_size=80,
    ),
    chats=st.lists(
        st.sampled_from([GROUP, GROUP, GROUP, OTHER_GROUP, STUDENT]), min_size=80, max_size=80
    ),
)
def test_no_window_ever_holds_more_than_the_limits(gaps: list[float], chats: list[int]) -> None:
    async def scenario() -> Telegram:
        clock = VirtualTime()
        limiter, telegram = limiter_on(clock), Telegram(clock)

        async def later(delay: float, chat: int) -> None:
            await clock.sleep(delay)
            await send(limiter, telegram, "sendMessage", chat)

        starts = itertools.accumulate(gaps)
        await clock.run(*(later(at, chat) for at, chat in zip(starts, chats, strict=False)))
        return telegram

    telegram = asyncio.run(scenario())
    assert len(telegram.sent) == len(gaps)
    for chat in (GROUP, OTHER_GROUP):
        assert most_in_any(times_of(telegram, chat), 60.0) <= 20
    for chat in (GROUP, OTHER_GROUP, STUDENT):
        assert most_in_any(times_of(telegram, chat), 1.0) <= 1


def test_a_call_is_counted_until_its_answer_comes_back() -> None:
    window = Window(2, 1.0)
    window.start()
    window.start()
    assert window.wait(100.0) > 0  # both still in flight: no time frees a slot
    window.finish(100.5)
    assert window.wait(101.0) == pytest.approx(0.5)
    assert window.wait(101.5) == 0.0


# --- the token's 30 a second ----------------------------------------------------------------


async def test_the_token_sends_at_most_30_in_any_second() -> None:
    clock = VirtualTime()
    limiter, telegram = limiter_on(clock), Telegram(clock)
    await clock.run(*(send(limiter, telegram, "sendMessage", 1000 + i) for i in range(75)))
    times = times_of(telegram)
    assert most_in_any(times, 1.0) == 30
    assert times[30] == 1.0 and times[60] == 2.0 and times[-1] == 2.0


async def test_private_edits_count_against_the_token_but_not_the_chat() -> None:
    clock = VirtualTime()
    limiter, telegram = limiter_on(clock), Telegram(clock)
    await clock.run(
        send(limiter, telegram, "editMessageReplyMarkup", STUDENT),
        send(limiter, telegram, "sendMessage", STUDENT),
        send(limiter, telegram, "sendMessage", STUDENT),
    )
    assert times_of(telegram) == [0.0, 0.0, 1.0]
    token = limiter_on(clock, token_per_second=1)
    clock.now, telegram.sent = 10.0, []
    await clock.run(*(send(token, telegram, "editMessageText", 1000 + i) for i in range(2)))
    assert times_of(telegram) == [10.0, 11.0]


# --- fairness and the toast -----------------------------------------------------------------


async def test_a_full_group_does_not_hold_back_another_group() -> None:
    clock = VirtualTime()
    limiter, telegram = limiter_on(clock), Telegram(clock)
    full = [send(limiter, telegram, "sendMessage", GROUP) for _ in range(25)]

    async def other() -> float:
        await clock.sleep(30.5)  # the first group's queue already waits for its minute
        await send(limiter, telegram, "sendMessage", OTHER_GROUP)
        return clock.now

    *_, sent_at = await clock.run(*full, other())
    assert sent_at == 30.5


async def test_a_toast_goes_at_once_beside_a_saturated_group_and_token() -> None:
    clock = VirtualTime()
    limiter, telegram = limiter_on(clock), Telegram(clock)
    backlog = [send(limiter, telegram, "sendMessage", GROUP) for _ in range(25)]
    backlog += [send(limiter, telegram, "sendMessage", 1000 + i) for i in range(90)]

    async def press(at: float) -> float:
        await clock.sleep(at)
        await send(limiter, telegram, "answerCallbackQuery")
        return clock.now

    results = await clock.run(*backlog, press(0.25), press(30.5))
    assert results[-2:] == [0.25, 30.5]


# --- 429 ------------------------------------------------------------------------------------


async def test_a_429_is_retried_after_its_wait_and_holds_back_the_chat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    clock = VirtualTime()
    limiter, telegram = limiter_on(clock), Telegram(clock, refusals=2, retry_after=5, only=GROUP)

    async def then_other_chats() -> None:
        await clock.sleep(1.5)
        await send(limiter, telegram, "sendMessage", OTHER_GROUP)

    await clock.run(
        send(limiter, telegram, "sendMessage", GROUP),
        send(limiter, telegram, "sendMessage", GROUP),
        then_other_chats(),
    )
    assert [(t, c) for t, _, c in telegram.sent] == [
        (0.0, GROUP),  # refused: wait 5 s
        (1.5, OTHER_GROUP),  # another group is not held back by it
        (5.1, GROUP),  # refused again
        (10.2, GROUP),  # the first message, at last
        (11.2, GROUP),  # the second one waited behind it
    ]


async def test_a_429_past_max_retries_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    clock = VirtualTime()
    limiter, telegram = limiter_on(clock, max_retries=2), Telegram(clock, refusals=9)
    with pytest.raises(RetryAfter):
        await clock.run(send(limiter, telegram, "sendMessage", GROUP))
    assert len(telegram.sent) == 3
    with pytest.raises(RetryAfter):
        await clock.run(send(limiter, telegram, "answerCallbackQuery", retries=1))
    assert len(telegram.sent) == 5


async def test_the_int_form_of_retry_after_works_without_a_warning() -> None:
    clock = VirtualTime()
    limiter, telegram = limiter_on(clock), Telegram(clock, refusals=1, retry_after=2)
    await clock.run(send(limiter, telegram, "answerCallbackQuery"))
    assert times_of(telegram) == [0.0, 2.1]


def test_the_application_sends_through_this_limiter_by_default(tmp_path: Path) -> None:
    application = build_application(make_config(tmp_path))
    assert isinstance(application.bot.rate_limiter, TelegramLimiter)
    assert application.bot.rate_limiter.max_retries == 3
