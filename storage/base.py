"""What every repository part shares, whichever database is under it: the Store interface
(reads, the group-committed write path, transactions, consistent reads), its errors, and how
times and JSON are stored."""

from __future__ import annotations

import asyncio
import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any, Protocol

# A result row: sqlite3.Row or asyncpg.Record. Both read by column name and by index.
Row = Any
Statement = tuple[str, tuple]


class IntegrityError(Exception):
    """A statement broke a constraint (a UNIQUE key, a foreign key), on either database."""

    def __init__(self, message: str, *, unique: bool) -> None:
        super().__init__(message)
        self.unique = unique  # a UNIQUE or primary key was violated


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


class Tx(Protocol):
    """Statements inside one transaction (or one consistent read). SQL uses `?` placeholders
    and the SQL both SQLite and PostgreSQL accept."""

    async def execute(self, sql: str, params: tuple = ()) -> int:
        """Run a statement; return its row count."""

    async def insert(self, sql: str, params: tuple = ()) -> int:
        """Run an INSERT into a table with an `id` key; return the new row's id."""

    async def fetchone(self, sql: str, params: tuple = ()) -> Row | None: ...

    async def fetchall(self, sql: str, params: tuple = ()) -> list[Row]: ...

    async def lock(self, name: str) -> None:
        """Hold a named lock until the transaction ends: a read-then-write that two
        processes must not interleave."""

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A nested step: an error inside it undoes only its own statements (PostgreSQL
        otherwise refuses every later statement of a transaction that met an error)."""


Write = tuple[Sequence[Statement], "asyncio.Future[list[int]]"]
Outcome = list[int] | BaseException


def settle(batch: list[Write], outcomes: list[Outcome]) -> None:
    for (_, future), outcome in zip(batch, outcomes, strict=True):
        if future.done():  # its caller was cancelled; the write is done all the same
            continue
        if isinstance(outcome, asyncio.CancelledError):
            future.cancel()
        elif isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


class Store(ABC):
    """One database, as the repository parts use it.

    Writes within one process go one at a time (`transaction()`, or batches of `write()`):
    what SQLite needs, and on PostgreSQL it keeps one process's writes in the order its
    handlers made them. Several processes on one PostgreSQL database rely on the statements
    themselves (conditional updates, UNIQUE keys, transaction locks) instead.
    """

    # Whether other processes may change the same rows: in-memory copies of rows must then
    # be checked against the database, or kept only for rows this process owns.
    shared = False

    def __init__(self) -> None:
        self.write_lock = asyncio.Lock()
        self._pending: list[Write] = []
        self._flusher: asyncio.Future[None] | None = None

    @property
    @abstractmethod
    def name(self) -> str:
        """The database as an operator may read it in a message (never a password)."""

    @abstractmethod
    async def open(self) -> list[str]:
        """Connect, apply migrations, return the migrations applied now."""

    @abstractmethod
    async def disconnect(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """A write transaction: committed on success, rolled back on any error."""

    @abstractmethod
    def snapshot(self) -> AbstractAsyncContextManager[Tx]:
        """Several reads together: on PostgreSQL one state of the database; on SQLite each
        read sees whole batches, and a batch may commit between two reads. Callers check what
        they read against the step or position it was read at, as with any read."""

    @abstractmethod
    async def fetchall(self, sql: str, params: tuple = ()) -> list[Row]: ...

    @abstractmethod
    async def fetchone(self, sql: str, params: tuple = ()) -> Row | None: ...

    @abstractmethod
    async def commit_batch(self, batch: list[Write]) -> list[Outcome]:
        """Every write of the batch in one transaction. If one of them fails, the batch is
        rolled back and each write runs in its own transaction, so one bad write fails alone
        and the others are committed once."""

    async def close(self) -> None:
        """Close once the writes already handed to us are committed."""
        if self._flusher is not None and not self._flusher.done():
            await asyncio.shield(self._flusher)
        await self.disconnect()

    async def __aenter__(self) -> Store:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def write(self, statements: Sequence[Statement]) -> list[int]:
        """Run write statements in one transaction; return their row counts.

        Committed before it returns. Writes that arrive while a commit is under way wait for
        the next one and share it (group commit): a class's answers cost one commit per batch,
        not one each, and none is acknowledged before its own rows are committed (what a commit
        survives: docs/durability.md).
        """
        future: asyncio.Future[list[int]] = asyncio.get_running_loop().create_future()
        self._pending.append((statements, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.ensure_future(self._flush())
        return await future

    async def _flush(self) -> None:
        """Commit the pending writes, batch after batch, until none are left."""
        while self._pending:
            async with self.write_lock:
                batch, self._pending = self._pending, []
                try:
                    outcomes = await self.commit_batch(batch)
                except BaseException as error:  # the database failed, or shutdown cancelled us
                    settle(batch, [error] * len(batch))
                    if isinstance(error, Exception):
                        continue  # told to every writer of the batch; the next batch may go in
                    raise
            settle(batch, outcomes)

    async def write_one(self, sql: str, params: tuple = ()) -> int:
        """One write statement, committed (in a shared batch); returns its row count."""
        (count,) = await self.write([(sql, params)])
        return count
