"""Memory: the bot's resident set per open live session and per active private student.

    python -m bench.memory [--sessions 10,50,100,200] [--private 10,50,100,200] [--students 40]

One bot (`quizbot run`, through bench/gc_bot.py so that a signal can ask it for a garbage
collection) against the stub. First private students are added, step by step, each with an
attempt open at its second question; then live classes, each joined by its students, with its
first question answered and revealed. Newcomers come ten classes (fifty students) at a time, so
the transient memory of one huge burst does not pass for what the sessions keep. After each
step the bot collects its garbage and its VmRSS is read from /proc. A least-squares line
through the steps gives the fixed part and the cost of one more session or student.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import time
from pathlib import Path
from typing import Any, TypeVar

from bench import database
from bench.client import BotProcess, Players
from bench.real_http import bank_title
from bench.scenes import LiveClass, PrivateStudent, Toasts
from bench.stub import BotApiStub, serve

T = TypeVar("T")


def fit(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least squares: (intercept, slope) of y = intercept + slope · x."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    return my - slope * mx, slope


def _stamp(done: Path) -> str:
    """What the bot wrote after its last collection ("" before the first)."""
    return done.read_text() if done.exists() else ""


async def collected_rss_mb(bot: BotProcess, done: Path, within: float = 20.0) -> float:
    """Ask the bot to collect its garbage; its VmRSS once it has, in MB."""
    before = _stamp(done)
    os.kill(bot.pid, signal.SIGUSR1)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if _stamp(done) != before:
            await asyncio.sleep(0.2)
            return bot.rss_kb() / 1024
        await asyncio.sleep(0.05)
    raise TimeoutError("the bot did not collect its garbage")


async def memory(
    sessions: list[int],
    private: list[int],
    students: int = 40,
    seed: int = 1,
    bank: str = "facts",
    database_url: str | None = None,
) -> dict[str, Any]:
    stub = BotApiStub(keep=False)
    runner, port = await serve(stub)
    command = [sys.executable, "-m", "bench.gc_bot"]
    bot = BotProcess(port, command, database_server=database_url)
    done = bot.folder / "gc-done"
    bot.env["BENCH_GC_DONE"] = str(done)
    players = Players(stub)
    title = bank_title(bank)
    rng = random.Random(seed)
    toasts = Toasts()
    loners: list[PrivateStudent] = []
    classes: list[LiveClass] = []
    try:
        await bot.start(stub)
        await asyncio.sleep(1.0)
        fixed = await collected_rss_mb(bot, done)
        private_points = [(0, fixed)]
        for count in private:
            new = [PrivateStudent(players, n, title) for n in range(len(loners), count)]
            loners += new
            for chunk in _chunks(new, 50):
                await asyncio.gather(*(s.begin() for s in chunk))
                quick = (0.0, 0.5)
                await asyncio.gather(*(s.answer_one(rng, toasts, quick, quick) for s in chunk))
            private_points.append((count, await collected_rss_mb(bot, done)))
        live_points = [(0, private_points[-1][1])]
        for count in sessions:
            new_classes = [
                LiveClass(players, g, students, title) for g in range(len(classes), count)
            ]
            classes += new_classes
            for chunk in _chunks(new_classes, 10):
                await asyncio.gather(*(c.open() for c in chunk))
                await asyncio.gather(*(_first_question(c, rng) for c in chunk))
            live_points.append((count, await collected_rss_mb(bot, done)))
    finally:
        await bot.stop()
        await runner.cleanup()
    _, per_student = fit(private_points)
    _, per_session = fit(live_points)
    return {
        "mode": "real-http",
        "database": database.describe(database_url),
        "fixed_mb": round(fixed, 1),
        "per_live_session_kb": round(per_session * 1024, 1),
        "live_students_per_session": students,
        "per_private_student_kb": round(per_student * 1024, 1),
        "private_points_mb": [(n, round(mb, 1)) for n, mb in private_points],
        "live_points_mb": [(n, round(mb, 1)) for n, mb in live_points],
        "peak_rss_mb": round(bot.peak_rss_kb / 1024, 1),
    }


def _chunks(items: list[T], size: int) -> list[list[T]]:
    """A few at a time, so that a burst's transient memory does not pass for the sessions'."""
    return [items[i : i + size] for i in range(0, len(items), size)]


async def _first_question(c: LiveClass, rng: random.Random) -> None:
    """Everyone answers the first question at once; the bot reveals it."""
    players = c.players
    mid, _ = await players.until(c.question, "the first question")
    c.last = mid
    plan = c.plan(mid, time.monotonic(), 0.0, rng)
    await players.acks([players.press(c.chat, s, mid, data) for _, s, data in plan])
    await c.revealed(mid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", default="10,50,100,200")
    parser.add_argument("--private", default="10,50,100,200")
    parser.add_argument("--students", type=int, default=40, help="per live session")
    parser.add_argument("--seed", type=int, default=1)
    database.add_option(parser)
    args = parser.parse_args()
    figures = asyncio.run(
        memory(
            [int(s) for s in args.sessions.split(",")],
            [int(s) for s in args.private.split(",")],
            args.students,
            args.seed,
            database_url=args.database_url,
        )
    )
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
