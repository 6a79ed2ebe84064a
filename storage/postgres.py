"""The PostgreSQL store: a pool of asyncpg connections to one database that several bot
processes may share.

asyncpg rather than psycopg 3: one wheel with no libpq to install beside it, its own pool,
and server-side prepared statements cached per connection, which suits a bot that runs the
same few dozen statements over and over. The repository's SQL is written once, with `?`
placeholders, in what both databases accept; here the placeholders become `$1, $2, ...`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import asyncpg

from storage.base import IntegrityError, Outcome, Row, Statement, Store, Write
from storage.pg_migrations import migrate
from storage.urls import redact

# What connecting to or migrating a server can raise: unreachable, refused, a wrong role or
# password, a database that does not exist.
ServerErrors = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError)
# A quoted string or identifier (left as it is), or a placeholder.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?")


@functools.lru_cache(maxsize=2048)
def numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, ...`."""
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        if match.group() != "?":
            return match.group()
        count += 1
        return f"${count}"

    return _TOKENS.sub(number, sql)


def clean(params: tuple) -> tuple:
    """The parameters with NUL characters dropped from their text: PostgreSQL's text cannot
    hold them (SQLite's can), and a name or a reply that carries one must still be saved."""
    if any(isinstance(p, str) and "\x00" in p for p in params):
        return tuple(p.replace("\x00", "") if isinstance(p, str) else p for p in params)
    return params


def rowcount(status: str) -> int:
    """The row count in a command tag such as "INSERT 0 1" or "UPDATE 3"."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def integrity(error: asyncpg.IntegrityConstraintViolationError) -> IntegrityError:
    return IntegrityError(str(error), unique=isinstance(error, asyncpg.UniqueViolationError))


def _number(text: str) -> int | float:
    # SUM over an integer column is NUMERIC in PostgreSQL; the domain counts in ints and floats.
    return float(text) if "." in text or "e" in text.lower() else int(text)


async def _setup(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "numeric", schema="pg_catalog", encoder=str, decoder=_number, format="text"
    )


class PgTx:
    """Statements on one pooled connection, inside its transaction."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def execute(self, sql: str, params: tuple = ()) -> int:
        try:
            return rowcount(await self.conn.execute(numbered(sql), *clean(params)))
        except asyncpg.IntegrityConstraintViolationError as error:
            raise integrity(error) from error

    async def insert(self, sql: str, params: tuple = ()) -> int:
        try:
            return await self.conn.fetchval(numbered(sql + " RETURNING id"), *clean(params))
        except asyncpg.IntegrityConstraintViolationError as error:
            raise integrity(error) from error

    async def fetchone(self, sql: str, params: tuple = ()) -> Row | None:
        return await self.conn.fetchrow(numbered(sql), *clean(params))

    async def fetchall(self, sql: str, params: tuple = ()) -> list[Row]:
        return await self.conn.fetch(numbered(sql), *clean(params))

    async def lock(self, name: str) -> None:
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", name)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        async with self.conn.transaction():  # nested in the open one: a SAVEPOINT
            yield


async def _run(conn: asyncpg.Connection, statements: Sequence[Statement]) -> list[int]:
    counts = []
    for sql, params in statements:
        counts.append(rowcount(await conn.execute(numbered(sql), *clean(params))))
    return counts


class PostgresStore(Store):
    """A pool of connections to a PostgreSQL database (a `postgresql://` URL)."""

    shared = True

    def __init__(self, url: str, *, pool_size: int = 4) -> None:
        super().__init__()
        self.url = url
        self.pool_size = pool_size
        self._pool: asyncpg.Pool | None = None

    @property
    def name(self) -> str:
        return redact(self.url)

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("repository is not open: call open() first")
        return self._pool

    async def open(self) -> list[str]:
        if self._pool is not None:
            raise RuntimeError(f"repository {self.name} is already open")
        pool = await asyncpg.create_pool(
            self.url,
            min_size=1,
            max_size=self.pool_size,
            init=_setup,
            statement_cache_size=1024,
        )
        try:
            async with pool.acquire() as conn:
                applied = await migrate(conn)
        except BaseException:
            await pool.close()
            raise
        self._pool = pool
        return applied

    async def disconnect(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgTx]:
        async with self.write_lock, self.pool.acquire() as conn, conn.transaction():
            yield PgTx(conn)

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[PgTx]:
        async with (
            self.pool.acquire() as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            yield PgTx(conn)

    async def fetchall(self, sql: str, params: tuple = ()) -> list[Row]:
        async with self.pool.acquire() as conn:
            return await conn.fetch(numbered(sql), *clean(params))

    async def fetchone(self, sql: str, params: tuple = ()) -> Row | None:
        async with self.pool.acquire() as conn:
            return await conn.fetchrow(numbered(sql), *clean(params))

    async def commit_batch(self, batch: list[Write]) -> list[Outcome]:
        async with self.pool.acquire() as conn:
            return await self._commit(conn, batch)

    async def _commit(self, conn: asyncpg.Connection, batch: list[Write]) -> list[Outcome]:
        try:
            async with conn.transaction():
                return [await _run(conn, statements) for statements, _ in batch]
        except Exception as error:
            if len(batch) == 1:
                if isinstance(error, asyncpg.IntegrityConstraintViolationError):
                    return [integrity(error)]
                return [error]
        outcomes: list[Outcome] = []
        for write in batch:
            outcomes += await self._commit(conn, [write])
        return outcomes
