"""Class rosters, homework, export rows and forgetting a student, on a real SQLite file."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizzes import live
from quizzes.analysis import Member, rows_from_live
from quizzes.attempt import AnswerRecord, advance, new_attempt
from quizzes.homework import Homework
from quizzes.live import LiveAnswer, LiveRules
from quizzes.loader import bank_files, load_banks
from storage.reports import ANONYMOUS_CHAT
from storage.repository import Repository
from tests.backends import database

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
CLASS = -100777


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[Repository]:
    store = Repository(database(tmp_path / "r.sqlite3"))
    await store.open()
    await store.save_chat(CLASS, "supergroup", "الصف العاشر")
    yield store
    await store.close()


@pytest.fixture(scope="module")
def facts():
    from bot.config import DEFAULT_BANKS, DEFAULT_SEEDS

    banks = load_banks(bank_files(DEFAULT_BANKS), DEFAULT_SEEDS)
    return next(b for b in banks if b.id == "facts")


async def finished_attempt(repo: Repository, bank, user_id: int, homework_id: int | None):
    """A finished homework attempt: every question answered, the first one with typed text."""
    attempt = await repo.start_attempt(
        new_attempt(bank, user_id, user_id, T0, random.Random(1), class_chat_id=CLASS)
    )
    if homework_id is not None:
        await repo.link_homework(attempt.id, homework_id)
    for position, qid in enumerate(attempt.question_ids):
        await repo.record_answer(
            AnswerRecord(attempt.id, qid, "a", True, 1.0, T0, 500, "نص كتبه الطالب")
        )
        moved = advance(attempt, position, T0 + timedelta(minutes=5))
        await repo.save_progress(moved, position)
        attempt = moved
    return attempt


async def test_roster_leaves_out_teachers_and_keeps_them_out(repo: Repository) -> None:
    for user_id, name in ((1, "سلمى"), (2, "=عمر"), (3, "المعلمة")):
        await repo.save_student(user_id, name, None)
    await repo.note_member(CLASS, 1, T0)
    await repo.note_member(CLASS, 2, T0)
    await repo.note_member(CLASS, 3, T0, teacher=True)
    await repo.note_member(CLASS, 3, T0 + timedelta(hours=1))  # a plain message later
    assert await repo.roster(CLASS) == [Member(2, "=عمر"), Member(1, "سلمى")]
    assert [c.chat_id for c in await repo.known_classes()] == [CLASS]
    assert (await repo.get_class(CLASS)).title == "الصف العاشر"
    assert await repo.get_class(1) is None


async def test_teacher_marks_are_set_and_cleared_per_person(repo: Repository) -> None:
    """What the bot serving a class learnt from Telegram, for the district's other bots."""
    for user_id, name in ((1, "سلمى"), (3, "المعلمة")):
        await repo.save_student(user_id, name, None)
    await repo.note_member(CLASS, 1, T0)
    await repo.mark_teacher(CLASS, 4, True, T0)  # nobody the bot has stored: no mark
    await repo.mark_teacher(CLASS, 3, True, T0)  # an admin never seen in the group
    assert await repo.teacher_marks(3) == {CLASS}
    assert await repo.teacher_marks(1) == set() and await repo.teacher_marks(4) == set()
    assert await repo.roster(CLASS) == [Member(1, "سلمى")]
    await repo.note_member(CLASS, 3, T0 + timedelta(hours=1))  # a plain message keeps it
    assert await repo.teacher_marks(3) == {CLASS}
    await repo.mark_teacher(CLASS, 3, False, T0)  # no longer an admin
    assert await repo.teacher_marks(3) == set()
    assert [m.user_id for m in await repo.roster(CLASS)] == [3, 1]
    await repo.mark_teacher(CLASS, 3, True, T0)
    await repo.forget_student(3, T0)  # forgetting takes the mark with the person
    assert await repo.teacher_marks(3) == set()


async def test_homework_round_trip_and_finishers(repo: Repository, facts) -> None:
    await repo.save_student(1, "سلمى", "salma")
    await repo.save_chat(1, "private", None)
    homework = await repo.create_homework(
        Homework(None, "hw-abcdefgh12", CLASS, "facts", 99, T0, T0 + timedelta(days=3))
    )
    assert await repo.homework_by_code("hw-abcdefgh12") == homework
    assert homework.deadline == T0 + timedelta(days=3)
    assert await repo.homework_by_code("hw-nope") is None
    attempt = await finished_attempt(repo, facts, 1, homework.id)
    assert await repo.homework_finishers(homework.id) == {1}
    assert await repo.homework_attempts(1, homework.id) == [(attempt.id, "finished")]
    (found,) = await repo.class_attempts(CLASS)
    assert found.homework_id == homework.id
    assert found.student == Member(1, "سلمى", "salma")
    assert len(found.answers) == len(facts.questions)


