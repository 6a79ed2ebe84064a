"""A small time-limited cache of "is this user an admin of that group" answers."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

CACHE_SECONDS = 300.0


@dataclass
class AdminCache:
    """(chat_id, user_id) -> (is_admin, monotonic expiry)."""

    ttl: float = CACHE_SECONDS
    entries: dict[tuple[int, int], tuple[bool, float]] = field(default_factory=dict)

    def get(self, chat_id: int, user_id: int) -> bool | None:
        hit = self.entries.get((chat_id, user_id))
        if hit is None or hit[1] < time.monotonic():
            return None
        return hit[0]

    def put(self, chat_id: int, user_id: int, is_admin: bool) -> None:
        self.entries[(chat_id, user_id)] = (is_admin, time.monotonic() + self.ttl)
