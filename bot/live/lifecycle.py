"""Startup and shutdown of live sessions: resume what a restart left, start and stop the watch."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from telegram.error import TelegramError

from bot.context import QuizApp
from bot.live.engine import abandon, guarded, repair, schedule, tick
from bot.live.outbox import transient
from bot.live.runtime import runtime
from bot.live.timers import show_ended, start_watch

log = logging.getLogger(__name__)


async def _catch_up(app: QuizApp, session_id: int) -> None:
    """Show what a crash left unshown, then act on a deadline that passed meanwhile."""
    async with runtime(app).lock(session_id):
        s = await app.bot_data.repo.get_live(session_id)
        if s is not None and s.shown_step < s.step:
            await repair(app, s)
    await tick(app, session_id)


async def resume(app: QuizApp) -> None:
    """After a restart: show again what was left unshown, act on deadlines that passed while
    the bot was down (a question whose time ran out is revealed at once), and reschedule; then
    show the end of sessions that ended without it."""
    for s in await app.bot_data.repo.open_lives():
        if s.bank_id not in app.bot_data.banks:
            log.warning("live session %s: bank %r is no longer loaded; ending it", s.id, s.bank_id)
            await abandon(app, s.id)
            continue
        try:
            # One group the bot can no longer post in (or a network blip) must not stop the bot
            # from starting: that session ends, or its timer shows it later.
            await guarded(app, s.id, _catch_up)
        except TelegramError as error:
            if not transient(error):
                raise
            log.warning("live session %s: not shown on startup (%s); its timer will", s.id, error)
        now_open = await app.bot_data.repo.get_live(s.id)
        if now_open is not None and now_open.is_open:
            schedule(app, now_open)
    await show_ended(app)


async def setup(app: QuizApp) -> None:
    """post_init: every open session resumed and watched."""
    await resume(app)
    start_watch(app)


async def teardown(app: QuizApp) -> None:
    """post_shutdown: stop the watch."""
    task, runtime(app).watch = runtime(app).watch, None
    if task is not None:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
