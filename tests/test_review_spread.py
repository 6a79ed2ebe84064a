"""The daily review messages of a whole class are spread out, not bursted: measured on the send
times the fake Bot API sees, on virtual time (the pacer's clock and sleep are the test's)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import review_delivery
from bot.review_runtime import Pacer, ReviewRuntime
from quizzes.review import Window, schedule
from tests.fakes import Call
from tests.harness import make_config, running
from tests.review_support import RIYADH, MovingClock

CLASS = 300


class VirtualTime:
    def __init__(self) -> None:
        self.t = 0.0
        self.sends: list[tuple[float, int]] = []

    def monotonic(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds

    def stamp(self, call: Call) -> None:
        if call.method == "sendPoll":
            self.sends.append((self.t, call.chat_id))


def max_in_any_second(times: list[float]) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0 - 1e-9:  # float sums of 0.05 fall short of 1.0
            start += 1
        best = max(best, end - start + 1)
    return best


async def test_a_class_due_at_five_is_spread_under_the_limits(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    async with running(make_config(tmp_path, timezone=RIYADH), clock=clock) as h:
        repo, tz = h.repo, h.app.bot_data.config.tz
        for user_id in range(10_000, 10_000 + CLASS):
            await repo.save_student(user_id, f"طالب{user_id}", None)
            await repo.set_review_window(user_id, Window.EVENING)
        await repo.schedule_reviews(
            [schedule(u, "facts", "f01", clock(), tz) for u in range(10_000, 10_000 + CLASS)],
            clock(),
        )
        virtual = VirtualTime()
        h.app.bot_data.review = ReviewRuntime(
            pacer=Pacer(monotonic=virtual.monotonic, sleep=virtual.sleep)
        )
        h.request.responders.append(lambda call: virtual.stamp(call))
        clock.local(2, 17)
        assert await review_delivery.deliver_due(h.app) == CLASS
        times = [t for t, _ in virtual.sends]
        chats = [c for _, c in virtual.sends]
        assert len(times) == CLASS and len(set(chats)) == CLASS  # one message per student
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert min(gaps) >= 1 / 20 - 1e-9
        assert max_in_any_second(times) <= 20 <= 30
        assert times[-1] - times[0] == pytest.approx((CLASS - 1) / 20)
        # A second run the same evening sends nothing: one message a day.
        virtual.sends.clear()
        clock.local(2, 18)
        assert await review_delivery.deliver_due(h.app) == 0
        assert virtual.sends == []
