"""Render live sessions into HTML message texts, using only templates from `texts`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot import texts
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
    responses = texts.LIVE_RESPONSES_ON if session.show_responses else texts.LIVE_RESPONSES_OFF
    return texts.LIVE_LOBBY.format(
        title=texts.esc(bank.title),
        questions=texts.count("question", session.total),
        seconds=_seconds(session),
        speed=texts.LIVE_SPEED_ON if session.speed else texts.LIVE_SPEED_OFF,
        responses=responses if live.has_prompts(session) else "",
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


def _reply_hint(session: LiveSession, question: Question) -> str:
    limit = texts.count("character", MAX_CHARS)
    if question.type is QuestionType.SHORT:
        return texts.LIVE_REPLY_SHORT_HINT
    if question.type is QuestionType.EVIDENCE:
        return texts.LIVE_REPLY_EVIDENCE_HINT
    hint = (
        texts.LIVE_REPLY_DISCUSSION_HINT.format(
            minimum=texts.count("character", question.min_length), limit=limit
        )
        if question.min_length
        else texts.LIVE_REPLY_DISCUSSION_HINT_FREE.format(limit=limit)
    )
    return hint + ("\n" + texts.LIVE_REPLY_SHOWN_NOTE if session.show_responses else "")


def _hint(session: LiveSession, question: Question) -> str:
    kind = live_kind(question)
    if kind is not None and kind.style is InputStyle.REPLY:
        return _reply_hint(session, question)
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
        texts.OPTION_LINE.format(letter=letter(i), text=texts.esc(option_text(q, q.option(k))))
        for i, k in enumerate(order)
    )


def question(session: LiveSession, q: Question, answers: int) -> str:
    """The open question: options in the session's order (none for typed replies), how to
    answer, the deadline and the counter."""
    order = session.current.order
    lines = "" if q.type is QuestionType.TRUE_FALSE else _options(order, q)
    options = "\n".join(filter(None, [lines, _hint(session, q)]))
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


_VOTE_REASONS = {
    CloseReason.TIMEOUT: texts.LIVE_VOTE_REASON_TIMEOUT,
    CloseReason.ALL_ANSWERED: texts.LIVE_VOTE_REASON_ALL_ANSWERED,
    CloseReason.SKIPPED: texts.LIVE_VOTE_REASON_SKIPPED,
    CloseReason.STOPPED: texts.LIVE_REASON_STOPPED,
}


def discussion(session: LiveSession, q: Question, answers: int) -> str:
    """Between the two votes of a peer round: the question, how many voted (not how), what
    to discuss and where to look in the article, and when the vote reopens."""
    status = _paused_or(
        session, texts.LIVE_PEER_DISCUSS_PAUSED, texts.LIVE_PEER_REOPENS, session.current.discuss
    )
    return texts.LIVE_PEER_DISCUSS.format(
        header=header(session.position, session.total),
        prompt=texts.esc(q.prompt),
        options=_options(session.current.order, q),
        reason=_VOTE_REASONS[session.reason or CloseReason.TIMEOUT],
        answers=texts.num(answers),
        joined=texts.num(len(session.joined)),
        paragraphs=texts.LIST_SEPARATOR.join(
            texts.LIVE_PEER_PARAGRAPH.format(number=texts.num(n)) for n in q.paragraphs
        ),
        status=status,
    )


def _paused_or(session: LiveSession, paused: str, running: str, seconds: float = 0) -> str:
    """The status line between the votes: the time left while paused, else when it ends (and
    after how long, for templates that say it)."""
    if session.paused:
        assert session.paused_left_ms is not None
        return paused.format(seconds=texts.count("second", round(session.paused_left_ms / 1000)))
    assert session.deadline is not None
    return running.format(
        seconds=texts.count("second", round(seconds)), time=clock(session.deadline)
    )


def choice(session: LiveSession, q: Question, answers: int) -> str:
    """After a weak first vote: how many voted (not how), that fewer than the band's low
    bound were right, and the teacher's two choices (the buttons are the teacher's)."""
    return texts.LIVE_ADAPT_CHOICE.format(
        header=header(session.position, session.total),
        prompt=texts.esc(q.prompt),
        options=_options(session.current.order, q),
        reason=_VOTE_REASONS[session.reason or CloseReason.TIMEOUT],
        answers=texts.num(answers),
        joined=texts.num(len(session.joined)),
        low=texts.percent(round(session.band.low)),
        status=_paused_or(session, texts.LIVE_ADAPT_CHOICE_PAUSED, texts.LIVE_ADAPT_CHOICE_WAIT),
    )


def explanation(session: LiveSession, q: Question) -> str:
    """The teacher explains first: the question and the cited passage, answer still hidden,
    and when the re-vote opens."""
    return texts.LIVE_ADAPT_EXPLAIN.format(
        header=header(session.position, session.total),
        prompt=texts.esc(q.prompt),
        options=_options(session.current.order, q),
        evidence=evidence(q.citations),
        status=_paused_or(
            session,
            texts.LIVE_ADAPT_EXPLAIN_PAUSED,
            texts.LIVE_PEER_REOPENS,
            session.current.discuss,
        ),
    )


def between_votes(session: LiveSession, q: Question, answers: int) -> str:
    """The message between a peer round's two votes, by the round's path."""
    if session.path is PeerPath.CHOOSE:
        return choice(session, q, answers)
    if session.path is PeerPath.EXPLAIN:
        return explanation(session, q)
    return discussion(session, q, answers)


def gain_line(shown: PeerRound) -> str:
    """A re-voted round's normalized gain, or why it has none."""
    pre = share(shown.first.correct, shown.first.answered)
    post = share(shown.second.correct, shown.second.answered)
    gain = normalized_gain(pre, post)
    if pre is not None and pre >= 100:
        return texts.LIVE_ADAPT_GAIN_NONE_FULL
    if gain is None or pre is None or post is None:
        return texts.LIVE_ADAPT_GAIN_NONE_VOTES
    return texts.LIVE_ADAPT_GAIN.format(
        gain=texts.decimal(gain),
        pre=texts.percent(round(pre)),
        post=texts.percent(round(post)),
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


def _after(session: LiveSession, position: int) -> str:
    """When the next question comes, under the reveal of the current one."""
    if session.phase is Phase.REVEAL and session.position == position:
        if session.paused or session.deadline is None:
            return texts.LIVE_NEXT_PAUSED
        return texts.LIVE_NEXT.format(time=clock(session.deadline))
    return ""


def reveal(session: LiveSession, position: int, q: Question, tally: Tally) -> str:
    """The closed question: the correct answer, bars per option, explanation and evidence."""
    planned = session.plan[position]
    after = _after(session, position)
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


def closed(
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
            return discussion_reveal(session, position, q, answers, shown)
        return typed_reveal(session, position, q, answers, article)
    # A peer question stopped before its re-vote is revealed on its first vote alone.
    if planned.discuss and session.stage is Stage.REVOTE:
        return peer_reveal(session, position, q, live.peer_round(q, planned, answers))
    if planned.discuss and session.path is PeerPath.CONSENSUS:
        return consensus_reveal(session, position, q, live.tally(planned, answers))
    return reveal(session, position, q, live.tally(planned, answers))


def consensus_reveal(session: LiveSession, position: int, q: Question, tally: Tally) -> str:
    """Most of the class had a peer question right at once: the answer, the first vote's
    bars and the evidence, with no discussion and no re-vote (so no gain)."""
    planned = session.plan[position]

    def text(with_text: bool) -> str:
        return texts.LIVE_ADAPT_CONSENSUS_REVEAL.format(
            header=header(position, session.total),
            prompt=texts.esc(q.prompt),
            reason=_VOTE_REASONS[session.reason or CloseReason.TIMEOUT],
            consensus=texts.LIVE_ADAPT_CONSENSUS.format(
                share=texts.percent(tally.share(tally.correct))
            ),
            correct=shown_options(q, planned.order, q.answer),
            bars=_bars(q, tally, with_text),
            totals=texts.LIVE_TOTALS.format(
                answers=texts.num(tally.answered),
                joined=texts.num(len(session.joined)),
                correct=texts.num(tally.correct),
            ),
            gain=texts.LIVE_ADAPT_GAIN_NONE_SKIPPED,
            explanation=texts.esc(q.explanation),
            evidence=evidence(q.citations),
            next=_after(session, position),
        )

    return _fit(text(True), text(False))


def _fit(*candidates: str) -> str:
    """The first candidate that fits in one message (the last one as a last resort)."""
    for text in candidates:
        if len(text) <= MESSAGE_LIMIT:
            return text
    return candidates[-1]


def _peer_bars(q: Question, shown: PeerRound, with_text: bool) -> str:
    lines = []
    for i, ((key, before), (_, after)) in enumerate(
        zip(shown.first.counts, shown.second.counts, strict=True)
    ):
        lines.append(
            texts.LIVE_PEER_BAR.format(
                mark=texts.MARK_CORRECT + " " if key in q.answer else "",
                letter=letter(i),
                text=texts.esc(option_text(q, q.option(key))) if with_text else "",
                before=texts.LIVE_PEER_BEFORE,
                first_bar=_bar(before, shown.first.answered),
                first_count=texts.num(before),
                first_percent=texts.percent(shown.first.share(before)),
                after=texts.LIVE_PEER_AFTER,
                second_bar=_bar(after, shown.second.answered),
                second_count=texts.num(after),
                second_percent=texts.percent(shown.second.share(after)),
            )
        )
    return "\n".join(lines)


_SHIFTS = {
    False: (texts.LIVE_PEER_SHIFT_UP, texts.LIVE_PEER_SHIFT_DOWN, texts.LIVE_PEER_SHIFT_SAME),
    True: (texts.LIVE_ADAPT_SHIFT_UP, texts.LIVE_ADAPT_SHIFT_DOWN, texts.LIVE_ADAPT_SHIFT_SAME),
}


def _peer_shift(shown: PeerRound, explained: bool = False) -> str:
    """The shift in the share of correct votes, after the discussion (or the explanation)."""
    first = shown.first.share(shown.first.correct)
    second = shown.second.share(shown.second.correct)
    values = {"first": texts.percent(first), "second": texts.percent(second)}
    up, down, same = _SHIFTS[explained]
    if second > first:
        return up.format(**values)
    if second < first:
        return down.format(**values)
    return same.format(**values)


def peer_reveal(session: LiveSession, position: int, q: Question, shown: PeerRound) -> str:
    """A peer round's reveal: both votes per option, before and after the discussion, the
    shift in the share of correct votes and who changed their mind, then the explanation."""
    planned = session.plan[position]
    moves = (
        texts.LIVE_PEER_MOVES.format(
            both=texts.num(shown.both),
            changed=texts.num(shown.changed),
            to_right=texts.num(shown.to_right),
            to_wrong=texts.num(shown.to_wrong),
        )
        if shown.both
        else ""
    )
    joined = texts.num(len(session.joined))
    explained = session.position == position and session.path is PeerPath.EXPLAIN

    def text(with_text: bool) -> str:
        return texts.LIVE_PEER_REVEAL.format(
            votes=texts.LIVE_ADAPT_VOTES_EXPLAINED if explained else texts.LIVE_PEER_VOTES,
            header=header(position, session.total),
            prompt=texts.esc(q.prompt),
            reason=_REASONS[session.reason or CloseReason.TIMEOUT],
            correct=shown_options(q, planned.order, q.answer),
            bars=_peer_bars(q, shown, with_text),
            shift=_peer_shift(shown, explained),
            gain=gain_line(shown),
            moves=moves,
            totals=texts.LIVE_PEER_TOTALS.format(
                first=texts.num(shown.first.answered),
                second=texts.num(shown.second.answered),
                joined=joined,
            ),
            explanation=texts.esc(q.explanation),
            evidence=evidence(q.citations),
            next=_after(session, position),
        )

    return _fit(text(True), text(False))


def typed_reveal(
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
        "header": header(position, session.total),
        "prompt": texts.esc(q.prompt),
        "reason": _REASONS[session.reason or CloseReason.TIMEOUT],
        "explanation": texts.esc(q.explanation),
        "next": _after(session, position),
    }
    joined = texts.num(len(session.joined))
    if q.type is QuestionType.SHORT:
        return texts.LIVE_REVEAL_SHORT.format(
            accepted=accepted_answers(q, q.accepted[0]),
            totals=texts.LIVE_TOTALS.format(
                answers=texts.num(len(mine)), joined=joined, correct=texts.num(right)
            ),
            evidence=evidence(q.citations),
            **common,
        )
    totals = texts.LIVE_TOTALS_EVIDENCE.format(
        answers=texts.num(len(mine)),
        joined=joined,
        correct=texts.num(right),
        partial=texts.num(sum(1 for a in mine if not a.correct and a.score > 0)),
    )
    cited = [c.passage for c in q.citations]
    paragraphs = "\n\n".join(
        texts.EVIDENCE_PARAGRAPH.format(
            number=texts.num(number), text=highlighted(article, number, cited)
        )
        for number in q.paragraphs
    )
    return _fit(
        texts.LIVE_REVEAL_EVIDENCE.format(totals=totals, paragraphs=paragraphs, **common),
        texts.LIVE_REVEAL_EVIDENCE.format(
            totals=totals, paragraphs=evidence(q.citations), **common
        ),
    )


_DISCUSSION_REASONS = {
    **_REASONS,
    CloseReason.ALL_ANSWERED: texts.LIVE_DISCUSSION_REASON_ALL_ANSWERED,
    CloseReason.SKIPPED: texts.LIVE_DISCUSSION_REASON_SKIPPED,
}


def discussion_reveal(
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
            header=header(position, session.total),
            prompt=texts.esc(q.prompt),
            reason=_DISCUSSION_REASONS[session.reason or CloseReason.TIMEOUT],
            responded=texts.num(sum(1 for a in answers if a.question_id == q.id)),
            joined=texts.num(len(session.joined)),
            responses=responses,
            points=points_to_consider(q),
            explanation=texts.esc(q.explanation),
            next=_after(session, position),
        )

    # Fewer quoted responses rather than a message Telegram refuses.
    return _fit(*(text(shown[:n]) for n in range(len(shown), -1, -1)))


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
