"""The live-session cache's invariants: what it keeps is never older than the last write to a
session, whatever order reads and writes finish in, and whether a write commits or fails."""

from __future__ import annotations

import asyncio
import random
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import load_content
from quizzes import live
from quizzes.live import LiveRules, LiveSession, Phase, Status
from storage.live_cache import LiveSessionCache
from storage.repository import Repository
from tests.backends import database
from tests.harness import make_config

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def session(session_id: int = 1, **changes: object) -> LiveSession:
    base = LiveSession(
        id=session_id, chat_id=-100, bank_id="facts", teacher_id=9, plan=(), created_at=T0
    )
    return replace(base, **changes)


def test_a_read_is_kept_when_nothing_changed_while_it_ran() -> None:
    cache = LiveSessionCache()
    assert cache.get(1) is None
    changes = cache.changes(1)
    assert cache.keep_read(session(), changes)
    assert cache.get(1) == session()


def test_a_read_that_overlaps_a_write_is_not_kept() -> None:
    cache = LiveSessionCache()
    before = cache.changes(1)  # the read starts, then a write begins and ends
    with cache.changing(1):
        pass
    assert not cache.keep_read(session(), before)
    assert cache.get(1) is None


def test_a_read_that_starts_during_a_write_and_ends_after_it_is_not_kept() -> None:
    cache = LiveSessionCache()
    with cache.changing(1):
        during = cache.changes(1)
    assert not cache.keep_read(session(), during)
    assert cache.get(1) is None


def test_what_a_read_kept_during_a_write_is_dropped_when_the_write_ends() -> None:
    cache = LiveSessionCache()
    with cache.changing(1):
        cache.keep_read(session(), cache.changes(1))  # it may have read the rows before the write
    assert cache.get(1) is None


def test_a_write_drops_what_was_kept_when_it_begins() -> None:
    cache = LiveSessionCache()
    cache.keep_read(session(), cache.changes(1))
    with cache.changing(1):
        assert cache.get(1) is None


def test_a_failed_write_drops_what_was_kept_and_what_overlapped_it() -> None:
    cache = LiveSessionCache()
    cache.keep_read(session(), cache.changes(1))
    before = cache.changes(1)
    with pytest.raises(RuntimeError), cache.changing(1):
        during = cache.changes(1)
        raise RuntimeError("the write failed, or its caller was cancelled after it committed")
    assert cache.get(1) is None
    assert not cache.keep_read(session(), before)
    assert not cache.keep_read(session(), during)


def test_a_known_write_replaces_the_kept_copy_and_beats_an_older_read() -> None:
    cache = LiveSessionCache()
    cache.keep_read(session(), cache.changes(1))
    before = cache.changes(1)
    answered = session(answered=frozenset({7}))
    cache.keep_written(answered)
    assert cache.get(1) == answered
    assert not cache.keep_read(session(), before)  # read before the answer: it lacks it
    assert cache.get(1) == answered


def test_invalidating_one_session_leaves_the_others_alone() -> None:
    cache = LiveSessionCache()
    cache.keep_read(session(1), cache.changes(1))
    cache.keep_read(session(2), cache.changes(2))
    reading = cache.changes(2)
    cache.invalidate(1)
    assert cache.get(1) is None and cache.get(2) == session(2)
    assert cache.keep_read(session(2, step=1), reading)


def test_forgetting_a_student_invalidates_every_session_and_every_read_in_flight() -> None:
    cache = LiveSessionCache()
    cache.keep_read(session(1), cache.changes(1))
    cache.keep_written(session(2))
    reading = {n: cache.changes(n) for n in (1, 2)}
    cache.invalidate_all()
    assert cache.get(1) is None and cache.get(2) is None
    assert not any(cache.keep_read(session(n), reading[n]) for n in (1, 2))


def test_ended_sessions_are_not_kept() -> None:
    cache = LiveSessionCache()
    for status in (Status.FINISHED, Status.STOPPED):
        assert not cache.keep_read(session(status=status), cache.changes(1))
        assert cache.get(1) is None


# --- the repository keeps to these rules ------------------------------------------------------


@pytest.fixture
async def repo(tmp_path: Path) -> Repository:
    repo = Repository(database(tmp_path / "cache.sqlite3"))
    await repo.open()
    await repo.save_chat(-1, "supergroup", "class")
    yield repo
    await repo.close()


