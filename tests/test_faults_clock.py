"""Fault suite, clocks: deadlines on a base that survives clock changes.

What that means here: deadlines are stored as absolute UTC times (the only base that survives a
restart), read against the bot's clock, which is steady while the process runs (bot/clock.py: a
wall-clock step up to a minute is absorbed at 1% of the elapsed time; a larger one is followed
at once, with a warning). The job queue only wakes the engine up; the stored deadline and the
bot's clock decide, a wake-up that comes too early sets the job again for what is left, and the
stored step lets a transition happen only once. So a clock that jumps (under the job queue, or
the bot's own) reveals nothing early, nothing twice, and always reveals."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import texts
from bot.app import build_application
from bot.clock import STEP_OVER, SteadyClock
from bot.live import api as live_engine
from quizzes.live import LiveRules, Phase
from tests.fault_support import RECORDED
from tests.harness import Harness, running
from tests.live_support import GROUP, T0, FakeClock, Room, live_config, make_class


class Wall:
    """A wall clock and a monotonic counter the test sets by hand."""

    def __init__(self) -> None:
        self.now, self.ticks = T0, 1000.0

    def run(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.ticks += seconds

    def step(self, seconds: float) -> None:
        """NTP (or an operator) sets the wall clock; the monotonic counter does not move."""
        self.now += timedelta(seconds=seconds)


# --- the steady clock ----------------------------------------------------------------------


@pytest.mark.parametrize("step", [STEP_OVER, 10, -10, -STEP_OVER])
def test_steady_clock_absorbs_a_small_step_slowly_and_never_goes_back(
    step: float, caplog: pytest.LogCaptureFixture
) -> None:
    wall = Wall()
    clock = SteadyClock(lambda: wall.now, lambda: wall.ticks)
    start = clock()
    wall.run(5)
    wall.step(step)
    readings = [clock()]
    for _ in range(30):
        wall.run(1)
        readings.append(clock())
    # A 30-second question lasts 30 s +/- 1%, whatever the wall clock did.
    assert abs((readings[-1] - readings[0]).total_seconds() - 30) <= 0.3 + 1e-6
    assert all(b > a for a, b in zip([start, *readings], readings, strict=False))
    # And the clock comes back to the wall clock by itself, within step / 1% of running time:
    # at most STEP_OVER / 0.01 seconds for the largest step it slews.
    wall.run(abs(step) / 0.01 - 30)
    assert abs((clock() - wall.now).total_seconds()) < 1e-3
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("step", [3600, STEP_OVER + 1, -(STEP_OVER + 1), -3600])
def test_steady_clock_follows_a_large_step_at_once_and_says_so(
    step: float, caplog: pytest.LogCaptureFixture
) -> None:
    """Slewed at 1%, an hour would take a hundred hours to absorb, with every stored time off
    meanwhile: past the threshold the clock is set to the wall clock, with a warning."""
    wall = Wall()
    clock = SteadyClock(lambda: wall.now, lambda: wall.ticks)
    clock()
    wall.run(5)
    wall.step(step)
    with caplog.at_level(logging.WARNING, logger="bot.clock"):
        assert clock() == wall.now
        for _ in range(3):
            wall.run(1)
            assert clock() == wall.now  # and steady again from there
    (warning,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning.levelno == logging.WARNING and f"{step:+.0f} s" in warning.getMessage()


def test_steady_clock_follows_a_quiet_wall_clock() -> None:
    wall = Wall()
    clock = SteadyClock(lambda: wall.now, lambda: wall.ticks)
    for _ in range(10):
        wall.run(0.5)
        assert clock() == wall.now


def test_production_uses_the_steady_clock(tmp_path: Path) -> None:
    app = build_application(live_config(tmp_path))
    assert isinstance(app.bot_data.clock, SteadyClock)
    assert abs((app.bot_data.clock() - datetime.now(UTC)).total_seconds()) < 1


# --- the job queue and the bot's clock disagree --------------------------------------------


def due_in(job: object) -> float:
    """Seconds until the job queue runs a job (the date it was given, on the wall clock)."""
    return (job.job.trigger.run_date - datetime.now(UTC)).total_seconds()


async def fire(h: Harness, session_id: int) -> None:
    """The deadline job fires: the job queue drops a run-once job, then runs it."""
    (job,) = h.app.job_queue.get_jobs_by_name(f"live-deadline-{session_id}")
    job.schedule_removal()
    await job.run(h.app)


def group_edits(h: Harness, *parts: str) -> list:
    return [
        c
        for c in h.request.calls
        if c.chat_id == GROUP and c.method == "editMessageText" and all(p in c.text for p in parts)
    ]


async def test_a_wake_up_before_the_deadline_reveals_nothing_and_waits_again(
    tmp_path: Path,
) -> None:
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        lobby = await room.open("facts")
        for p in pupils:
            await room.join(p)
        (job,) = h.app.job_queue.get_jobs_by_name(f"live-deadline-{lobby.id}")
        assert job.job.misfire_grace_time is None  # run late rather than never
        # 90 s later the job fires, but the bot's clock says 30 s: it was stepped back 60 s.
        clock.advance(30)
        await fire(h, lobby.id)
        assert (await room.session()).phase is Phase.LOBBY
        (again,) = h.app.job_queue.get_jobs_by_name(f"live-deadline-{lobby.id}")
        assert abs(due_in(again) - 60) < 1
        # When the time has really come: started once, however many wake-ups arrive.
        clock.advance(60)
        await fire(h, lobby.id)
        await room.timers()
        await live_engine.close_due_sessions(h.app)
        s = await room.session()
        assert s.phase is Phase.QUESTION and s.position == 0 and s.started_at == lobby.deadline
        sent = [c for c in h.request.of("sendMessage", GROUP) if "السؤال ١ من" in c.text]
        assert len(sent) == 1
        assert len(group_edits(h, "بدأت الجلسة")) == 1


async def test_a_small_wall_clock_step_forward_does_not_cut_a_question_short(
    tmp_path: Path,
) -> None:
    """Under the steady clock, a step of the wall clock up to a minute is not a step of the
    bot's time."""
    wall = Wall()
    clock = SteadyClock(lambda: wall.now, lambda: wall.ticks)
    pupils = make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)  # type: ignore[arg-type]  # Room only reads the clock here
        opened = await room.begin("facts", pupils)
        wall.run(5)
        wall.step(STEP_OVER)  # NTP steps the wall clock a minute forward
        await live_engine.run_timers(h.app)
        await live_engine.close_due_sessions(h.app)
        assert (await room.session()).phase is Phase.QUESTION
        assert (await room.respond(pupils[0], True)).startswith(RECORDED)
        # Early by at most the 1% slew (0.25 s of 25): still open 0.3 s before its end...
        wall.run(opened.current.seconds - 5 - 0.3)
        await live_engine.close_due_sessions(h.app)
        assert (await room.session()).phase is Phase.QUESTION
        # ...and revealed, once, when its time is up.
        wall.run(0.3)
        await live_engine.close_due_sessions(h.app)
        await live_engine.run_timers(h.app)
        assert (await room.session()).phase is Phase.REVEAL
        assert len(group_edits(h, texts.LIVE_REASON_TIMEOUT)) == 1


