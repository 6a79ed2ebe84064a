"""The real-HTTP benchmark's measuring: a refusal reaches PTB as Telegram's would, a toast is
timed from the press's scheduled moment, the figures are cut and fitted right, and a tiny run
of the whole thing against `quizbot run` answers every press once within the limits, on a fresh
SQLite file or on a database of its own on a PostgreSQL server."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from telegram import Bot
from telegram.error import RetryAfter
from telegram.request import HTTPXRequest

from bench import database
from bench.capacity import capacity
from bench.client import Players, Sends, busiest
from bench.memory import fit
from bench.real_http import burst
from bench.stub import BotApiStub, Call, Limits, serve
from tests import backends

TOKEN = "123456:TEST-bench"


@pytest.fixture
async def served() -> AsyncIterator[tuple[BotApiStub, Bot]]:
    stub = BotApiStub(limits=True)
    runner, port = await serve(stub)
    bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=HTTPXRequest())
    try:
        async with bot:
            yield stub, bot
    finally:
        await runner.cleanup()


async def test_a_send_past_the_limit_reaches_ptb_as_retry_after(
    served: tuple[BotApiStub, Bot], monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB 22 warns on the int form of RetryAfter.retry_after; opt in to the timedelta form.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    stub, bot = served
    await bot.send_message(5, "one")
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(5, "two")
    assert refused.value.retry_after.total_seconds() >= 1
    assert [r.limit for r in stub.limits.refusals] == ["private"]


async def test_a_toast_is_timed_from_the_scheduled_moment_not_the_send(
    served: tuple[BotApiStub, Bot],
) -> None:
    stub, bot = served
    players = Players(stub)
    scheduled = time.monotonic() - 0.5  # the load generator is half a second late
    press = await players.press_at(scheduled, -1, {"id": 7, "is_bot": False}, 1, "x")
    await bot.answer_callback_query(press.query_id)
    assert await players.toast(press) >= 0.5
    assert players.late >= 0.5


def test_a_private_chat_may_burst_then_waits() -> None:
    limits = Limits(private_burst=5)
    assert [limits.check(5, 10.0 + i / 100) for i in range(5)] == [0.0] * 5
    assert limits.check(5, 10.5) == pytest.approx(4.5)
    assert limits.check(5, 15.0) == 0
    assert len(limits.private_close) == 4  # a strict one-a-second reading would refuse these
    assert [r.limit for r in limits.refusals] == ["private"]


def test_the_token_limit_is_named_when_it_is_the_one_broken() -> None:
    limits = Limits()
    for chat in range(1, 31):
        limits.check(-chat, 1.0)
    assert limits.check(-99, 1.5) > 0
    assert [r.limit for r in limits.refusals] == ["token"]


def test_busiest_counts_the_fullest_window() -> None:
    assert busiest([0.0, 0.5, 0.9, 1.0, 5.0], 1.0) == 3
    assert busiest([], 60.0) == 0


def test_sends_are_cut_to_the_measured_window() -> None:
    sends = Sends()
    for at in (1.0, 1.2, 1.4, 100.0, 100.1):
        sends(Call(at, "sendMessage", {"chat_id": 9}))
    for at in range(25):
        sends(Call(200.0 + at, "editMessageText", {"chat_id": -3}))
    sends(Call(100.0, "answerCallbackQuery", {"callback_query_id": "1"}))
    assert sends.worst(50.0, 150.0) == {
        "token_mean_per_second": 0.02,
        "group_per_minute": 0,
        "private_chat_per_second": 2,
        "token_per_second": 2,
    }
    assert sends.worst(150.0, 300.0)["group_per_minute"] == 25


def test_fit_finds_the_fixed_part_and_the_slope() -> None:
    intercept, slope = fit([(0, 90.0), (10, 91.0), (20, 92.0), (40, 94.0)])
    assert intercept == pytest.approx(90.0)
    assert slope == pytest.approx(0.1)


async def test_a_tiny_burst_against_quizbot_run_answers_every_press_once() -> None:
    figures = await burst(groups=2, students=3, questions=1, window=0.5)
    assert figures["presses"] == 6
    assert figures["answered_twice"] == 0
    assert 0 < figures["press_to_toast_ms"]["p50"] < 5000


async def test_a_tiny_capacity_step_stays_within_the_limits() -> None:
    # The bot sends to one chat at most once a second, so the first questions come about 3 s
    # after /start (private) and /quiz (live); the window opens after them and holds presses.
    figures = await capacity([1], students=3, window=12.0, settle=3.0, stagger=0.5)
    [step] = figures["steps"]
    assert step["presses"] > 0
    assert step["refused_429"] == {}
    assert step["busiest"]["token_per_second"] <= 30
    assert figures["capacity"]["live_sessions"] == (1 if step["ok"] else 0)


@pytest.mark.postgresql_only
async def test_a_tiny_burst_runs_on_a_postgresql_database_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = backends.server()
    assert server is not None and backends.current is not None
    dropped: dict[str, int] = {}
    drop = database.drop

    async def count_then_drop(on: str, database_url: str) -> None:
        conn = await asyncpg.connect(database_url)
        try:
            dropped[database_url] = await conn.fetchval("SELECT count(*) FROM live_answers")
        except asyncpg.UndefinedTableError:
            dropped[database_url] = -1  # the bot never opened it
        finally:
            await conn.close()
        await drop(on, database_url)

    monkeypatch.setattr(database, "drop", count_then_drop)
    figures = await burst(groups=1, students=3, questions=1, window=0.5, database_url=server)
    assert figures["presses"] == 3
    assert figures["answered_twice"] == 0
    assert figures["database"] == database.describe(server)
    # The bot recorded every answer in a database made for this one run...
    [(made, answers)] = dropped.items()
    assert made != server and made.startswith("postgresql://")
    assert answers == 3
    # ...and that database is gone.
    conn = await asyncpg.connect(server)
    try:
        ours = f"bench\\_{os.getpid()}\\_%"
        left = await conn.fetch("SELECT datname FROM pg_database WHERE datname LIKE $1", ours)
    finally:
        await conn.close()
    assert left == []


def test_the_benchmark_names_its_database_without_the_password() -> None:
    named = database.describe("postgresql://bench:s3cret@db.example:5432/postgres")
    assert "s3cret" not in named and "db.example:5432" in named
    assert database.describe(None).startswith("SQLite")
    with pytest.raises(ValueError, match="postgresql://") as refused:
        database.check_server("mysql://bench:s3cret@db.example/x")
    assert "s3cret" not in str(refused.value)
