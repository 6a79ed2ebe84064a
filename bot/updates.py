"""Update processing: concurrent across people, in order for each person.

PTB processes one update at a time by default, so every SQLite round trip of one student's
answer holds up the whole school. Updates of different users run concurrently; the updates of
one user (and of one chat, when there is no user) still run one after another, in arrival
order, so a double tap or a replayed update never races itself. Live sessions also take a lock
per session (bot/live/runtime.py), so a group's answers are applied in turn.

The bound on concurrent updates is taken only once it is the update's turn: after its person's
lock. PTB's own semaphore (BaseUpdateProcessor.process_update, which cannot be overridden) is
taken before do_process_update, so while an update waits for the person's earlier ones it would
hold a slot doing nothing, and ten quick presses of one student could fill every slot and stall
the whole school. PTB's bound is therefore set out of reach, and this processor keeps its own.

PTB makes a task of every update as soon as it leaves the update queue, whatever the processor
will let run, so a burst of thousands of presses would be thousands of tasks (and parsed
updates) in memory at once. UpdateQueue bounds the updates taken in and not yet done: past the
bound, putting one waits, which holds up the poller (the rest stay with Telegram until there is
room) or the webhook's answer to Telegram.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 64
# Updates taken in and not done: enough to keep every slot busy through a burst several times
# over, few enough that the waiting ones cost little memory.
MAX_UPDATES_IN_FLIGHT = 1024
# What PTB's semaphore is given: never reached, since the real bound is taken after the lock.
_UNBOUNDED = 2**31 - 1


def _key(update: object) -> object:
    if isinstance(update, Update):
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
    return ("other", None)


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across users, sequential (FIFO) within one user."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        if max_concurrent_updates < 1:
            raise ValueError("max_concurrent_updates must be a positive integer")
        super().__init__(_UNBOUNDED)
        self.slots = max_concurrent_updates  # the bound this processor enforces
        self._free = asyncio.Semaphore(max_concurrent_updates)
        self._locks: dict[object, asyncio.Lock] = {}
        self._users: dict[object, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _key(update)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock, self._free:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                # Forget idle people, so the map does not grow with every student ever seen.
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


class UpdateQueue(asyncio.Queue):
    """An update queue whose put() waits while `limit` updates are taken in and not done.

    Done means task_done(), which PTB's Application calls once an update has been processed
    (and for its stop signal). put_nowait() never waits, but counts: PTB's own puts, and the
    tests', keep the count true whichever way they come.
    """

    def __init__(self, limit: int = MAX_UPDATES_IN_FLIGHT) -> None:
        if limit < 1:
            raise ValueError("limit must be a positive integer")
        super().__init__()
        self.limit = limit
        self.in_flight = 0
        self._room = asyncio.Event()
        self._room.set()

    async def put(self, item: object) -> None:
        while self.in_flight >= self.limit:
            await self._room.wait()
        self.put_nowait(item)

    def put_nowait(self, item: object) -> None:
        super().put_nowait(item)
        self.in_flight += 1
        if self.in_flight >= self.limit:
            self._room.clear()

    def task_done(self) -> None:
        super().task_done()
        self.in_flight -= 1
        if self.in_flight < self.limit:
            self._room.set()
