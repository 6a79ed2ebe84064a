"""Benchmark: the real Application over a real SQLite file, against a bare PTB Application.

    python -m bench.run [--groups 50] [--students 40] [--questions 10] [--private 500]

G groups run live sessions of Q questions with S students each, and P students take the
`facts` bank privately. Every update goes through PTB's own update queue (as in production);
the Bot API is an in-process transport that answers at once. The same answer updates are then
fed to a bare Application whose only handler answers the callback query (three times: the
best counts). Both run on the bot's event loop (bot/eventloop.py; --asyncio-loop for asyncio's).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import resource
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import CallbackQuery, Message, Update, User
from telegram.ext import Application, CallbackQueryHandler

from bench import review
from bench.transport import InstantRequest
from bot import eventloop, live_engine
from bot.app import build_application
from bot.config import Config
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


@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    answers: int = 0
    answer_seconds: float = 0.0
    answer_calls: int = 0
    group_calls: int = 0
    payloads: list[tuple[str, int, int]] = field(default_factory=list)


class Driver:
    """Feeds updates into an Application's update queue and waits for their acknowledgements."""

    def __init__(
        self, app: Application, transport: InstantRequest, rate: float | None = None
    ) -> None:
        self.app = app
        self.transport = transport
        self.rate = rate  # updates per second; None: all at once (a saturating burst)

    async def burst(self, updates: list[Update], stats: Stats | None = None) -> None:
        """Queue all updates at once; wait until every callback query has been answered."""
        put: dict[str, float] = {}
        if stats is not None:
            # Only what the bare run needs to rebuild the same presses: data, user, chat.
            stats.payloads.extend(
                (u.callback_query.data, u.callback_query.from_user.id, u.effective_chat.id)
                for u in updates
            )
        calls_before = sum(self.transport.per_method.values())
        started = time.perf_counter()
        done = self.transport.expect({u.callback_query.id for u in updates})
        loop = asyncio.get_running_loop()
        start = loop.time()
        for index, update in enumerate(updates):
            if self.rate:
                # Paced arrivals on a fixed schedule, so sleeping late never drifts the rate.
                await asyncio.sleep(max(0.0, start + index / self.rate - loop.time()))
            put[update.callback_query.id] = time.perf_counter()
            self.app.update_queue.put_nowait(update)
        await asyncio.wait_for(done.wait(), timeout=600)
        # Let the handlers finish what they do after the acknowledgement (edits, sends).
        # PTB offers no event for "all handlers done", so poll its own counters.
        while self.app.update_queue.qsize() or self.app.update_processor.current_concurrent_updates:  # noqa: ASYNC110, E501
            await asyncio.sleep(0.001)
        if stats is not None:
            stats.answer_seconds += time.perf_counter() - started
            stats.answers += len(updates)
            stats.answer_calls += sum(self.transport.per_method.values()) - calls_before
            stats.latencies_ms.extend((self.transport.acked[q] - t) * 1000 for q, t in put.items())


_USERS: dict[tuple[int, int], User] = {}
_MESSAGES: dict[tuple[int, int, int], Message] = {}


def press(app: Application, data: str, person: Person, chat_id: int, message_id: int = 1) -> Update:
    """A button press, as PTB would parse it from Telegram's JSON. A person's first press, and
    the first press on a message, are parsed from JSON (tests/factories.py); later ones share
    the parsed user and message (immutable objects), so building 60,000 updates does not
    dominate the wall time."""
    user = _USERS.get((id(app.bot), person.id))
    message = _MESSAGES.get((id(app.bot), chat_id, message_id))
    if user is None or message is None:
        first = factories.callback(app.bot, data, person, chat_id, message_id)
        _USERS[(id(app.bot), person.id)] = first.callback_query.from_user
        _MESSAGES[(id(app.bot), chat_id, message_id)] = first.callback_query.message
        return first
    query = CallbackQuery(
        str(next(factories._query_ids)), user, str(chat_id), data=data, message=message
    )
    query.set_bot(app.bot)
    return Update(next(factories._update_ids), callback_query=query)


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
        await app.process_update(press(app, "lq:facts", TEACHER, chat, 555))
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


async def bare_throughput(payloads: list[tuple[str, int, int]]) -> tuple[float, list[float]]:
    """The same answer updates through a bare Application that only answers the query."""
    transport = InstantRequest()

    async def acknowledge(update: Update, context: Any) -> None:
        await update.callback_query.answer()

    app = (
        Application.builder().token(TOKEN).request(transport).get_updates_request(transport).build()
    )
    app.add_handler(CallbackQueryHandler(acknowledge))
    async with app:
        await app.start()
        updates = [press(app, data, Person(user, "x"), chat) for data, user, chat in payloads]
        stats = Stats()
        driver = Driver(app, transport)
        # Same batch sizes as the real run, for a fair comparison of queueing.
        for chunk in _chunks(updates, 2000):
            await driver.burst(chunk, stats)
        await app.stop()
    return stats.answers / stats.answer_seconds, stats.latencies_ms


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


async def run_scenario(
    args: argparse.Namespace,
    groups: int,
    students: int,
    questions: int,
    private: int,
    rate: float | None,
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
        driver = Driver(app, transport, rate)
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
    full = await run_scenario(
        args, args.groups, args.students, args.questions, args.private, rate=None
    )
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stats: Stats = full["stats"]
    live_answers, live_seconds = full["live_answers"], full["live_seconds"]
    ours = stats.answers / stats.answer_seconds
    # Bare PTB's short run (about 2 s) swung between 13,600 and 18,800 answers per second from
    # one run of the benchmark to the next; its best of three is the ratio's (strict) base.
    gc.collect()
    bare, bare_lat = max([await bare_throughput(stats.payloads) for _ in range(3)])
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
        "live_answers_per_second": round(live_answers / live_seconds),
        "private_answers_per_second": round(
            (stats.answers - live_answers) / (stats.answer_seconds - live_seconds)
        ),
        "bare_ptb_answers_per_second": round(bare),
        "ratio_to_bare": round(ours / bare, 3),
        "burst_ack_p50_ms": round(percentile(stats.latencies_ms, 50), 1),
        "burst_ack_p99_ms": round(percentile(stats.latencies_ms, 99), 1),
        "bare_burst_ack_p99_ms": round(percentile(bare_lat, 99), 1),
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
