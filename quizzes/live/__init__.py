"""Live group sessions: the state machine a class group drives, with scoring and standings.

A session is a frozen value. Every event (join, answer, tick, start, skip, pause, resume, stop)
takes the session and returns the new one plus what happened, so the bot only has to store it,
show what happened and schedule the next deadline. Times are absolute UTC datetimes passed in by
the caller; nothing here reads a clock, talks to Telegram or touches a database.

One module per job:
- session: the model (stages, rules, the plan, the session value, a recorded answer);
- kinds: how each question type is answered, ordered, timed and graded live;
- events: what a transition reports, and what became of one press;
- machine: the transitions (lobby, timer, teacher's controls, the end);
- discussion: a peer round between its two votes;
- answering: one student's press or reply;
- replay: what to show again after a restart;
- scoring: points, tallies, the answer that counts, standings.

Callers import from here (`from quizzes.live import ...`, `live.tick(...)`), so the modules
can be rearranged without touching them.
"""

from __future__ import annotations

from quizzes.live.answering import answer
from quizzes.live.discussion import (
    choosing,
    discuss_anyway,
    explain_first,
)
from quizzes.live.events import (
    ChoiceOffered,
    ConsensusReached,
    DiscussionOpened,
    Ended,
    Event,
    ExplanationOpened,
    LeaderboardDue,
    Outcome,
    Paused,
    QuestionClosed,
    QuestionOpened,
    Refusal,
    ResponsesChanged,
    Resumed,
    RevoteOpened,
    SpeedChanged,
    Started,
    Step,
)
from quizzes.live.kinds import (
    LIVE_KINDS,
    ChoiceKind,
    Given,
    InputStyle,
    LiveKind,
    TextKind,
    live_kind,
    live_questions,
    toggle_selection,
)
from quizzes.live.machine import (
    abandon,
    everyone_answered,
    has_prompts,
    join,
    leaderboard_due,
    new_session,
    pause,
    resume,
    set_show_responses,
    set_speed,
    skip,
    start,
    stop,
    tick,
)
from quizzes.live.replay import entry_events
from quizzes.live.scoring import (
    LiveResult,
    PeerRound,
    Standing,
    Tally,
    combine,
    counted,
    peer_round,
    points,
    refresh_due,
    sample_responses,
    standings,
    tally,
)
from quizzes.live.session import (
    CloseReason,
    LiveAnswer,
    LiveRules,
    LiveSession,
    Phase,
    Planned,
    Stage,
    Status,
    asked_so_far,
)

__all__ = [
    "abandon",
    "ChoiceKind",
    "ChoiceOffered",
    "CloseReason",
    "ConsensusReached",
    "DiscussionOpened",
    "Ended",
    "Event",
    "ExplanationOpened",
    "Given",
    "InputStyle",
    "LIVE_KINDS",
    "LeaderboardDue",
    "LiveAnswer",
    "LiveKind",
    "LiveResult",
    "LiveRules",
    "LiveSession",
    "Outcome",
    "Paused",
    "PeerRound",
    "Phase",
    "Planned",
    "QuestionClosed",
    "QuestionOpened",
    "Refusal",
    "ResponsesChanged",
    "Resumed",
    "RevoteOpened",
    "SpeedChanged",
    "Stage",
    "Standing",
    "Started",
    "Status",
    "Step",
    "Tally",
    "TextKind",
    "answer",
    "asked_so_far",
    "choosing",
    "combine",
    "counted",
    "discuss_anyway",
    "entry_events",
    "everyone_answered",
    "explain_first",
    "has_prompts",
    "join",
    "leaderboard_due",
    "live_kind",
    "live_questions",
    "new_session",
    "pause",
    "peer_round",
    "points",
    "refresh_due",
    "resume",
    "sample_responses",
    "set_show_responses",
    "set_speed",
    "skip",
    "standings",
    "start",
    "stop",
    "tally",
    "tick",
    "toggle_selection",
]
