"""The live-session store with typed replies and peer rounds, on real SQLite files: the
migration keeps sessions and answers recorded before it, stages and rounds survive a reload,
raw text and partial credit are stored, and /forgetme drops the text students typed."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest

from bot.app import load_content
from quizzes import live
from quizzes.live import LiveAnswer, LiveRules, Phase, Stage
from quizzes.model import PeerBand
from storage.migrations import MIGRATIONS, migrate
from storage.repository import Repository
from tests.backends import database
from tests.harness import make_config

RULES = LiveRules()
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CHAT = -1


@pytest.fixture
def banks(tmp_path: Path) -> dict:
    return load_content(make_config(tmp_path))[1]


async def _repo(path: Path, *users: int) -> Repository:
    repo = Repository(database(path))
    await repo.open()
    await repo.save_chat(CHAT, "supergroup", "class")
    for user in users:
        await repo.save_student(user, f"student {user}", None)
    return repo


@pytest.mark.sqlite_only  # a SQLite file as an older bot left it; PostgreSQL starts at 0008
async def test_the_migration_keeps_what_was_recorded_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    before = [name for name, _ in MIGRATIONS].index("0005_live_typed_and_peer_rounds")
    async with aiosqlite.connect(path, isolation_level=None) as db:
        await db.execute("PRAGMA foreign_keys = ON")
        await migrate(db, MIGRATIONS[:before])
        stamp = T0.isoformat()
        await db.execute(
            "INSERT INTO chats (chat_id, type, title, created_at) VALUES (-1, 'group', 'c', ?)",
            (stamp,),
        )
        await db.execute(
            "INSERT INTO students (user_id, display_name, created_at, updated_at)"
            " VALUES (5, 'هدى', ?, ?)",
            (stamp, stamp),
        )
        # A session as the bot stored it before: a three-field plan, no stage.
        await db.execute(
            "INSERT INTO live_sessions (chat_id, bank_id, plan, status, phase, position, step,"
            ' created_at, started_at) VALUES (-1, \'facts\', \'[["f01",["b","a"],30]]\','
            " 'open', 'question', 0, 1, ?, ?)",
            (stamp, stamp),
        )
        await db.execute(
            "INSERT INTO live_participants (session_id, user_id, position, joined_at)"
            " VALUES (1, 5, -1, ?)",
            (stamp,),
        )
        await db.execute(
            "INSERT INTO live_answers (session_id, question_id, position, user_id, choice,"
            " correct, points, answered_at, elapsed_ms) VALUES (1, 'f01', 0, 5, 'b', 1, 0.8, ?,"
            " 1200)",
            (stamp,),
        )
    repo = Repository(database(path))
    assert await repo.open() == [name for name, _ in MIGRATIONS[before:]]
    try:
        s = await repo.get_live(1)
        assert s.stage is Stage.ANSWER and not s.show_responses and s.answered == {5}
        # A session from before adaptive peer rounds: no path yet, the default band.
        assert s.right == {5} and s.path is None and s.band == PeerBand()
        assert s.version is None  # stored before sessions recorded their bank and article
        assert s.plan == (live.Planned("f01", ("b", "a"), 30, 0, True),)
        assert await repo.live_answers(1) == [
            LiveAnswer(1, "f01", 0, 5, frozenset("b"), True, 0.8, T0, 1200)
        ]
        # The rebuilt table still refuses a second answer in the same round.
        again = LiveAnswer(1, "f01", 0, 5, frozenset("a"), False, 0.0, T0, 100)
        assert not await repo.record_live_answer(again)
    finally:
        await repo.close()


async def test_stages_rounds_and_typed_answers_survive_a_reload(
    tmp_path: Path, banks: dict
) -> None:
    repo = await _repo(tmp_path / "live.sqlite3", 1, 2)
    try:
        bank = banks["discuss"]
        session = await repo.create_live(
            replace(live.new_session(bank, CHAT, 9, T0, random.Random(1), RULES), speed=True)
        )
        assert session.plan[0].scored is False and session.plan[10].discuss == 90
        on, _ = live.set_show_responses(session, True)
        assert await repo.save_live(on, session.step)
        started, _ = live.start(on, T0)
        assert await repo.save_live(started, on.step)
        qid = started.current.question_id
        response = LiveAnswer(
            session.id, qid, 0, 1, frozenset(), None, 0.0, T0, 900, raw_text="رأيي <b>هنا</b>"
        )
        assert await repo.record_live_answer(response)
        stored = await repo.get_live(session.id)
        assert stored.show_responses and stored.answered == {1}
        assert await repo.live_answers(session.id) == [response]
        # A peer question, through its stages: the answered set follows the round.
        s = replace(stored, position=10, stage=Stage.ANSWER, step=stored.step)
        assert await repo.save_live(s, stored.step)
        peer = s.current.question_id
        first = LiveAnswer(session.id, peer, 10, 2, frozenset("a"), False, 0.0, T0, 500)
        await repo.record_live_answer(first)
        discussing, _ = live.skip(await repo.get_live(session.id), T0, RULES)
        assert await repo.save_live(discussing, s.step)
        reloaded = await repo.get_live(session.id)
        assert reloaded.stage is Stage.DISCUSS and reloaded.answered == {2}
        revoting, _ = live.skip(reloaded, T0, RULES)
        assert await repo.save_live(revoting, reloaded.step)
        assert (await repo.get_live(session.id)).answered == frozenset()
        second = replace(first, keys=frozenset("b"), correct=True, points=1.0, round=1)
        assert await repo.record_live_answer(second)
        reloaded = await repo.get_live(session.id)
        assert reloaded.stage is Stage.REVOTE and reloaded.answered == {2}
        assert reloaded.phase is Phase.QUESTION
        assert [a.round for a in await repo.live_answers(session.id, 10)] == [0, 1]
        # An evidence fragment's half credit.
        half = LiveAnswer(
            session.id, "e01", 26, 1, frozenset(), False, 0.5, T0, 100, raw_text="x", credit=0.5
        )
        assert await repo.record_live_answer(half)
        assert (await repo.live_answers(session.id, 26))[0].score == 0.5

        # /forgetme after the session: the typed text goes, the anonymous answers stay.
        ended, _ = live.stop(reloaded, T0, RULES)
        assert await repo.save_live(ended, reloaded.step)
        rows = live.standings(await repo.live_answers(session.id), {1, 2})
        await repo.save_live_scores(session.id, rows)
        assert await repo.forget_student(1, T0) == 1
        kept = await repo.live_answers(session.id)
        assert [a.raw_text for a in kept if a.question_id in (qid, "e01")] == [None, None]
        assert all(a.user_id != 1 for a in kept)
    finally:
        await repo.close()


async def test_forgetting_a_student_mid_session_keeps_their_answers_anonymous(
    tmp_path: Path, banks
) -> None:
    """Their only rows are an open session's: the class's answers must not lose theirs."""
    repo = await _repo(tmp_path / "live.sqlite3", 1, 2)
    try:
        session = await repo.create_live(
            live.new_session(banks["facts"], CHAT, 9, T0, random.Random(1), RULES)
        )
        started, _ = live.start(session, T0)
        assert await repo.save_live(started, session.step)
        qid = started.current.question_id
        for user in (1, 2):
            answer = LiveAnswer(session.id, qid, 0, user, frozenset("a"), True, 1.0, T0, 500)
            assert await repo.record_live_answer(answer)
        await repo.forget_student(1, T0)
        kept = await repo.live_answers(session.id)
        assert len(kept) == 2 and 1 not in {a.user_id for a in kept}
    finally:
        await repo.close()
