"""Fault suite, the process killed and restarted: nothing recorded is lost, deadlines are set
again from SQLite, and updates Telegram delivers again after the restart count nothing twice.

A kill is simulated two ways: copying the SQLite file and its WAL at a chosen instant (even in
the middle of a handler, from inside a Bot API call) and starting a new Application on the
copy; or leaving an Application without its shutdown (no post_shutdown, the connection never
closed or checkpointed) and starting another on the same file."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram import Update

from bot import texts
from bot.app import build_application
from bot.live import api as live_engine
from quizzes.live import Phase
from tests.fakes import Call, RecordingRequest
from tests.fault_support import (
    FINAL,
    KICKED,
    RECORDED,
    STUDENT,
    Fault,
    answers_to,
    begin,
    count,
    replay,
    right,
    rows,
    snapshot,
    stored,
)
from tests.harness import Harness, make_config, running
from tests.live_support import GROUP, FakeClock, Room, live_config, make_class


class KillAt:
    """A responder that copies the database (the state a kill leaves) at the first call that
    matches: the handler has stored what it stored so far, and nothing after."""

    def __init__(self, db_path: Path, into: Path, method: str, text: str = "") -> None:
        self.db_path, self.into, self.method, self.text = db_path, into, method, text
        self.copy: Path | None = None

    def __call__(self, call: Call) -> None:
        if self.copy is None and call.method == self.method and self.text in call.text:
            self.copy = snapshot(self.db_path, self.into)


def live_state(db_path: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Everything a live session counts: participants, answers, saved scores."""
    return (
        rows(db_path, "SELECT session_id, user_id FROM live_participants ORDER BY 1, 2"),
        rows(db_path, "SELECT * FROM live_answers ORDER BY id"),
        rows(db_path, "SELECT * FROM live_scores ORDER BY session_id, user_id"),
    )


# --- private attempts ----------------------------------------------------------------------


