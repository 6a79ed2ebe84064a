"""In-process benchmark, for profiling: the real Application over a real SQLite file, with a
Bot API transport that answers at once, against a bare PTB Application.

    python -m bench.run [--groups 50] [--students 40] [--questions 10] [--private 500]

The headline figures come from the real-HTTP benchmark (`python -m bench`): this one leaves
out what production pays for HTTP, and is for finding where the bot's own time goes.

G groups run live sessions of Q questions with S students each, and P students take the
`facts` bank privately. Every update is Telegram's JSON, decoded and parsed into an Update
inside the timed window (as the Updater does with getUpdates), then put on PTB's update queue.
Three ways in:
- saturated: every answer of a question at once, for answers per second;
- burst: each press at a random moment within `--window` seconds, timed from that moment;
- paced: a fixed `--rate`, each press timed from its scheduled moment, not from its send.
The same answer JSON then goes to a bare Application with the same update processor, whose
only handler answers the query. Each side runs `--runs` times and its best run counts. Both
run on the bot's event loop (bot/eventloop.py; --asyncio-loop for asyncio's).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import random
import resource
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bench import review
from bench.transport import InstantRequest
from bot import eventloop
from bot.app import build_application
from bot.config import Config
from bot.live import api as live_engine
from bot.updates import PerUserUpdateProcessor
from quizzes.model import QuestionType
from tests import factories
from tests.factories import Person

TOKEN = "123456:BENCH-token"
TEACHER = Person(1, "المعلم")


class Clock:
    """Session time the benchmark moves by hand, so no one waits 12 s between questions."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


# A press as Telegram sends it: its callback query id, and the update's JSON.
Raw = tuple[str, bytes]


@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    answers: int = 0
    answer_seconds: float = 0.0
    answer_calls: int = 0
    group_calls: int = 0
    payloads: list[list[Raw]] = field(default_factory=list)


class Driver:
    """Feeds updates into an Application's update queue and waits for their acknowledgements.

    Arrivals: all at once (`rate` and `window` None), at a fixed `rate` per second, or each at
    a random moment within `window` seconds. A press's latency runs from its scheduled moment.
    """

    def __init__(
        self,
        app: Application,
        transport: InstantRequest,
        rate: float | None = None,
        window: float | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.app = app
        self.transport = transport
        self.rate = rate
        self.window = window
        self.rng = rng or random.Random(0)

    def offsets(self, count: int) -> list[float]:
        if self.rate:
            return [i / self.rate for i in range(count)]
        if self.window:
            return sorted(self.rng.uniform(0, self.window) for _ in range(count))
        return [0.0] * count

    async def burst(self, updates: list[Raw], stats: Stats | None = None) -> None:
        """Deliver the updates; wait until every callback query has been answered and the
        handlers are done. Only the delivery and the handling are timed."""
        if stats is not None:
            stats.payloads.append(updates)
        offsets = self.offsets(len(updates))
        done = self.transport.expect({query for query, _ in updates})
        calls_before = sum(self.transport.per_method.values())
        bot = self.app.bot
        started = time.perf_counter()
        for (_, raw), offset in zip(updates, offsets, strict=True):
            if offset:
                # A fixed schedule, so sleeping late never drifts the arrivals.
                await asyncio.sleep(max(0.0, started + offset - time.perf_counter()))
            self.app.update_queue.put_nowait(Update.de_json(json.loads(raw), bot))
        await asyncio.wait_for(done.wait(), timeout=600)
        # Let the handlers finish what they do after the acknowledgement (edits, sends).
        # PTB offers no event for "all handlers done", so poll its own counters.
        while self.app.update_queue.qsize() or self.app.update_processor.current_concurrent_updates:  # noqa: ASYNC110, E501
            await asyncio.sleep(0.001)
        elapsed = time.perf_counter() - started
        if stats is not None:
            stats.answer_seconds += elapsed
            stats.answers += len(updates)
            stats.answer_calls += sum(self.transport.per_method.values()) - calls_before
            acked = self.transport.acked
            stats.latencies_ms.extend(
                (acked[query] - started - offset) * 1000
                for (query, _), offset in zip(updates, offsets, strict=True)
            )


_update_ids = itertools.count(1)
_query_ids = itertools.count(1)


def press(app: Application, data: str, person: Person, chat_id: int, message_id: int = 1) -> Raw:
    """A button press, as Telegram's JSON (the driver parses it, as the Updater would)."""
    query_id = str(next(_query_ids))
    update = {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": query_id,
            "from": person.payload(),
            "chat_instance": str(chat_id),
            "data": data,
            "message": factories.bot_message(chat_id, message_id),
        },
    }
    return query_id, json.dumps(update, ensure_ascii=False).encode()


