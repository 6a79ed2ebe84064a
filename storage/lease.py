"""The lease that makes one of two processes with the same bot token the active one.

Telegram lets one consumer take a token's updates, so two processes with one token are a
fail-over pair: the one that holds the lease polls, the other waits for it. On PostgreSQL the
lease is a session-level advisory lock, held on a connection of its own: the server drops it
the moment that connection ends (the process died, or was cut off), and the standby, trying
every second, takes it. On SQLite there is nothing to share a file with, so the lease is
always held.

The lock uses PostgreSQL's two-key form (the high and low 32 bits of the bot id), a key space
apart from the one-key locks of migrations and transactions: no other lock can collide with a
bot's lease, and no two bots' leases can.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from storage.urls import is_postgres

# What a process does when its lease is gone: stop polling at once, since the standby may
# already be polling. Given the reason, in English.
OnLost = Callable[[str], None]


class Lease:
    """Always held: one SQLite file has one process."""

    async def acquire(self) -> None:
        """Return once this process holds the lease."""

    async def release(self) -> None:
        """Let the standby have it (at shutdown, after the last write is committed)."""


def make_lease(target: Path | str, bot_id: int, on_lost: OnLost) -> Lease:
    """The lease for a database: an advisory lock on PostgreSQL, none needed on SQLite."""
    if is_postgres(target):
        from storage.pg_lease import PgLease  # asyncpg only where PostgreSQL is used

        return PgLease(str(target), bot_id, on_lost)
    return Lease()
