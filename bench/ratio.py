"""The overhead ratio against bare PTB, over real HTTP: information, not a target.

    python -m bench.ratio [--groups 20] [--students 40] [--questions 3] [--runs 3]

Our bot (`quizbot run`) and a bare PTB bot (bench/bare_bot.py: same update processor,
Bot API client, rate limiter, event loop and polling; its only handler answers the query) each
serve the same presses through the same stub: G groups × S students, every press of a question
at the same moment, so both run saturated. Each runs `--runs` times in a fresh process, and the
best run of each counts. Both parse every update from the JSON of getUpdates, in their own
process, as production does.

Reported for each: answers per second (presses over the time from their arrival to the last
toast) and the bot process's CPU time per press (ours includes the group messages the presses
cause: reveals and next questions). The ratio is ours over bare in answers per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from typing import Any

from bench import database
from bench.client import BotProcess, Players, Press
from bench.real_http import bank_title, play
from bench.scenes import LiveClass
from bench.stub import BotApiStub, serve


async def ours_once(
    groups: int, students: int, questions: int, seed: int, database_url: str | None = None
) -> dict[str, float]:
    stub = BotApiStub(keep=False)
    runner, port = await serve(stub)
    bot = BotProcess(port, database_server=database_url)
    players = Players(stub)
    title = bank_title("facts")
    classes = [LiveClass(players, g, students, title) for g in range(groups)]
    try:
        await bot.start(stub)
        results = await play(players, classes, questions, 0.0, random.Random(seed), bot)
    finally:
        await bot.stop()
        await runner.cleanup()
    return {
        "answers_per_s": results.presses / results.busy_seconds,
        "cpu_ms_per_press": 1000 * results.cpu_seconds / results.presses,
    }


async def bare_once(groups: int, students: int, questions: int) -> dict[str, float]:
    stub = BotApiStub(keep=False)
    runner, port = await serve(stub)
    bot = BotProcess(port, [sys.executable, "-m", "bench.bare_bot"])
    players = Players(stub)
    classes = [LiveClass(players, g, students, "") for g in range(groups)]
    presses, busy, cpu = 0, 0.0, 0.0
    try:
        await bot.start(stub)
        for _ in range(questions):
            cpu_before = bot.cpu_seconds()
            start = time.monotonic() + 0.2
            pressed: list[Press] = []
            for c in classes:
                for s in c.students:
                    pressed.append(await players.press_at(start, c.chat, s, 1, "answer"))
            for p in pressed:
                await players.toast(p)
            busy += max(players.acked[p.query_id] for p in pressed) - start
            cpu += bot.cpu_seconds() - cpu_before
            presses += len(pressed)
    finally:
        await bot.stop()
        await runner.cleanup()
    return {"answers_per_s": presses / busy, "cpu_ms_per_press": 1000 * cpu / presses}


def best(runs: list[dict[str, float]]) -> dict[str, Any]:
    return {
        "answers_per_s": round(max(r["answers_per_s"] for r in runs), 1),
        "cpu_ms_per_press": round(min(r["cpu_ms_per_press"] for r in runs), 3),
        "runs_answers_per_s": [round(r["answers_per_s"], 1) for r in runs],
    }


async def ratio(
    groups: int = 20,
    students: int = 40,
    questions: int = 3,
    runs: int = 3,
    seed: int = 1,
    database_url: str | None = None,
) -> dict[str, Any]:
    ours, bare = [], []
    for _ in range(runs):  # interleaved, so a change in the machine's load hits both alike
        ours.append(await ours_once(groups, students, questions, seed, database_url))
        bare.append(await bare_once(groups, students, questions))
    mine, base = best(ours), best(bare)
    return {
        "mode": "real-http",
        "database": database.describe(database_url),
        "scenario": f"{groups} groups × {students} students × {questions} questions, "
        f"all presses of a question at once; best of {runs} fresh processes each",
        "ours": mine,
        "bare_ptb": base,
        "ratio_answers_per_s": round(mine["answers_per_s"] / base["answers_per_s"], 3),
        "ratio_cpu_per_press": round(base["cpu_ms_per_press"] / mine["cpu_ms_per_press"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    database.add_option(parser)
    args = parser.parse_args()
    figures = asyncio.run(
        ratio(args.groups, args.students, args.questions, args.runs, database_url=args.database_url)
    )
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
