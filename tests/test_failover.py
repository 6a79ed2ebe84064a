"""Two `quizbot run` processes with one token on one PostgreSQL database: the active one is
killed in the middle of a live question, the standby takes the lease and the session ends with
every answer stored once.

Both are real processes against the benchmark's Bot API stub on loopback (bench/stub.py), and
the class is played with the benchmark's players (bench/client.py, bench/scenes.py).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp import web

from bench.client import TEACHER, TOKEN, BotProcess, Players
from bench.scenes import LiveClass
from bench.stub import BOT_USER, BotApiStub, serve
from bot.config import Config
from bot.exits import Exit
from quizzes.content import shipped_banks
from tests import backends

pytestmark = pytest.mark.postgresql_only

TITLE = "تجربة الانتقال"
SECONDS = 8  # the first question's time limit: it runs out after the standby has taken over
TAKEOVER = 10.0  # the most the standby may take to hold the lease after the kill


class OnePollerStub(BotApiStub):
    """The stub, noting when a getUpdates arrives while another is still being answered:
    Telegram refuses that (409 Conflict), since one consumer may take a token's updates."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.overlaps: list[float] = []

    async def handle(self, request: web.Request) -> web.Response:
        if request.match_info["method"] != "getUpdates":
            return await super().handle(request)
        if self.in_flight:
            self.overlaps.append(time.monotonic())
        self.in_flight += 1
        try:
            return await super().handle(request)
        finally:
            self.in_flight -= 1


def small_bank(folder: Path) -> Path:
    """The shipped `facts` bank cut to its first two questions, with a short time limit."""
    source = (shipped_banks() / "01_facts.yaml").read_text(encoding="utf-8")
    head, *questions = source.split("\n  - id: ")
    head = head.replace("id: facts", "id: failover", 1)
    head = head.replace('title: "الوقائع الأساسية"', f'title: "{TITLE}"', 1)
    two = "\n  - id: ".join([head, *questions[:2]]).rstrip() + "\n"
    folder.mkdir()
    (folder / "failover.yaml").write_text(
        two.replace("time_limit: 25", f"time_limit: {SECONDS}"), encoding="utf-8"
    )
    return folder


async def logged(process: BotProcess, line: str, within: float) -> float:
    """Wait until the process's log holds `line`; the moment it was seen."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.log.exists() and line in process.log.read_text(errors="replace"):
            return time.monotonic()
        await asyncio.sleep(0.05)
    raise AssertionError(f"{line!r} not logged within {within:g} s:\n{process.log.read_text()}")


def replay(stub: BotApiStub, query_id: str, chat: int, user: dict[str, Any], mid: int, data: str):
    """The same press again, as Telegram re-delivers an update its consumer did not confirm."""
    stub.push(
        {
            "callback_query": {
                "id": query_id,
                "from": user,
                "chat_instance": str(chat),
                "data": data,
                "message": {
                    "message_id": mid,
                    "date": int(time.time()),
                    "chat": {"id": chat, "type": "supergroup"},
                    "from": BOT_USER,
                    "text": ".",
                },
            }
        }
    )


async def rows(sql: str, *params: object) -> list[asyncpg.Record]:
    assert backends.current is not None
    conn = await asyncpg.connect(backends.current)
    try:
        return await conn.fetch(sql, *params)
    finally:
        await conn.close()


async def test_the_standby_takes_over_a_live_question_and_loses_no_answer(tmp_path: Path) -> None:
    stub = OnePollerStub()
    runner, port = await serve(stub)
    env = {
        "QUIZBOT_DATABASE_URL": backends.current or "",
        "QUIZBOT_BANKS": str(small_bank(tmp_path / "banks")),
        "QUIZBOT_LOG_LEVEL": "INFO",
    }
    active, standby = BotProcess(port, **env), BotProcess(port, **env)
    players = Players(stub)
    klass = LiveClass(players, 0, 3, TITLE)
    first, second, third = klass.students
    try:
        await active.start(stub)
        await logged(active, "active: this process holds the lease", 30)
        await standby.start(stub)
        await logged(standby, "standby: another process runs bot", 30)

        await klass.open()
        mid, _ = await players.until(klass.question, "the first question", 30)
        options, _ = players.options(klass.chat, mid)
        answered = {s["id"]: players.press(klass.chat, s, mid, options[0]) for s in (first, second)}
        await players.acks(answered.values(), 30)
        stored = await rows("SELECT user_id FROM live_answers")
        assert sorted(r["user_id"] for r in stored) == [first["id"], second["id"]]

        # Until now the standby has only waited.
        assert "active: this process holds the lease" not in standby.log.read_text()
        os.kill(active.pid, signal.SIGKILL)
        killed = time.monotonic()
        await active.process.wait()
        took = await logged(standby, "active: this process holds the lease", TAKEOVER)
        assert took - killed < TAKEOVER
        # Nobody polled beside the active process while it lived (the killed one's last long
        # poll may still be open at the stub afterwards).
        assert [t for t in stub.overlaps if t < killed] == []

        # A press the killed process had recorded, delivered again to the new owner.
        replay(stub, answered[first["id"]], klass.chat, first, mid, options[0])
        await players.acks([answered[first["id"]]], 30)
        # The third student never answers: the question ends by its stored deadline.
        reveal, next_data = await klass.revealed(mid, within=SECONDS + 20)
        players.press(klass.chat, TEACHER, reveal, next_data)

        klass.last = mid
        mid, _ = await players.until(klass.question, "the second question", 30)
        options, _ = players.options(klass.chat, mid)
        await players.acks([players.press(klass.chat, s, mid, options[0]) for s in klass.students])
        # Everyone answered the last question: the session ends, its standings saved with it.
        sessions = await finished_session()
    finally:
        await standby.stop()
        await active.stop()
        await runner.cleanup()
        for process in (active, standby):
            shutil.rmtree(process.folder, ignore_errors=True)

    (session,) = sessions
    assert session["bot_id"] == Config(token=TOKEN).bot_id
    answers = await rows(
        "SELECT position, user_id, COUNT(*) AS n FROM live_answers GROUP BY position, user_id"
    )
    assert {(r["position"], r["user_id"]): r["n"] for r in answers} == {
        (0, first["id"]): 1,
        (0, second["id"]): 1,
        (1, first["id"]): 1,
        (1, second["id"]): 1,
        (1, third["id"]): 1,
    }
    scores = await rows(
        "SELECT user_id, answered FROM live_scores WHERE session_id = $1", session["id"]
    )
    assert {r["user_id"]: r["answered"] for r in scores} == {
        first["id"]: 2,
        second["id"]: 2,
        third["id"]: 1,
    }


async def finished_session(within: float = 30.0) -> list[asyncpg.Record]:
    """The session once it has ended, with its standings saved."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = await rows("SELECT id, bot_id, status FROM live_sessions")
        if found and found[0]["status"] == "finished":
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"the session did not finish within {within:g} s: {found}")


