"""Benchmark over real HTTP: `quizbot run` as a user starts it, against a Bot API stub on loopback.

    python -m bench.real_http [--groups 50] [--students 40] [--questions 10] [--window 2]
                              [--http aiohttp|httpx]

The bot runs in its own process, with its production Bot API client (QUIZBOT_HTTP, chosen by
--http), its SQLite file and its job queue. This process serves the Bot API (bench/stub.py)
and plays the classes: each group's teacher opens the `facts` bank with /quiz, the students
join, and for every question all the classes press within the same `--window` seconds, each
student at a random moment in it. A press's latency runs from that scheduled moment (not from
when it was sent, so a slow bot cannot hide its backlog) to the moment the bot's
answerCallbackQuery for it arrives here.
Buttons are found by their labels in the keyboards the bot drew, and pressed with their data.

Reported: press-to-toast percentiles (overall, and the p99 of each question, where a tail that
grows with the question number would show), answers per second while the presses were
arriving, the bot process's CPU time per press and peak RSS, this process's CPU time per press
(the measuring side must stay far from a core), each press answered exactly once, and the most
messages any group got in a minute. A profiler attached to the bot (py-spy) pauses it for each
sample: read its latencies with that in mind.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bench.stub import BOT_USER, BotApiStub, Call, serve
from bot import texts
from bot.config import HTTP_CLIENTS
from quizzes.content import shipped_banks, shipped_seeds
from quizzes.loader import bank_files, load_banks

TOKEN = "123456:BENCH-real-http"
TEACHER = {"id": 1, "is_bot": False, "first_name": "المعلم"}
CONTROL_LABELS = {
    texts.LIVE_BUTTON_PAUSE,
    texts.LIVE_BUTTON_RESUME,
    texts.LIVE_BUTTON_REVEAL,
    texts.LIVE_BUTTON_NEXT,
    texts.LIVE_BUTTON_STOP,
    texts.LIVE_BUTTON_REVOTE,
    texts.LIVE_BUTTON_CLOSE_VOTE,
}


@dataclass
class Press:
    query_id: str
    chat_id: int
    at: float  # scheduled arrival, time.monotonic()


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    p99_by_question: list[float] = field(default_factory=list)  # a tail that grows shows here
    acks: Counter[str] = field(default_factory=Counter)
    unanswered: int = 0
    busy_seconds: float = 0.0  # from the first scheduled press to the last ack, per question
    presses: int = 0
    cpu_seconds: float = 0.0
    # This process's own (the stub's and the players'): if it were near a core, the acks would
    # be stamped late and the latencies overstated.
    bench_cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0


class Bench:
    def __init__(self, stub: BotApiStub, rng: random.Random) -> None:
        self.stub = stub
        self.rng = rng
        self.query_ids = itertools.count(1)
        self.message_ids = itertools.count(1_000_000)
        self.acked: dict[str, float] = {}
        self.ack_count: Counter[str] = Counter()
        stub.watch(self._seen)

    def _seen(self, call: Call) -> None:
        if call.method == "answerCallbackQuery":
            query = str(call.params["callback_query_id"])
            self.ack_count[query] += 1
            self.acked.setdefault(query, call.at)

    # --- updates, as Telegram would deliver them ----------------------------------------

    def command(self, chat_id: int, text: str) -> None:
        self.stub.push(
            {
                "message": {
                    "message_id": next(self.message_ids),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "supergroup", "title": f"صف {-chat_id}"},
                    "from": TEACHER,
                    "text": text,
                    "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
                }
            }
        )

    def press(self, chat_id: int, user: dict[str, Any], message_id: int, data: str) -> str:
        query_id = str(next(self.query_ids))
        self.stub.push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "chat_instance": str(chat_id),
                    "data": data,
                    "message": {
                        "message_id": message_id,
                        "date": int(time.time()),
                        "chat": {"id": chat_id, "type": "supergroup"},
                        "from": BOT_USER,
                        "text": ".",
                    },
                }
            }
        )
        return query_id

    # --- what the bot drew ----------------------------------------------------------------

    def drawn(self, chat_id: int, want: str, after: int = 0) -> tuple[int, str] | None:
        """The newest message (id > after) in the chat with a button whose label starts with
        `want`: its id and the button's data."""
        for (chat, message_id), markup in sorted(self.stub.markups.items(), reverse=True):
            if chat != chat_id or message_id <= after:
                continue
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    if button.get("text", "").startswith(want) and "callback_data" in button:
                        return message_id, button["callback_data"]
        return None

    def options(self, chat_id: int, message_id: int) -> tuple[list[str], str | None]:
        """The option buttons' data on a question message, and the confirm button's if any."""
        markup = self.stub.markups.get((chat_id, message_id), {})
        options, confirm = [], None
        for row in markup.get("inline_keyboard", []):
            for button in row:
                label = button.get("text", "")
                if label == texts.LIVE_BUTTON_CONFIRM:
                    confirm = button["callback_data"]
                elif label not in CONTROL_LABELS and "callback_data" in button:
                    options.append(button["callback_data"])
        return options, confirm

    async def until(self, found: Any, what: str, within: float = 120.0) -> Any:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            value = found()
            if value:
                return value
            await asyncio.sleep(0.01)
        raise TimeoutError(f"the bot did not draw {what} within {within:.0f} s")

    async def acks(self, queries: list[str], within: float = 120.0) -> None:
        await self.until(lambda: all(q in self.acked for q in queries), "every toast", within)


