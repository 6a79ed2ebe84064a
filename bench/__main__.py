"""The benchmark's headline figures, over real HTTP: `quizbot run` against a Bot API stub.

    python -m bench            # the full run (about 15 minutes on 2 cores)
    python -m bench --quick    # small sizes, under a minute: does everything still run?
    python -m bench --only burst,ratio --json figures.json
    python -m bench --database-url postgresql://USER@HOST/postgres   # the bot on PostgreSQL

Four parts (each is also a module of its own, with its own options):
- burst (bench/real_http.py): press-to-toast when 50 classes of 40 press within 2 s;
- capacity (bench/capacity.py): the most live sessions and private students one token serves
  within Telegram's limits, stepping the load;
- memory (bench/memory.py): resident memory, fixed and per session or student;
- ratio (bench/ratio.py): answers per second against a bare PTB bot, the fair way.
The in-process benchmark (bench/run.py) stays, for profiling the bot's own code.

Each bot under test keeps its data in a fresh SQLite file, or with `--database-url` in a fresh
database made on that PostgreSQL server for the one bot process and dropped after it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench import database
from bench.capacity import capacity
from bench.memory import memory
from bench.ratio import ratio
from bench.real_http import burst

PARTS = ("burst", "capacity", "memory", "ratio")

# Each part, given the PostgreSQL server to run the bot on (None: SQLite).
Part = Callable[[str | None], Awaitable[dict[str, Any]]]
FULL: dict[str, Part] = {
    "burst": lambda db: burst(50, 40, 10, 2.0, database_url=db),
    "capacity": lambda db: capacity(
        [10, 20, 30, 40, 50, 60, 80], 40, window=60.0, stagger=20.0, database_url=db
    ),
    "memory": lambda db: memory([10, 50, 100, 200], [10, 50, 100, 200], 40, database_url=db),
    "ratio": lambda db: ratio(20, 40, 3, runs=3, database_url=db),
}
QUICK: dict[str, Part] = {
    "burst": lambda db: burst(4, 8, 2, 1.0, database_url=db),
    "capacity": lambda db: capacity(
        [2, 4], 5, window=5.0, settle=1.0, stagger=2.0, database_url=db
    ),
    "memory": lambda db: memory([2, 4], [3, 6], 5, database_url=db),
    "ratio": lambda db: ratio(4, 8, 2, runs=1, database_url=db),
}


def headlines(figures: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    if "burst" in figures:
        b = figures["burst"]
        t = b["press_to_toast_ms"]
        lines.append(
            f"burst: {b['scenario']}: press-to-toast p50 {t['p50']} ms, p95 {t['p95']} ms, "
            f"p99 {t['p99']} ms, max {t['max']} ms; {b['answers_per_s']} answers/s, "
            f"{b['bot_cpu_ms_per_press']} ms CPU/press, peak RSS {b['bot_peak_rss_mb']} MB, "
            f"answered twice: {b['answered_twice']}"
        )
    if "capacity" in figures:
        c = figures["capacity"]
        cap = c["capacity"]
        failing = cap["first_failing_step"]
        why = "none failed"
        if failing:
            why = (
                f"{failing['live_sessions']} + {failing['private_students']} failed: "
                f"429s {failing['refused_429'] or 'none'}, "
                f"p99 {failing['press_to_toast_ms'].get('p99')} ms, next question p99 "
                f"{failing['private_next_question_ms'].get('p99')} ms"
            )
        held = next((s for s in c["steps"] if s["live_sessions"] == cap["live_sessions"]), None)
        at = ""
        if held:
            b = held["busiest"]
            at = (
                f" (toast p99 {held['press_to_toast_ms']['p99']} ms; next question p99 "
                f"{held['private_next_question_ms'].get('p99')} ms; token "
                f"{b['token_mean_per_second']}/s on average, {b['token_per_second']} in its "
                f"busiest second; busiest group minute {b['group_per_minute']})"
            )
        lines.append(
            f"capacity at Telegram's limits: {cap['live_sessions']} live sessions "
            f"({c['live_students']} students each) + {cap['private_students']} private "
            f"students with no 429{at}; {why}"
        )
    if "memory" in figures:
        m = figures["memory"]
        lines.append(
            f"memory: {m['fixed_mb']} MB fixed + {m['per_live_session_kb']} KB per live session "
            f"({m['live_students_per_session']} students) + {m['per_private_student_kb']} KB "
            f"per private student (RSS after a GC)"
        )
    if "ratio" in figures:
        r = figures["ratio"]
        lines.append(
            f"ratio to bare PTB: {r['ratio_answers_per_s']} in answers/s "
            f"({r['ours']['answers_per_s']} against {r['bare_ptb']['answers_per_s']}); "
            f"CPU per press {r['ours']['cpu_ms_per_press']} ms against "
            f"{r['bare_ptb']['cpu_ms_per_press']} ms"
        )
    return lines


async def run(
    parts: list[str], quick: bool, database_url: str | None = None
) -> dict[str, dict[str, Any]]:
    table = QUICK if quick else FULL
    figures: dict[str, dict[str, Any]] = {}
    for part in parts:
        began = time.monotonic()
        figures[part] = await table[part](database_url)
        figures[part]["seconds"] = round(time.monotonic() - began, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute")
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    database.add_option(parser)
    args = parser.parse_args()
    parts = [p for p in args.only.split(",") if p]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}; choose from {PARTS}")
    load_before = os.getloadavg()
    figures = asyncio.run(run(parts, args.quick, args.database_url))
    figures["machine"] = {
        "database": database.describe(args.database_url),
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    if args.quick:
        print("quick run: the sizes are too small for these figures to mean anything")
    for line in headlines(figures):
        print(line)
    machine = figures["machine"]
    print(
        f"machine: {machine['cores']} cores, database {machine['database']}, load average "
        f"{machine['load_average_before']} "
        f"before, {machine['load_average_after']} after"
    )


if __name__ == "__main__":
    main()
