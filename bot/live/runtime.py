"""In-process state of live sessions: their rules, one lock per session, what counters show.

Nothing here must survive a restart: sessions live in SQLite, and a lost counter only costs
one more edit.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from telegram.ext import Job

from quizzes.live import LiveRules

if TYPE_CHECKING:  # bot.context imports this module
    from bot.context import QuizApp


@dataclass(frozen=True)
class Shown:
    """What a session's message shows now: for which step, which count, since when."""

    step: int
    count: int
    at: datetime


@dataclass
class LiveRuntime:
    rules: LiveRules = field(default_factory=LiveRules)
    # A lock lives as long as a holder or a waiter has it: ending a session, or a flood of
    # forged ids, leaves nothing behind, and a lock in use is never replaced by a second one.
    locks: weakref.WeakValueDictionary[int, asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary
    )
    shown: dict[int, Shown] = field(default_factory=dict)
    # Each session's deadline and refresh jobs by name, so setting a timer does not search
    # every job of every session (the job queue finds jobs by name only by scanning them all).
    timers: dict[str, Job] = field(default_factory=dict)
    watch: asyncio.Task | None = None  # the timers' safety net (bot.live.timers.start_watch)

    def lock(self, session_id: int) -> asyncio.Lock:
        """Presses and timers of one session take turns; other sessions run on. Ask only for
        a session known to exist."""
        found = self.locks.get(session_id)
        if found is None:
            found = asyncio.Lock()
            self.locks[session_id] = found
        return found

    def forget(self, session_id: int) -> None:
        """A session ended: its counters go (its lock goes by itself once nobody has it)."""
        self.shown.pop(session_id, None)


def runtime(app: QuizApp) -> LiveRuntime:
    return app.bot_data.live


def current_time(app: QuizApp) -> datetime:
    return app.bot_data.clock()
