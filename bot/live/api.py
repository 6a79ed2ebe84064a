"""What the rest of the bot (and its tests) call of live sessions, in one place."""

from __future__ import annotations

from bot.live.engine import Action, deadline_job, drive, refresh, refresh_job, schedule, tick
from bot.live.lifecycle import resume, setup, teardown
from bot.live.presenter import group_standings
from bot.live.presses import (
    Ack,
    awaits_reply,
    confirm,
    control,
    join,
    open_lobby,
    press,
    reply,
    toggle,
)
from bot.live.runtime import runtime
from bot.live.timers import close_due_sessions, run_timers, show_ended, start_watch

__all__ = [
    "Ack",
    "Action",
    "awaits_reply",
    "close_due_sessions",
    "confirm",
    "control",
    "deadline_job",
    "drive",
    "group_standings",
    "join",
    "open_lobby",
    "press",
    "refresh",
    "refresh_job",
    "reply",
    "resume",
    "run_timers",
    "runtime",
    "schedule",
    "setup",
    "show_ended",
    "start_watch",
    "teardown",
    "tick",
    "toggle",
]
