"""A small time-limited cache of Telegram's answers about group admins, kept by each process.

It holds only what Telegram told this bot (is this user an admin of that group; is this bot
unable to ask about that group at all), never what the database holds, so another process
changing rows cannot make it wrong; a change of admins on Telegram is seen within its lifetime.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

CACHE_SECONDS = 300.0


@dataclass
class AdminCache:
    """(chat_id, user_id) -> (is_admin, monotonic expiry); chat_id -> expiry for groups this
    bot is not in (another bot's class)."""

    ttl: float = CACHE_SECONDS
    entries: dict[tuple[int, int], tuple[bool, float]] = field(default_factory=dict)
    away: dict[int, float] = field(default_factory=dict)

    def get(self, chat_id: int, user_id: int) -> bool | None:
        hit = self.entries.get((chat_id, user_id))
        if hit is None or hit[1] < time.monotonic():
            return None
        return hit[0]

    def put(self, chat_id: int, user_id: int, is_admin: bool) -> None:
        self.entries[(chat_id, user_id)] = (is_admin, time.monotonic() + self.ttl)

    def unreachable(self, chat_id: int) -> bool:
        """Whether Telegram said lately that this bot cannot ask about the group."""
        return self.away.get(chat_id, 0.0) >= time.monotonic()

    def put_unreachable(self, chat_id: int) -> None:
        self.away[chat_id] = time.monotonic() + self.ttl

    def clear(self) -> None:
        """Forget every answer (as if they had all expired)."""
        self.entries.clear()
        self.away.clear()