@pytest.mark.sqlite_only  # the database as a killed process left it: a copy of the file
async def test_private_killed_between_recording_and_feedback(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    async with running(config) as h:
        attempt, question = await begin(h)
        kill = KillAt(config.db_path, tmp_path / "killed", "answerCallbackQuery")
        h.request.responders.append(kill)
        press = h.tap_update(right(h, attempt, question), STUDENT)
        await h.process(press)
    assert kill.copy is not None
    # The new process on what the killed one left: the answer is there, no feedback was shown.
    async with running(make_config(tmp_path, db_path=kill.copy)) as h:
        assert stored(h, attempt) == [(attempt.question_ids[0], 1)]
        # Telegram delivers the press again (it was never confirmed): feedback, no new count.
        calls = await replay(h, press)
        assert answers_to(calls)[0].params["text"] == texts.TOAST_CORRECT
        assert "الإجابة الصحيحة" in calls[-1].text
        await replay(h, press)
        assert stored(h, attempt) == [(attempt.question_ids[0], 1)]
        calls = await h.tap(STUDENT, texts.BUTTON_NEXT)
        question = next(c for c in calls if c.method == "sendMessage")
        assert "السؤال ٢ من" in question.text
        attempt = await h.repo.get_attempt(attempt.id)
        await h.tap(STUDENT, right(h, attempt, question))
        assert stored(h, attempt) == [(q, 1) for q in attempt.question_ids[:2]]


async def test_private_process_left_without_shutdown(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    request = RecordingRequest()
    killed = build_application(config, request=request, rate_limiter=None, rng=random.Random(7))
    await killed.initialize()
    await killed.post_init(killed)
    await killed.start()
    try:
        h = Harness(killed, request, [])
        attempt, question = await begin(h)
        await h.tap(STUDENT, right(h, attempt, question))
        # No post_shutdown, no shutdown: the WAL is never checkpointed into the file.
        async with running(config, request=request.reopened()) as again:
            assert stored(again, attempt) == [(attempt.question_ids[0], 1)]
            calls = await again.send("/start", STUDENT)
            assert f"rs:{attempt.id}" in [d for c in calls for _, d in c.buttons]
            await again.tap(STUDENT, texts.BUTTON_NEXT)
            assert (await again.repo.get_attempt(attempt.id)).position == 1
    finally:
        # What the OS does for a killed process: its timers and its connection are gone.
        await killed.stop()
        await live_engine.teardown(killed)
        await killed.bot_data.repo.close()


# --- live sessions -------------------------------------------------------------------------


async def test_live_killed_mid_question_then_restarted_with_every_update_replayed(
    tmp_path: Path,
) -> None:
    clock, pupils = FakeClock(), make_class(3)
    config = live_config(tmp_path)
    delivered: list[Update] = []
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await room.open("facts")
        join = await room.button(texts.LIVE_BUTTON_JOIN)
        for p in pupils:
            delivered.append(h.tap_update(join, p))
            await h.process(delivered[-1])
        await room.control("go")
        clock.advance(3)
        s = await room.session()
        q = room.question(s)
        keys = [sorted(q.answer)[0], next(k for k in s.current.order if k not in q.answer)]
        for p, key in zip(pupils[:2], keys, strict=True):
            delivered.append(h.tap_update(await room.option(key), p))
            assert answers_to(await h.process(delivered[-1]))[0].params["text"].startswith(RECORDED)
        copy = snapshot(config.db_path, tmp_path / "killed")
        before = live_state(copy)
        telegram = h.request.reopened()
    clock.advance(5)
    config = live_config(tmp_path, db_path=copy)
    async with running(config, clock=clock, request=telegram) as h:
        room = Room(h, clock)
        room.session_id = s.id
        restarted = await room.session()
        assert restarted.phase is Phase.QUESTION and restarted.deadline == s.deadline
        # The deadline is set again for the time that was left (30 - 8 seconds).
        (job,) = h.app.job_queue.get_jobs_by_name(f"live-deadline-{s.id}")
        left = (job.job.trigger.run_date - datetime.now(UTC)).total_seconds()
        assert abs(left - (s.deadline - clock.now).total_seconds()) < 1
        # Everything delivered again: nobody joins twice, no answer counts twice. The joins were
        # pressed on the lobby, which is no longer the session's message: they are stale.
        toasts = [answers_to(await replay(h, u))[0].params["text"] for u in delivered]
        assert toasts == [texts.STALE] * 3 + [texts.LIVE_TOAST_ALREADY] * 2
        assert live_state(copy) == before
        # The class goes on: the last answer reveals, the teacher ends the session.
        assert (await room.respond(pupils[2], True)).startswith(RECORDED)
        assert (await room.session()).phase is Phase.REVEAL
        await room.control("st")
        final = live_state(copy)
        assert rows(copy, "SELECT user_id, score FROM live_scores ORDER BY user_id") == [
            (pupils[0].id, 1.0),
            (pupils[1].id, 0.0),
            (pupils[2].id, 1.0),
        ]
        for u in delivered:
            await replay(h, u)
        assert live_state(copy) == final


@pytest.mark.sqlite_only  # the database as a killed process left it: a copy of the file
async def test_live_killed_between_the_last_answer_and_its_reveal(tmp_path: Path) -> None:
    clock, pupils = FakeClock(), make_class(2)
    config = live_config(tmp_path)
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await room.begin("facts", pupils)
        await room.respond(pupils[0], True)
        kill = KillAt(config.db_path, tmp_path / "killed", "answerCallbackQuery", RECORDED)
        h.request.responders.append(kill)
        s = await room.session()
        last = h.tap_update(await room.option(sorted(room.question(s).answer)[0]), pupils[1])
        await h.process(last)
    assert kill.copy is not None
    assert rows(kill.copy, "SELECT phase FROM live_sessions") == [("question",)]
    async with running(live_config(tmp_path, db_path=kill.copy), clock=clock) as h:
        # On startup: everyone had answered, so the question is revealed at once.
        (reveal,) = [c for c in h.request.of("editMessageText", GROUP) if "📨" in c.text]
        assert texts.LIVE_REASON_ALL_ANSWERED in reveal.text
        assert answers_to(await replay(h, last))[0].params["text"] == texts.LIVE_TOAST_ALREADY
        assert count(kill.copy, "live_answers") == 2
        session = await h.repo.get_live(s.id)
        assert session.phase is Phase.REVEAL and session.step == s.step + 1


async def test_restart_when_the_group_removed_the_bot_meanwhile(tmp_path: Path) -> None:
    """A session that cannot be shown any more must not stop the bot from starting: it ends
    with its scores, and the other groups' sessions resume."""
    clock, pupils = FakeClock(), make_class(2)
    other = -100777
    config = live_config(tmp_path)
    async with running(config, clock=clock) as h:
        rooms = [Room(h, clock), Room(h, clock, chat_id=other)]
        for room in rooms:
            await room.begin("facts", pupils)
            await room.respond(pupils[0], True)
        copy = snapshot(config.db_path, tmp_path / "killed")
    clock.advance(60)  # both questions' time ran out while the bot was down
    request = RecordingRequest()
    request.responders.append(
        Fault("editMessageText", lambda: KICKED, 99, lambda c: c.chat_id == GROUP)
    )
    async with running(live_config(tmp_path, db_path=copy), clock=clock, request=request) as h:
        gone = await h.repo.get_live(rooms[0].session_id)
        assert gone.status.value == "stopped"
        assert rows(copy, "SELECT user_id, score FROM live_scores ORDER BY user_id") == [
            (pupils[0].id, 1.0),
            (pupils[1].id, 0.0),
        ]
        going = await h.repo.get_live(rooms[1].session_id)
        assert going.is_open and going.phase is Phase.REVEAL
        assert [c for c in h.request.of("editMessageText", other) if "📨" in c.text]


@pytest.mark.parametrize("at", ["reveal", "final", "unscored"])
@pytest.mark.sqlite_only  # the database as a killed process left it: a copy of the file
async def test_live_killed_while_ending_sends_the_standings_after_restart(
    tmp_path: Path, at: str
) -> None:
    """Killed after the session was stored as ended: redrawing its last reveal, or sending
    its standings. The scores are in SQLite, and the restarted bot sends the standings once.
    ("unscored": a session that an older version ended without storing its scores gets them
    back.)"""
    clock, pupils = FakeClock(), make_class(2)
    config = live_config(tmp_path)
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await room.begin("facts", pupils)
        assert (await room.respond(pupils[0], True)).startswith(RECORDED)
        assert (await room.respond(pupils[1], False)).startswith(RECORDED)
        assert (await room.session()).phase is Phase.REVEAL
        method, text = ("sendMessage", FINAL) if at == "final" else ("editMessageText", "📨")
        kill = KillAt(config.db_path, tmp_path / "killed", method, text)
        h.request.responders.append(kill)
        await room.control("st")
    assert kill.copy is not None
    assert rows(kill.copy, "SELECT status FROM live_sessions") == [("stopped",)]
    saved = [(pupils[0].id, 1.0), (pupils[1].id, 0.0)]
    assert rows(kill.copy, "SELECT user_id, score FROM live_scores ORDER BY user_id") == saved
    if at == "unscored":
        with sqlite3.connect(kill.copy) as db:
            db.execute("DELETE FROM live_scores")
    async with running(live_config(tmp_path, db_path=kill.copy), clock=clock) as h:
        (final,) = [c for c in h.request.of("sendMessage", GROUP) if FINAL in c.text]
        assert pupils[0].first_name in final.text and pupils[1].first_name in final.text
        (board,) = await h.send("/leaderboard", pupils[0], chat_id=GROUP)
        assert pupils[0].first_name in board.text
        clock.advance(60)
        await live_engine.run_timers(h.app)
        assert len([c for c in h.request.of("sendMessage", GROUP) if FINAL in c.text]) == 1
    assert rows(kill.copy, "SELECT user_id, score FROM live_scores ORDER BY user_id") == saved
