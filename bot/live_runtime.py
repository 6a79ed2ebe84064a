"""In-process state of live sessions: their rules, one lock per session, what counters show.

Nothing here must survive a restart: sessions live in SQLite, and a lost counter only costs
one more edit.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from quizzes.live import LiveRules


@dataclass(frozen=True)
class Shown:
    """What a session's message shows now: for which step, which count, since when."""

    step: int
    count: int
    at: datetime


@dataclass
class LiveRuntime:
    rules: LiveRules = field(default_factory=LiveRules)
    locks: dict[int, asyncio.Lock] = field(default_factory=dict)
    shown: dict[int, Shown] = field(default_factory=dict)
    watch: asyncio.Task | None = None  # the timers' safety net (live_engine.start_watch)

    def lock(self, session_id: int) -> asyncio.Lock:
        """Presses and timers of one session take turns; other sessions run on."""
        return self.locks.setdefault(session_id, asyncio.Lock())

    def forget(self, session_id: int) -> None:
        self.locks.pop(session_id, None)
        self.shown.pop(session_id, None)
