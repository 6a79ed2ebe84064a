"""Fault suite, the database busy: another connection holds SQLite's write lock.

Shorter than busy_timeout, the bot waits and records the answer once the lock is released.
Longer, the student gets the Arabic apology, nothing is half-written, and the press delivered
again (or pressed again) is recorded once."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot import texts
from tests.fault_support import (
    RECORDED,
    STUDENT,
    AnswerOnce,
    answers_to,
    begin,
    count,
    replay,
    right,
    rows,
    stored,
)
from tests.harness import Harness, make_config, running
from tests.live_support import GROUP, FakeClock, Room, live_config, make_class

# SQLite's own failures: a full file, a held write lock, its pragmas.
pytestmark = pytest.mark.sqlite_only


@contextmanager
def write_lock(db_path: Path) -> Iterator[sqlite3.Connection]:
    """Another process's write transaction (a backup tool, an operator's sqlite3 shell)."""
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


async def short_busy_timeout(h: Harness, milliseconds: int = 50) -> None:
    """Production waits 5 s (storage.base.BUSY_TIMEOUT_MS); the test need not."""
    await h.repo.store.db.execute(f"PRAGMA busy_timeout = {milliseconds}")


def locked(errors: list[BaseException]) -> bool:
    return bool(errors) and all(
        isinstance(e, sqlite3.OperationalError) and "locked" in str(e) for e in errors
    )


# --- private attempts ----------------------------------------------------------------------


async def test_private_answer_waits_for_a_short_lock(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    async with running(config) as h:
        attempt, question = await begin(h)
        with write_lock(config.db_path):
            pressed = asyncio.create_task(h.tap(STUDENT, right(h, attempt, question)))
            await asyncio.sleep(0.05)
            assert not pressed.done()  # waiting inside busy_timeout, not failing
            assert stored(h, attempt) == []
        calls = await pressed
        assert answers_to(calls)[0].params["text"] == texts.TOAST_CORRECT
        assert stored(h, attempt) == [(attempt.question_ids[0], 1)]


async def test_private_answer_during_a_long_lock_gets_the_apology_then_counts_once(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path)
    async with running(config, expect_errors=True) as h:
        h.request.responders.append(AnswerOnce())
        attempt, question = await begin(h)
        await short_busy_timeout(h)
        press = h.tap_update(right(h, attempt, question), STUDENT)
        with write_lock(config.db_path):
            calls = await h.process(press)
        assert locked(h.errors)
        (toast,) = answers_to(calls)
        assert toast.params["text"] == texts.APOLOGY and toast.params["show_alert"]
        # Nothing half-written: no answer, the attempt where it was.
        assert stored(h, attempt) == []
        assert (await h.repo.get_attempt(attempt.id)) == attempt
        # Delivered again once the lock is gone: recorded; and again: still once.
        h.errors.clear()
        for _ in range(2):
            await replay(h, press)
        await h.tap(STUDENT, right(h, attempt, question))  # or the student presses again
        assert not h.errors
        assert stored(h, attempt) == [(attempt.question_ids[0], 1)]


# --- live sessions -------------------------------------------------------------------------


async def test_live_press_waits_for_a_short_lock(tmp_path: Path) -> None:
    config, clock, pupils = live_config(tmp_path), FakeClock(), make_class(2)
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await room.begin("facts", pupils)
        with write_lock(config.db_path):
            pressed = asyncio.create_task(room.respond(pupils[0], True))
            await asyncio.sleep(0.05)
            assert not pressed.done()
        assert (await pressed).startswith(RECORDED)
        assert count(config.db_path, "live_answers") == 1


async def test_live_session_through_a_long_lock(tmp_path: Path) -> None:
    config, clock, pupils = live_config(tmp_path), FakeClock(), make_class(2)
    async with running(config, clock=clock, expect_errors=True) as h:
        room = Room(h, clock)
        await room.begin("facts", pupils)
        await room.respond(pupils[0], True)
        s = await room.session()
        key = sorted(room.question(s).answer)[0]
        press = h.tap_update(await room.option(key), pupils[1])
        await short_busy_timeout(h)
        before = rows(config.db_path, "SELECT * FROM live_sessions")
        with write_lock(config.db_path):
            calls = await h.process(press)
            # The question's time runs out meanwhile: the timer cannot store the reveal.
            clock.advance(60)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                await room.timers()
        assert locked(h.errors)
        assert answers_to(calls)[0].params["text"] == texts.APOLOGY
        assert rows(config.db_path, "SELECT * FROM live_sessions") == before
        assert count(config.db_path, "live_answers") == 1
        # The lock is gone: the press delivered again comes too late, and counts nothing;
        # the timer reveals the question once.
        h.errors.clear()
        calls = await replay(h, press)
        assert answers_to(calls)[0].params["text"] == texts.LIVE_TOAST_CLOSED
        await room.timers()
        await room.timers()
        assert not h.errors
        revealed = [c for c in h.request.of("editMessageText", GROUP) if "📨" in c.text]
        assert len(revealed) == 1 and texts.LIVE_REASON_TIMEOUT in revealed[0].text
        assert count(config.db_path, "live_answers") == 1
        assert (await room.session()).step == s.step + 1


async def test_live_press_after_a_long_lock_counts_once(tmp_path: Path) -> None:
    config, clock, pupils = live_config(tmp_path), FakeClock(), make_class(2)
    async with running(config, clock=clock, expect_errors=True) as h:
        room = Room(h, clock)
        s = await room.begin("facts", pupils)
        key = sorted(room.question(s).answer)[0]
        press = h.tap_update(await room.option(key), pupils[0])
        await short_busy_timeout(h)
        with write_lock(config.db_path):
            await h.process(press)
        assert locked(h.errors) and count(config.db_path, "live_answers") == 0
        h.errors.clear()
        toasts = [answers_to(await replay(h, press))[0].params["text"] for _ in range(2)]
        assert toasts[0].startswith(RECORDED) and toasts[1] == texts.LIVE_TOAST_ALREADY
        assert (await room.respond(pupils[1], True)).startswith(RECORDED)
        assert not h.errors
        assert rows(config.db_path, "SELECT user_id, correct FROM live_answers ORDER BY id") == [
            (pupils[0].id, 1),
            (pupils[1].id, 1),
        ]
        assert (await room.session()).phase.value == "reveal"
