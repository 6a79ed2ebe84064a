"""Render live sessions into HTML message texts, using only templates from `texts`.

One module per message:
- fields: what several messages share (the message limit, close reasons, the clock, bars);
- lobby: the lobby, the start and the cancelled lobby;
- question: the open question, and what a student chose;
- between_votes: a peer round between its two votes (discussion, choice, explanation);
- reveal: a choice question's reveal, and a peer question's consensus;
- peer_reveal: a peer round's reveal after its re-vote;
- reply_reveal: a short answer's, an evidence paste's and a discussion prompt's reveal;
- closed: the reveal of any kind of question;
- standings: the leaderboard, the final podium and a group's standings.

Callers import from here (`from bot.live import render as live_render`).
"""

from __future__ import annotations

from bot.live.render.between_votes import between_votes
from bot.live.render.closed import closed
from bot.live.render.fields import MESSAGE_LIMIT
from bot.live.render.lobby import cancelled, lobby, started
from bot.live.render.question import chosen, question
from bot.live.render.reveal import reveal
from bot.live.render.standings import final, leaderboard, standings

__all__ = [
    "MESSAGE_LIMIT",
    "between_votes",
    "cancelled",
    "chosen",
    "closed",
    "final",
    "leaderboard",
    "lobby",
    "question",
    "reveal",
    "standings",
    "started",
]