async def test_a_transition_whose_caller_is_cancelled_is_not_served_stale(
    tmp_path: Path, repo: Repository
) -> None:
    banks = load_content(make_config(tmp_path))[1]
    fresh = live.new_session(banks["facts"], -1, 9, T0, random.Random(1), LiveRules())
    opened = await repo.create_live(fresh)
    assert opened is not None and await repo.get_live(opened.id) == opened  # now kept
    started, _ = live.start(opened, T0)
    saving = asyncio.ensure_future(repo.save_live(started, opened.step))
    await asyncio.sleep(0)  # handed to the group commit, which goes in all the same
    saving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await saving
    await repo.write([])  # the next batch: the cancelled one is committed by now
    kept = await repo.get_live(opened.id)
    assert kept is not None and kept.phase is not Phase.LOBBY
    async with Repository(repo.target) as other:
        assert kept == await other.get_live(opened.id)


def test_forgetting_a_student_defeats_a_read_in_flight_of_a_session_never_seen() -> None:
    cache = LiveSessionCache()
    reading = cache.changes(3)  # the first read of a session since the start, still running
    cache.invalidate_all()
    assert not cache.keep_read(session(3), reading)
    assert cache.get(3) is None


async def held_batch(repo: Repository) -> tuple[asyncio.Event, asyncio.Future[None]]:
    """A write whose batch is committed but whose commit returns only when the event is set,
    so that the writes handed to the store meanwhile wait for the next batch."""
    queued, gate = repo.store.commit_batch, asyncio.Event()

    async def held(batch):
        result = await queued(batch)
        await gate.wait()
        return result

    repo.store.commit_batch = held
    busy = asyncio.ensure_future(repo.save_chat(-2, "supergroup", "another class"))
    for _ in range(20):  # until its batch is committed and held back on its way out
        await asyncio.sleep(0.005)
    repo.store.commit_batch = queued
    return gate, busy


async def test_a_read_between_a_cancelled_write_and_its_commit_is_not_kept(
    tmp_path: Path, repo: Repository
) -> None:
    banks = load_content(make_config(tmp_path))[1]
    fresh = live.new_session(banks["facts"], -1, 9, T0, random.Random(1), LiveRules())
    opened = await repo.create_live(fresh)
    assert opened is not None and await repo.get_live(opened.id) == opened
    gate, busy = await held_batch(repo)
    started, _ = live.start(opened, T0)
    saving = asyncio.ensure_future(repo.save_live(started, opened.step))
    await asyncio.sleep(0)  # waiting for the next batch, which will commit it all the same
    saving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await saving
    assert (await repo.get_live(opened.id)).phase is Phase.LOBBY  # read before that batch
    gate.set()
    await busy
    await repo.write([])  # the batch with the transition is in
    for _ in range(5):
        await asyncio.sleep(0)
    async with Repository(repo.target) as other:
        on_disk = await other.get_live(opened.id)
    assert on_disk is not None and on_disk.phase is not Phase.LOBBY
    assert await repo.get_live(opened.id) == on_disk


async def test_an_answer_whose_caller_is_cancelled_is_not_missing_from_the_kept_session(
    tmp_path: Path, repo: Repository
) -> None:
    banks = load_content(make_config(tmp_path))[1]
    fresh = live.new_session(banks["facts"], -1, 9, T0, random.Random(1), LiveRules())
    opened = await repo.create_live(fresh)
    await repo.save_student(7, "student", None)
    started, _ = live.start(opened, T0)
    assert await repo.save_live(started, opened.step)
    s = await repo.get_live(opened.id)
    answer = live.LiveAnswer(
        session_id=s.id,
        question_id=s.current.question_id,
        position=s.position,
        user_id=7,
        keys=frozenset({s.current.order[0]}),
        correct=False,
        points=0.0,
        answered_at=T0,
        elapsed_ms=1000,
    )
    gate, busy = await held_batch(repo)
    recording = asyncio.ensure_future(repo.record_live_answer(answer))
    await asyncio.sleep(0)
    recording.cancel()
    with pytest.raises(asyncio.CancelledError):
        await recording
    gate.set()
    await busy
    await repo.write([])
    for _ in range(5):
        await asyncio.sleep(0)
    assert 7 in (await repo.get_live(opened.id)).answered
