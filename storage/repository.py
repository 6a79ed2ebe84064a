"""The repository the bot talks to: one object, one connection, domain objects in and out."""

from __future__ import annotations

from pathlib import Path

from storage.attempts import AttemptResult, AttemptsMixin
from storage.live import LiveMixin
from storage.live_cache import LiveSessionCache
from storage.memo import WrittenRows
from storage.peer_votes import PeerVotesMixin
from storage.reports import ReportsMixin
from storage.reviews import ReviewsMixin

__all__ = ["Repository", "AttemptResult"]


class Repository(AttemptsMixin, ReportsMixin, LiveMixin, PeerVotesMixin, ReviewsMixin):
    """Every storage operation of the bot. Feature parts are mixins over one Store."""

    def __init__(self, path: Path | str, *, synchronous: str = "full") -> None:
        super().__init__(path, synchronous=synchronous)
        self.written = WrittenRows()
        self.live_cache = LiveSessionCache()
