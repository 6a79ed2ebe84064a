"""The message between a peer round's two votes: the discussion, the teacher's choice, or the
teacher's explanation."""

from __future__ import annotations

from bot import bidi, texts
from bot.formatting import Formatter
from bot.live.render.fields import VOTE_REASONS, clock, option_lines
from bot.render import evidence, header
from quizzes.adaptive import PeerPath
from quizzes.live import CloseReason, LiveSession
from quizzes.model import Question


def discussion(fmt: Formatter, session: LiveSession, q: Question, answers: int) -> str:
    """Between the two votes of a peer round: the question, how many voted (not how), what
    to discuss and where to look in the article, and when the vote reopens."""
    status = _paused_or(
        fmt,
        session,
        texts.LIVE_PEER_DISCUSS_PAUSED,
        texts.LIVE_PEER_REOPENS,
        session.current.discuss,
    )
    return texts.LIVE_PEER_DISCUSS.format(
        **_first_vote(fmt, session, q, answers),
        paragraphs=texts.LIST_SEPARATOR.join(
            texts.LIVE_PEER_PARAGRAPH.format(number=fmt.num(n)) for n in q.paragraphs
        ),
        status=status,
    )


def _first_vote(fmt: Formatter, session: LiveSession, q: Question, answers: int) -> dict[str, str]:
    """What every message after a peer round's first vote shows: the question, why the vote
    closed, and how many voted (not how)."""
    return {
        "header": header(fmt, session.position, session.total),
        "prompt": bidi.esc(q.prompt),
        "options": option_lines(session.current.order, q),
        "reason": VOTE_REASONS[session.reason or CloseReason.TIMEOUT],
        "answers": fmt.num(answers),
        "joined": fmt.num(len(session.joined)),
    }


def _paused_or(
    fmt: Formatter, session: LiveSession, paused: str, running: str, seconds: float = 0
) -> str:
    """The status line between the votes: the time left while paused, else when it ends (and
    after how long, for templates that say it)."""
    if session.paused:
        assert session.paused_left_ms is not None
        return paused.format(seconds=fmt.count("second", round(session.paused_left_ms / 1000)))
    assert session.deadline is not None
    return running.format(
        seconds=fmt.count("second", round(seconds)), time=clock(fmt, session.deadline)
    )


def choice(fmt: Formatter, session: LiveSession, q: Question, answers: int) -> str:
    """After a weak first vote: how many voted (not how), that fewer than the band's low
    bound were right, and the teacher's two choices (the buttons are the teacher's)."""
    return texts.LIVE_ADAPT_CHOICE.format(
        **_first_vote(fmt, session, q, answers),
        low=fmt.percent(round(session.band.low)),
        status=_paused_or(
            fmt, session, texts.LIVE_ADAPT_CHOICE_PAUSED, texts.LIVE_ADAPT_CHOICE_WAIT
        ),
    )


def explanation(fmt: Formatter, session: LiveSession, q: Question) -> str:
    """The teacher explains first: the question and the cited passage, answer still hidden,
    and when the re-vote opens."""
    return texts.LIVE_ADAPT_EXPLAIN.format(
        header=header(fmt, session.position, session.total),
        prompt=bidi.esc(q.prompt),
        options=option_lines(session.current.order, q),
        evidence=evidence(fmt, q.citations),
        status=_paused_or(
            fmt,
            session,
            texts.LIVE_ADAPT_EXPLAIN_PAUSED,
            texts.LIVE_PEER_REOPENS,
            session.current.discuss,
        ),
    )


def between_votes(fmt: Formatter, session: LiveSession, q: Question, answers: int) -> str:
    """The message between a peer round's two votes, by the round's path."""
    if session.path is PeerPath.CHOOSE:
        return choice(fmt, session, q, answers)
    if session.path is PeerPath.EXPLAIN:
        return explanation(fmt, session, q)
    return discussion(fmt, session, q, answers)
