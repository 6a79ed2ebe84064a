"""Group commit: concurrent writes share one COMMIT, and each still fails or succeeds alone.

On both databases. Batches are counted where the store commits them; on SQLite the statements
it runs are also traced on the connection itself.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from storage.base import IntegrityError
from storage.repository import Repository
from storage.sqlite import SqliteStore
from tests.backends import database

INSERT = (
    "INSERT INTO students (user_id, display_name, username, created_at, updated_at)"
    " VALUES (?, ?, NULL, 't', 't')"
)


async def traced(repo: Repository) -> list[str]:
    """Every statement the connection runs from now on, as SQLite reports it (nothing on
    PostgreSQL)."""
    seen: list[str] = []
    if isinstance(repo.store, SqliteStore):
        await repo.store.in_worker(lambda conn: conn.set_trace_callback(seen.append))
    return seen


def counted(repo: Repository) -> list[int]:
    """The size of every batch the store commits from now on."""
    sizes: list[int] = []
    commit = repo.store.commit_batch

    async def counting(batch):
        sizes.append(len(batch))
        return await commit(batch)

    repo.store.commit_batch = counting
    return sizes


def commits(statements: list[str]) -> int:
    return sum(1 for s in statements if s.strip().upper() == "COMMIT")


async def names(target: Path | str) -> dict[int, str]:
    async with Repository(target) as repo:
        rows = await repo.fetchall("SELECT user_id, display_name FROM students WHERE user_id > 0")
    return {r["user_id"]: r["display_name"] for r in rows}


async def test_concurrent_writes_share_commits_and_all_land(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    async with Repository(database(path)) as repo:
        seen, batches = await traced(repo), counted(repo)
        counts = await asyncio.gather(
            *(repo.write([(INSERT, (user, f"طالب {user}"))]) for user in range(1, 101))
        )
        assert counts == [[1]] * 100
        # All 100 were waiting when the first batch began: one batch, one COMMIT.
        assert batches == [100]
        assert commits(seen) == (1 if isinstance(repo.store, SqliteStore) else 0)
    assert await names(database(path)) == {user: f"طالب {user}" for user in range(1, 101)}


async def test_a_failing_write_fails_alone_and_the_batch_still_commits(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    async with Repository(database(path)) as repo:
        await repo.write([(INSERT, (1, "قائم"))])
        writes = [repo.write([(INSERT, (user, f"طالب {user}"))]) for user in range(2, 6)]
        # Same key as the row above: a UNIQUE violation, in the middle of the batch.
        writes.insert(2, repo.write([(INSERT, (2_000, "أ")), (INSERT, (1, "مكرر"))]))
        results = await asyncio.gather(*writes, return_exceptions=True)
        assert isinstance(results[2], IntegrityError) and results[2].unique
        assert [r for i, r in enumerate(results) if i != 2] == [[1]] * 4
    # The failed write left nothing behind, not even its first statement.
    assert await names(database(path)) == {
        1: "قائم",
        2: "طالب 2",
        3: "طالب 3",
        4: "طالب 4",
        5: "طالب 5",
    }


@pytest.mark.sqlite_only
async def test_a_locked_database_fails_the_whole_batch_then_writes_go_on(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    async with Repository(database(path)) as repo:
        await repo.store.db.execute("PRAGMA busy_timeout = 50")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        results = await asyncio.gather(
            *(repo.write([(INSERT, (user, "x"))]) for user in range(1, 4)),
            return_exceptions=True,
        )
        assert all(isinstance(r, sqlite3.OperationalError) and "locked" in str(r) for r in results)
        other.execute("ROLLBACK")
        other.close()
        assert await repo.write([(INSERT, (9, "بعد"))]) == [1]
    assert await names(database(path)) == {9: "بعد"}


async def test_closing_commits_the_writes_already_queued(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    repo = Repository(database(path))
    await repo.open()
    writes = [asyncio.ensure_future(repo.write([(INSERT, (u, "س"))])) for u in range(1, 4)]
    await asyncio.sleep(0)  # queued, not yet committed
    await repo.close()
    assert [w.result() for w in writes] == [[1]] * 3
    assert set(await names(database(path))) == {1, 2, 3}


async def test_a_cancelled_writer_does_not_cancel_the_others(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    async with Repository(database(path)) as repo:
        first = asyncio.ensure_future(repo.write([(INSERT, (1, "أ"))]))
        second = asyncio.ensure_future(repo.write([(INSERT, (2, "ب"))]))
        await asyncio.sleep(0)
        second.cancel()
        assert await first == [1]
        with pytest.raises(asyncio.CancelledError):
            await second
        # Its write had already been handed to SQLite: it is in, and nothing else broke.
        assert await repo.write([(INSERT, (3, "ج"))]) == [1]
    assert set(await names(database(path))) == {1, 2, 3}
