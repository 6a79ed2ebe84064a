"""Render live sessions into HTML message texts, using only templates from `texts`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot import bidi, texts
from bot.formatting import Formatter
from bot.render import (
    accepted_answers,
    echo,
    evidence,
    header,
    highlighted,
    letter,
    option_text,
    shown_options,
)
from bot.render import points as points_to_consider
from quizzes import live
from quizzes.adaptive import PeerPath, normalized_gain, share
from quizzes.article import Article
from quizzes.live import (
    CloseReason,
    InputStyle,
    LiveAnswer,
    LiveRules,
    LiveSession,
    PeerRound,
    Phase,
    Stage,
    Standing,
    Status,
    Tally,
    live_kind,
)
from quizzes.model import Bank, Question, QuestionType
from quizzes.typed import MAX_CHARS

MESSAGE_LIMIT = 4096
BAR_WIDTH = 10
_REASONS = {
    CloseReason.TIMEOUT: texts.LIVE_REASON_TIMEOUT,
    CloseReason.ALL_ANSWERED: texts.LIVE_REASON_ALL_ANSWERED,
    CloseReason.SKIPPED: texts.LIVE_REASON_SKIPPED,
    CloseReason.STOPPED: texts.LIVE_REASON_STOPPED,
}


def clock(fmt: Formatter, moment: datetime) -> str:
    """A time every reader sees in their own zone (date_time entity), UTC text as fallback."""
    fallback = texts.LIVE_TIME_FALLBACK.format(clock=fmt.num(moment.strftime("%H:%M:%S")))
    return texts.LIVE_TIME.format(unix=int(moment.timestamp()), fallback=bidi.isolate(fallback))


def points(fmt: Formatter, score: float) -> str:
    """A score with its counted noun: ٣ نقاط، ٤٫٥ نقطة."""
    rounded = round(score, 1)
    if rounded == int(rounded):
        return fmt.count("point", int(rounded))
    return texts.LIVE_POINTS_DECIMAL.format(n=fmt.num(rounded))


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


def _options(order: Sequence[str], q: Question) -> str:
    return "\n".join(
        texts.OPTION_LINE.format(letter=letter(i), text=bidi.esc(option_text(q, q.option(k))))
        for i, k in enumerate(order)
    )


def question(fmt: Formatter, session: LiveSession, q: Question, answers: int) -> str:
    """The open question: options in the session's order (none for typed replies), how to
    answer, the deadline and the counter."""
    order = session.current.order
    lines = "" if q.type is QuestionType.TRUE_FALSE else _options(order, q)
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


_VOTE_REASONS = {
    CloseReason.TIMEOUT: texts.LIVE_VOTE_REASON_TIMEOUT,
    CloseReason.ALL_ANSWERED: texts.LIVE_VOTE_REASON_ALL_ANSWERED,
    CloseReason.SKIPPED: texts.LIVE_VOTE_REASON_SKIPPED,
    CloseReason.STOPPED: texts.LIVE_REASON_STOPPED,
}


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
        "options": _options(session.current.order, q),
        "reason": _VOTE_REASONS[session.reason or CloseReason.TIMEOUT],
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
        options=_options(session.current.order, q),
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


def _bar(count: int, answered: int) -> str:
    filled = round(BAR_WIDTH * count / answered) if answered else 0
    return texts.BAR_FULL * filled + texts.BAR_EMPTY * (BAR_WIDTH - filled)


def _bars(fmt: Formatter, q: Question, tally: Tally, with_text: bool) -> str:
    lines = []
    for i, (key, count) in enumerate(tally.counts):
        text = bidi.esc(option_text(q, q.option(key))) if with_text else ""
        lines.append(
            texts.LIVE_BAR.format(
                mark=texts.MARK_CORRECT + " " if key in q.answer else "",
                letter=letter(i),
                text=text,
                bar=_bar(count, tally.answered),
                count=fmt.num(count),
                percent=fmt.percent(tally.share(count)),
            )
        )
    return "\n".join(lines)


def _after(fmt: Formatter, session: LiveSession, position: int) -> str:
    """When the next question comes, under the reveal of the current one."""
    if session.phase is Phase.REVEAL and session.position == position:
        if session.paused or session.deadline is None:
            return texts.LIVE_NEXT_PAUSED
        return texts.LIVE_NEXT.format(time=clock(fmt, session.deadline))
    return ""


def reveal(fmt: Formatter, session: LiveSession, position: int, q: Question, tally: Tally) -> str:
    """The closed question: the correct answer, bars per option, explanation and evidence."""
    planned = session.plan[position]
    after = _after(fmt, session, position)
    reason = session.reason or CloseReason.TIMEOUT
    for with_text in (True, False):
        text = texts.LIVE_REVEAL.format(
            header=header(fmt, position, session.total),
            prompt=bidi.esc(q.prompt),
            reason=_REASONS[reason],
            correct=shown_options(q, planned.order, q.answer),
            bars=_bars(fmt, q, tally, with_text),
            totals=texts.LIVE_TOTALS.format(
                answers=fmt.num(tally.answered),
                joined=fmt.num(len(session.joined)),
                correct=fmt.num(tally.correct),
            ),
            explanation=bidi.esc(q.explanation),
            evidence=evidence(fmt, q.citations),
            next=after,
        )
        # Option texts are repeated in the bars; drop them there if the message would be long.
        if len(text) <= MESSAGE_LIMIT:
            break
    return text


def closed(
    fmt: Formatter,
    session: LiveSession,
    position: int,
    q: Question,
    answers: Sequence[LiveAnswer],
    article: Article,
    rules: LiveRules,
) -> str:
    """The reveal of any kind of question, from its recorded answers."""
    planned = session.plan[position]
    kind = live_kind(q)
    if kind is not None and kind.style is InputStyle.REPLY:
        if q.type is QuestionType.DISCUSSION:
            shown = (
                live.sample_responses(
                    answers, q.id, rules.responses_shown, f"{session.id}:{position}"
                )
                if session.show_responses
                else []
            )
            return discussion_reveal(fmt, session, position, q, answers, shown)
        return typed_reveal(fmt, session, position, q, answers, article)
    # A peer question stopped before its re-vote is revealed on its first vote alone.
    if planned.discuss and session.stage is Stage.REVOTE:
        return peer_reveal(fmt, session, position, q, live.peer_round(q, planned, answers))
    if planned.discuss and session.path is PeerPath.CONSENSUS:
        return consensus_reveal(fmt, session, position, q, live.tally(planned, answers))
    return reveal(fmt, session, position, q, live.tally(planned, answers))


def consensus_reveal(
    fmt: Formatter, session: LiveSession, position: int, q: Question, tally: Tally
) -> str:
    """Most of the class had a peer question right at once: the answer, the first vote's
    bars and the evidence, with no discussion and no re-vote (so no gain)."""
    planned = session.plan[position]

    def text(with_text: bool) -> str:
        return texts.LIVE_ADAPT_CONSENSUS_REVEAL.format(
            header=header(fmt, position, session.total),
            prompt=bidi.esc(q.prompt),
            reason=_VOTE_REASONS[session.reason or CloseReason.TIMEOUT],
            consensus=texts.LIVE_ADAPT_CONSENSUS.format(
                share=fmt.percent(tally.share(tally.correct))
            ),
            correct=shown_options(q, planned.order, q.answer),
            bars=_bars(fmt, q, tally, with_text),
            totals=texts.LIVE_TOTALS.format(
                answers=fmt.num(tally.answered),
                joined=fmt.num(len(session.joined)),
                correct=fmt.num(tally.correct),
            ),
            gain=texts.LIVE_ADAPT_GAIN_NONE_SKIPPED,
            explanation=bidi.esc(q.explanation),
            evidence=evidence(fmt, q.citations),
            next=_after(fmt, session, position),
        )

    return _fit(text(True), text(False))


def _fit(*candidates: str) -> str:
    """The first candidate that fits in one message (the last one as a last resort)."""
    for text in candidates:
        if len(text) <= MESSAGE_LIMIT:
            return text
    return candidates[-1]


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
                first_bar=_bar(before, shown.first.answered),
                first_count=fmt.num(before),
                first_percent=fmt.percent(shown.first.share(before)),
                after=texts.LIVE_PEER_AFTER,
                second_bar=_bar(after, shown.second.answered),
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
            reason=_REASONS[session.reason or CloseReason.TIMEOUT],
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
            next=_after(fmt, session, position),
        )

    return _fit(text(True), text(False))


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
        "reason": _REASONS[session.reason or CloseReason.TIMEOUT],
        "explanation": bidi.esc(q.explanation),
        "next": _after(fmt, session, position),
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
    return _fit(
        texts.LIVE_REVEAL_EVIDENCE.format(totals=totals, paragraphs=paragraphs, **common),
        texts.LIVE_REVEAL_EVIDENCE.format(
            totals=totals, paragraphs=evidence(fmt, q.citations), **common
        ),
    )


_DISCUSSION_REASONS = {
    **_REASONS,
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
            next=_after(fmt, session, position),
        )

    # Fewer quoted responses rather than a message Telegram refuses.
    return _fit(*(text(shown[:n]) for n in range(len(shown), -1, -1)))


def chosen(q: Question, order: Sequence[str], keys: frozenset[str]) -> str:
    """What a student chose, as they saw it: letters, or صحيح / خطأ for true/false."""
    if q.type is QuestionType.TRUE_FALSE:
        return texts.LIST_SEPARATOR.join(option_text(q, q.option(k)) for k in order if k in keys)
    return texts.LIST_SEPARATOR.join(letter(i) for i, k in enumerate(order) if k in keys)


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
