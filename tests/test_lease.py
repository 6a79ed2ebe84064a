"""The lease of a fail-over pair (storage/lease.py, storage/pg_lease.py): one holder per bot,
the second waits and takes it once the first's connection ends, and a holder whose connection
is cut off is told so at once."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import asyncpg
import pytest

from storage.lease import Lease, make_lease
from storage.pg_lease import PgLease, key
from tests import backends

BOT = 123456
OTHER = 8_000_000_001  # above 32 bits, as newer bots' ids are


def test_each_bot_id_has_its_own_pair_of_keys() -> None:
    assert key(BOT) == (0, BOT)
    assert key(0xFFFFFFFF) == (0, -1)
    assert key(OTHER) == (1, OTHER - (1 << 32) - (1 << 32))  # its low half, signed
    assert len({key(n) for n in (1, 1 << 31, 1 << 32, (1 << 32) + 1, OTHER)}) == 5


async def test_on_sqlite_the_lease_is_always_held(tmp_path: Path) -> None:
    lease = make_lease(tmp_path / "q.sqlite3", BOT, lambda reason: None)
    assert type(lease) is Lease
    await asyncio.wait_for(lease.acquire(), 1)
    await lease.release()


def lease(lost: list[str], bot_id: int = BOT) -> PgLease:
    assert backends.current is not None
    return PgLease(backends.current, bot_id, lost.append, retry=0.05, heartbeat=0.2)


async def backend_of(holder: PgLease) -> int:
    assert holder.conn is not None
    return await holder.conn.fetchval("SELECT pg_backend_pid()")


@pytest.mark.postgresql_only
async def test_the_second_holder_waits_then_takes_the_lease_when_the_first_goes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first_lost: list[str] = []
    second_lost: list[str] = []
    first, second = lease(first_lost), lease(second_lost)
    await first.acquire()
    with caplog.at_level(logging.INFO, logger="storage.pg_lease"):
        waiting = asyncio.ensure_future(second.acquire())
        await asyncio.sleep(0.5)
        assert not waiting.done()  # ten tries, and still standing by
        # Another bot's lease is not this one's.
        other = lease([], OTHER)
        await asyncio.wait_for(other.acquire(), 2)
        await other.release()
        # The first holder's process dies: the server drops its connection, and its lock.
        victim = await backend_of(first)
        assert backends.current is not None
        admin = await asyncpg.connect(backends.current)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", victim)
        finally:
            await admin.close()
        await asyncio.wait_for(waiting, 3)
    standing_by = [r for r in caplog.records if r.getMessage().startswith("standby:")]
    assert len(standing_by) == 1  # said once, not at every try
    assert second.held
    await asyncio.sleep(0.1)
    assert first_lost == ["its database connection closed"]
    assert second_lost == []
    await first.release()
    await second.release()
    assert second_lost == []  # letting it go is not losing it


@pytest.mark.postgresql_only
async def test_a_released_lease_goes_to_the_standby_at_once(tmp_path: Path) -> None:
    lost: list[str] = []
    first, second = lease(lost), lease(lost)
    await first.acquire()
    waiting = asyncio.ensure_future(second.acquire())
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await first.release()
    await asyncio.wait_for(waiting, 2)
    await second.release()
    assert lost == []


@pytest.mark.postgresql_only
async def test_a_heartbeat_that_gets_no_answer_in_time_loses_the_lease(tmp_path: Path) -> None:
    lost: list[str] = []
    holder = lease(lost)
    await holder.acquire()
    # What a connection that stops answering looks like from here: a query with no reply.
    holder.probe = "SELECT pg_sleep(5)"
    for _ in range(40):
        if lost:
            break
        await asyncio.sleep(0.05)
    await holder.release()
    assert len(lost) == 1 and lost[0].startswith("its heartbeat failed (TimeoutError"), lost
