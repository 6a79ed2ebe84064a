"""What to show again after a restart: the events that lead into a session's current state.

A crash can come between storing a transition and showing it (`LiveSession.shown_step` lags
`step`); replaying these events redraws the state without applying any transition twice.
"""

from __future__ import annotations

from quizzes.adaptive import PeerPath
from quizzes.live.discussion import choosing
from quizzes.live.events import (
    ChoiceOffered,
    DiscussionOpened,
    Ended,
    Event,
    ExplanationOpened,
    LeaderboardDue,
    Paused,
    QuestionClosed,
    QuestionOpened,
    RevoteOpened,
)
from quizzes.live.machine import leaderboard_due
from quizzes.live.session import LiveRules, LiveSession, Phase, Stage


def entry_events(session: LiveSession, rules: LiveRules) -> tuple[Event, ...]:
    """The events that lead into the session's current state, to show it again after a restart
    that interrupted the showing (showing them twice is harmless: edits are idempotent)."""
    if session.phase is Phase.LOBBY:
        events: tuple[Event, ...] = ()
    elif choosing(session):
        assert session.reason is not None
        events = (ChoiceOffered(session.position, session.reason),)
    elif session.phase is Phase.QUESTION and session.stage is Stage.DISCUSS:
        assert session.reason is not None
        events = (
            (ExplanationOpened(session.position),)
            if session.path is PeerPath.EXPLAIN
            else (DiscussionOpened(session.position, session.reason),)
        )
    elif session.phase is Phase.QUESTION and session.stage is Stage.REVOTE:
        events = (RevoteOpened(session.position),)
    elif session.phase is Phase.QUESTION:
        events = (QuestionOpened(session.position),)
    elif session.phase is Phase.REVEAL:
        assert session.reason is not None
        events = (QuestionClosed(session.position, session.reason),)
        if leaderboard_due(session.position, session.total, rules):
            events += (LeaderboardDue(session.position),)
    else:
        closed = (
            (QuestionClosed(session.position, session.reason),)
            if session.reason is not None
            else ()
        )
        events = (*closed, Ended(session.status))
    return (*events, Paused()) if session.paused else events
