"""Live sessions survive a restart: a new Application over the same SQLite file carries on."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot import texts
from quizzes import live
from quizzes.live import LiveRules, LiveSession, Phase
from tests.buttons import Button
from tests.fakes import RecordingRequest
from tests.harness import running
from tests.live_support import GROUP, FakeClock, Room, live_config, make_class


async def _mid_question(
    tmp_path: Path, clock: FakeClock, pupils: list
) -> tuple[int, Button, RecordingRequest]:
    """Run a session up to the middle of its first question, two of three answered. Returns
    the session, the right option's button, and Telegram as the next process finds it."""
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.begin("facts", pupils)
        clock.advance(2)
        for p in pupils[:2]:
            assert (await room.respond(p, True)).startswith("سُجّلت")
        s = await room.session()
        pressed = await room.option(sorted(room.question(s).answer)[0])
        return s.id, pressed, h.request.reopened()


async def test_restart_before_the_deadline_keeps_answers_and_the_deadline(tmp_path: Path) -> None:
    clock = FakeClock()
    pupils = make_class(3)
    session_id, pressed, telegram = await _mid_question(tmp_path, clock, pupils)
    clock.advance(5)
    async with running(live_config(tmp_path), clock=clock, request=telegram) as h:
        room = Room(h, clock)
        room.session_id = session_id
        s = await room.session()
        # Nothing was revealed on startup: the deadline is still ahead, and it is rescheduled.
        assert s.phase is Phase.QUESTION and not h.request.of("editMessageText", GROUP)
        assert {j.name for j in h.app.job_queue.jobs() if j.name.startswith("live-")} == {
            f"live-deadline-{session_id}",
            f"live-refresh-{session_id}",
        }
        assert s.answered == {pupils[0].id, pupils[1].id}
        # A press redelivered from before the restart does not count twice.
        calls = await h.tap(pupils[0], pressed)
        assert h.toast(calls) == texts.LIVE_TOAST_ALREADY
        # The last student answers in the new process: everyone has, so the reveal comes.
        assert (await room.respond(pupils[2], False)).startswith("سُجّلت")
        reveal = h.request.last("editMessageText", GROUP)
        assert texts.LIVE_REASON_ALL_ANSWERED in reveal.text
        assert "📨 الإجابات: ٣ من ٣ · الصحيحة منها: ٢" in reveal.text
        assert reveal.params["message_id"] == s.message_id


async def test_restart_after_the_deadline_reveals_at_once(tmp_path: Path) -> None:
    clock = FakeClock()
    pupils = make_class(3)
    session_id, _, _ = await _mid_question(tmp_path, clock, pupils)
    clock.advance(600)
    async with running(live_config(tmp_path), clock=clock) as h:
        # Revealed during startup, before any update arrived.
        reveals = h.request.of("editMessageText", GROUP)
        assert len(reveals) == 1 and texts.LIVE_REASON_TIMEOUT in reveals[0].text
        assert "📨 الإجابات: ٢ من ٣ · الصحيحة منها: ٢" in reveals[0].text
        s = await h.repo.get_live(session_id)
        assert s.phase is Phase.REVEAL and s.deadline == clock.now + timedelta(
            seconds=h.app.bot_data.live.rules.reveal_seconds
        )
        assert f"live-deadline-{session_id}" in [j.name for j in h.app.job_queue.jobs()]


async def test_restart_after_a_crash_between_saving_and_showing(tmp_path: Path) -> None:
    """A transition stored but never shown (the process died in between) is shown on startup."""
    clock = FakeClock()
    pupils = make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.open("facts")
        for p in pupils:
            await room.join(p)
        s = await room.session()
        started, _ = live.start(s, clock.now)
        assert await h.repo.save_live(started, s.step)
    async with running(live_config(tmp_path), clock=clock) as h:
        sent = h.request.of("sendMessage", GROUP)
        assert len(sent) == 1 and "السؤال ١ من ١٨" in sent[0].text
        s = await h.repo.get_live(s.id)
        assert s.message_id is not None and s.shown_step == s.step


async def test_the_job_queue_runs_the_timers(tmp_path: Path) -> None:
    """With the real clock and the job queue started, the lobby countdown and the question
    deadline fire by themselves (timings shrunk to fractions of a second)."""
    async with running(live_config(tmp_path)) as h:
        h.app.bot_data.live.rules = LiveRules(
            lobby_seconds=0.2, refresh_seconds=0.1, reveal_seconds=30
        )
        room = Room(h, FakeClock())
        session = await room.open("facts")
        names = {j.name for j in h.app.job_queue.jobs() if j.name.startswith("live-")}
        assert names == {f"live-deadline-{session.id}", f"live-refresh-{session.id}"}
        await room.join(make_class(1)[0])

        def question_job(s: LiveSession) -> list:
            """The question's deadline job, once the question is stored, shown and timed
            (the lobby's countdown job has the same name)."""
            jobs = h.app.job_queue.get_jobs_by_name(f"live-deadline-{s.id}")
            if s.phase is not Phase.QUESTION or s.shown_step < s.step:
                return []
            return [j for j in jobs if abs((j.next_t - s.deadline).total_seconds()) < 1.0]

        for _ in range(40):
            await asyncio.sleep(0.05)
            if question_job(await room.session()):
                break
        s = await room.session()
        assert s.phase is Phase.QUESTION
        assert "السؤال ١ من ١٨" in h.request.last("sendMessage", GROUP).text
        # The question's deadline job is due when the stored deadline says.
        (job,) = h.app.job_queue.get_jobs_by_name(f"live-deadline-{s.id}")
        left = (job.next_t - s.deadline).total_seconds()
        assert abs(left) < 1.0
        # Shorten the stored deadline: the repeating refresh job notices and reveals.
        assert await h.repo.save_live(replace(s, deadline=h.app.bot_data.clock()), s.step)
        for _ in range(40):
            await asyncio.sleep(0.05)
            if (await room.session()).phase is Phase.REVEAL:
                break
        assert (await room.session()).phase is Phase.REVEAL
