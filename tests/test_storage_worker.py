"""storage/worker.py leans on two private names of aiosqlite. These tests fail if an upgrade
changes what they mean: the work must run on the connection's own thread, with its sqlite3
connection, in order with the connection's public calls."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import aiosqlite

from storage.worker import run_in_worker


async def test_work_runs_on_the_connections_thread_with_its_sqlite3_connection(
    tmp_path: Path,
) -> None:
    async with aiosqlite.connect(tmp_path / "w.sqlite3", isolation_level=None) as db:
        seen: list[int] = []
        await db.create_function("thread_id", 0, lambda: seen.append(threading.get_ident()) or 0)
        await db.execute_fetchall("SELECT thread_id()")

        def work(conn: sqlite3.Connection) -> tuple[int, int]:
            conn.execute("CREATE TABLE t (x INTEGER)")
            conn.execute("INSERT INTO t VALUES (41)")
            return threading.get_ident(), conn.execute("SELECT x + 1 FROM t").fetchone()[0]

        thread, value = await run_in_worker(db, work)
        assert isinstance(thread, int) and thread == seen[0] != threading.get_ident()
        assert value == 42
        # What the work wrote went through the same connection the public calls use.
        assert list(map(tuple, await db.execute_fetchall("SELECT x FROM t"))) == [(41,)]


async def test_work_is_queued_in_order_with_the_public_calls(tmp_path: Path) -> None:
    async with aiosqlite.connect(tmp_path / "w.sqlite3", isolation_level=None) as db:
        await db.execute("CREATE TABLE log (step TEXT)")
        order: list[str] = []

        def atomic(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO log VALUES ('work-1')")
            conn.execute("INSERT INTO log VALUES ('work-2')")
            order.append("work")

        await asyncio.gather(
            db.execute("INSERT INTO log VALUES ('before')"),
            run_in_worker(db, atomic),
            db.execute("INSERT INTO log VALUES ('after')"),
        )
        rows = [r[0] for r in await db.execute_fetchall("SELECT step FROM log ORDER BY rowid")]
        assert rows == ["before", "work-1", "work-2", "after"]
        assert order == ["work"]
