"""Update processing: concurrent across people, in order for each person.

PTB processes one update at a time by default, so every SQLite round trip of one student's
answer holds up the whole school. Updates of different users run concurrently; the updates of
one user (and of one chat, when there is no user) still run one after another, in arrival
order, so a double tap or a replayed update never races itself. Live sessions also take a lock
per session (bot/live_runtime.py), so a group's answers are applied in turn.

The bound on concurrent updates is taken only once it is the update's turn: after its person's
lock. PTB's own semaphore (BaseUpdateProcessor.process_update, which cannot be overridden) is
taken before do_process_update, so while an update waits for the person's earlier ones it would
hold a slot doing nothing, and ten quick presses of one student could fill every slot and stall
the whole school. PTB's bound is therefore set out of reach, and this processor keeps its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 64
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
