"""What several live messages share: the message limit, why a question closed, the clock,
option lines, bars, the line about the next question, and fitting into one message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot import bidi, texts
from bot.formatting import Formatter
from bot.render import letter, option_text
from quizzes.live import CloseReason, LiveSession, Phase
from quizzes.model import Question

MESSAGE_LIMIT = 4096


BAR_WIDTH = 10


REASONS = {
    CloseReason.TIMEOUT: texts.LIVE_REASON_TIMEOUT,
    CloseReason.ALL_ANSWERED: texts.LIVE_REASON_ALL_ANSWERED,
    CloseReason.SKIPPED: texts.LIVE_REASON_SKIPPED,
    CloseReason.STOPPED: texts.LIVE_REASON_STOPPED,
}


def clock(fmt: Formatter, moment: datetime) -> str:
    """A time every reader sees in their own zone (date_time entity), UTC text as fallback."""
    fallback = texts.LIVE_TIME_FALLBACK.format(clock=fmt.num(moment.strftime("%H:%M:%S")))
    return texts.LIVE_TIME.format(unix=int(moment.timestamp()), fallback=bidi.isolate(fallback))


def option_lines(order: Sequence[str], q: Question) -> str:
    return "\n".join(
        texts.OPTION_LINE.format(letter=letter(i), text=bidi.esc(option_text(q, q.option(k))))
        for i, k in enumerate(order)
    )


VOTE_REASONS = {
    CloseReason.TIMEOUT: texts.LIVE_VOTE_REASON_TIMEOUT,
    CloseReason.ALL_ANSWERED: texts.LIVE_VOTE_REASON_ALL_ANSWERED,
    CloseReason.SKIPPED: texts.LIVE_VOTE_REASON_SKIPPED,
    CloseReason.STOPPED: texts.LIVE_REASON_STOPPED,
}


def bar(count: int, answered: int) -> str:
    filled = round(BAR_WIDTH * count / answered) if answered else 0
    return texts.BAR_FULL * filled + texts.BAR_EMPTY * (BAR_WIDTH - filled)


def when_next(fmt: Formatter, session: LiveSession, position: int) -> str:
    """When the next question comes, under the reveal of the current one."""
    if session.phase is Phase.REVEAL and session.position == position:
        if session.paused or session.deadline is None:
            return texts.LIVE_NEXT_PAUSED
        return texts.LIVE_NEXT.format(time=clock(fmt, session.deadline))
    return ""


def fit(*candidates: str) -> str:
    """The first candidate that fits in one message (the last one as a last resort)."""
    for text in candidates:
        if len(text) <= MESSAGE_LIMIT:
            return text
    return candidates[-1]
