"""What the real-HTTP benchmarks share: the bot's process, the users who press, the clock.

`Players` writes updates the way Telegram delivers them (into the stub's getUpdates queue) and
reads what the bot drew (the keyboards the stub kept). `BotProcess` starts `quizbot run` (or the
bare PTB bot of bench/bare_bot.py) against the stub, and reads its CPU time and resident memory
from /proc. Every press carries the moment it was scheduled for; its latency is measured from
then, so a load generator running late never hides the bot's backlog.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import database
from bench.stub import BOT_USER, SENDS, BotApiStub, Call
from bot import texts

TOKEN = "123456:BENCH-real-http"
TEACHER = {"id": 1, "is_bot": False, "first_name": "المعلم"}
CONTROL_LABELS = frozenset(
    {
        texts.LIVE_BUTTON_PAUSE,
        texts.LIVE_BUTTON_RESUME,
        texts.LIVE_BUTTON_REVEAL,
        texts.LIVE_BUTTON_NEXT,
        texts.LIVE_BUTTON_STOP,
        texts.LIVE_BUTTON_REVOTE,
        texts.LIVE_BUTTON_CLOSE_VOTE,
    }
)
PRIVATE_CONTROL_LABELS = frozenset(
    {texts.BUTTON_CONFIRM, texts.BUTTON_NEXT, texts.BUTTON_RESULTS, texts.BUTTON_BANKS}
)


def student(number: int) -> dict[str, Any]:
    return {"id": number, "is_bot": False, "first_name": f"طالب {number % 1000}"}


@dataclass
class Press:
    query_id: str
    at: float  # scheduled arrival, time.monotonic()


class Players:
    """The people pressing: they push updates into the stub and watch for the bot's answers."""

    def __init__(self, stub: BotApiStub) -> None:
        self.stub = stub
        self.query_ids = itertools.count(1)
        self.message_ids = itertools.count(1_000_000)
        self.acked: dict[str, float] = {}
        self.ack_count: Counter[str] = Counter()
        self.late: float = 0.0  # the most any press was pushed after its scheduled moment
        self._waiting: dict[str, asyncio.Future[float]] = {}
        stub.watch(self._seen)

    def _seen(self, call: Call) -> None:
        if call.method == "answerCallbackQuery":
            query = str(call.params["callback_query_id"])
            self.ack_count[query] += 1
            if query not in self.acked:
                self.acked[query] = call.at
                waiter = self._waiting.pop(query, None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(call.at)

    # --- updates, as Telegram would deliver them ----------------------------------------

    def command(self, chat_id: int, text: str, user: dict[str, Any] = TEACHER) -> None:
        chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": "x"}
        if chat_id < 0:
            chat = {"id": chat_id, "type": "supergroup", "title": f"صف {-chat_id}"}
        self.stub.push(
            {
                "message": {
                    "message_id": next(self.message_ids),
                    "date": int(time.time()),
                    "chat": chat,
                    "from": user,
                    "text": text,
                    "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
                }
            }
        )

    def press(self, chat_id: int, user: dict[str, Any], message_id: int, data: str) -> str:
        query_id = str(next(self.query_ids))
        chat_type = "supergroup" if chat_id < 0 else "private"
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
                        "chat": {"id": chat_id, "type": chat_type},
                        "from": BOT_USER,
                        "text": ".",
                    },
                }
            }
        )
        return query_id

    async def press_at(
        self, at: float, chat_id: int, user: dict[str, Any], message_id: int, data: str
    ) -> Press:
        """Sleep until `at`, then press; the press keeps `at` as its start."""
        delay = at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        self.late = max(self.late, time.monotonic() - at)
        return Press(self.press(chat_id, user, message_id, data), at)

    async def toast(self, press: Press, within: float = 120.0) -> float:
        """Seconds from the press's scheduled moment to the bot's answer to it."""
        if press.query_id not in self.acked:
            waiter = self._waiting.setdefault(
                press.query_id, asyncio.get_running_loop().create_future()
            )
            await asyncio.wait_for(asyncio.shield(waiter), within)
        return self.acked[press.query_id] - press.at

    # --- what the bot drew ----------------------------------------------------------------

    def drawn(self, chat_id: int, want: str, after: int = 0) -> tuple[int, str] | None:
        """The newest message (id > after) in the chat with a button whose label starts with
        `want`: its id and the button's data."""
        markups = self.stub.markups.get(chat_id, {})
        for message_id in sorted(markups, reverse=True):
            if message_id <= after:
                break
            for row in markups[message_id].get("inline_keyboard", []):
                for button in row:
                    if button.get("text", "").startswith(want) and "callback_data" in button:
                        return message_id, button["callback_data"]
        return None

    def options(
        self, chat_id: int, message_id: int, controls: frozenset[str] = CONTROL_LABELS
    ) -> tuple[list[str], str | None]:
        """The option buttons' data on a question message, and the confirm button's if any."""
        markup = self.stub.markups.get(chat_id, {}).get(message_id, {})
        options, confirm = [], None
        for row in markup.get("inline_keyboard", []):
            for button in row:
                label = button.get("text", "")
                if label in (texts.LIVE_BUTTON_CONFIRM, texts.BUTTON_CONFIRM):
                    confirm = button["callback_data"]
                elif label not in controls and "callback_data" in button:
                    options.append(button["callback_data"])
        return options, confirm

    async def until(
        self, found: Callable[[], Any], what: str, within: float = 120.0, every: float = 0.01
    ) -> Any:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            value = found()
            if value:
                return value
            await asyncio.sleep(every)
        raise TimeoutError(f"the bot did not draw {what} within {within:.0f} s")

    async def acks(self, queries: Iterable[str], within: float = 120.0) -> None:
        for query in queries:
            await self.toast(Press(query, 0.0), within)


