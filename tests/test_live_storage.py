"""The live-session store on a real SQLite file: one open session per group, idempotent
answers, guarded transitions, saved scores and the rows exports read."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import load_content
from quizzes import live
from quizzes.live import LiveAnswer, LiveRules, Phase, Status
from storage.base import IntegrityError
from storage.repository import Repository
from tests.backends import database
from tests.harness import make_config

RULES = LiveRules()
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def banks(tmp_path: Path) -> dict:
    return load_content(make_config(tmp_path))[1]


async def _repo(tmp_path: Path, *users: int) -> Repository:
    repo = Repository(database(tmp_path / "live.sqlite3"))
    await repo.open()
    for chat in (-1, -2):
        await repo.save_chat(chat, "supergroup", "class")
    for user in users:
        await repo.save_student(user, f"student {user}", None)
    return repo


async def test_one_open_session_per_group(tmp_path: Path, banks: dict) -> None:
    repo = await _repo(tmp_path)
    try:
        fresh = live.new_session(banks["facts"], -1, 9, T0, random.Random(1), RULES)
        first = await repo.create_live(fresh)
        assert first is not None and first.id and first.plan == fresh.plan
        assert await repo.create_live(fresh) is None
        assert await repo.create_live(replace(fresh, chat_id=-2)) is not None
        ended, _ = live.stop(first, T0, RULES)
        assert await repo.save_live(ended, first.step)
        assert await repo.create_live(fresh) is not None
        assert [s.chat_id for s in await repo.open_lives()] == [-2, -1]
    finally:
        await repo.close()


async def test_answers_are_recorded_once_and_join_their_student(
    tmp_path: Path, banks: dict
) -> None:
    repo = await _repo(tmp_path, 1, 2)
    try:
        session = await repo.create_live(
            live.new_session(banks["facts"], -1, 9, T0, random.Random(1), RULES)
        )
        assert await repo.join_live(session.id, 1, -1, T0)
        assert not await repo.join_live(session.id, 1, -1, T0)
        started, _ = live.start(session, T0)
        assert await repo.save_live(started, session.step)
        # The same transition computed twice is stored once.
        assert not await repo.save_live(started, session.step)
        answer = LiveAnswer(
            session.id, started.current.question_id, 0, 2, frozenset("a"), True, 1.0, T0, 1500
        )
        assert await repo.record_live_answer(answer)
        assert not await repo.record_live_answer(
            replace(answer, keys=frozenset("b"), correct=False)
        )
        stored = await repo.get_live(session.id)
        assert stored.joined == {1, 2} and stored.expected == {1} and stored.answered == {2}
        assert stored.phase is Phase.QUESTION and stored.deadline == started.deadline
        assert await repo.live_answers(session.id) == [answer]
    finally:
        await repo.close()


async def test_an_ending_and_its_scores_are_stored_together_or_not_at_all(
    tmp_path: Path, banks: dict
) -> None:
    repo = await _repo(tmp_path, 1, 2)
    try:
        session = await repo.create_live(
            live.new_session(banks["facts"], -1, 9, T0, random.Random(1), RULES)
        )
        started, _ = live.start(session, T0)
        await repo.save_live(started, session.step)
        answer = LiveAnswer(
            session.id, started.current.question_id, 0, 1, frozenset("a"), True, 1.0, T0, 900
        )
        await repo.record_live_answer(answer)
        await repo.join_live(session.id, 2, -1, T0)
        ended, _ = live.stop(await repo.get_live(session.id), T0, RULES)
        rows = live.standings([answer], {1, 2}, ended.plan[:1])
        # A score that cannot be stored (no such student) keeps the session from ending.
        with pytest.raises(IntegrityError):
            await repo.end_live(ended, started.step, [*rows, replace(rows[0], user_id=404)])
        assert (await repo.get_live(session.id)).is_open
        # A transition computed from a step that is gone stores no scores either.
        stale = [replace(r, score=99.0) for r in rows]
        assert not await repo.end_live(ended, started.step - 1, stale)
        assert await repo.end_live(ended, started.step, rows)
        assert [r.standing() for r in await repo.live_results(session_id=session.id)] == rows
        assert not await repo.end_live(replace(ended, step=ended.step + 1), ended.step, [])
        # Ended, not shown yet: what the watch shows again, until it is marked shown.
        assert await repo.unshown_ended_lives() == [session.id]
        await repo.mark_live_shown(session.id, ended.step)
        assert await repo.unshown_ended_lives() == []
    finally:
        await repo.close()


async def test_saved_scores_are_what_exports_read(tmp_path: Path, banks: dict) -> None:
    repo = await _repo(tmp_path, 1, 2)
    try:
        session = await repo.create_live(
            live.new_session(banks["facts"], -1, 9, T0, random.Random(1), RULES)
        )
        started, _ = live.start(session, T0)
        await repo.save_live(started, session.step)
        answers = [
            LiveAnswer(
                session.id, started.current.question_id, 0, 1, frozenset("a"), True, 1.0, T0, 900
            ),
            LiveAnswer(
                session.id, started.current.question_id, 0, 2, frozenset("b"), False, 0.0, T0, 300
            ),
        ]
        for a in answers:
            await repo.record_live_answer(a)
        ended, _ = live.stop(started, T0, RULES)
        await repo.save_live(ended, started.step)
        rows = live.standings(answers, {1, 2}, ended.plan[:1])
        assert await repo.save_live_scores(session.id, rows) == 2
        assert await repo.save_live_scores(session.id, rows) == 0
        results = await repo.live_results(chat_id=-1)
        assert [(r.user_id, r.score, r.rank, r.asked, r.status) for r in results] == [
            (1, 1.0, 1, 1, Status.STOPPED),
            (2, 0.0, 2, 1, Status.STOPPED),
        ]
        assert results[0].name == "student 1" and results[0].standing() == rows[0]
        assert await repo.live_answer_rows(chat_id=-1) == answers
        assert await repo.live_answer_rows(chat_id=-2) == []
        assert await repo.ended_live_count(-1) == 1
        assert await repo.student_names([1, 2, 3]) == {1: "student 1", 2: "student 2"}
    finally:
        await repo.close()
