"""The lobby message: while the class joins, once the session starts, and when it is cancelled."""

from __future__ import annotations

from bot import bidi, texts
from bot.formatting import Formatter
from bot.live.render.fields import clock
from quizzes import live
from quizzes.live import LiveSession
from quizzes.model import Bank


def _seconds(fmt: Formatter, session: LiveSession) -> str:
    limits = sorted({p.seconds for p in session.plan}) or [0]
    if len(limits) == 1:
        return texts.LIVE_SECONDS_FIXED.format(seconds=fmt.count("second", limits[0]))
    return texts.LIVE_SECONDS_RANGE.format(
        low=fmt.num(limits[0]), high=fmt.count("second", limits[-1])
    )


def lobby(fmt: Formatter, bank: Bank, session: LiveSession) -> str:
    assert session.deadline is not None or session.paused
    left_out = texts.LIVE_LEFT_OUT.format(count=fmt.num(session.left_out))
    responses = texts.LIVE_RESPONSES_ON if session.show_responses else texts.LIVE_RESPONSES_OFF
    return texts.LIVE_LOBBY.format(
        title=bidi.esc(bank.title),
        questions=fmt.count("question", session.total),
        seconds=_seconds(fmt, session),
        speed=texts.LIVE_SPEED_ON if session.speed else texts.LIVE_SPEED_OFF,
        responses=responses if live.has_prompts(session) else "",
        left_out=left_out if session.left_out else "",
        joined=fmt.num(len(session.joined)),
        start=clock(fmt, session.deadline) if session.deadline else "—",
    )


def started(fmt: Formatter, bank: Bank, session: LiveSession) -> str:
    return texts.LIVE_STARTED.format(
        title=bidi.esc(bank.title), joined=fmt.num(len(session.joined))
    )


def cancelled(bank: Bank) -> str:
    return texts.LIVE_CANCELLED.format(title=bidi.esc(bank.title))
