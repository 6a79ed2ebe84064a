"""The repository the bot talks to: one object, one connection, domain objects in and out."""

from __future__ import annotations

from storage.attempts import AttemptResult, AttemptsMixin
from storage.live import LiveMixin
from storage.peer_votes import PeerVotesMixin
from storage.reports import ReportsMixin
from storage.reviews import ReviewsMixin

__all__ = ["Repository", "AttemptResult"]


class Repository(AttemptsMixin, ReportsMixin, LiveMixin, PeerVotesMixin, ReviewsMixin):
    """Every storage operation of the bot. Feature parts are mixins over one Store."""