async def live_scenario(
    app: Application,
    driver: Driver,
    clock: Clock,
    groups: int,
    students: int,
    questions: int,
    rng: random.Random,
    stats: Stats,
) -> int:
    """G groups × S students × Q questions; returns group-chat calls made during questions."""
    repo = app.bot_data.repo
    chats = [-1_000_000 - g for g in range(groups)]
    classes = {
        c: [Person(10_000 + g * 1000 + i, f"طالب {i}", f"مجموعة {g}") for i in range(students)]
        for g, c in enumerate(chats)
    }
    for chat in chats:
        await app.process_update(factories.message(app.bot, "/quiz", TEACHER, chat))
        _, raw = press(app, "lq:facts", TEACHER, chat, 555)
        await app.process_update(Update.de_json(json.loads(raw), app.bot))
    sessions = {c: await repo.open_live_in(c) for c in chats}
    joins = [
        press(app, f"lj:{sessions[c].id}", p, c, sessions[c].message_id or 555)
        for c in chats
        for p in classes[c]
    ]
    await driver.burst(joins)
    starts = []
    for c in chats:
        s = await repo.get_live(sessions[c].id)
        starts.append(press(app, f"lc:{s.id}:{s.step}:go", TEACHER, c, s.message_id or 1))
    await driver.burst(starts)
    group_before = sum(driver.transport.per_chat[c] for c in chats)
    for _ in range(questions):
        answers: list[Update] = []
        toggles: list[Update] = []
        for c in chats:
            s = await repo.get_live(sessions[c].id)
            q = app.bot_data.banks[s.bank_id].question(s.current.question_id)
            order = list(s.current.order)
            for person in classes[c]:
                right = rng.random() < 0.7
                keys = sorted(q.answer) if right else [k for k in order if k not in q.answer][:1]
                if q.type is QuestionType.MULTI:
                    toggles += [press(app, f"ls:{s.id}:{s.position}:{k}", person, c) for k in keys]
                    answers.append(press(app, f"lk:{s.id}:{s.position}", person, c))
                else:
                    answers.append(
                        press(
                            app, f"la:{s.id}:{s.position}:{keys[0]}", person, c, s.message_id or 1
                        )
                    )
        rng.shuffle(answers)
        if toggles:
            await driver.burst(toggles)
        await driver.burst(answers, stats)
        # The reveal pause passes; the timers post the next question (what the job queue does).
        clock.now += timedelta(seconds=app.bot_data.live.rules.reveal_seconds + 1)
        await live_engine.run_timers(app)
    group_calls = sum(driver.transport.per_chat[c] for c in chats) - group_before
    stops = []
    for c in chats:
        s = await repo.get_live(sessions[c].id)
        stops.append(press(app, f"lc:{s.id}:{s.step}:st", TEACHER, c, s.message_id or 1))
    await driver.burst(stops)
    return group_calls


