"""Benchmark scenario: N students with reviews due at the same minute, sent by the real job.

    python -m bench.run --review 2000

The production Application (its rate limiter included, as bot/app.py configures it) over a
real SQLite file; the Bot API is an in-process transport that answers at once and stamps every
send. The job runs at its own pace in real time; the report is the drain time and the busiest
second, per chat and for the token, measured on those stamps.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.transport import InstantRequest
from bot import review_delivery
from bot.app import build_application
from bot.config import Config
from quizzes.review import Window, schedule
from tests.fakes import Call

TOKEN = "123456:BENCH-token"
SENDS = ("sendMessage", "sendPoll", "sendPhoto", "sendDocument")


class StampingRequest(InstantRequest):
    """Keeps the time of every send, by chat."""

    def __init__(self) -> None:
        super().__init__()
        self.sends: list[tuple[float, int]] = []

    def record(self, call: Call) -> None:
        super().record(call)
        if call.method in SENDS and call.chat_id is not None:
            self.sends.append((time.perf_counter(), call.chat_id))


def busiest_second(times: list[float]) -> int:
    """The most sends inside any window of one second."""
    times = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


async def _populate(app: Any, students: int, now: datetime) -> list[int]:
    repo, tz = app.bot_data.repo, app.bot_data.config.tz
    ids = list(range(100_000, 100_000 + students))
    await asyncio.gather(*(repo.save_student(u, f"طالب{u}", None) for u in ids))
    await asyncio.gather(*(repo.set_review_window(u, Window.EVENING) for u in ids))
    yesterday = now.replace(day=now.day - 1)
    await repo.schedule_reviews([schedule(u, "facts", "f01", yesterday, tz) for u in ids], now)
    return ids


async def review_scenario(students: int) -> dict[str, Any]:
    """Students due at 17:00 in the evening window; the job's sends, timed."""
    now = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(token=TOKEN, db_path=Path(tmp) / "bench.sqlite3")
        transport = StampingRequest()
        app = build_application(config, request=transport, clock=lambda: now)
        await app.initialize()
        await app.post_init(app)
        await app.start()
        try:
            await _populate(app, students, now)
            transport.sends.clear()
            started = time.perf_counter()
            tried = await review_delivery.deliver_due(app)
            drained = time.perf_counter() - started
        finally:
            await app.stop()
            await app.post_shutdown(app)
            await app.shutdown()
    per_chat: dict[int, list[float]] = defaultdict(list)
    for moment, chat in transport.sends:
        per_chat[chat].append(moment)
    times = [moment for moment, _ in transport.sends]
    return {
        "review_scenario": f"{students} students due at the same minute",
        "review_students_sent": tried,
        "review_messages": len(times),
        "review_drain_seconds": round(drained, 1),
        "review_messages_per_second": round(len(times) / drained, 1) if drained else 0,
        "review_token_busiest_second": busiest_second(times),
        "review_chat_busiest_second": max(busiest_second(t) for t in per_chat.values()),
        "review_rate_limiter": type(app.bot.rate_limiter).__name__,
    }
