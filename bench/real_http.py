"""Benchmark over real HTTP: `quizbot run` as a user starts it, against a Bot API stub on loopback.

    python -m bench.real_http [--groups 50] [--students 40] [--questions 10] [--window 2]

(`python -m bench` runs this with the capacity, memory and ratio benchmarks.)

The bot runs in its own process, with its production Bot API client (QUIZBOT_HTTP), its SQLite
file and its job queue. This process serves the Bot API (bench/stub.py) and plays the classes:
each group's teacher opens the `facts` bank with /quiz, the students join, and for every
question all the classes press within the same `--window` seconds, each student at a random
moment in it. A press's latency runs from that scheduled moment (not from when it was sent, so
a slow bot cannot hide its backlog) to the moment the bot's answerCallbackQuery for it arrives
here. Buttons are found by their labels in the keyboards the bot drew, and pressed with their
data.

Reported: press-to-toast percentiles, answers per second while the presses were arriving, the
bot process's CPU time per press and peak RSS, each press answered exactly once, and the most
messages any group got in a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from dataclasses import dataclass
from typing import Any

from bench import database
from bench.client import TEACHER, BotProcess, Players, Press, Sends, spread_ms
from bench.scenes import LiveClass
from bench.stub import BotApiStub, serve
from quizzes.content import shipped_banks, shipped_seeds
from quizzes.loader import bank_files, load_banks


@dataclass
class Results:
    latencies: list[float]
    busy_seconds: float  # from the first scheduled press to the last ack, per question
    presses: int
    cpu_seconds: float


def bank_title(bank_id: str) -> str:
    banks = {b.id: b for b in load_banks(bank_files(shipped_banks()), shipped_seeds())}
    return banks[bank_id].title


async def play(
    players: Players,
    classes: list[LiveClass],
    questions: int,
    window: float,
    rng: random.Random,
    bot: BotProcess,
) -> Results:
    """Every class presses within the same `window` seconds, question after question."""
    await asyncio.gather(*(c.open() for c in classes))
    latencies: list[float] = []
    busy = 0.0
    count = 0
    cpu_before = bot.cpu_seconds()
    for number in range(questions):
        # Each class's buttons as its question appeared: by the time the last class's question
        # is out (the token's 30 a second spread them), an early one may have closed already,
        # and its students' presses are then late presses, not no presses.
        drawn = []
        for c in classes:
            mid, _ = await players.until(c.question, f"question {number + 1}")
            drawn.append((mid, players.options(c.chat, mid)))
        start = time.monotonic() + 0.2
        plan = [
            (at, c, s, mid, data)
            for c, (mid, buttons) in zip(classes, drawn, strict=True)
            for at, s, data in c.plan(mid, start, window, rng, buttons)
        ]
        plan.sort(key=lambda p: p[0])
        pressed: list[Press] = []
        for at, c, s, mid, data in plan:
            pressed.append(await players.press_at(at, c.chat, s, mid, data))
        latencies += [await players.toast(p) for p in pressed]
        if pressed:
            busy += max(players.acked[p.query_id] for p in pressed) - start
        count += len(pressed)
        # Everyone answered, so the bot reveals; the teacher moves on without the pause.
        for c, (mid, _) in zip(classes, drawn, strict=True):
            c.last = mid
            reveal = await c.revealed(mid)
            if number < questions - 1:
                players.press(c.chat, TEACHER, *reveal)
    cpu = bot.cpu_seconds() - cpu_before
    for c in classes:
        await c.stop()
    return Results(latencies, busy, count, cpu)


async def burst(
    groups: int = 50,
    students: int = 40,
    questions: int = 10,
    window: float = 2.0,
    bank: str = "facts",
    seed: int = 1,
    limits: bool = False,
    database_url: str | None = None,
) -> dict[str, Any]:
    """Start a bot, play the burst, stop the bot; the figures. The bot keeps its data in a
    fresh SQLite file, or in a fresh database on the PostgreSQL server `database_url` names."""
    stub = BotApiStub(limits=limits, keep=False)
    sends = Sends()
    stub.watch(sends)
    runner, port = await serve(stub)
    bot = BotProcess(port, database_server=database_url)
    players = Players(stub)
    title = bank_title(bank)
    classes = [LiveClass(players, g, students, title) for g in range(groups)]
    try:
        await bot.start(stub)
        own_cpu = time.process_time()
        results = await play(players, classes, questions, window, random.Random(seed), bot)
        own_cpu = time.process_time() - own_cpu
    finally:
        await bot.stop()
        await runner.cleanup()
    return {
        "mode": "real-http",
        "database": database.describe(database_url),
        "scenario": f"{groups} groups × {students} students × {questions} questions, "
        f"each class pressing within {window:g} s",
        "presses": results.presses,
        "press_to_toast_ms": spread_ms(results.latencies),
        "answers_per_s": round(results.presses / results.busy_seconds, 1),
        "bot_cpu_ms_per_press": round(1000 * results.cpu_seconds / results.presses, 2),
        # The stub and the load generator, in this process: if they were the bottleneck,
        # this would approach the wall time.
        "stub_cpu_ms_per_press": round(1000 * own_cpu / results.presses, 2),
        "bot_peak_rss_mb": round(bot.peak_rss_kb / 1024, 1),
        "answered_twice": sum(1 for n in players.ack_count.values() if n > 1),
        "pushed_late_ms": round(players.late * 1000, 1),
        "busiest": sends.worst(),
        "refused_429": stub.limits.refused if stub.limits else None,
        "log": str(bot.log),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--window", type=float, default=2.0, help="seconds a class presses in")
    parser.add_argument("--bank", default="facts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--limits", action="store_true", help="the stub answers 429 past Telegram's send limits"
    )
    database.add_option(parser)
    args = parser.parse_args()
    figures = asyncio.run(
        burst(args.groups, args.students, args.questions, args.window, args.bank, args.seed,
              args.limits, args.database_url)
    )  # fmt: skip
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
