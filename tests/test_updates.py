"""The update processor (bot/updates.py) inside PTB's own Application: updates are put on
`app.update_queue` and the started application hands them to the processor, as in production.

The handlers block on events the test controls, so what runs at the same time is visible.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from bot.app import build_application
from bot.updates import (
    MAX_CONCURRENT_UPDATES,
    MAX_UPDATES_IN_FLIGHT,
    PerUserUpdateProcessor,
    UpdateQueue,
)
from tests import factories
from tests.factories import Person
from tests.fakes import RecordingRequest
from tests.harness import TOKEN, make_config

A, B = Person(6001, "أمل"), Person(6002, "باسل")
SLOTS = 4
Handler = Callable[[Update, Any], Awaitable[None]]


@asynccontextmanager
async def started(
    handler: Handler,
    *gates: asyncio.Event,
    slots: int = SLOTS,
    updates: asyncio.Queue | None = None,
) -> AsyncIterator[Application]:
    """A started Application whose only handler is `handler`, on the per-user processor.
    The `gates` the handler waits on are opened before it stops, whatever the test saw."""
    builder = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(RecordingRequest())
        .get_updates_request(RecordingRequest())
        .concurrent_updates(PerUserUpdateProcessor(slots))
    )
    app = (builder if updates is None else builder.update_queue(updates)).build()
    app.add_handler(TypeHandler(Update, handler))
    async with app:
        await app.start()
        try:
            yield app
        finally:
            for gate in gates:
                gate.set()
            await app.stop()


async def queue(app: Application, person: Person, data: str) -> None:
    await app.update_queue.put(factories.callback(app.bot, data, person))


async def settle() -> None:
    """Let every task that can run, run (the fetcher, the processor, the handlers)."""
    for _ in range(20):
        await asyncio.sleep(0)


async def test_one_busy_student_does_not_hold_up_another() -> None:
    """Ten presses of A wait on A's turn; they must not sit in the global slots meanwhile."""
    release_a, b_done = asyncio.Event(), asyncio.Event()
    ran: list[str] = []

    async def handler(update: Update, context: Any) -> None:
        if update.effective_user.id == A.id:
            await release_a.wait()
        else:
            b_done.set()
        ran.append(update.callback_query.data)

    async with started(handler, release_a) as app:
        for n in range(10):
            await queue(app, A, f"a{n}")
        await queue(app, B, "b")
        await asyncio.wait_for(b_done.wait(), timeout=2)
        assert ran == ["b"]  # B went through while all of A's presses were still waiting
        release_a.set()
        await asyncio.wait_for(app.update_queue.join(), timeout=2)
        assert ran == ["b", *(f"a{n}" for n in range(10))]  # A's in arrival order


async def test_one_students_presses_run_one_at_a_time_in_order() -> None:
    gate = asyncio.Event()
    log: list[str] = []

    async def handler(update: Update, context: Any) -> None:
        data = update.callback_query.data
        log.append(f"start {data}")
        await gate.wait()
        log.append(f"end {data}")

    async with started(handler, gate) as app:
        for data in ("1", "2", "3"):
            await queue(app, A, data)
        await settle()
        assert log == ["start 1"]  # the second press waits for the first to finish
        gate.set()
        await asyncio.wait_for(app.update_queue.join(), timeout=2)
    assert log == ["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]


async def test_different_students_share_a_bounded_number_of_slots() -> None:
    gate = asyncio.Event()
    running: list[int] = []

    async def handler(update: Update, context: Any) -> None:
        running.append(update.effective_user.id)
        await gate.wait()

    async with started(handler, gate) as app:
        people = [Person(6100 + n, f"طالب{n}") for n in range(SLOTS + 2)]
        for person in people:
            await queue(app, person, "x")
        await settle()
        assert running == [p.id for p in people[:SLOTS]]  # concurrent, up to the bound
        gate.set()
        await asyncio.wait_for(app.update_queue.join(), timeout=2)
        assert sorted(running) == sorted(p.id for p in people)


def test_production_processes_per_user_with_the_default_bound(tmp_path: Path) -> None:
    app = build_application(make_config(tmp_path), request=RecordingRequest())
    processor = app.update_processor
    assert isinstance(processor, PerUserUpdateProcessor)
    assert processor.slots == MAX_CONCURRENT_UPDATES
    assert isinstance(app.update_queue, UpdateQueue)
    assert app.update_queue.limit == MAX_UPDATES_IN_FLIGHT


async def test_a_burst_waits_outside_once_the_updates_in_flight_reach_the_bound() -> None:
    """PTB makes a task of every update it takes from the queue: past the bound, the poller's
    put waits instead, and goes on as updates finish. Every update is handled once."""
    gate = asyncio.Event()
    handled: list[int] = []
    bound = SLOTS + 2

    async def handler(update: Update, context: Any) -> None:
        await gate.wait()
        handled.append(update.effective_user.id)

    async with started(handler, gate, updates=UpdateQueue(bound)) as app:
        people = [Person(6200 + n, f"طالب{n}") for n in range(3 * bound)]

        async def poller() -> None:  # what PTB's Updater does with each fetched update
            for person in people:
                await queue(app, person, "x")

        putting = asyncio.ensure_future(poller())
        await settle()
        assert not putting.done() and app.update_queue.in_flight == bound
        gate.set()
        await asyncio.wait_for(putting, timeout=2)
        await asyncio.wait_for(app.update_queue.join(), timeout=2)
        assert sorted(handled) == [p.id for p in people]
        assert app.update_queue.in_flight == 0


async def test_the_update_queue_counts_every_put_and_frees_room_when_done() -> None:
    updates = UpdateQueue(2)
    updates.put_nowait("a")  # PTB's own puts may come this way: they count too
    await updates.put("b")
    third = asyncio.ensure_future(updates.put("c"))
    await settle()
    assert not third.done()
    assert updates.get_nowait() == "a"
    await settle()
    assert not third.done()  # taken out is not done: PTB still processes it
    updates.task_done()
    await asyncio.wait_for(third, timeout=1)
    assert updates.in_flight == 2
    for _ in range(2):
        updates.get_nowait()
        updates.task_done()
    await asyncio.wait_for(updates.join(), timeout=1)
    with pytest.raises(ValueError, match="positive"):
        UpdateQueue(0)
