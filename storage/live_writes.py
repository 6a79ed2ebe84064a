"""Writes to a live session's rows that keep the live-session cache right even when their
caller is cancelled."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from storage.base import Store
from storage.live_cache import LiveSessionCache


class SessionWrites:
    """`Store.write` for statements that change a session's rows, as the cache needs it."""

    def __init__(self, store: Store, live_cache: LiveSessionCache) -> None:
        self.store = store
        self.live_cache = live_cache
        self._settling: set[asyncio.Task[None]] = set()

    async def write(self, session_id: int, statements: Sequence[tuple[str, tuple]]) -> list[int]:
        """`store.write` for statements that change a session's rows.

        A caller cancelled while it waits does not stop its write, which goes in with its batch;
        nobody would then update or drop the kept session, and a read made before that batch
        could be kept. So the session is dropped again once the batch is in.
        """
        try:
            return await self.store.write(statements)
        except asyncio.CancelledError:
            task = asyncio.ensure_future(self._drop_after_batch(session_id))
            self._settling.add(task)
            task.add_done_callback(self._settling.discard)
            raise

    async def _drop_after_batch(self, session_id: int) -> None:
        # An empty write is settled in the same batch as the abandoned one, or a later one.
        with contextlib.suppress(Exception):  # the store closing, say: drop the session anyway
            await self.store.write([])
        self.live_cache.invalidate(session_id)

    async def write_one(self, session_id: int, sql: str, params: tuple) -> int:
        (count,) = await self.write(session_id, [(sql, params)])
        return count
