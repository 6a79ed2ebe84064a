"""The databases the tests run on: SQLite files in tmp_path, and a PostgreSQL server.

The PostgreSQL server is the one QUIZBOT_TEST_DATABASE_URL names (what .ci/run starts), or
else a throwaway cluster started for this run when PostgreSQL is installed
(tools/pg_cluster.py). The tests share one migrated database, emptied before each test (a
new database costs several times as much); a test marked `fresh_database` gets one of its own.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import asyncpg

from bench import database as bench_database
from storage.postgres import numbered

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import pg_cluster  # noqa: E402

T = TypeVar("T")
ENV = "QUIZBOT_TEST_DATABASE_URL"
# The database of the running test when it runs on PostgreSQL (None: on SQLite).
current: str | None = None
_server: str | None = None
_started = False


def server() -> str | None:
    """The URL of a PostgreSQL server the tests may create databases on, or None."""
    global _server, _started
    if _server is None and not _started:
        _started = True
        _server = os.environ.get(ENV) or _start_cluster()
    return _server


def _start_cluster() -> str | None:
    if pg_cluster.bindir() is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="qbpg-", dir="/tmp"))
    try:
        found = pg_cluster.start(folder)
    except Exception as error:  # noqa: BLE001 - reported as the reason the tests skip
        pg_cluster.stop(folder)
        raise RuntimeError(f"could not start a PostgreSQL cluster: {error}") from error
    atexit.register(pg_cluster.stop, folder)
    return found


async def create_database() -> str:
    """A new empty database on the server; returns its URL."""
    url = server()
    assert url is not None
    return await bench_database.create(url, prefix="quizbot_test")


async def drop_database(database_url: str) -> None:
    url = server()
    assert url is not None
    await bench_database.drop(url, database_url)


_shared: str | None = None
_empty_script: str | None = None


async def _emptying_script(conn: asyncpg.Connection) -> str:
    """Statements that put a migrated database back as migrations left it: every row deleted,
    children before parents, except those the migrations insert; identities from 1 again."""
    tables = [
        r["t"]
        for r in await conn.fetch(
            "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename <> 'schema_migrations'"
        )
    ]
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for r in await conn.fetch(
        "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent"
        " FROM pg_constraint WHERE contype = 'f'"
    ):
        if r["child"] != r["parent"]:
            parents[r["child"]].add(r["parent"])
    children_first: list[str] = []
    while parents:
        leaves = sorted(t for t in parents if not any(t in p for p in parents.values()))
        children_first += leaves
        for t in leaves:
            del parents[t]
    kept = {"students": "user_id <> 0", "chats": "chat_id <> 0"}
    statements = [
        f"DELETE FROM {t}" + (f" WHERE {kept[t]}" if t in kept else "") for t in children_first
    ]
    for r in await conn.fetch(
        "SELECT table_name AS t, column_name AS c FROM information_schema.columns"
        " WHERE table_schema = 'public' AND is_identity = 'YES'"
    ):
        statements.append(
            f"SELECT setval(pg_get_serial_sequence('{r['t']}', '{r['c']}'), 1, false)"
        )
    return ";\n".join(statements)


async def shared_database() -> str:
    """The database the tests share, emptied; made and migrated on first use."""
    global _shared, _empty_script
    if _shared is None:
        from storage.repository import Repository

        _shared = await create_database()
        async with Repository(_shared):
            pass
    conn = await asyncpg.connect(_shared)
    try:
        # A test that failed before it closed its repository may still hold rows locked.
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        if _empty_script is None:
            _empty_script = await _emptying_script(conn)
        await conn.execute(_empty_script)
    finally:
        await conn.close()
    return _shared


def database(path: Path) -> Path | str:
    """Where a test's repository lives: `path` on SQLite, the test's own database on
    PostgreSQL."""
    return current if current is not None else path


def _on_own_loop(work: Callable[[], Coroutine[None, None, T]]) -> T:
    """Run a coroutine on a loop of its own, in a thread: a sync helper called from an async
    test must not block on, or touch, the loop the test runs on."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work()).result()


def read(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """What is stored, read through a connection of its own (like an operator's sqlite3 or
    psql): from the SQLite file at `db_path`, or from the test's PostgreSQL database."""
    url = current
    if url is None:
        with sqlite3.connect(db_path) as db:
            return db.execute(sql, params).fetchall()

    async def fetch() -> list[tuple]:
        conn = await asyncpg.connect(url)
        try:
            return [tuple(r) for r in await conn.fetch(numbered(sql), *params)]
        finally:
            await conn.close()

    return _on_own_loop(fetch)


def dump(db_path: Path) -> list[str]:
    """Every stored row, as text, in a stable order."""
    if current is None:
        with sqlite3.connect(db_path) as db:
            return list(db.iterdump())
    tables = [
        r[0] for r in read(db_path, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ]
    lines = []
    for table in sorted(tables):
        if table == "schema_migrations":
            continue
        lines += sorted(f"{table} {row!r}" for row in read(db_path, f"SELECT * FROM {table}"))
    return lines