async def private_scenario(
    app: Application, driver: Driver, count: int, rng: random.Random, stats: Stats
) -> None:
    """P students take the facts bank privately, all at the same time."""
    repo = app.bot_data.repo
    bank = app.bot_data.banks["facts"]
    people = [Person(500_000 + i, f"طالبة {i}") for i in range(count)]
    await driver.burst([press(app, "bk:facts", p, p.id) for p in people])
    attempts = {p.id: await repo.active_attempt(p.id, p.id) for p in people}
    for position in range(len(bank.questions)):
        answers, toggles = [], []
        for p in people:
            a = attempts[p.id]
            q = bank.question(a.question_ids[position])
            right = rng.random() < 0.7
            keys = (
                sorted(q.answer)
                if right
                else [k for k in a.option_orders[position] if k not in q.answer][:1]
            )
            if q.type is QuestionType.MULTI:
                toggles += [press(app, f"tg:{a.id}:{position}:{k}", p, p.id) for k in keys]
                answers.append(press(app, f"ok:{a.id}:{position}", p, p.id))
            else:
                answers.append(press(app, f"an:{a.id}:{position}:{keys[0]}", p, p.id))
        if toggles:
            await driver.burst(toggles)
        await driver.burst(answers, stats)
        await driver.burst(
            [press(app, f"nx:{attempts[p.id].id}:{position}", p, p.id) for p in people]
        )


async def bare_throughput(batches: list[list[Raw]]) -> tuple[float, list[float]]:
    """The same answer JSON through a bare Application with the bot's update processor, whose
    only handler answers the query."""
    transport = InstantRequest()

    async def acknowledge(update: Update, context: Any) -> None:
        await update.callback_query.answer()

    app = (
        Application.builder()
        .token(TOKEN)
        .request(transport)
        .get_updates_request(transport)
        .concurrent_updates(PerUserUpdateProcessor())
        .build()
    )
    app.add_handler(CallbackQueryHandler(acknowledge))
    async with app:
        await app.start()
        stats = Stats()
        driver = Driver(app, transport)
        # The same batches as the real run, for a fair comparison of queueing.
        for batch in batches:
            await driver.burst(batch, stats)
        await app.stop()
    return stats.answers / stats.answer_seconds, stats.latencies_ms


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


