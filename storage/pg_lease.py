"""The lease on PostgreSQL (storage/lease.py says what it is for): a session-level advisory
lock on a connection of its own, which the server drops the moment that connection ends."""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from storage.lease import Lease, OnLost
from storage.urls import redact

log = logging.getLogger(__name__)


def key(bot_id: int) -> tuple[int, int]:
    """The two signed 32-bit keys of a bot's lease: its id's high and low halves."""
    high, low = bot_id >> 32, bot_id & 0xFFFFFFFF
    return high, low - (1 << 32) if low >= 1 << 31 else low


class PgLease(Lease):
    """An advisory lock on a connection of its own, checked by a heartbeat query."""

    probe = "SELECT 1"  # the heartbeat's query

    def __init__(
        self,
        url: str,
        bot_id: int,
        on_lost: OnLost,
        *,
        retry: float = 1.0,
        heartbeat: float = 3.0,
    ) -> None:
        self.url = url
        self.bot_id = bot_id
        self.on_lost = on_lost
        self.retry = retry
        self.heartbeat = heartbeat
        self.conn: asyncpg.Connection | None = None
        self._beat: asyncio.Task[None] | None = None
        self._waiting: asyncpg.Connection | None = None
        self._lost = False

    @property
    def held(self) -> bool:
        return self.conn is not None and not self._lost

    async def acquire(self) -> None:
        # Stopped while standing by (SIGTERM), the wait is abandoned, not unwound: release()
        # closes this connection then.
        self._waiting = conn = await asyncpg.connect(self.url)
        waited = False
        try:
            while not await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", *key(self.bot_id)):
                if not waited:
                    log.info(
                        "standby: another process runs bot %d on %s; waiting for its lease"
                        " (trying every %g s)",
                        self.bot_id,
                        redact(self.url),
                        self.retry,
                    )
                    waited = True
                await asyncio.sleep(self.retry)
        except (Exception, asyncio.CancelledError):
            await conn.close()
            raise
        finally:
            self._waiting = None
        self.conn = conn
        conn.add_termination_listener(self._terminated)
        self._beat = asyncio.get_running_loop().create_task(self._heartbeat(), name="lease")
        log.info("active: this process holds the lease of bot %d", self.bot_id)

    def _terminated(self, conn: asyncpg.Connection) -> None:
        self._lose("its database connection closed")

    def _lose(self, reason: str) -> None:
        if not self._lost:
            self._lost = True
            self.on_lost(reason)

    async def _heartbeat(self) -> None:
        """A query every few seconds: a connection cut off without a word (a network that
        drops packets) is found out within one period and a timeout."""
        assert self.conn is not None
        while not self._lost:
            await asyncio.sleep(self.heartbeat)
            try:
                async with asyncio.timeout(self.heartbeat):
                    await self.conn.fetchval(self.probe)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                self._lose(f"its heartbeat failed ({type(error).__name__}: {error})")

    async def release(self) -> None:
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            await waiting.close()
        conn, self.conn = self.conn, None
        if self._beat is not None:
            self._beat.cancel()
        if conn is None:
            return
        conn.remove_termination_listener(self._terminated)
        if not conn.is_closed():
            await conn.close()  # the server drops the session's lock with it