async def test_a_process_whose_lease_connection_is_cut_stops_at_once(tmp_path: Path) -> None:
    stub = OnePollerStub()
    runner, port = await serve(stub)
    bot = BotProcess(port, QUIZBOT_DATABASE_URL=backends.current or "", QUIZBOT_LOG_LEVEL="INFO")
    try:
        await bot.start(stub)
        await logged(bot, "active: this process holds the lease", 30)
        # The two-key advisory lock of the bot (storage/pg_lease.py): its holder's session.
        (holder,) = await rows(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2"
            " AND classid = 0 AND objid = $1 AND granted",
            Config(token=TOKEN).bot_id,
        )
        await rows("SELECT pg_terminate_backend($1)", holder["pid"])
        cut = time.monotonic()
        assert bot.process is not None
        code = await asyncio.wait_for(bot.process.wait(), 10)
        stopped = time.monotonic() - cut
    finally:
        await bot.stop()
        await runner.cleanup()
    log = bot.log.read_text()
    shutil.rmtree(bot.folder, ignore_errors=True)
    assert code == Exit.LEASE_LOST, log
    assert "lost the lease: its database connection closed" in log
    assert stopped < 5, stopped


async def test_a_standby_stopped_while_it_waits_exits_cleanly(tmp_path: Path) -> None:
    stub = OnePollerStub()
    runner, port = await serve(stub)
    env = {"QUIZBOT_DATABASE_URL": backends.current or "", "QUIZBOT_LOG_LEVEL": "INFO"}
    active, standby = BotProcess(port, **env), BotProcess(port, **env)
    try:
        await active.start(stub)
        await logged(active, "active: this process holds the lease", 30)
        await standby.start(stub)
        await logged(standby, "standby: another process runs bot", 30)
        assert standby.process is not None
        standby.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(standby.process.wait(), 20)
        log = standby.log.read_text()
    finally:
        await standby.stop()
        await active.stop()
        await runner.cleanup()
        for process in (active, standby):
            shutil.rmtree(process.folder, ignore_errors=True)
    assert code == 0, log
    # Its waiting connection was closed at shutdown, not left to the garbage collector.
    assert "Traceback" not in log, log
