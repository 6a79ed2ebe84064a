"""The reveal of a choice question: the answer, bars per option, explanation and evidence; and
a peer question the class got right at once."""

from __future__ import annotations

from bot import bidi, texts
from bot.formatting import Formatter
from bot.live.render.fields import MESSAGE_LIMIT, REASONS, VOTE_REASONS, bar, fit, when_next
from bot.render import evidence, header, letter, option_text, shown_options
from quizzes.live import CloseReason, LiveSession, Tally
from quizzes.model import Question


def _bars(fmt: Formatter, q: Question, tally: Tally, with_text: bool) -> str:
    lines = []
    for i, (key, count) in enumerate(tally.counts):
        text = bidi.esc(option_text(q, q.option(key))) if with_text else ""
        lines.append(
            texts.LIVE_BAR.format(
                mark=texts.MARK_CORRECT + " " if key in q.answer else "",
                letter=letter(i),
                text=text,
                bar=bar(count, tally.answered),
                count=fmt.num(count),
                percent=fmt.percent(tally.share(count)),
            )
        )
    return "\n".join(lines)


def _fields(
    fmt: Formatter, session: LiveSession, position: int, q: Question, tally: Tally, with_text: bool
) -> dict[str, str]:
    """What both reveals of one vote show: the question, the answer, the bars and totals, the
    explanation, the evidence, and when the next question comes."""
    planned = session.plan[position]
    return {
        "header": header(fmt, position, session.total),
        "prompt": bidi.esc(q.prompt),
        "correct": shown_options(q, planned.order, q.answer),
        "bars": _bars(fmt, q, tally, with_text),
        "totals": texts.LIVE_TOTALS.format(
            answers=fmt.num(tally.answered),
            joined=fmt.num(len(session.joined)),
            correct=fmt.num(tally.correct),
        ),
        "explanation": bidi.esc(q.explanation),
        "evidence": evidence(fmt, q.citations),
        "next": when_next(fmt, session, position),
    }


def reveal(fmt: Formatter, session: LiveSession, position: int, q: Question, tally: Tally) -> str:
    """The closed question: the correct answer, bars per option, explanation and evidence."""
    reason = session.reason or CloseReason.TIMEOUT
    for with_text in (True, False):
        text = texts.LIVE_REVEAL.format(
            reason=REASONS[reason], **_fields(fmt, session, position, q, tally, with_text)
        )
        # Option texts are repeated in the bars; drop them there if the message would be long.
        if len(text) <= MESSAGE_LIMIT:
            break
    return text


def consensus_reveal(
    fmt: Formatter, session: LiveSession, position: int, q: Question, tally: Tally
) -> str:
    """Most of the class had a peer question right at once: the answer, the first vote's
    bars and the evidence, with no discussion and no re-vote (so no gain)."""

    def text(with_text: bool) -> str:
        return texts.LIVE_ADAPT_CONSENSUS_REVEAL.format(
            reason=VOTE_REASONS[session.reason or CloseReason.TIMEOUT],
            consensus=texts.LIVE_ADAPT_CONSENSUS.format(
                share=fmt.percent(tally.share(tally.correct))
            ),
            gain=texts.LIVE_ADAPT_GAIN_NONE_SKIPPED,
            **_fields(fmt, session, position, q, tally, with_text),
        )

    return fit(text(True), text(False))
