"""Where the bot under test keeps its data: a fresh SQLite file, or a fresh database on a
PostgreSQL server (`--database-url`), made for one run and dropped after it, so no run sees
another's rows."""

from __future__ import annotations

import argparse
import itertools
import os
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from storage.urls import is_postgres, redact

_numbers = itertools.count(1)


def check_server(url: str | None) -> str | None:
    """`url` if it names a PostgreSQL server (None stays None); a readable error otherwise."""
    if url is not None and not is_postgres(url):
        raise ValueError(f"--database-url must be a postgresql:// URL, not {redact(url)}")
    return url


def describe(server: str | None) -> str:
    """The backend as the figures name it, without the URL's password."""
    return f"PostgreSQL at {redact(server)}" if server else "SQLite (a fresh file)"


def _on(server: str, database: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path="/" + database))


async def create(server: str, prefix: str = "bench") -> str:
    """A new empty database on the server, named after this process; its URL."""
    name = f"{prefix}_{os.getpid()}_{next(_numbers)}"
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return _on(server, name)


async def drop(server: str, database_url: str) -> None:
    """Drop a database `create` made, even if the bot left connections open in it."""
    name = urlsplit(database_url).path.lstrip("/")
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def add_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        type=_server_url,
        default=None,
        metavar="postgresql://…",
        help="run the bot on a fresh database made on this PostgreSQL server (dropped after); "
        "without it, on a fresh SQLite file",
    )


def _server_url(text: str) -> str:
    try:
        return check_server(text) or text
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
