"""The SQLite store: one aiosqlite connection to a file, in WAL mode.

Every write of the process goes through it, one transaction at a time (BEGIN IMMEDIATE), so
SQLite never has two writers to arbitrate. A batch of the group commit runs on aiosqlite's
worker thread in one trip (storage/worker.py).
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import aiosqlite

from storage.base import IntegrityError, Outcome, Row, Statement, Store, Write
from storage.migrations import migrate
from storage.worker import run_in_worker

BUSY_TIMEOUT_MS = 5000
# SQLite's synchronous levels the bot offers (docs/durability.md says what each promises).
SYNCHRONOUS = ("full", "normal")
T = TypeVar("T")


def integrity(error: sqlite3.IntegrityError) -> IntegrityError:
    return IntegrityError(str(error), unique="UNIQUE" in str(error))


def _run(conn: sqlite3.Connection, statements: Sequence[Statement]) -> list[int]:
    return [conn.execute(sql, params).rowcount for sql, params in statements]


def _commit_batch(conn: sqlite3.Connection, batch: list[Write]) -> list[Outcome]:
    """On the worker thread: the batch in one transaction, else each write in its own."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:  # busy beyond busy_timeout: nobody's write can go in
        return [error] * len(batch)
    try:
        counts = [_run(conn, statements) for statements, _ in batch]
        conn.execute("COMMIT")
        return list(counts)
    except Exception as error:  # a statement, or COMMIT itself (which keeps it open)
        conn.rollback()
        if len(batch) == 1:
            return [integrity(error) if isinstance(error, sqlite3.IntegrityError) else error]
    outcomes: list[Outcome] = []
    for write in batch:
        outcomes += _commit_batch(conn, [write])
    return outcomes


class SqliteTx:
    """Statements on the shared connection, inside the transaction (or read) open now."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db
        self._savepoints = 0

    async def _cursor(self, sql: str, params: tuple) -> aiosqlite.Cursor:
        try:
            return await self.db.execute(sql, params)
        except sqlite3.IntegrityError as error:
            raise integrity(error) from error

    async def execute(self, sql: str, params: tuple = ()) -> int:
        cursor = await self._cursor(sql, params)
        await cursor.close()
        return cursor.rowcount

    async def insert(self, sql: str, params: tuple = ()) -> int:
        cursor = await self._cursor(sql, params)
        await cursor.close()
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def fetchone(self, sql: str, params: tuple = ()) -> Row | None:
        rows = await self.db.execute_fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: tuple = ()) -> list[Row]:
        return list(await self.db.execute_fetchall(sql, params))

    async def lock(self, name: str) -> None:
        """Nothing to do: BEGIN IMMEDIATE already keeps every other writer out."""

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        self._savepoints += 1
        name = f"step{self._savepoints}"
        await self.db.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await self.db.execute(f"ROLLBACK TO {name}")
            await self.db.execute(f"RELEASE {name}")
            raise
        await self.db.execute(f"RELEASE {name}")


class SqliteStore(Store):
    """Owns one aiosqlite connection to a SQLite file (or ":memory:")."""

    def __init__(self, path: Path | str, *, synchronous: str = "full") -> None:
        super().__init__()
        if synchronous not in SYNCHRONOUS:
            raise ValueError(f"synchronous must be one of {SYNCHRONOUS}, not {synchronous!r}")
        self.path = Path(path)
        self.synchronous = synchronous
        self._db: aiosqlite.Connection | None = None

    @property
    def name(self) -> str:
        return str(self.path)

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("repository is not open: call open() first")
        return self._db

    async def open(self) -> list[str]:
        """Create the file if needed, apply migrations, return the migrations applied now."""
        if self._db is not None:
            raise RuntimeError(f"repository {self.path} is already open")
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit BEGIN; transactions are explicit and IMMEDIATE.
        self._db = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            self._db.row_factory = aiosqlite.Row
            await self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await self._db.execute("PRAGMA journal_mode = WAL")
            await self._db.execute("PRAGMA foreign_keys = ON")
            await self._db.execute(f"PRAGMA synchronous = {self.synchronous.upper()}")
            return await migrate(self._db)
        except BaseException:
            # aiosqlite's worker is not a daemon thread: left open, it keeps the process alive
            # after the error (a file that is not a database made `quizbot export` hang).
            db, self._db = self._db, None
            with contextlib.suppress(Exception):  # the error that brought us here matters more
                await db.close()
            raise

    async def disconnect(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTx]:
        """BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on any error.

        COMMIT itself can fail (a deferred constraint, a full disk) and SQLite then keeps the
        transaction open, while a full disk during a statement rolls it back by itself: either
        way the shared connection must leave here outside a transaction, or every later write
        fails, and the error raised must be the one that happened.
        """
        async with self.write_lock:
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTx(self.db)
                try:
                    await self.db.execute("COMMIT")
                except sqlite3.IntegrityError as error:  # a deferred key, checked at COMMIT
                    raise integrity(error) from error
            except BaseException:
                # sqlite3's rollback() does nothing outside a transaction, unlike "ROLLBACK".
                await self.db.rollback()
                raise

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[SqliteTx]:
        """Reads on the shared connection. A batch commits in one call on the worker thread, so
        each read sees all of a batch or none of it; one may still commit between two reads
        (waiting for the write lock instead would put every read behind every commit)."""
        yield SqliteTx(self.db)

    async def in_worker(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` with the sqlite3 connection on aiosqlite's worker thread: several
        statements for the price of one trip between threads, with no other call between."""
        return await run_in_worker(self.db, work)

    async def commit_batch(self, batch: list[Write]) -> list[Outcome]:
        return await self.in_worker(functools.partial(_commit_batch, batch=batch))

    # execute_fetchall runs the query, fetches and closes the cursor in one trip to aiosqlite's
    # thread; `async with execute() as cursor` takes three.
    async def fetchall(self, sql: str, params: tuple = ()) -> list[Row]:
        return list(await self.db.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: tuple = ()) -> Row | None:
        rows = await self.db.execute_fetchall(sql, params)
        return rows[0] if rows else None