async def test_a_large_wall_clock_step_forward_ends_the_question_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An hour forward is followed at once (with a warning): the open question's time is up,
    and it is revealed once, with the answer given before the step."""
    wall = Wall()
    clock = SteadyClock(lambda: wall.now, lambda: wall.ticks)
    pupils = make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)  # type: ignore[arg-type]  # Room only reads the clock here
        opened = await room.begin("facts", pupils)
        assert (await room.respond(pupils[0], True)).startswith(RECORDED)
        wall.run(5)
        wall.step(3600)
        with caplog.at_level(logging.WARNING, logger="bot.clock"):
            for _ in range(3):
                await live_engine.close_due_sessions(h.app)
                await live_engine.run_timers(h.app)
        s = await room.session()
        assert s.phase is Phase.REVEAL and s.step == opened.step + 1
        assert len(group_edits(h, texts.LIVE_REASON_TIMEOUT)) == 1
        assert [a.user_id for a in await h.repo.live_answers(opened.id)] == [pupils[0].id]
        assert len([r for r in caplog.records if r.name == "bot.clock"]) == 1


async def test_the_bot_clock_jumping_cannot_reveal_twice_or_score_negative(
    tmp_path: Path,
) -> None:
    clock, pupils = FakeClock(), make_class(3)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.open("facts")
        for p in pupils:
            await room.join(p)
        await room.control("sp")  # speed points: the answer time matters
        await room.control("go")
        opened = await room.session()
        # Stepped back 100 s: an answer "before the question opened" counts as instant.
        clock.advance(-100)
        assert (await room.respond(pupils[0], True)).startswith(RECORDED)
        # Stepped forward an hour: time is up; every wake-up sees the same single reveal.
        clock.advance(3700)
        assert await room.respond(pupils[1], True) == texts.LIVE_TOAST_CLOSED
        await fire(h, opened.id)
        await room.timers()
        await live_engine.close_due_sessions(h.app)
        answers = await h.repo.live_answers(opened.id)
        assert [(a.user_id, a.elapsed_ms, a.points) for a in answers] == [(pupils[0].id, 0, 1.0)]
        s = await room.session()
        assert s.phase is Phase.REVEAL and s.step == opened.step + 1
        assert len(group_edits(h, "📨")) == 1


async def test_real_job_queue_with_a_clock_stepped_back_between_scheduling_and_firing(
    tmp_path: Path,
) -> None:
    """The job queue waits 0.1 s as asked, but the bot's clock was stepped back 0.15 s
    meanwhile: the lobby starts when the bot's clock reaches its deadline, not before, and
    not a refresh period (30 s here) later."""
    offset = [0.0]
    base, at = datetime.now(UTC), time.monotonic()

    def clock() -> datetime:
        return base + timedelta(seconds=time.monotonic() - at + offset[0])

    async with running(live_config(tmp_path), clock=clock) as h:
        h.app.bot_data.live.rules = LiveRules(lobby_seconds=0.1, refresh_seconds=30)
        room = Room(h, FakeClock())
        lobby = await room.open("facts")
        await room.join(make_class(1)[0])
        offset[0] -= 0.15
        for _ in range(50):
            await asyncio.sleep(0.02)
            if (await room.session()).phase is not Phase.LOBBY:
                break
        s = await room.session()
        assert s.phase is Phase.QUESTION
        assert s.started_at >= lobby.deadline


async def test_the_watch_reveals_when_the_job_queue_stalls(tmp_path: Path) -> None:
    """The job queue's wall clock was stepped back an hour: none of its jobs fires. The watch,
    which sleeps on the event loop's own clock, still reveals on time, once."""
    clock, pupils = FakeClock(), make_class(2)
    async with running(live_config(tmp_path), clock=clock) as h:
        room = Room(h, clock)
        await room.begin("facts", pupils)
        assert (await room.respond(pupils[0], True)).startswith(RECORDED)
        h.app.bot_data.live.rules = LiveRules(refresh_seconds=0.02)
        live_engine.start_watch(h.app)  # wakes up on the new, short period
        h.app.job_queue.scheduler.pause()
        opened = await room.session()
        clock.advance(opened.current.seconds - 1)
        await asyncio.sleep(0.05)
        assert (await room.session()).phase is Phase.QUESTION  # nothing early
        clock.advance(1)
        for _ in range(50):
            await asyncio.sleep(0.02)
            if (await room.session()).phase is Phase.REVEAL:
                break
        await asyncio.sleep(0.04)  # a few more periods: still one reveal
        s = await room.session()
        assert s.phase is Phase.REVEAL and s.step == opened.step + 1
        assert len(group_edits(h, texts.LIVE_REASON_TIMEOUT)) == 1
