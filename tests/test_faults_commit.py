"""Fault suite, a write that fails at COMMIT or for a full disk: the shared connection must be
left outside any transaction, so the next write goes in.

SQLite keeps the transaction open when COMMIT fails on a deferred constraint, and rolls it back
by itself when a statement hits a full disk; both happen on a real file here. A deferred
foreign key is the deterministic way to make COMMIT itself fail, and `max_page_count` stands
in for a full disk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.base import IntegrityError
from storage.repository import Repository

# SQLite's own failures: a full file, a held write lock, its pragmas.
pytestmark = pytest.mark.sqlite_only

INSERT = (
    "INSERT INTO students (user_id, display_name, username, created_at, updated_at)"
    " VALUES (?, ?, NULL, 't', 't')"
)
# A row whose foreign key is only checked at COMMIT, where it fails.
ORPHAN = ("INSERT INTO test_children (parent) VALUES (?)", (404,))


async def with_deferred_key(repo: Repository) -> None:
    async with repo.transaction() as db:
        await db.execute("CREATE TABLE test_parents (id INTEGER PRIMARY KEY)")
        await db.execute(
            "CREATE TABLE test_children (parent INTEGER"
            " REFERENCES test_parents(id) DEFERRABLE INITIALLY DEFERRED)"
        )


def stored(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


async def test_a_failed_commit_in_a_transaction_lets_the_next_write_in(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    async with Repository(path) as repo:
        await with_deferred_key(repo)
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            async with repo.transaction() as db:
                await db.execute(INSERT, (1, "قبل"))
                await db.execute(*ORPHAN)
        assert not repo.store.db.in_transaction
        assert await repo.write_one(INSERT, (2, "بعد")) == 1
        async with repo.transaction() as db:
            await db.execute(INSERT, (3, "ثم"))
    # Nothing of the failed transaction is left, not even its first statement.
    assert stored(path, "SELECT user_id FROM students WHERE user_id > 0") == [(2,), (3,)]
    assert stored(path, "SELECT * FROM test_children") == []


async def test_a_failed_commit_in_a_group_commit_lets_the_next_write_in(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    async with Repository(path) as repo:
        await with_deferred_key(repo)
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            await repo.write([(INSERT, (1, "قبل")), ORPHAN])
        assert not repo.store.db.in_transaction
        assert await repo.write_one(INSERT, (2, "بعد")) == 1
        async with repo.transaction() as db:
            await db.execute(INSERT, (3, "ثم"))
    assert stored(path, "SELECT user_id FROM students WHERE user_id > 0") == [(2,), (3,)]


async def test_a_full_disk_says_so_and_the_next_write_goes_in_once_there_is_room(
    tmp_path: Path,
) -> None:
    path = tmp_path / "q.sqlite3"
    async with Repository(path) as repo:
        (pages,) = await repo.fetchone("PRAGMA page_count")
        await repo.store.db.execute(f"PRAGMA max_page_count = {pages}")
        big = "ا" * 200_000  # needs pages the file may not grow by
        for write in ("transaction", "group"):
            with pytest.raises(sqlite3.OperationalError, match="full"):
                if write == "group":
                    await repo.write([(INSERT, (1, big))])
                else:
                    async with repo.transaction() as db:
                        await db.execute(INSERT, (1, big))
            assert not repo.store.db.in_transaction
        await repo.store.db.execute("PRAGMA max_page_count = 1073741823")  # room again
        assert await repo.write_one(INSERT, (2, "بعد")) == 1
        async with repo.transaction() as db:
            await db.execute(INSERT, (3, big))
    assert stored(path, "SELECT user_id FROM students WHERE user_id > 0") == [(2,), (3,)]
