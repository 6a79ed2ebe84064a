"""The connection every repository part shares: opening, migrations, transactions, UTC times."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from storage.migrations import migrate
from storage.worker import run_in_worker

BUSY_TIMEOUT_MS = 5000
# SQLite's synchronous levels the bot offers (docs/durability.md says what each promises).
SYNCHRONOUS = ("full", "normal")
T = TypeVar("T")


def to_text(moment: datetime | None) -> str | None:
    """Store times as ISO 8601 in UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC time")
    return moment.astimezone(UTC).isoformat()


def from_text(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_Write = tuple[Sequence[tuple[str, tuple]], "asyncio.Future[list[int]]"]


def _run(conn: sqlite3.Connection, statements: Sequence[tuple[str, tuple]]) -> list[int]:
    return [conn.execute(sql, params).rowcount for sql, params in statements]


def _commit_batch(conn: sqlite3.Connection, batch: list[_Write]) -> list[list[int] | BaseException]:
    """On the worker thread: every write of the batch in one transaction. If one of them
    fails, the batch is rolled back and each write runs in its own transaction, so one bad
    write fails alone and the others are committed once."""
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
            return [error]
    outcomes: list[list[int] | BaseException] = []
    for write in batch:
        outcomes += _commit_batch(conn, [write])
    return outcomes


def _settle(batch: list[_Write], outcomes: list[list[int] | BaseException]) -> None:
    for (_, future), outcome in zip(batch, outcomes, strict=True):
        if future.done():  # its caller was cancelled; the write is done all the same
            continue
        if isinstance(outcome, asyncio.CancelledError):
            future.cancel()
        elif isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


class Store:
    """Owns one aiosqlite connection; all writes go through `transaction()`, one at a time."""

    def __init__(self, path: Path | str, *, synchronous: str = "full") -> None:
        if synchronous not in SYNCHRONOUS:
            raise ValueError(f"synchronous must be one of {SYNCHRONOUS}, not {synchronous!r}")
        self.path = Path(path)
        self.synchronous = synchronous
        self._db: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._pending: list[_Write] = []
        self._flusher: asyncio.Future[None] | None = None

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

    async def close(self) -> None:
        """Close the connection once the writes already handed to us are committed."""
        if self._flusher is not None and not self._flusher.done():
            await asyncio.shield(self._flusher)
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def __aenter__(self) -> Store:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on any error.

        COMMIT itself can fail (a deferred constraint, a full disk) and SQLite then keeps the
        transaction open, while a full disk during a statement rolls it back by itself: either
        way the shared connection must leave here outside a transaction, or every later write
        fails, and the error raised must be the one that happened.
        """
        async with self._write_lock:
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                await self.db.execute("COMMIT")
            except BaseException:
                # sqlite3's rollback() does nothing outside a transaction, unlike "ROLLBACK".
                await self.db.rollback()
                raise

    async def in_worker(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` with the sqlite3 connection on aiosqlite's worker thread: several
        statements for the price of one trip between threads, with no other call between."""
        return await run_in_worker(self.db, work)

    async def write(self, statements: Sequence[tuple[str, tuple]]) -> list[int]:
        """Run write statements in one IMMEDIATE transaction; return their rowcounts.

        Committed before it returns. Writes that arrive while a commit is under way wait for
        the next one and share it (group commit): a class's answers cost one trip to the
        worker thread and one COMMIT per batch, not one each, and none is acknowledged before
        its own rows are committed (what a commit survives: docs/durability.md).
        """
        future: asyncio.Future[list[int]] = asyncio.get_running_loop().create_future()
        self._pending.append((statements, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.ensure_future(self._flush())
        return await future

    async def _flush(self) -> None:
        """Commit the pending writes, batch after batch, until none are left."""
        while self._pending:
            async with self._write_lock:
                batch, self._pending = self._pending, []
                try:
                    outcomes = await self.in_worker(functools.partial(_commit_batch, batch=batch))
                except BaseException as error:  # the worker failed, or shutdown cancelled us
                    _settle(batch, [error] * len(batch))
                    if isinstance(error, Exception):
                        continue  # told to every writer of the batch; the next batch may go in
                    raise
            _settle(batch, outcomes)

    async def write_one(self, sql: str, params: tuple = ()) -> int:
        """One write statement, committed (in a shared batch); returns its rowcount."""
        (count,) = await self.write([(sql, params)])
        return count

    # execute_fetchall runs the query, fetches and closes the cursor in one trip to aiosqlite's
    # thread; `async with execute() as cursor` takes three.
    async def fetchall(self, sql: str, params: tuple = ()) -> list[aiosqlite.Row]:
        return list(await self.db.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: tuple = ()) -> aiosqlite.Row | None:
        rows = await self.db.execute_fetchall(sql, params)
        return rows[0] if rows else None
