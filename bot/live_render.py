"""Render live sessions into HTML message texts, using only templates from `texts`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot import texts
from bot.render import evidence, header, letter, option_text, shown_options
from quizzes.live import (
    CloseReason,
    InputStyle,
    LiveRules,
    LiveSession,
    Phase,
    Standing,
    Status,
    Tally,
    live_kind,
)
from quizzes.model import Bank, Question, QuestionType

MESSAGE_LIMIT = 4096
BAR_WIDTH = 10
_REASONS = {
    CloseReason.TIMEOUT: texts.LIVE_REASON_TIMEOUT,
    CloseReason.ALL_ANSWERED: texts.LIVE_REASON_ALL_ANSWERED,
    CloseReason.SKIPPED: texts.LIVE_REASON_SKIPPED,
    CloseReason.STOPPED: texts.LIVE_REASON_STOPPED,
}


def clock(moment: datetime) -> str:
    """A time every reader sees in their own zone (date_time entity), UTC text as fallback."""
    fallback = texts.LIVE_TIME_FALLBACK.format(clock=texts.num(moment.strftime("%H:%M:%S")))
    return texts.LIVE_TIME.format(unix=int(moment.timestamp()), fallback=texts.isolate(fallback))


def points(score: float) -> str:
    """A score with its counted noun: ٣ نقاط، ٤٫٥ نقطة."""
    rounded = round(score, 1)
    if rounded == int(rounded):
        return texts.count("point", int(rounded))
    return texts.LIVE_POINTS_DECIMAL.format(n=texts.num(rounded))


def _seconds(session: LiveSession) -> str:
    limits = sorted({p.seconds for p in session.plan}) or [0]
    if len(limits) == 1:
        return texts.LIVE_SECONDS_FIXED.format(seconds=texts.count("second", limits[0]))
    return texts.LIVE_SECONDS_RANGE.format(
        low=texts.num(limits[0]), high=texts.count("second", limits[-1])
    )


def lobby(bank: Bank, session: LiveSession) -> str:
    assert session.deadline is not None or session.paused
    left_out = texts.LIVE_LEFT_OUT.format(count=texts.num(session.left_out))
    return texts.LIVE_LOBBY.format(
        title=texts.esc(bank.title),
        questions=texts.count("question", session.total),
        seconds=_seconds(session),
        speed=texts.LIVE_SPEED_ON if session.speed else texts.LIVE_SPEED_OFF,
        left_out=left_out if session.left_out else "",
        joined=texts.num(len(session.joined)),
        start=clock(session.deadline) if session.deadline else "—",
    )


def started(bank: Bank, session: LiveSession) -> str:
    return texts.LIVE_STARTED.format(
        title=texts.esc(bank.title), joined=texts.num(len(session.joined))
    )


def cancelled(bank: Bank) -> str:
    return texts.LIVE_CANCELLED.format(title=texts.esc(bank.title))


def _hint(question: Question) -> str:
    kind = live_kind(question)
    if kind is not None and kind.style is InputStyle.SELECT:
        return texts.LIVE_SELECT_HINT
    if question.type is QuestionType.TRUE_FALSE:
        return texts.QUESTION_TF_HINT
    return ""


def question(session: LiveSession, q: Question, answers: int) -> str:
    """The open question: options in the session's order, the deadline and the counter."""
    order = session.current.order
    lines = (
        []
        if q.type is QuestionType.TRUE_FALSE
        else [
            texts.OPTION_LINE.format(letter=letter(i), text=texts.esc(option_text(q, q.option(k))))
            for i, k in enumerate(order)
        ]
    )
    options = "\n".join(filter(None, ["\n".join(lines), _hint(q)]))
    seconds = texts.count("second", session.current.seconds)
    if session.paused:
        assert session.paused_left_ms is not None
        left = texts.count("second", round(session.paused_left_ms / 1000))
        status = texts.LIVE_PAUSED.format(seconds=left)
    else:
        assert session.deadline is not None
        status = texts.LIVE_DEADLINE.format(time=clock(session.deadline), seconds=seconds)
    return texts.LIVE_QUESTION.format(
        header=header(session.position, session.total),
        prompt=texts.esc(q.prompt),
        options=options,
        status=status,
        counter=texts.LIVE_COUNTER.format(
            answers=texts.num(answers), joined=texts.num(len(session.joined))
        ),
    )


def _bar(count: int, answered: int) -> str:
    filled = round(BAR_WIDTH * count / answered) if answered else 0
    return texts.BAR_FULL * filled + texts.BAR_EMPTY * (BAR_WIDTH - filled)


