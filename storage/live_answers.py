"""Live sessions' participants, answers and private selections.

Answers are idempotent: UNIQUE (session, question, round, student) with ON CONFLICT DO NOTHING,
so Telegram redelivering a press (or a reply) after a crash can neither add nor change a score.
Round 1 holds the re-votes of peer rounds. An answer or a join updates the kept session
(storage/live_cache.py) as a read of the file would give it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from quizzes.live import LiveAnswer
from storage.base import Store, to_text
from storage.live_cache import LiveSessionCache
from storage.live_rows import answer_from_row
from storage.live_writes import SessionWrites


class LiveAnswersPart:
    """Repository part for who joined a live session and what they answered."""

    def __init__(self, store: Store, live_cache: LiveSessionCache, writes: SessionWrites) -> None:
        self.store = store
        self.live_cache = live_cache
        self.writes = writes

    # --- participants and answers ------------------------------------------------------------

    async def join_live(self, session_id: int, user_id: int, position: int, at: datetime) -> bool:
        """Add a participant once; returns whether they are new."""
        count = await self.writes.write_one(
            session_id,
            "INSERT INTO live_participants (session_id, user_id, position, joined_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, user_id) DO NOTHING",
            (session_id, user_id, position, to_text(at)),
        )
        new = count == 1
        if new:
            self._joined(session_id, user_id, position)
        return new

    def _joined(self, session_id: int, user_id: int, position: int) -> None:
        """Add a participant to the kept session (as `session_from_row` would read them)."""
        kept = self.live_cache.get(session_id)
        if kept is None:
            self.live_cache.invalidate(session_id)
            return
        expected = kept.expected | {user_id} if position < kept.position else kept.expected
        self.live_cache.keep_written(
            replace(kept, joined=kept.joined | {user_id}, expected=expected)
        )

    async def record_live_answer(self, answer: LiveAnswer) -> bool:
        """Record an answer once (joining its student if needed); returns whether it is new."""
        joined, inserted = await self.writes.write(
            answer.session_id,
            [
                (
                    "INSERT INTO live_participants (session_id, user_id, position, joined_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, user_id) DO NOTHING",
                    (
                        answer.session_id,
                        answer.user_id,
                        answer.position,
                        to_text(answer.answered_at),
                    ),
                ),
                (
                    "INSERT INTO live_answers (session_id, question_id, position, round, user_id,"
                    " choice, correct, credit, raw_text, points, answered_at, elapsed_ms)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (session_id, question_id, round, user_id) DO NOTHING",
                    (
                        answer.session_id,
                        answer.question_id,
                        answer.position,
                        answer.round,
                        answer.user_id,
                        ",".join(sorted(answer.keys)),
                        None if answer.correct is None else int(answer.correct),
                        answer.credit,
                        answer.raw_text,
                        answer.points,
                        to_text(answer.answered_at),
                        answer.elapsed_ms,
                    ),
                ),
            ],
        )
        if joined:
            self._joined(answer.session_id, answer.user_id, answer.position)
        if inserted:
            kept = self.live_cache.get(answer.session_id)
            if kept is not None and (kept.position, kept.round) == (answer.position, answer.round):
                self.live_cache.keep_written(kept.with_answer(answer.user_id, bool(answer.correct)))
            else:
                self.live_cache.invalidate(answer.session_id)
        return inserted == 1

    async def live_answers(self, session_id: int, position: int | None = None) -> list[LiveAnswer]:
        """A session's answers (or one question's), in the order they were recorded."""
        sql = "SELECT * FROM live_answers WHERE session_id = ?"
        params: tuple = (session_id,)
        if position is not None:
            sql += " AND position = ?"
            params += (position,)
        return [answer_from_row(r) for r in await self.store.fetchall(sql + " ORDER BY id", params)]

    async def live_joined_at(self, session_id: int) -> dict[int, int]:
        """Who took part in a session and the question they joined at (-1: in the lobby)."""
        rows = await self.store.fetchall(
            "SELECT user_id, position FROM live_participants WHERE session_id = ?", (session_id,)
        )
        return {r["user_id"]: r["position"] for r in rows}

    async def live_selection(self, session_id: int, position: int, user_id: int) -> frozenset[str]:
        row = await self.store.fetchone(
            "SELECT keys FROM live_selections"
            " WHERE session_id = ? AND position = ? AND user_id = ?",
            (session_id, position, user_id),
        )
        return frozenset(k for k in row["keys"].split(",") if k) if row else frozenset()

    async def set_live_selection(
        self, session_id: int, position: int, user_id: int, keys: frozenset[str]
    ) -> None:
        """A student's private multi-select choice before they confirm it."""
        await self.store.write_one(
            "INSERT INTO live_selections (session_id, position, user_id, keys)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (session_id, position, user_id)"
            " DO UPDATE SET keys = excluded.keys",
            (session_id, position, user_id, ",".join(sorted(keys))),
        )

    async def student_names(self, user_ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(user_ids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = await self.store.fetchall(
            f"SELECT user_id, display_name FROM students WHERE user_id IN ({marks})",
            tuple(wanted),
        )
        return {r["user_id"]: r["display_name"] for r in rows}
