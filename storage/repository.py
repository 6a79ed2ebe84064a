"""The repository the bot talks to: one object, one connection, domain objects in and out."""

from __future__ import annotations

from storage.attempts import AttemptResult, AttemptsMixin
from storage.live import LiveMixin

__all__ = ["Repository", "AttemptResult"]


class Repository(AttemptsMixin, LiveMixin):
    """Every storage operation of the bot. Feature parts are mixins over one Store."""