def _bars(q: Question, tally: Tally, with_text: bool) -> str:
    lines = []
    for i, (key, count) in enumerate(tally.counts):
        text = texts.esc(option_text(q, q.option(key))) if with_text else ""
        lines.append(
            texts.LIVE_BAR.format(
                mark=texts.MARK_CORRECT + " " if key in q.answer else "",
                letter=letter(i),
                text=text,
                bar=_bar(count, tally.answered),
                count=texts.num(count),
                percent=texts.percent(tally.share(count)),
            )
        )
    return "\n".join(lines)


def reveal(session: LiveSession, position: int, q: Question, tally: Tally) -> str:
    """The closed question: the correct answer, bars per option, explanation and evidence."""
    planned = session.plan[position]
    if session.phase is Phase.REVEAL and session.position == position:
        if session.paused or session.deadline is None:
            after = texts.LIVE_NEXT_PAUSED
        else:
            after = texts.LIVE_NEXT.format(time=clock(session.deadline))
    else:
        after = ""
    reason = session.reason or CloseReason.TIMEOUT
    for with_text in (True, False):
        text = texts.LIVE_REVEAL.format(
            header=header(position, session.total),
            prompt=texts.esc(q.prompt),
            reason=_REASONS[reason],
            correct=shown_options(q, planned.order, q.answer),
            bars=_bars(q, tally, with_text),
            totals=texts.LIVE_TOTALS.format(
                answers=texts.num(tally.answered),
                joined=texts.num(len(session.joined)),
                correct=texts.num(tally.correct),
            ),
            explanation=texts.esc(q.explanation),
            evidence=evidence(q.citations),
            next=after,
        )
        # Option texts are repeated in the bars; drop them there if the message would be long.
        if len(text) <= MESSAGE_LIMIT:
            break
    return text


def chosen(q: Question, order: Sequence[str], keys: frozenset[str]) -> str:
    """What a student chose, as they saw it: letters, or صحيح / خطأ for true/false."""
    if q.type is QuestionType.TRUE_FALSE:
        return texts.LIST_SEPARATOR.join(option_text(q, q.option(k)) for k in order if k in keys)
    return texts.LIST_SEPARATOR.join(letter(i) for i, k in enumerate(order) if k in keys)


def _name(names: Mapping[int, str], user_id: int) -> str:
    return texts.name(names.get(user_id) or str(user_id))


def _ranks(rows: Sequence[Standing], names: Mapping[int, str]) -> list[str]:
    return [
        texts.LIVE_RANK_LINE.format(
            rank=texts.isolate(texts.num(s.rank)),
            name=_name(names, s.user_id),
            points=points(s.score),
        )
        for s in rows
    ]


def _ranking(rows: Sequence[Standing], names: Mapping[int, str], rules: LiveRules) -> str:
    """Podium for the first three, then the rest of the top ten."""
    if not rows:
        return texts.LIVE_NOBODY
    podium = [
        texts.LIVE_PODIUM_LINE.format(
            medal=medal, name=_name(names, s.user_id), points=points(s.score)
        )
        for medal, s in zip(texts.LIVE_MEDALS, rows[: rules.podium], strict=False)
    ]
    rest = _ranks(rows[rules.podium : rules.top], names)
    return "\n".join(podium) + ("\n\n" + "\n".join(rest) if rest else "")


def _participants(rows: Sequence[Standing]) -> str:
    return texts.LIVE_PARTICIPANTS.format(count=texts.num(len(rows)))


def leaderboard(
    session: LiveSession,
    position: int,
    rows: Sequence[Standing],
    names: Mapping[int, str],
    rules: LiveRules,
) -> str:
    """The interim top ten and how many take part."""
    lines = _ranks(rows[: rules.top], names) or [texts.LIVE_NOBODY]
    return texts.LIVE_LEADERBOARD.format(
        number=texts.num(position + 1),
        total=texts.num(session.total),
        lines="\n".join(lines),
        participants=_participants(rows),
    )


def final(
    bank: Bank,
    session: LiveSession,
    rows: Sequence[Standing],
    names: Mapping[int, str],
    rules: LiveRules,
) -> str:
    """The end: podium, the rest of the top ten, and the number of participants."""
    values = {
        "title": texts.esc(bank.title),
        "ranking": _ranking(rows, names, rules),
        "participants": _participants(rows),
    }
    if session.status is Status.STOPPED:
        asked = session.position + 1 if session.started_at else 0
        return texts.LIVE_FINAL_STOPPED.format(
            number=texts.num(asked), total=texts.num(session.total), **values
        )
    return texts.LIVE_FINAL.format(**values)


def standings(
    sessions: int, rows: Sequence[Standing], names: Mapping[int, str], rules: LiveRules
) -> str:
    """/leaderboard: the group's standings over every ended session."""
    if not sessions:
        return texts.LIVE_STANDINGS_EMPTY
    return texts.LIVE_STANDINGS.format(
        sessions=texts.num(sessions),
        lines=_ranking(rows, names, rules),
        participants=_participants(rows),
    )
