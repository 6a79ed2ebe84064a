"""The repository keeps open live sessions in memory: what it returns must always be what a
fresh read of the file gives, through joins, answers, re-votes, transitions and /forgetme."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from bot import texts
from bot.live import api as live_engine
from quizzes.live import LiveAnswer, LiveSession, Stage
from storage.repository import Repository
from tests.factories import Person
from tests.harness import Harness, running
from tests.live_support import ALWAYS_DISCUSS, FakeClock, Room, bank_dir, live_config, make_class


async def on_disk(h: Harness, session_id: int) -> LiveSession | None:
    """The session as another connection reads it from the file."""
    async with Repository(h.repo.target) as fresh:
        return await fresh.get_live(session_id)


async def agrees(h: Harness, room: Room) -> LiveSession:
    kept = await h.repo.get_live(room.session_id)
    assert kept == await on_disk(h, room.session_id)
    return kept


async def test_the_kept_session_always_equals_a_fresh_read(tmp_path: Path) -> None:
    clock = FakeClock()
    config = live_config(
        tmp_path, banks_dir=bank_dir(tmp_path, ("p01", "s01"), peer=ALWAYS_DISCUSS)
    )
    pupils = make_class(6)
    late = Person(9100, "متأخرة")
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await room.open("live4")
        await agrees(h, room)
        for p in pupils[:5]:
            await room.join(p)
            await agrees(h, room)
        await room.join(pupils[0])  # again: nothing changes
        join = await room.button(texts.LIVE_BUTTON_JOIN)
        await room.control("go")
        s = await agrees(h, room)
        assert s.expected == {p.id for p in pupils[:5]} and not s.answered

        # First vote of the peer round, with a repeat and a late joiner answering at once.
        right = sorted(room.question(s).answer)[0]
        for p in (pupils[0], pupils[1], pupils[0], late):
            await room.answer(p, right)
            s = await agrees(h, room)
        assert s.answered == {pupils[0].id, pupils[1].id, late.id}
        assert late.id in s.joined and late.id not in s.expected
        await h.tap(pupils[5], join)  # the lobby's button, pressed after the start
        await agrees(h, room)

        # Time is up: the discussion, then the re-vote, whose answers are a new round.
        clock.advance(s.current.seconds)
        await live_engine.close_due_sessions(h.app)
        s = await agrees(h, room)
        assert s.stage is Stage.DISCUSS
        await room.timers(s.current.discuss)
        s = await agrees(h, room)
        assert s.stage is Stage.REVOTE and not s.answered
        await room.answer(pupils[2], right)
        s = await agrees(h, room)
        assert s.answered == {pupils[2].id}

        # /forgetme moves a student's live rows to an anonymous owner.
        await h.send("/forgetme", pupils[2], chat_id=pupils[2].id)
        await h.tap(pupils[2], texts.BUTTON_FORGET_YES)
        s = await agrees(h, room)
        assert pupils[2].id not in s.answered | s.joined

        await room.control("sk")
        await agrees(h, room)
        await room.control("st")
        assert await h.repo.get_live(room.session_id) == await on_disk(h, room.session_id)
        assert h.repo.live_cache.get(room.session_id) is None  # ended sessions are not kept


async def test_a_read_that_overlaps_a_write_is_not_kept(tmp_path: Path) -> None:
    clock = FakeClock()
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.open("facts")
        pupil = make_class(1)[0]
        await room.join(pupil)
        await room.control("go")
        s = await room.session()
        h.repo.live_cache.invalidate_all()  # as after a restart: the next read goes to the file
        answer = LiveAnswer(
            session_id=s.id,
            question_id=s.current.question_id,
            position=s.position,
            user_id=pupil.id,
            keys=frozenset({s.current.order[0]}),
            correct=False,
            points=0.0,
            answered_at=clock.now + timedelta(seconds=1),
            elapsed_ms=1000,
        )
        # A read is queued before the write, and its result comes back late, as under load:
        # after the write has been recorded.
        store = h.repo.store
        queued, late = store.snapshot, asyncio.Event()

        @asynccontextmanager
        async def slow():
            async with queued() as db:
                yield db
            await late.wait()

        store.snapshot = slow
        read = asyncio.ensure_future(h.repo.get_live(s.id))
        for _ in range(20):  # until the read is done and held back on its way out
            await asyncio.sleep(0.005)
        store.snapshot = queued
        assert await h.repo.record_live_answer(answer)
        late.set()
        assert pupil.id not in (await read).answered
        # What it read was not kept: the next read has the answer.
        assert pupil.id in (await h.repo.get_live(s.id)).answered
        assert await h.repo.get_live(s.id) == await on_disk(h, s.id)
