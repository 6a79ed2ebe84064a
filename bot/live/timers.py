"""The timers' work on demand (tests, restarts) and the watch, their safety net: every open
session ticked or refreshed, every ended session's unshown end shown again.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import TelegramError

from bot.context import QuizApp
from bot.live.engine import guarded, refresh, repair, tick
from bot.live.outbox import transient
from bot.live.presenter import scores
from bot.live.runtime import current_time, runtime
from quizzes.live import Status

log = logging.getLogger(__name__)


async def close_due_sessions(app: QuizApp) -> None:
    """Tick every open session: what the deadline jobs do, all at once."""
    for s in await app.bot_data.repo.open_lives():
        await tick(app, s.id)


async def run_timers(app: QuizApp) -> None:
    """Everything the timers of every open session would do now (tests call this after moving
    a fake clock; production gets it from the job queue)."""
    for s in await app.bot_data.repo.open_lives():
        await refresh(app, s.id)
    await show_ended(app)


async def _show_ended(app: QuizApp, session_id: int) -> None:
    """Show again the end of a session whose last messages did not all go out (a timeout, a
    crash): until they have, or until it is clear that they never can."""
    repo = app.bot_data.repo
    async with runtime(app).lock(session_id):
        s = await repo.get_live(session_id)
        if s is None or s.is_open or s.shown_step >= s.step:
            return
        if s.status is not Status.CANCELLED:
            # For sessions that ended before the scores were stored with the ending.
            await repo.save_live_scores(s.id, await scores(app, s))
        if s.bank_id in app.bot_data.banks:
            try:
                await repair(app, s)
                return
            except TelegramError as error:
                if transient(error):
                    log.warning("live session %s: end not shown yet: %s", s.id, error)
                    return
                log.warning("live session %s: its end cannot be shown: %s", s.id, error)
        await repo.mark_live_shown(s.id, s.step)  # never to be tried again


async def show_ended(app: QuizApp) -> None:
    """Every ended session whose end is not shown yet: what the watch and a restart do."""
    for session_id in await app.bot_data.repo.unshown_ended_lives():
        await _show_ended(app, session_id)


async def _watch(app: QuizApp) -> None:
    """While the application runs: every refresh period, the timers' work for every open
    session that is due (its deadline passed by the bot's clock) or left unshown. The job
    queue dates its jobs by the wall clock, so a step back of the wall clock delays them by
    the step (an hour's step: an hour); this loop sleeps on the event loop's monotonic clock
    instead. When the jobs run on time it finds nothing due, and a transition both make
    happens once (the stored step guards it). It also shows the end of sessions that ended
    without it: they have no jobs left."""
    while True:
        await asyncio.sleep(runtime(app).rules.refresh_seconds)
        if not app.running:
            continue
        try:
            now = current_time(app)
            for s in await app.bot_data.repo.open_lives():
                if s.shown_step < s.step or (s.deadline is not None and now >= s.deadline):
                    await guarded(app, s.id, refresh)
            await show_ended(app)
        except Exception:
            # A safety net must outlive what it catches (a locked database, the network).
            log.exception("live timers' watch failed; trying again next period")


def start_watch(app: QuizApp) -> None:
    """Start the watch (again): it reads the refresh period when it wakes up."""
    if runtime(app).watch is not None:
        runtime(app).watch.cancel()
    runtime(app).watch = asyncio.get_running_loop().create_task(_watch(app), name="live-watch")