async def play(bench: Bench, args: argparse.Namespace, bank_title: str, proc: Proc) -> Results:
    chats = [-1_000_000 - g for g in range(args.groups)]
    students = {
        c: [
            {"id": 10_000 + g * 1000 + i, "is_bot": False, "first_name": f"طالب {i + 1}"}
            for i in range(args.students)
        ]
        for g, c in enumerate(chats)
    }
    for c in chats:
        bench.command(c, "/quiz")
    for c in chats:
        mid, data = await bench.until(lambda c=c: bench.drawn(c, bank_title), "the bank list")
        bench.press(c, TEACHER, mid, data)
    lobbies = {}
    for c in chats:
        lobbies[c] = await bench.until(
            lambda c=c: bench.drawn(c, texts.LIVE_BUTTON_JOIN), "the lobby"
        )
    joins = [bench.press(c, s, lobbies[c][0], lobbies[c][1]) for c in chats for s in students[c]]
    await bench.acks(joins)
    for c in chats:
        mid, data = await bench.until(
            lambda c=c: bench.drawn(c, texts.LIVE_BUTTON_START), "the start button"
        )
        bench.press(c, TEACHER, mid, data)

    results = Results()
    last = dict.fromkeys(chats, lobbies[chats[0]][0])
    cpu_before, own_before = proc.cpu_seconds(), time.process_time()
    for number in range(args.questions):
        questions = {}
        for c in chats:
            questions[c] = await bench.until(
                lambda c=c: (
                    bench.drawn(c, texts.LIVE_BUTTON_REVEAL, last[c])
                    or bench.drawn(c, texts.LIVE_BUTTON_CLOSE_VOTE, last[c])
                ),
                f"question {number + 1}",
            )
        start = time.monotonic() + 0.2
        plan: list[tuple[float, int, dict[str, Any], int, str]] = []
        for c in chats:
            mid = questions[c][0]
            options, confirm = bench.options(c, mid)
            for s in students[c]:
                at = start + bench.rng.uniform(0, args.window)
                if options:
                    plan.append((at, c, s, mid, bench.rng.choice(options)))
                    if confirm:
                        plan.append((at + 0.3, c, s, mid, confirm))
        plan.sort(key=lambda p: p[0])
        pressed: list[Press] = []
        for at, c, s, mid, data in plan:
            delay = at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            pressed.append(Press(bench.press(c, s, mid, data), c, at))
        await bench.acks([p.query_id for p in pressed])
        these = [bench.acked[p.query_id] - p.at for p in pressed]
        results.latencies.extend(these)
        if these:
            results.p99_by_question.append(round(1000 * percentile(these, 99), 1))
        if pressed:
            results.busy_seconds += max(bench.acked[p.query_id] for p in pressed) - start
        results.presses += len(pressed)
        # Everyone answered, so the bot reveals; the teacher moves on without the pause.
        for c in chats:
            last[c] = questions[c][0]
            mid, data = await bench.until(
                lambda c=c: bench.drawn(c, texts.LIVE_BUTTON_NEXT, last[c] - 1), "the reveal"
            )
            if number < args.questions - 1:
                bench.press(c, TEACHER, mid, data)
    results.cpu_seconds = proc.cpu_seconds() - cpu_before
    results.bench_cpu_seconds = time.process_time() - own_before
    for c in chats:
        found = bench.drawn(c, texts.LIVE_BUTTON_STOP)
        if found:
            bench.press(c, TEACHER, *found)
    results.acks = bench.ack_count
    return results


