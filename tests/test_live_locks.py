"""Per-session locks: only real sessions get one, none outlives its users, and forgetting a
session never lets a second holder in beside the first."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

import pytest

from bot import texts
from bot.live import api as live_engine
from bot.live.runtime import LiveRuntime
from tests.harness import running
from tests.live_support import GROUP, TEACHER, FakeClock, Room, live_config, make_class


async def test_forgetting_a_session_while_its_lock_is_held_keeps_others_out() -> None:
    rt = LiveRuntime()
    inside: list[str] = []
    holding, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with rt.lock(1):
            inside.append("first in")
            holding.set()
            await release.wait()
            inside.append("first out")

    async def second() -> None:
        async with rt.lock(1):
            inside.append("second in")

    held = asyncio.ensure_future(first())
    await holding.wait()
    rt.forget(1)  # the session ended while its lock is held (schedule() does this)
    waiting = asyncio.ensure_future(second())
    await asyncio.sleep(0.01)
    assert inside == ["first in"]
    release.set()
    await asyncio.gather(held, waiting)
    assert inside == ["first in", "first out", "second in"]


async def test_a_lock_lasts_only_while_someone_holds_or_awaits_it() -> None:
    rt = LiveRuntime()
    async with rt.lock(7):
        assert rt.lock(7) is rt.lock(7)
        assert len(rt.locks) == 1
    gc.collect()
    assert len(rt.locks) == 0


async def test_forged_session_ids_get_no_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock, pupils = FakeClock(), make_class(1)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.begin("facts", pupils)
        real = room.session_id
        locked: list[int] = []
        rt = h.app.bot_data.live
        lock = rt.lock
        monkeypatch.setattr(
            rt, "lock", lambda session_id: locked.append(session_id) or lock(session_id)
        )
        # Through Telegram, one forged press of every kind that names a session.
        for data in (f"la:{real + 1}:0:a", f"lr:{real + 2}:0:a", f"lj:{real + 3}"):
            assert h.toast(await h.press_data(data, pupils[0], GROUP)) == texts.STALE
        for data in (f"ls:{real + 4}:0:a", f"lk:{real + 5}:0"):
            assert h.toast(await h.press_data(data, pupils[0], GROUP)) == texts.STALE
        assert h.toast(await h.press_data(f"lc:{real + 6}:0:sk", TEACHER, GROUP)) == texts.STALE
        # And ten thousand more, straight into the engine (what a flood of them would reach).
        app, student = h.app, pupils[0].id
        for forged in range(real + 10, real + 10_010):
            assert await live_engine.join(app, forged, GROUP, student) is None
            assert await live_engine.drive(app, forged, lambda s: (s, ())) is None
        # Validated before locking: not one lock was asked for (the session's own timers may
        # lock the real one meanwhile, on a slower database).
        assert set(locked) <= {real}
        gc.collect()
        assert set(rt.locks) <= {real}
        assert (await room.session()).is_open
