"""Drives live group sessions: applies domain events, stores them, shows them, times them.

The commit, the lock and the timers stay in one module: a commit schedules the next deadline,
whose job ticks, and a tick commits.

Presses and timers both come through here. One lock per session makes them take turns, and the
stored step guards every transition, so a timer and a press (or two timers) can never apply the
same transition twice. Deadlines are absolute UTC times in SQLite; the job queue only wakes us
up, and `close_due_sessions` / `run_timers` do the same work on demand (tests, restarts).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

from apscheduler.jobstores.base import JobLookupError
from telegram.error import Forbidden, TelegramError

from bot import review_schedule
from bot.context import QuizApp, QuizContext
from bot.live.outbox import transient
from bot.live.presenter import scores, show, show_current
from bot.live.runtime import current_time, runtime
from quizzes import live
from quizzes.live import Event, LiveSession, Phase, Status, Step

log = logging.getLogger(__name__)


Action = Callable[[LiveSession], Step]


async def open_lock(
    app: QuizApp, session_id: int, chat_id: int | None = None
) -> asyncio.Lock | None:
    """The lock of an open session (in `chat_id`), None for any other id: a forged id in a
    button's data must not cost a lock. Whoever takes it reads the session again inside."""
    s = await app.bot_data.repo.get_live(session_id)
    if s is None or not s.is_open or (chat_id is not None and s.chat_id != chat_id):
        return None
    return runtime(app).lock(session_id)


async def drive(
    app: QuizApp, session_id: int, action: Action, step: int | None = None
) -> LiveSession | None:
    """Apply one event to an open session under its lock. None when the session is not open or
    (with `step`) has moved on since the button was drawn."""
    lock = await open_lock(app, session_id)
    if lock is None:
        return None
    async with lock:
        before = await app.bot_data.repo.get_live(session_id)
        if before is None or not before.is_open or (step is not None and before.step != step):
            return None
        after, events = action(before)
        if not events:
            return before
        return await commit(app, before, after, events)


async def commit(
    app: QuizApp, before: LiveSession, after: LiveSession, events: tuple[Event, ...]
) -> LiveSession | None:
    """Store a transition (unless someone else made it first), show it, time the next one."""
    repo = app.bot_data.repo
    if after.is_open:
        saved = await repo.save_live(after, before.step)
    else:
        # The scores are stored with the ending itself, before anything is shown.
        rows = await scores(app, after) if after.status is not Status.CANCELLED else []
        saved = await repo.end_live(after, before.step, rows)
    if not saved:
        return None
    try:
        after = await show(app, before, after, events)
    except TelegramError as error:
        if not transient(error):
            raise
        # Stored but not (fully) shown: shown_step stays behind, so the refresh timer (or, for
        # a session that ended, the watch) shows it again, and the session keeps its timing.
        log.warning("live session %s: step %s not shown yet: %s", after.id, after.step, error)
    else:
        await repo.mark_live_shown(after.id, after.step)
    if not after.is_open:
        await review_schedule.after_live(app, after)
    schedule(app, after)
    return after


def _job_names(session_id: int) -> tuple[str, str]:
    return f"live-deadline-{session_id}", f"live-refresh-{session_id}"


def _remove(app: QuizApp, name: str) -> None:
    job = runtime(app).timers.pop(name, None)
    if job is not None:
        # A deadline job that has fired is gone from the queue already.
        with suppress(JobLookupError):
            job.schedule_removal()


def schedule(app: QuizApp, s: LiveSession) -> None:
    """One run_once job at the session's deadline, one repeating job for its counters."""
    deadline_name, refresh_name = _job_names(s.id)
    _remove(app, deadline_name)
    if not s.is_open:
        _remove(app, refresh_name)
        runtime(app).forget(s.id)
        return
    jobs, timers = app.job_queue, runtime(app).timers
    if s.deadline is not None:
        delay = max(0.0, (s.deadline - current_time(app)).total_seconds())
        # However late the job queue wakes up (a busy loop, a wall-clock step), run the job:
        # APScheduler would otherwise drop it after a 1-second grace time.
        late = {"misfire_grace_time": None}
        timers[deadline_name] = jobs.run_once(
            deadline_job, when=delay, data=s.id, name=deadline_name, job_kwargs=late
        )
    if refresh_name not in timers:
        every = runtime(app).rules.refresh_seconds
        timers[refresh_name] = jobs.run_repeating(
            refresh_job, interval=every, first=every, data=s.id, name=refresh_name
        )