async def run_scenario(
    args: argparse.Namespace,
    groups: int,
    students: int,
    questions: int,
    private: int,
    rate: float | None = None,
    window: float | None = None,
) -> dict[str, Any]:
    """One run over a fresh database: the live sessions, then the private attempts."""
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        config = Config(token=TOKEN, db_path=db, teacher_ids=frozenset({TEACHER.id}))
        transport = InstantRequest()
        clock = Clock()
        app = build_application(
            config,
            request=transport,
            rate_limiter=None,
            clock=clock,
            rng=random.Random(args.seed),
            per_user_concurrency=not args.sequential,
        )
        await app.initialize()
        await app.post_init(app)
        await app.start()
        driver = Driver(app, transport, rate, window, random.Random(args.seed))
        stats = Stats()
        wall = time.perf_counter()
        group_calls = await live_scenario(
            app, driver, clock, groups, students, questions, rng, stats
        )
        live_answers, live_seconds = stats.answers, stats.answer_seconds
        await private_scenario(app, driver, private, rng, stats)
        wall = time.perf_counter() - wall
        await app.stop()
        await app.post_shutdown(app)
        await app.shutdown()
        files = Path(tmp).glob("bench.sqlite3*")  # noqa: ASYNC240 (after the run)
        db_bytes = sum(f.stat().st_size for f in files)
    return {
        "stats": stats,
        "wall": wall,
        "live_answers": live_answers,
        "live_seconds": live_seconds,
        "group_calls": group_calls,
        "db_bytes": db_bytes,
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    scenario = (args.groups, args.students, args.questions, args.private)
    runs = [await run_scenario(args, *scenario) for _ in range(args.runs)]
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    full = max(runs, key=lambda r: r["stats"].answers / r["stats"].answer_seconds)
    stats: Stats = full["stats"]
    live_answers, live_seconds = full["live_answers"], full["live_seconds"]
    ours = stats.answers / stats.answer_seconds
    gc.collect()
    bares = [await bare_throughput(stats.payloads) for _ in range(args.runs)]
    bare, bare_lat = max(bares, key=lambda b: b[0])
    burst = await run_scenario(
        args, args.groups, args.students, args.questions, 0, window=args.window
    )
    burst_lat = burst["stats"].latencies_ms
    paced = await run_scenario(
        args, args.paced_groups, args.students, 3, args.paced_groups * 10, rate=args.rate
    )
    paced_lat = paced["stats"].latencies_ms
    return {
        "scenario": f"G={args.groups} S={args.students} Q={args.questions} P={args.private}",
        "event_loop": type(asyncio.get_running_loop()).__module__.split(".")[0],
        "answers": stats.answers,
        "live_answers": live_answers,
        "wall_seconds": round(full["wall"], 1),
        "answers_per_second": round(ours),
        "runs_answers_per_second": [
            round(r["stats"].answers / r["stats"].answer_seconds) for r in runs
        ],
        "live_answers_per_second": round(live_answers / live_seconds),
        "private_answers_per_second": round(
            (stats.answers - live_answers) / (stats.answer_seconds - live_seconds)
        ),
        "bare_ptb_answers_per_second": round(bare),
        "bare_runs_answers_per_second": [round(b[0]) for b in bares],
        "ratio_to_bare": round(ours / bare, 3),
        "saturated_ack_p99_ms (queue position)": round(percentile(stats.latencies_ms, 99), 1),
        "bare_saturated_ack_p99_ms": round(percentile(bare_lat, 99), 1),
        "burst_scenario": f"G={args.groups} S={args.students} Q={args.questions}, "
        f"each press within {args.window:g} s",
        "burst_ack_p50_ms": round(percentile(burst_lat, 50), 1),
        "burst_ack_p95_ms": round(percentile(burst_lat, 95), 1),
        "burst_ack_p99_ms": round(percentile(burst_lat, 99), 1),
        "burst_ack_max_ms": round(max(burst_lat), 1),
        "paced_scenario": f"G={args.paced_groups} S={args.students} Q=3 "
        f"P={args.paced_groups * 10} at {args.rate:g} updates/s",
        "paced_ack_p50_ms": round(percentile(paced_lat, 50), 1),
        "paced_ack_p95_ms": round(percentile(paced_lat, 95), 1),
        "paced_ack_p99_ms": round(percentile(paced_lat, 99), 1),
        "api_calls_per_answer": round(stats.answer_calls / stats.answers, 2),
        "group_calls_per_question": round(full["group_calls"] / (args.groups * args.questions), 2),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "db_megabytes": round(full["db_bytes"] / 1e6, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--private", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="runs of each side; the best counts")
    parser.add_argument(
        "--window", type=float, default=2.0, help="seconds the burst run's presses arrive in"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=150.0,
        help="arrival rate of the paced latency run, in updates per second",
    )
    parser.add_argument(
        "--paced-groups",
        type=int,
        default=10,
        help="groups in the paced latency run (its private students: 10×)",
    )
    parser.add_argument(
        "--asyncio-loop",
        action="store_true",
        help="run on asyncio's own event loop instead of the bot's (uvloop), for comparison",
    )
    parser.add_argument(
        "--sequential",
        action="store_true",
        help="process one update at a time (PTB's default), for comparison",
    )
    parser.add_argument(
        "--review",
        type=int,
        default=0,
        help="run only the spaced-review scenario: this many students due at the same minute",
    )
    args = parser.parse_args()
    # The loop production runs on (bot/eventloop.py), for the bot and for bare PTB alike.
    new_loop = asyncio.new_event_loop if args.asyncio_loop else eventloop.new_loop
    with asyncio.Runner(loop_factory=new_loop) as runner:
        result = runner.run(
            review.review_scenario(args.review) if args.review else main_async(args)
        )
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
