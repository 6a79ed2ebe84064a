"""The reveal of any kind of question, chosen by its kind and the peer round's path."""

from __future__ import annotations

from collections.abc import Sequence

from bot.formatting import Formatter
from bot.live.render.peer_reveal import peer_reveal
from bot.live.render.reply_reveal import discussion_reveal, typed_reveal
from bot.live.render.reveal import consensus_reveal, reveal
from quizzes import live
from quizzes.adaptive import PeerPath
from quizzes.article import Article
from quizzes.live import InputStyle, LiveAnswer, LiveRules, LiveSession, Stage, live_kind
from quizzes.model import Question, QuestionType


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
