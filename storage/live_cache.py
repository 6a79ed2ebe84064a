"""Open live sessions kept in memory as the repository last read or wrote them.

Every press reads its session, so the live part keeps open sessions here instead of reading
three tables each time. What it returns must always be what a fresh read of the file would
give. Two rules keep it so:
- every write to a session's rows either keeps the session as the write left it (an answer, a
  join, whose effect on the session is known) or drops it, to be read again;
- a read keeps what it read only if no write to that session began or ended while it ran: each
  session has a count of changes, taken before the read and compared after it, and the cache
  has an epoch, for changes to every session at once (a read in flight of a session the cache
  has never seen has no count to compare).
This holds because one process runs a group's session. Another process can still write the
same rows (a /forgetme through another bot of the district hands the student's rows to a new
anonymous owner): where the database is shared, the live part checks a kept session against
the rows before using it (storage/live.py), so this cache is trusted only for what this
process wrote itself. It holds only sessions this process owns: those of its bot, which it
runs only while it holds the bot's lease (storage/lease.py), taken before it reads any
session; a standby has read nothing before it takes over, so it starts with an empty cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from quizzes.live import LiveSession

# What a read takes before it starts: the cache's epoch and the session's count of changes.
Mark = tuple[int, int]


class LiveSessionCache:
    """Open sessions by id, each with a count of the changes made to its rows."""

    def __init__(self) -> None:
        self._kept: dict[int, LiveSession] = {}
        self._changes: dict[int, int] = {}
        self._epoch = 0

    def get(self, session_id: int) -> LiveSession | None:
        return self._kept.get(session_id)

    def changes(self, session_id: int) -> Mark:
        """Take this before reading a session from the file; `keep_read` needs it."""
        return self._epoch, self._changes.get(session_id, 0)

    def keep_read(self, session: LiveSession, changes: Mark) -> bool:
        """Keep a session read from the file, unless it has ended or its rows changed since
        `changes` was taken (the read may have seen the rows before that change)."""
        if not session.is_open or self.changes(session.id) != changes:
            return False
        self._kept[session.id] = session
        return True

    def keep_written(self, session: LiveSession) -> None:
        """A write whose effect is known committed: `session` is what the rows now hold."""
        self._changed(session.id)
        self._kept[session.id] = session

    def invalidate(self, session_id: int) -> None:
        """The session's rows changed in a way only a read can tell: drop what is kept."""
        self._changed(session_id)
        self._kept.pop(session_id, None)

    def invalidate_all(self) -> None:
        """Rows of every session may have changed (a student forgotten across all of them)."""
        self._epoch += 1
        # Every mark taken before is stale now, so the counts can start again.
        self._kept.clear()
        self._changes.clear()

    @contextmanager
    def changing(self, session_id: int) -> Iterator[None]:
        """Around a write to a session's rows: a read that overlaps it is not kept, and neither
        is what was kept before it, whether the write commits or fails."""
        self.invalidate(session_id)
        try:
            yield
        finally:
            self.invalidate(session_id)

    def _changed(self, session_id: int) -> None:
        self._changes[session_id] = self._changes.get(session_id, 0) + 1