class Proc:
    """The bot's process, read from /proc: CPU time and resident memory."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss_kb = 0

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def sample_rss(self) -> None:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    self.peak_rss_kb = max(self.peak_rss_kb, int(line.split()[1]))


def _log_file(folder: Path) -> IO[bytes]:
    return (folder / "bot.log").open("wb")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def busiest_minute(calls: list[Call], chats: set[int]) -> int:
    """The most sends and edits any one group got within 60 seconds."""
    worst = 0
    for chat in chats:
        times = sorted(c.at for c in calls if c.chat_id == chat and c.method != "getChatMember")
        lo = 0
        for hi, t in enumerate(times):
            while times[lo] <= t - 60:
                lo += 1
            worst = max(worst, hi - lo + 1)
    return worst


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    banks = {b.id: b for b in load_banks(bank_files(shipped_banks()), shipped_seeds())}
    title = banks[args.bank].title
    stub = BotApiStub(limits=args.limits)
    runner, port = await serve(stub)
    folder = Path(tempfile.mkdtemp(prefix="quizbot-bench-"))
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": f"http://127.0.0.1:{port}",
        "QUIZBOT_DB": str(folder / "bench.sqlite3"),
        "QUIZBOT_TEACHER_IDS": "1",
        "QUIZBOT_LOG_LEVEL": "WARNING",
        "QUIZBOT_HTTP": args.http,
    }
    quizbot = Path(sys.executable).with_name("quizbot")
    bot = await asyncio.create_subprocess_exec(
        str(quizbot), "run", env=env, stdout=asyncio.subprocess.DEVNULL,
        stderr=_log_file(folder),
    )  # fmt: skip
    proc = Proc(bot.pid)

    async def sample() -> None:
        while True:
            proc.sample_rss()
            await asyncio.sleep(0.25)

    sampler = asyncio.ensure_future(sample())
    try:
        await asyncio.wait_for(stub.polling.wait(), 60)
        results = await play(Bench(stub, random.Random(args.seed)), args, title, proc)
    finally:
        sampler.cancel()
        if bot.returncode is None:
            bot.send_signal(signal.SIGINT)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bot.wait(), 30)
        if bot.returncode is None:
            bot.kill()
        await runner.cleanup()
    lat = [x * 1000 for x in results.latencies]
    groups = {-1_000_000 - g for g in range(args.groups)}
    answered_twice = sum(1 for n in results.acks.values() if n > 1)
    return {
        "mode": "real-http",
        "http_client": args.http,
        "groups": args.groups,
        "students": args.students,
        "questions": args.questions,
        "window_s": args.window,
        "presses": results.presses,
        "press_to_toast_ms": {
            "p50": round(percentile(lat, 50), 1),
            "p95": round(percentile(lat, 95), 1),
            "p99": round(percentile(lat, 99), 1),
            "max": round(max(lat), 1),
        },
        "p99_by_question_ms": results.p99_by_question,
        "answers_per_s": round(results.presses / results.busy_seconds, 1),
        "bot_cpu_ms_per_press": round(1000 * results.cpu_seconds / results.presses, 2),
        "bench_cpu_ms_per_press": round(1000 * results.bench_cpu_seconds / results.presses, 2),
        "bot_peak_rss_mb": round(proc.peak_rss_kb / 1024, 1),
        "answered_twice": answered_twice,
        "busiest_group_minute": busiest_minute(stub.calls, groups),
        "refused_429": stub.limits.refused if stub.limits else None,
        "log": str(folder / "bot.log"),
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
        "--http", choices=HTTP_CLIENTS, default="aiohttp", help="the bot's Bot API client"
    )
    parser.add_argument(
        "--limits", action="store_true", help="the stub answers 429 past Telegram's send limits"
    )
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args)), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