async def test_forget_student_keeps_answers_without_identity(repo: Repository, facts) -> None:
    for user_id in (1, 2):
        await repo.save_student(user_id, f"طالب {user_id}", f"user{user_id}")
        await repo.save_chat(user_id, "private", None)
        await repo.note_member(CLASS, user_id, T0)
    homework = await repo.create_homework(Homework(None, "hw-zzzzzzzz12", CLASS, "facts", 9, T0))
    await finished_attempt(repo, facts, 1, homework.id)
    await finished_attempt(repo, facts, 2, homework.id)
    running = await repo.start_attempt(new_attempt(facts, 1, 1, T0, random.Random(2)))

    kept = await repo.forget_student(1, T0 + timedelta(hours=1))

    assert kept == 2  # the finished homework attempt and the cancelled running one
    assert not await repo.student_exists(1)
    assert await repo.roster(CLASS) == [Member(2, "طالب 2", "user2")]
    assert await repo.history(1) == []
    assert (await repo.get_attempt(running.id)).status == "cancelled"
    attempts = await repo.class_attempts(CLASS)
    assert [a.student for a in attempts] == [None, Member(2, "طالب 2", "user2")]
    anonymous = attempts[0]
    assert anonymous.attempt.user_id < 0 and anonymous.attempt.chat_id == ANONYMOUS_CHAT
    assert len(anonymous.answers) == len(facts.questions)
    assert all(a.raw_text is None for a in anonymous.answers)
    assert all(a.raw_text == "نص كتبه الطالب" for a in attempts[1].answers)
    # Nothing in the database still carries the forgotten id.
    for table, column in (("students", "user_id"), ("chats", "chat_id"), ("attempts", "user_id")):
        row = await repo.fetchone(f"SELECT COUNT(*) FROM {table} WHERE {column} = 1")
        assert row[0] == 0, table
    # Coming back later is a fresh start.
    await repo.save_student(1, "طالب 1", "user1")
    assert await repo.history(1) == []
    assert await repo.forget_student(anonymous.attempt.user_id, T0) == 0
    # Someone with no results leaves nothing behind, not even an anonymous owner.
    await repo.save_student(3, "عابر", None)
    assert await repo.forget_student(3, T0) == 0
    row = await repo.fetchone("SELECT COUNT(*) FROM students WHERE user_id < 0")
    assert row[0] == 1


async def test_forgetting_keeps_live_session_rows_anonymously(repo: Repository, facts) -> None:
    for user_id in (1, 2, 3):
        await repo.save_student(user_id, f"طالب {user_id}", None)
    rules = LiveRules()
    session = await repo.create_live(live.new_session(facts, CLASS, 9, T0, random.Random(1), rules))
    started, _ = live.start(session, T0)
    await repo.save_live(started, session.step)
    qid = started.current.question_id
    answers = [
        LiveAnswer(session.id, qid, 0, u, frozenset("a"), u != 2, float(u != 2), T0, 900)
        for u in (1, 2, 3)
    ]
    for answer in answers:
        await repo.record_live_answer(answer)
    ended, _ = live.stop(started, T0, rules)
    await repo.save_live(ended, started.step)
    await repo.save_live_scores(session.id, live.standings(answers, {1, 2, 3}, ended.plan[:1]))

    assert await repo.forget_student(1, T0) == 1
    assert await repo.forget_student(2, T0) == 1  # two forgotten students in one session

    results, rows = rows_from_live(
        await repo.live_results(chat_id=CLASS), await repo.live_answer_rows(chat_id=CLASS)
    )
    assert sorted((r.student is None, r.score) for r in results) == [
        (False, 1.0),
        (True, 0.0),
        (True, 1.0),
    ]
    assert len(rows) == 3 and sum(1 for r in rows if r.result.student is None) == 2
    named = next(r for r in results if r.student is not None)
    assert named.student == Member(3, "طالب 3") and named.out_of == 1
