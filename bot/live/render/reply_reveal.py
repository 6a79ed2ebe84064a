"""The reveal of a question answered by a reply: a short answer, an evidence paste, a
discussion prompt."""

from __future__ import annotations

from collections.abc import Sequence

from bot import bidi, texts
from bot.formatting import Formatter
from bot.live.render.fields import REASONS, fit, when_next
from bot.render import accepted_answers, echo, evidence, header, highlighted
from bot.render import points as points_to_consider
from quizzes.article import Article
from quizzes.live import CloseReason, LiveAnswer, LiveSession
from quizzes.model import Question, QuestionType


def typed_reveal(
    fmt: Formatter,
    session: LiveSession,
    position: int,
    q: Question,
    answers: Sequence[LiveAnswer],
    article: Article,
) -> str:
    """A short answer's or an evidence paste's reveal: what was accepted, how many got it
    right, the explanation and the passage (for evidence, the paragraph with the supporting
    sentence in bold)."""
    mine = [a for a in answers if a.question_id == q.id]
    right = sum(1 for a in mine if a.correct)
    common = {
        "header": header(fmt, position, session.total),
        "prompt": bidi.esc(q.prompt),
        "reason": REASONS[session.reason or CloseReason.TIMEOUT],
        "explanation": bidi.esc(q.explanation),
        "next": when_next(fmt, session, position),
    }
    joined = fmt.num(len(session.joined))
    if q.type is QuestionType.SHORT:
        return texts.LIVE_REVEAL_SHORT.format(
            accepted=accepted_answers(q, q.accepted[0]),
            totals=texts.LIVE_TOTALS.format(
                answers=fmt.num(len(mine)), joined=joined, correct=fmt.num(right)
            ),
            evidence=evidence(fmt, q.citations),
            **common,
        )
    totals = texts.LIVE_TOTALS_EVIDENCE.format(
        answers=fmt.num(len(mine)),
        joined=joined,
        correct=fmt.num(right),
        partial=fmt.num(sum(1 for a in mine if not a.correct and a.score > 0)),
    )
    cited = [c.passage for c in q.citations]
    paragraphs = "\n\n".join(
        texts.EVIDENCE_PARAGRAPH.format(
            number=fmt.num(number), text=highlighted(article, number, cited)
        )
        for number in q.paragraphs
    )
    return fit(
        texts.LIVE_REVEAL_EVIDENCE.format(totals=totals, paragraphs=paragraphs, **common),
        texts.LIVE_REVEAL_EVIDENCE.format(
            totals=totals, paragraphs=evidence(fmt, q.citations), **common
        ),
    )


_DISCUSSION_REASONS = {
    **REASONS,
    CloseReason.ALL_ANSWERED: texts.LIVE_DISCUSSION_REASON_ALL_ANSWERED,
    CloseReason.SKIPPED: texts.LIVE_DISCUSSION_REASON_SKIPPED,
}


def discussion_reveal(
    fmt: Formatter,
    session: LiveSession,
    position: int,
    q: Question,
    answers: Sequence[LiveAnswer],
    shown: Sequence[str],
) -> str:
    """A discussion prompt's close: how many responded, the `shown` responses without any
    name (escaped and clipped), then the points to consider with their passages."""

    def text(quoted: Sequence[str]) -> str:
        responses = (
            "\n".join(
                [
                    texts.LIVE_RESPONSES_HEADER,
                    *(texts.LIVE_RESPONSE_LINE.format(text=echo(r)) for r in quoted),
                ]
            )
            + "\n\n"
            if quoted
            else ""
        )
        return texts.LIVE_REVEAL_DISCUSSION.format(
            header=header(fmt, position, session.total),
            prompt=bidi.esc(q.prompt),
            reason=_DISCUSSION_REASONS[session.reason or CloseReason.TIMEOUT],
            responded=fmt.num(sum(1 for a in answers if a.question_id == q.id)),
            joined=fmt.num(len(session.joined)),
            responses=responses,
            points=points_to_consider(fmt, q),
            explanation=bidi.esc(q.explanation),
            next=when_next(fmt, session, position),
        )

    # Fewer quoted responses rather than a message Telegram refuses.
    return fit(*(text(shown[:n]) for n in range(len(shown), -1, -1)))