async def tick(app: QuizApp, session_id: int) -> LiveSession | None:
    """Act on a session's deadline if it has passed (or on a question everyone answered)."""
    now, rules = current_time(app), runtime(app).rules
    return await drive(app, session_id, lambda s: live.tick(s, now, rules))


async def repair(app: QuizApp, s: LiveSession) -> LiveSession:
    """Show again what a crash (or a failed send) left unshown; edits are idempotent."""
    s = await show(app, None, s, live.entry_events(s, runtime(app).rules))
    await app.bot_data.repo.mark_live_shown(s.id, s.step)
    return s


async def refresh(app: QuizApp, session_id: int) -> None:
    """The repeating timer: move on if due, repair, then update the lobby or answer counter
    if its number changed (the counter at most once per counter_seconds)."""
    await tick(app, session_id)
    rules = runtime(app).rules
    lock = await open_lock(app, session_id)
    if lock is None:
        return
    async with lock:
        s = await app.bot_data.repo.get_live(session_id)
        if s is None or not s.is_open or s.paused:
            return
        if s.shown_step < s.step:
            await repair(app, s)
            return
        # The timer paces these edits; the margin absorbs its jitter (half a period).
        if s.phase is Phase.LOBBY:
            count, minimum = len(s.joined), rules.refresh_seconds / 2
        elif s.accepting:
            count, minimum = len(s.answered), rules.counter_seconds - rules.refresh_seconds / 2
        else:
            return  # a reveal, or a peer round's discussion: nothing counts up
        shown = runtime(app).shown.get(s.id)
        if shown is not None and shown.step != s.step:
            shown = None
        if live.refresh_due(
            shown.count if shown else None,
            shown.at if shown else None,
            count,
            current_time(app),
            minimum,
        ):
            await show_current(app, app.bot_data.banks[s.bank_id], s)


async def abandon(app: QuizApp, session_id: int) -> None:
    """The bot can no longer post in the group: end the session quietly, keeping its scores."""
    async with runtime(app).lock(session_id):
        s = await app.bot_data.repo.get_live(session_id)
        if s is None or not s.is_open:
            return
        ended, _ = live.abandon(s, current_time(app))  # its events: nowhere left to show them
        rows = await scores(app, ended) if ended.status is Status.STOPPED else []
        if await app.bot_data.repo.end_live(ended, s.step, rows):
            # Nothing can be shown there any more: the watch must not try.
            await app.bot_data.repo.mark_live_shown(s.id, ended.step)
            schedule(app, ended)


async def guarded(
    app: QuizApp, session_id: int, work: Callable[[QuizApp, int], Awaitable[object]]
) -> None:
    try:
        await work(app, session_id)
    except Forbidden as error:
        log.warning("live session %s: cannot post in its group (%s); ending it", session_id, error)
        await abandon(app, session_id)


async def deadline_job(context: QuizContext) -> None:
    """Job: a session's deadline has come. The firing is only a wake-up: the stored deadline and
    the bot's clock decide, and if time is still left (the job queue and the bot's clock
    disagree), the job is set again for what is left."""
    app, session_id = context.application, context.job.data
    await guarded(app, session_id, tick)
    if (s := await app.bot_data.repo.get_live(session_id)) is None or not s.is_open:
        return
    async with runtime(app).lock(session_id):
        s = await app.bot_data.repo.get_live(session_id)
        if s is not None and s.is_open:
            schedule(app, s)


async def refresh_job(context: QuizContext) -> None:
    """Job: a session's periodic counter refresh (and a safety net for missed deadlines)."""
    await guarded(context.application, context.job.data, refresh)
