"""The repository on real SQLite files: migrations, idempotent answers, close and reopen."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import DEFAULT_BANKS, DEFAULT_SEEDS
from quizzes.attempt import AnswerRecord, AttemptStatus, advance, new_attempt
from quizzes.loader import bank_files, load_banks
from storage.migrations import MIGRATIONS
from storage.repository import Repository
from tests.backends import database

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def bank():
    return next(b for b in load_banks(bank_files(DEFAULT_BANKS), DEFAULT_SEEDS) if b.id == "facts")


def answer(attempt_id: int, qid: str, choice: str = "a", at: datetime = T0) -> AnswerRecord:
    return AnswerRecord(attempt_id, qid, choice, True, 1.0, at, 1500)


@pytest.mark.fresh_database
async def test_migrations_create_schema_on_an_empty_file(tmp_path: Path, backend: str) -> None:
    path = tmp_path / "nested" / "dir" / "quiz.sqlite3"
    repo = Repository(database(path))
    applied = await repo.open()
    assert applied == [name for name, _ in MIGRATIONS]
    await repo.close()
    again = Repository(database(path))
    assert await again.open() == []
    await again.close()
    if backend != "sqlite":
        return
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"students", "chats", "attempts", "answers", "schema_migrations"} <= tables
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_answers_are_recorded_once(tmp_path: Path, bank) -> None:
    async with Repository(database(tmp_path / "q.sqlite3")) as repo:
        await repo.save_student(1, "ليلى", "layla")
        await repo.save_chat(1, "private", None)
        attempt = await repo.start_attempt(new_attempt(bank, 1, 1, T0, random.Random(1)))
        qid = attempt.question_ids[0]
        first, inserted = await repo.record_answer(answer(attempt.id, qid, "a"))
        assert inserted and first.choice == "a"
        replay, inserted = await repo.record_answer(answer(attempt.id, qid, "b", T0 + timedelta(1)))
        assert not inserted
        assert replay == first
        assert len(await repo.answers_for(attempt.id)) == 1


async def test_progress_cannot_skip_on_replayed_next(tmp_path: Path, bank) -> None:
    async with Repository(database(tmp_path / "q.sqlite3")) as repo:
        await repo.save_student(1, "ليلى", None)
        await repo.save_chat(1, "private", None)
        attempt = await repo.start_attempt(new_attempt(bank, 1, 1, T0, random.Random(1)))
        moved = advance(attempt, 0, T0)
        assert await repo.save_progress(moved, 0)
        assert not await repo.save_progress(moved, 0)
        assert (await repo.get_attempt(attempt.id)).position == 1


async def test_close_and_reopen_keeps_everything(tmp_path: Path, bank) -> None:
    path = tmp_path / "q.sqlite3"
    async with Repository(database(path)) as repo:
        await repo.save_student(7, "<b>x</b>", None)
        await repo.save_chat(7, "private", None)
        attempt = await repo.start_attempt(new_attempt(bank, 7, 7, T0, random.Random(3)))
        await repo.record_answer(answer(attempt.id, attempt.question_ids[0]))
    async with Repository(database(path)) as repo:
        again = await repo.get_attempt(attempt.id)
        assert again == attempt
        assert again.started_at == T0 and again.started_at.tzinfo is not None
        assert [a.question_id for a in await repo.answers_for(attempt.id)] == [
            attempt.question_ids[0]
        ]
        assert (await repo.active_attempt(7, 7)).id == attempt.id


async def test_new_attempt_cancels_the_previous_active_one(tmp_path: Path, bank) -> None:
    async with Repository(database(tmp_path / "q.sqlite3")) as repo:
        await repo.save_student(1, "ليلى", None)
        await repo.save_chat(1, "private", None)
        first = await repo.start_attempt(new_attempt(bank, 1, 1, T0, random.Random(1)))
        second = await repo.start_attempt(new_attempt(bank, 1, 1, T0, random.Random(2)))
        assert (await repo.get_attempt(first.id)).status is AttemptStatus.CANCELLED
        assert (await repo.active_attempt(1, 1)).id == second.id


async def test_naive_times_are_refused(tmp_path: Path, bank) -> None:
    async with Repository(database(tmp_path / "q.sqlite3")) as repo:
        await repo.save_student(1, "ليلى", None)
        await repo.save_chat(1, "private", None)
        with pytest.raises(ValueError, match="naive"):
            naive = datetime(2026, 1, 1)
            await repo.start_attempt(new_attempt(bank, 1, 1, naive, random.Random(1)))


@pytest.mark.sqlite_only  # on a shared database every save writes (storage/memo.py)
async def test_unchanged_names_are_not_rewritten_but_forget_resets(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    async with Repository(database(path)) as repo:
        await repo.save_student(9, "سلمى", "salma")
        first = await repo.fetchone("SELECT updated_at FROM students WHERE user_id = 9")
        await repo.save_student(9, "سلمى", "salma")
        again = await repo.fetchone("SELECT updated_at FROM students WHERE user_id = 9")
        assert again["updated_at"] == first["updated_at"]
        await repo.save_student(9, "سلمى أحمد", "salma")
        renamed = await repo.fetchone("SELECT display_name FROM students WHERE user_id = 9")
        assert renamed["display_name"] == "سلمى أحمد"
        await repo.forget_student(9, T0)
        assert await repo.fetchone("SELECT 1 FROM students WHERE user_id = 9") is None
        # The same name again after /forgetme must write the row anew.
        await repo.save_student(9, "سلمى أحمد", "salma")
        assert await repo.fetchone("SELECT 1 FROM students WHERE user_id = 9") is not None
