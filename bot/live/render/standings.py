"""Scores and standings: the interim leaderboard, the final podium, a group's /leaderboard."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot import bidi, texts
from bot.formatting import Formatter
from quizzes.live import LiveRules, LiveSession, Standing, Status
from quizzes.model import Bank


def points(fmt: Formatter, score: float) -> str:
    """A score with its counted noun: ٣ نقاط، ٤٫٥ نقطة."""
    rounded = round(score, 1)
    if rounded == int(rounded):
        return fmt.count("point", int(rounded))
    return texts.LIVE_POINTS_DECIMAL.format(n=fmt.num(rounded))


def _name(names: Mapping[int, str], user_id: int) -> str:
    return bidi.name(names.get(user_id) or str(user_id))


def _ranks(fmt: Formatter, rows: Sequence[Standing], names: Mapping[int, str]) -> list[str]:
    return [
        texts.LIVE_RANK_LINE.format(
            rank=bidi.isolate(fmt.num(s.rank)),
            name=_name(names, s.user_id),
            points=points(fmt, s.score),
        )
        for s in rows
    ]


def _ranking(
    fmt: Formatter, rows: Sequence[Standing], names: Mapping[int, str], rules: LiveRules
) -> str:
    """Podium for the first three, then the rest of the top ten."""
    if not rows:
        return texts.LIVE_NOBODY
    podium = [
        texts.LIVE_PODIUM_LINE.format(
            medal=medal, name=_name(names, s.user_id), points=points(fmt, s.score)
        )
        for medal, s in zip(texts.LIVE_MEDALS, rows[: rules.podium], strict=False)
    ]
    rest = _ranks(fmt, rows[rules.podium : rules.top], names)
    return "\n".join(podium) + ("\n\n" + "\n".join(rest) if rest else "")


def _participants(fmt: Formatter, rows: Sequence[Standing]) -> str:
    return texts.LIVE_PARTICIPANTS.format(count=fmt.num(len(rows)))


def leaderboard(
    fmt: Formatter,
    session: LiveSession,
    position: int,
    rows: Sequence[Standing],
    names: Mapping[int, str],
    rules: LiveRules,
) -> str:
    """The interim top ten and how many take part."""
    lines = _ranks(fmt, rows[: rules.top], names) or [texts.LIVE_NOBODY]
    return texts.LIVE_LEADERBOARD.format(
        number=fmt.num(position + 1),
        total=fmt.num(session.total),
        lines="\n".join(lines),
        participants=_participants(fmt, rows),
    )


def final(
    fmt: Formatter,
    bank: Bank,
    session: LiveSession,
    rows: Sequence[Standing],
    names: Mapping[int, str],
    rules: LiveRules,
) -> str:
    """The end: podium, the rest of the top ten, and the number of participants."""
    values = {
        "title": bidi.esc(bank.title),
        "ranking": _ranking(fmt, rows, names, rules),
        "participants": _participants(fmt, rows),
    }
    if session.status is Status.STOPPED:
        asked = session.position + 1 if session.started_at else 0
        return texts.LIVE_FINAL_STOPPED.format(
            number=fmt.num(asked), total=fmt.num(session.total), **values
        )
    return texts.LIVE_FINAL.format(**values)


def standings(
    fmt: Formatter,
    sessions: int,
    rows: Sequence[Standing],
    names: Mapping[int, str],
    rules: LiveRules,
) -> str:
    """/leaderboard: the group's standings over every ended session."""
    if not sessions:
        return texts.LIVE_STANDINGS_EMPTY
    return texts.LIVE_STANDINGS.format(
        sessions=fmt.num(sessions),
        lines=_ranking(fmt, rows, names, rules),
        participants=_participants(fmt, rows),
    )
