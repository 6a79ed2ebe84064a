"""Whether a database file can be used at all: the check `quizbot run` makes before it starts,
and how the command line tells a damaged or foreign file from other storage failures."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from storage.sqlite import SqliteStore as Store
from storage.urls import is_postgres, redact

# SQLite's result codes for a file that is not a database, and for a damaged one.
DAMAGED = frozenset({"SQLITE_NOTADB", "SQLITE_CORRUPT"})


class UnusableDatabase(Exception):
    """The database cannot be used; the message says which (a file, or a URL without its
    password) and why."""

    def __init__(self, path: Path | str, reason: str, *, damaged: bool = False) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.damaged = damaged  # the file is there but is not a sound SQLite database


def damaged(error: BaseException) -> bool:
    """Whether SQLite raised this because the file is not a database or is damaged."""
    return isinstance(error, sqlite3.DatabaseError) and (
        getattr(error, "sqlite_errorname", None) in DAMAGED
    )


def explain(path: Path, error: BaseException) -> UnusableDatabase:
    """An UnusableDatabase for a SQLite error met while using `path`."""
    if damaged(error):
        return UnusableDatabase(
            path, f"not a SQLite database, or a damaged one ({error})", damaged=True
        )
    return UnusableDatabase(path, f"cannot be opened ({error})")


def check_path(path: Path) -> None:
    """Raise UnusableDatabase if `path` is a directory (SQLite only says it cannot open it)."""
    if path.is_dir():
        raise UnusableDatabase(path, "is a directory, not a database file")


def _quick_check(path: Path) -> None:
    """Read every page of an existing database, without writing to it."""
    if not path.exists():
        return  # the bot creates it
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in db.execute("PRAGMA quick_check")]
        finally:
            db.close()
    except sqlite3.Error as error:
        raise explain(path, error) from error
    if problems != ["ok"]:
        raise UnusableDatabase(path, f"damaged: {'; '.join(problems[:3])}", damaged=True)


async def check_database(target: Path | str) -> None:
    """Check every page of a SQLite database (before anything writes to it), then open it as
    the bot does, creating it and applying migrations; raise UnusableDatabase if anything
    fails. Call check_path first. A PostgreSQL URL is connected to and migrated the same way."""
    if is_postgres(target):
        await _check_server(str(target))
        return
    path = Path(target)
    await asyncio.to_thread(_quick_check, path)
    store = Store(path)
    try:
        await store.open()
        await store.close()
    except sqlite3.Error as error:
        raise explain(path, error) from error


async def _check_server(url: str) -> None:
    from storage.postgres import PostgresStore, ServerErrors

    store = PostgresStore(url)
    try:
        await store.open()
    except ServerErrors as error:
        # asyncpg's messages name the host and the role, never the password.
        raise UnusableDatabase(redact(url), f"cannot be reached or used ({error})") from error
    await store.close()
