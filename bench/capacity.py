"""Capacity at Telegram's limits: the most live sessions and private students one token serves.

    python -m bench.capacity [--steps 10,20,40,60,80] [--students 40] [--window 60]

One `quizbot run` against the stub with Telegram's limits enforced (30 sends a second per token,
20 a minute per group, one a second per private chat with a short burst; a send past one is
answered 429 with retry_after). The load is stepped up: each step adds live classes and private
students until there are N of each (a private student per session by default), the newcomers
arriving at random moments over `stagger` seconds; once they have settled in, a window is
measured.

- A live class: 40 students (by default) answer each question within 18 to 24 s of seeing it;
  the bot reveals when all have answered and moves on 12 s later by its own timer, so a question
  comes every 30 to 40 s. A finished quiz is opened again.
- A private student answers a question 4 to 10 s after it appears and presses "next" 4 to 8 s
  after the feedback: a question every 10 to 20 s. A finished bank is started again.

In each window: the 429s by limit, the busiest group minute, private-chat second and token
second, press-to-toast percentiles, and how long a private student waits from "next" to the
next question. The capacity is the largest step with no 429, a press-to-toast p99 under a second
and a next-question p99 under a second: the bot's limiter turns too much traffic into messages
held back, not into 429s, so the wait for messages is where an overloaded token shows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections import Counter
from typing import Any

from bench import database
from bench.client import BotProcess, Players, Sends, spread_ms
from bench.real_http import bank_title
from bench.scenes import LiveClass, PrivateStudent, Toasts
from bench.stub import BotApiStub, serve

ACCEPTABLE_P99_S = 1.0


async def capacity(
    steps: list[int],
    students: int = 40,
    window: float = 60.0,
    settle: float = 10.0,
    stagger: float = 30.0,
    private_per_session: float = 1.0,
    private_burst: int = 5,
    seed: int = 1,
    bank: str = "facts",
    database_url: str | None = None,
) -> dict[str, Any]:
    """Step the load through `steps` (live sessions; private students in proportion), on a
    fresh SQLite file or a fresh database on the PostgreSQL server `database_url` names."""
    stub = BotApiStub(limits=True, private_burst=private_burst, keep=False)
    sends = Sends()
    stub.watch(sends)
    runner, port = await serve(stub)
    bot = BotProcess(port, database_server=database_url)
    players = Players(stub)
    title = bank_title(bank)
    rng = random.Random(seed)
    toasts = Toasts()
    stopping = False
    tasks: list[asyncio.Task[None]] = []
    classes: list[LiveClass] = []
    loners: list[PrivateStudent] = []
    rows: list[dict[str, Any]] = []

    def running() -> bool:
        return not stopping

    try:
        await bot.start(stub)
        for sessions in steps:
            private = round(sessions * private_per_session)
            new_classes = [
                LiveClass(players, g, students, title) for g in range(len(classes), sessions)
            ]
            new_loners = [PrivateStudent(players, n, title) for n in range(len(loners), private)]
            classes += new_classes
            loners += new_loners
            # Classes and students come in at random moments over `stagger` seconds, so the
            # step's load is not one school bell (the burst benchmark is that).
            tasks += [
                asyncio.ensure_future(c.play(rng, toasts, running, delay=rng.uniform(0, stagger)))
                for c in new_classes
            ]
            tasks += [
                asyncio.ensure_future(s.study(rng, toasts, running, delay=rng.uniform(0, stagger)))
                for s in new_loners
            ]
            # Settled: every newcomer has begun, and then a little more.
            await players.until(
                lambda new=new_classes: all(c.last for c in new), "every new class open", 300
            )
            await asyncio.sleep(settle)
            start = time.monotonic()
            refused_before = stub.limits.refused if stub.limits else 0
            cpu_before = bot.cpu_seconds()
            await asyncio.sleep(window)
            end = time.monotonic()
            failed = [t for t in tasks if t.done() and t.exception() is not None]
            if failed:
                raise failed[0].exception()  # type: ignore[misc]
            timed = await toasts.between(players, start, end)
            timed["next_question"] = [d for at, d in toasts.next_question if start <= at < end]
            row = _row(sessions, private, stub, sends, timed, start, end, refused_before)
            row["bot_cpu_cores"] = round((bot.cpu_seconds() - cpu_before) / (end - start), 3)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            if not row["ok"]:
                break
    finally:
        stopping = True
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await bot.stop()
        await runner.cleanup()
    held = [r for r in rows if r["ok"]]
    return {
        "mode": "real-http, Telegram's limits enforced",
        "database": database.describe(database_url),
        "live_students": students,
        "private_students_per_session": private_per_session,
        "private_burst": f"{private_burst} sends within {private_burst} s per private chat",
        "window_s": window,
        "steps": rows,
        "capacity": {
            "live_sessions": held[-1]["live_sessions"] if held else 0,
            "private_students": held[-1]["private_students"] if held else 0,
            "first_failing_step": next((r for r in rows if not r["ok"]), None),
        },
        "bot_peak_rss_mb": round(bot.peak_rss_kb / 1024, 1),
        "log": str(bot.log),
    }


def _row(
    sessions: int,
    private: int,
    stub: BotApiStub,
    sends: Sends,
    timed: dict[str, list[float]],
    start: float,
    end: float,
    refused_before: int,
) -> dict[str, Any]:
    assert stub.limits is not None
    refusals = stub.limits.refusals[refused_before:]
    by_limit = Counter(r.limit for r in refusals if start <= r.at < end)
    close = sum(1 for t in stub.limits.private_close if start <= t < end)
    latencies = timed["live"] + timed["private"]
    spread = spread_ms(latencies)
    following = spread_ms(timed["next_question"])
    refused = sum(by_limit.values())
    unanswered = len(timed["unanswered"])
    return {
        "live_sessions": sessions,
        "private_students": private,
        "presses": len(latencies),
        "press_to_toast_ms": spread,
        "live_toast_ms": spread_ms(timed["live"]),
        "private_toast_ms": spread_ms(timed["private"]),
        "unanswered": unanswered,
        "refused_429": dict(by_limit),
        "private_next_question_ms": following,
        "private_sends_under_1s_apart": close,
        "busiest": sends.worst(start, end),
        "ok": refused == 0
        and not unanswered
        and bool(spread)
        and spread["p99"] <= ACCEPTABLE_P99_S * 1000
        and (not following or following["p99"] <= ACCEPTABLE_P99_S * 1000),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", default="10,20,40,60,80,100,120", help="live sessions")
    parser.add_argument("--students", type=int, default=40, help="per live session")
    parser.add_argument("--private-per-session", type=float, default=1.0)
    parser.add_argument("--window", type=float, default=60.0, help="seconds measured per step")
    parser.add_argument("--private-burst", type=int, default=5)
    parser.add_argument("--stagger", type=float, default=30.0, help="seconds newcomers arrive in")
    parser.add_argument("--seed", type=int, default=1)
    database.add_option(parser)
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",")]
    figures = asyncio.run(
        capacity(steps, args.students, args.window, private_per_session=args.private_per_session,
                 private_burst=args.private_burst, seed=args.seed, stagger=args.stagger,
                 database_url=args.database_url)
    )  # fmt: skip
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