class BotProcess:
    """A bot started as a user starts it, pointed at the stub; read from /proc.

    Its data goes to a fresh SQLite file, or, given `database_server` (a PostgreSQL URL), to a
    database made on that server when the bot starts and dropped when it stops."""

    def __init__(
        self,
        port: int,
        command: list[str] | None = None,
        database_server: str | None = None,
        **env: str,
    ) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="quizbot-bench-"))
        self.command = command or [str(Path(sys.executable).with_name("quizbot")), "run"]
        self.database_server = database_server
        self.database_url: str | None = None
        inherited = {k: v for k, v in os.environ.items() if k != "QUIZBOT_DATABASE_URL"}
        self.env = {
            **inherited,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": f"http://127.0.0.1:{port}",
            "QUIZBOT_DB": str(self.folder / "bench.sqlite3"),
            "QUIZBOT_TEACHER_IDS": "1",
            "QUIZBOT_LOG_LEVEL": "WARNING",
            **env,
        }
        self.process: asyncio.subprocess.Process | None = None
        self.peak_rss_kb = 0
        self._sampler: asyncio.Task[None] | None = None

    @property
    def log(self) -> Path:
        return self.folder / "bot.log"

    async def start(self, stub: BotApiStub, within: float = 60.0) -> None:
        if self.database_server is not None:
            self.database_url = await database.create(self.database_server)
            self.env["QUIZBOT_DATABASE_URL"] = self.database_url
        with self.log.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                *self.command, env=self.env, stdout=asyncio.subprocess.DEVNULL, stderr=log
            )
        self._sampler = asyncio.ensure_future(self._sample())
        await asyncio.wait_for(stub.polling.wait(), within)

    async def _sample(self) -> None:
        while True:
            with contextlib.suppress(OSError):
                self.peak_rss_kb = max(self.peak_rss_kb, self.rss_kb())
            await asyncio.sleep(0.25)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    async def stop(self) -> None:
        if self._sampler is not None:
            self._sampler.cancel()
        process = self.process
        if process is not None and process.returncode is None:
            process.send_signal(signal.SIGINT)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), 30)
            if process.returncode is None:
                process.kill()
                await process.wait()
        if self.database_server is not None and self.database_url is not None:
            await database.drop(self.database_server, self.database_url)
            self.database_url = None


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def spread_ms(seconds: list[float]) -> dict[str, float]:
    """p50, p95, p99 and the maximum, in milliseconds."""
    if not seconds:
        return {}
    ms = [s * 1000 for s in seconds]
    return {
        "p50": round(percentile(ms, 50), 1),
        "p95": round(percentile(ms, 95), 1),
        "p99": round(percentile(ms, 99), 1),
        "max": round(max(ms), 1),
    }


def busiest(times: Iterable[float], seconds: float) -> int:
    """The most of these moments that fall within any window of `seconds`."""
    ordered = sorted(times)
    worst, lo = 0, 0
    for hi, t in enumerate(ordered):
        while ordered[lo] <= t - seconds:
            lo += 1
        worst = max(worst, hi - lo + 1)
    return worst


@dataclass
class Sends:
    """The rate-limited calls the stub accepted, by chat, as the limits count them."""

    by_chat: dict[int, list[float]] = field(default_factory=dict)
    token: list[float] = field(default_factory=list)

    def __call__(self, call: Call) -> None:
        if call.method in SENDS:
            self.token.append(call.at)
            if call.chat_id is not None:
                self.by_chat.setdefault(call.chat_id, []).append(call.at)

    def worst(self, start: float = 0.0, end: float = float("inf")) -> dict[str, int]:
        """The busiest group minute, private-chat second and token second that end in
        [start, end)."""

        def inside(times: list[float], seconds: float) -> list[float]:
            return [t for t in times if start - seconds < t < end]

        groups = [busiest(inside(t, 60.0), 60.0) for c, t in self.by_chat.items() if c < 0]
        private = [busiest(inside(t, 1.0), 1.0) for c, t in self.by_chat.items() if c > 0]
        sent = sum(1 for t in self.token if start <= t < end)
        return {
            "token_mean_per_second": round(sent / (end - start), 2) if end < float("inf") else 0,
            "group_per_minute": max(groups, default=0),
            "private_chat_per_second": max(private, default=0),
            "token_per_second": busiest(inside(self.token, 1.0), 1.0),
        }
