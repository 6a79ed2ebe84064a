"""Start-up's getMe: retried with backoff for a bounded time, a rejected token at once."""

from __future__ import annotations

import logging

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.startup import TokenRejected, Unreachable, reach_telegram
from tests.fakes import BOT_USERNAME, Call, RecordingRequest
from tests.harness import TOKEN


class FakeTime:
    """A clock that only sleeping moves, so the bound is tested without waiting for it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def failing(times: int, status: int = 502):
    """A responder that fails getMe `times` times (status 0: the network itself fails)."""
    left = [times]

    def respond(call: Call) -> tuple[int, dict] | None:
        if call.method != "getMe" or left[0] == 0:
            return None
        left[0] -= 1
        if status == 0:
            raise NetworkError("httpx.ConnectError: All connection attempts failed")
        return status, {"ok": False, "error_code": status, "description": "Bad Gateway"}

    return respond


async def reach(request: RecordingRequest, time: FakeTime, bound: float = 45.0) -> str:
    return await reach_telegram(
        lambda: Bot(TOKEN, request=request, get_updates_request=request),
        "http://api.test",
        bound,
        sleep=time.sleep,
        clock=time.clock,
    )


async def test_retries_with_growing_delays_then_answers(caplog: pytest.LogCaptureFixture) -> None:
    request, time = RecordingRequest(), FakeTime()
    request.responders.append(failing(3, status=0))
    request.responders.append(failing(1, status=502))
    with caplog.at_level(logging.WARNING, logger="quizbot"):
        assert await reach(request, time) == BOT_USERNAME
    assert time.sleeps == [1, 2, 4, 8]
    retries = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) == 4 and all("\n" not in line for line in retries)
    assert "http://api.test" in retries[0] and "attempt 1" in retries[0]


async def test_gives_up_when_the_bound_is_spent() -> None:
    request, time = RecordingRequest(), FakeTime()
    request.responders.append(failing(1000, status=0))
    with pytest.raises(Unreachable, match="All connection attempts failed"):
        await reach(request, time, bound=45)
    assert sum(time.sleeps) == pytest.approx(45)
    assert time.sleeps[:5] == [1, 2, 4, 8, 15] and max(time.sleeps) == 15
    assert len([c for c in request.calls if c.method == "getMe"]) == len(time.sleeps) + 1


async def test_a_rejected_token_is_not_retried() -> None:
    request, time = RecordingRequest(), FakeTime()
    request.responders.append(failing(1000, status=401))
    with pytest.raises(TokenRejected) as caught:
        await reach(request, time)
    assert time.sleeps == [] and TOKEN not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
