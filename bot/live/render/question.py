"""The open question (options, how to answer, the deadline, the counter) and what a student
chose."""

from __future__ import annotations

from collections.abc import Sequence

from bot import bidi, texts
from bot.formatting import Formatter
from bot.live.render.fields import clock, option_lines
from bot.render import header, letter, option_text
from quizzes.live import InputStyle, LiveSession, Stage, live_kind
from quizzes.model import Question, QuestionType
from quizzes.typed import MAX_CHARS


def _reply_hint(fmt: Formatter, session: LiveSession, question: Question) -> str:
    limit = fmt.count("character", MAX_CHARS)
    if question.type is QuestionType.SHORT:
        return texts.LIVE_REPLY_SHORT_HINT
    if question.type is QuestionType.EVIDENCE:
        return texts.LIVE_REPLY_EVIDENCE_HINT
    hint = (
        texts.LIVE_REPLY_DISCUSSION_HINT.format(
            minimum=fmt.count("character", question.min_length), limit=limit
        )
        if question.min_length
        else texts.LIVE_REPLY_DISCUSSION_HINT_FREE.format(limit=limit)
    )
    return hint + ("\n" + texts.LIVE_REPLY_SHOWN_NOTE if session.show_responses else "")


def _hint(fmt: Formatter, session: LiveSession, question: Question) -> str:
    kind = live_kind(question)
    if kind is not None and kind.style is InputStyle.REPLY:
        return _reply_hint(fmt, session, question)
    if session.current.discuss:
        stage = session.stage
        return texts.LIVE_PEER_REVOTE_HINT if stage is Stage.REVOTE else texts.LIVE_PEER_VOTE_HINT
    if kind is not None and kind.style is InputStyle.SELECT:
        return texts.LIVE_SELECT_HINT
    if question.type is QuestionType.TRUE_FALSE:
        return texts.QUESTION_TF_HINT
    return ""


def question(fmt: Formatter, session: LiveSession, q: Question, answers: int) -> str:
    """The open question: options in the session's order (none for typed replies), how to
    answer, the deadline and the counter."""
    order = session.current.order
    lines = "" if q.type is QuestionType.TRUE_FALSE else option_lines(order, q)
    options = "\n".join(filter(None, [lines, _hint(fmt, session, q)]))
    seconds = fmt.count("second", session.current.seconds)
    if session.paused:
        assert session.paused_left_ms is not None
        left = fmt.count("second", round(session.paused_left_ms / 1000))
        status = texts.LIVE_PAUSED.format(seconds=left)
    else:
        assert session.deadline is not None
        status = texts.LIVE_DEADLINE.format(time=clock(fmt, session.deadline), seconds=seconds)
    return texts.LIVE_QUESTION.format(
        header=header(fmt, session.position, session.total),
        prompt=bidi.esc(q.prompt),
        options=options,
        status=status,
        counter=texts.LIVE_COUNTER.format(
            answers=fmt.num(answers), joined=fmt.num(len(session.joined))
        ),
    )


def chosen(q: Question, order: Sequence[str], keys: frozenset[str]) -> str:
    """What a student chose, as they saw it: letters, or صحيح / خطأ for true/false."""
    if q.type is QuestionType.TRUE_FALSE:
        return texts.LIST_SEPARATOR.join(option_text(q, q.option(k)) for k in order if k in keys)
    return texts.LIST_SEPARATOR.join(letter(i) for i, k in enumerate(order) if k in keys)
