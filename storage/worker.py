"""The one place that reaches into aiosqlite: run a function with the sqlite3 connection on
aiosqlite's own worker thread.

Several statements then cost one trip between threads, and no other call on the connection can
run between them: a group commit is atomic with respect to every read on the shared connection.
aiosqlite has no public call for this. Its maintainer's advice for work that must not interleave
is a connection of its own (omnilib/aiosqlite#19); a public `Connection.run(fn)`-style method, or
a second connection for reads, would replace this module. `tests/test_storage_worker.py` fails
if the attributes used here change meaning.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

import aiosqlite

T = TypeVar("T")


async def run_in_worker(db: aiosqlite.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """`work(conn)` on the connection's worker thread, queued in order with its other calls."""
    conn: sqlite3.Connection = db._conn
    return await db._execute(work, conn)
