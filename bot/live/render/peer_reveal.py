"""A peer round's reveal after its re-vote: both votes per option, the shift, the gain and who
changed their mind."""

from __future__ import annotations

from bot import bidi, texts
from bot.formatting import Formatter
from bot.live.render.fields import REASONS, bar, fit, when_next
from bot.render import evidence, header, letter, option_text, shown_options
from quizzes.adaptive import PeerPath, normalized_gain, share
from quizzes.live import CloseReason, LiveSession, PeerRound
from quizzes.model import Question


def gain_line(fmt: Formatter, shown: PeerRound) -> str:
    """A re-voted round's normalized gain, or why it has none."""
    pre = share(shown.first.correct, shown.first.answered)
    post = share(shown.second.correct, shown.second.answered)
    gain = normalized_gain(pre, post)
    if pre is not None and pre >= 100:
        return texts.LIVE_ADAPT_GAIN_NONE_FULL
    if gain is None or pre is None or post is None:
        return texts.LIVE_ADAPT_GAIN_NONE_VOTES
    return texts.LIVE_ADAPT_GAIN.format(
        gain=fmt.decimal(gain),
        pre=fmt.percent(round(pre)),
        post=fmt.percent(round(post)),
    )


def _peer_bars(fmt: Formatter, q: Question, shown: PeerRound, with_text: bool) -> str:
    lines = []
    for i, ((key, before), (_, after)) in enumerate(
        zip(shown.first.counts, shown.second.counts, strict=True)
    ):
        lines.append(
            texts.LIVE_PEER_BAR.format(
                mark=texts.MARK_CORRECT + " " if key in q.answer else "",
                letter=letter(i),
                text=bidi.esc(option_text(q, q.option(key))) if with_text else "",
                before=texts.LIVE_PEER_BEFORE,
                first_bar=bar(before, shown.first.answered),
                first_count=fmt.num(before),
                first_percent=fmt.percent(shown.first.share(before)),
                after=texts.LIVE_PEER_AFTER,
                second_bar=bar(after, shown.second.answered),
                second_count=fmt.num(after),
                second_percent=fmt.percent(shown.second.share(after)),
            )
        )
    return "\n".join(lines)


_SHIFTS = {
    False: (texts.LIVE_PEER_SHIFT_UP, texts.LIVE_PEER_SHIFT_DOWN, texts.LIVE_PEER_SHIFT_SAME),
    True: (texts.LIVE_ADAPT_SHIFT_UP, texts.LIVE_ADAPT_SHIFT_DOWN, texts.LIVE_ADAPT_SHIFT_SAME),
}


def _peer_shift(fmt: Formatter, shown: PeerRound, explained: bool = False) -> str:
    """The shift in the share of correct votes, after the discussion (or the explanation)."""
    first = shown.first.share(shown.first.correct)
    second = shown.second.share(shown.second.correct)
    values = {"first": fmt.percent(first), "second": fmt.percent(second)}
    up, down, same = _SHIFTS[explained]
    if second > first:
        return up.format(**values)
    if second < first:
        return down.format(**values)
    return same.format(**values)


def peer_reveal(
    fmt: Formatter, session: LiveSession, position: int, q: Question, shown: PeerRound
) -> str:
    """A peer round's reveal: both votes per option, before and after the discussion, the
    shift in the share of correct votes and who changed their mind, then the explanation."""
    planned = session.plan[position]
    moves = (
        texts.LIVE_PEER_MOVES.format(
            both=fmt.num(shown.both),
            changed=fmt.num(shown.changed),
            to_right=fmt.num(shown.to_right),
            to_wrong=fmt.num(shown.to_wrong),
        )
        if shown.both
        else ""
    )
    joined = fmt.num(len(session.joined))
    explained = session.position == position and session.path is PeerPath.EXPLAIN

    def text(with_text: bool) -> str:
        return texts.LIVE_PEER_REVEAL.format(
            votes=texts.LIVE_ADAPT_VOTES_EXPLAINED if explained else texts.LIVE_PEER_VOTES,
            header=header(fmt, position, session.total),
            prompt=bidi.esc(q.prompt),
            reason=REASONS[session.reason or CloseReason.TIMEOUT],
            correct=shown_options(q, planned.order, q.answer),
            bars=_peer_bars(fmt, q, shown, with_text),
            shift=_peer_shift(fmt, shown, explained),
            gain=gain_line(fmt, shown),
            moves=moves,
            totals=texts.LIVE_PEER_TOTALS.format(
                first=fmt.num(shown.first.answered),
                second=fmt.num(shown.second.answered),
                joined=joined,
            ),
            explanation=bidi.esc(q.explanation),
            evidence=evidence(fmt, q.citations),
            next=when_next(fmt, session, position),
        )

    return fit(text(True), text(False))
