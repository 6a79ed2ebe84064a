"""Live group sessions: the session row, its transitions, and the scores saved when it ends.

Session transitions are saved only if the stored step is still the one they were computed
from. Every press reads its session, so open sessions are kept in memory
(storage/live_cache.py): an answer or a join updates the kept copy (storage/live_answers.py),
any other change drops it, to be read again. On a database other processes share, a kept
session is checked against its rows before it is used (`_still_as_kept`).

Several bots may share one database: a session belongs to the bot that created it
(`bot_id`; NULL for sessions stored when a database had one bot, so that bot's), and a process
resumes and watches only its own bot's sessions. A press reaches only the bot whose message it
was pressed on, so a press is served whoever's session it names.
"""

from __future__ import annotations

from collections.abc import Iterable

from quizzes.live import LiveAnswer, LiveResult, LiveSession, Stage, Standing
from storage import versions
from storage.base import IntegrityError, Store, to_text
from storage.live_cache import LiveSessionCache
from storage.live_rows import (
    SESSION_COLUMNS,
    answer_from_row,
    ended_filter,
    plan_json,
    result_from_row,
    session_from_row,
    session_values,
)
from storage.live_writes import SessionWrites


class LiveSessionsPart:
    """Repository part for live group sessions and their results, over the shared store."""

    def __init__(
        self, store: Store, live_cache: LiveSessionCache, writes: SessionWrites, bot_id: int = 0
    ) -> None:
        self.store = store
        self.live_cache = live_cache
        self.writes = writes
        self.bot_id = bot_id

    # --- sessions ----------------------------------------------------------------------------

    async def create_live(self, session: LiveSession) -> LiveSession | None:
        """Store a new session; None if the group already has an open one."""
        values = (
            session.chat_id,
            self.bot_id,
            session.bank_id,
            session.teacher_id,
            plan_json(session.plan),
            session.left_out,
            to_text(session.created_at),
            *versions.values(session.version),
            *session_values(session),
        )
        try:
            async with self.store.transaction() as db:
                session_id = await db.insert(
                    "INSERT INTO live_sessions (chat_id, bot_id, bank_id, teacher_id, plan,"
                    " left_out, created_at, "
                    + ", ".join(versions.COLUMNS)
                    + ", "
                    + SESSION_COLUMNS.replace(" = ?", "")
                    + ")"
                    f" VALUES ({', '.join('?' * len(values))})",
                    values,
                )
        except IntegrityError as error:
            # The partial unique index allows one open session per group.
            if not error.unique:
                raise
            return None
        return await self.get_live(session_id)

    async def get_live(self, session_id: int) -> LiveSession | None:
        """A session with who joined and who answered its current question (in the current
        round: the re-vote's answers once a peer round's re-vote is open)."""
        kept = self.live_cache.get(session_id)
        if kept is not None and (not self.store.shared or await self._still_as_kept(kept)):
            return kept
        changes = self.live_cache.changes(session_id)

        async with self.store.snapshot() as db:
            row = await db.fetchone("SELECT * FROM live_sessions WHERE id = ?", (session_id,))
            if row is None:
                return None
            joined = await db.fetchall(
                "SELECT user_id, position FROM live_participants WHERE session_id = ?",
                (session_id,),
            )
            answered = await db.fetchall(
                "SELECT user_id, correct FROM live_answers"
                " WHERE session_id = ? AND position = ? AND round = ?",
                (session_id, row["position"], 1 if row["stage"] == Stage.REVOTE else 0),
            )
        session = session_from_row(
            row,
            {r["user_id"]: r["position"] for r in joined},
            frozenset(r["user_id"] for r in answered),
            frozenset(r["user_id"] for r in answered if r["correct"]),
        )
        self.live_cache.keep_read(session, changes)
        return session

    async def _still_as_kept(self, kept: LiveSession) -> bool:
        """On a shared database, whether the rows still hold the kept session: its step and
        who joined (a /forgetme through another bot hands a participant's rows to a new owner,
        and every answer has its participant row). One indexed read instead of three; if it
        differs, the session is dropped and read afresh."""
        row = await self.store.fetchone(
            "SELECT s.step, COUNT(p.user_id) AS joined, COALESCE(SUM(p.user_id), 0) AS total"
            " FROM live_sessions s LEFT JOIN live_participants p ON p.session_id = s.id"
            " WHERE s.id = ? GROUP BY s.id, s.step",
            (kept.id,),
        )
        same = row is not None and (row["step"], row["joined"], row["total"]) == (
            kept.step,
            len(kept.joined),
            sum(kept.joined),
        )
        if not same:
            self.live_cache.invalidate(kept.id)
        return same

    async def open_live_in(self, chat_id: int) -> LiveSession | None:
        row = await self.store.fetchone(
            "SELECT id FROM live_sessions WHERE chat_id = ? AND status = 'open'", (chat_id,)
        )
        return await self.get_live(row["id"]) if row else None

    async def open_lives(self) -> list[LiveSession]:
        """Every open session of this bot, oldest first (resumed after a restart)."""
        rows = await self.store.fetchall(
            "SELECT id FROM live_sessions WHERE status = 'open'"
            " AND (bot_id = ? OR bot_id IS NULL) ORDER BY id",
            (self.bot_id,),
        )
        found = [await self.get_live(r["id"]) for r in rows]
        return [s for s in found if s is not None]

    async def save_live(self, session: LiveSession, expected_step: int) -> bool:
        """Store a transition if nobody moved the session since `expected_step`."""
        with self.live_cache.changing(session.id):
            count = await self.writes.write_one(
                session.id,
                f"UPDATE live_sessions SET {SESSION_COLUMNS}"
                " WHERE id = ? AND step = ? AND status = 'open'",
                (*session_values(session), session.id, expected_step),
            )
        return count == 1

    async def end_live(
        self, session: LiveSession, expected_step: int, rows: Iterable[Standing]
    ) -> bool:
        """Store the transition that ends a session and its final scores in one transaction,
        so that no failure after it (a message that does not go out, a crash) can lose them.
        The scores go in only with the transition (not if someone moved the session first)."""
        ended = "SELECT 1 FROM live_sessions WHERE id = ? AND step = ? AND status = ?"
        scores = [
            (
                "INSERT INTO live_scores (session_id, user_id, score, correct, answered,"
                " total_ms, rank) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT),"
                " CAST(? AS DOUBLE PRECISION), CAST(? AS BIGINT), CAST(? AS BIGINT),"
                " CAST(? AS BIGINT), CAST(? AS BIGINT)"
                f" WHERE EXISTS ({ended}) ON CONFLICT (session_id, user_id) DO NOTHING",
                (
                    session.id,
                    *(s.user_id, s.score, s.correct, s.answered, s.total_ms, s.rank),
                    *(session.id, session.step, session.status.value),
                ),
            )
            for s in rows
        ]
        with self.live_cache.changing(session.id):
            count, *_ = await self.writes.write(
                session.id,
                [
                    (
                        f"UPDATE live_sessions SET {SESSION_COLUMNS}"
                        " WHERE id = ? AND step = ? AND status = 'open'",
                        (*session_values(session), session.id, expected_step),
                    ),
                    *scores,
                ],
            )
        return count == 1

    async def unshown_ended_lives(self) -> list[int]:
        """This bot's ended sessions whose last messages did not all go out, oldest first."""
        rows = await self.store.fetchall(
            "SELECT id FROM live_sessions WHERE status != 'open' AND shown_step < step"
            " AND (bot_id = ? OR bot_id IS NULL) ORDER BY id",
            (self.bot_id,),
        )
        return [r["id"] for r in rows]

    async def set_live_message(self, session_id: int, step: int, message_id: int) -> None:
        """Remember the message that shows the session's current stage."""
        with self.live_cache.changing(session_id):
            await self.writes.write_one(
                session_id,
                "UPDATE live_sessions SET message_id = ? WHERE id = ? AND step = ?",
                (message_id, session_id, step),
            )

    async def mark_live_shown(self, session_id: int, step: int) -> None:
        """Record that the messages of `step` were all sent or edited."""
        with self.live_cache.changing(session_id):
            await self.writes.write_one(
                session_id,
                "UPDATE live_sessions SET shown_step = ? WHERE id = ? AND shown_step < ?",
                (step, session_id, step),
            )

    # --- results -----------------------------------------------------------------------------

    async def save_live_scores(self, session_id: int, rows: Iterable[Standing]) -> int:
        """Save each student's final score once; returns how many rows were new."""
        added = 0
        async with self.store.transaction() as db:
            for s in rows:
                added += await db.execute(
                    "INSERT INTO live_scores (session_id, user_id, score, correct, answered,"
                    " total_ms, rank) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (session_id, user_id) DO NOTHING",
                    (session_id, s.user_id, s.score, s.correct, s.answered, s.total_ms, s.rank),
                )
        return added

    async def live_results(
        self, chat_id: int | None = None, session_id: int | None = None
    ) -> list[LiveResult]:
        """Saved per-student results of ended sessions (finished or stopped), for a group or one
        session, oldest session first, then by rank. This is what exports read."""
        sql = (
            "SELECT sc.session_id, se.chat_id, se.bank_id, se.status, sc.user_id,"
            " st.display_name, st.username, sc.score, sc.correct, sc.answered, sc.total_ms,"
            " sc.rank, se.started_at, se.ended_at, se.plan, se.position,"
            " se.bank_sha256, se.article_id, se.article_sha256"
            " FROM live_scores sc JOIN live_sessions se ON se.id = sc.session_id"
            " JOIN students st ON st.user_id = sc.user_id"
            " WHERE se.status IN ('finished', 'stopped')"
        )
        where, params = ended_filter(chat_id, session_id)
        rows = await self.store.fetchall(sql + where + " ORDER BY se.id, sc.rank", params)
        return [result_from_row(r) for r in rows]

    async def live_answer_rows(
        self, chat_id: int | None = None, session_id: int | None = None
    ) -> list[LiveAnswer]:
        """Every answer of ended sessions, for a group or one session, in recorded order."""
        sql = (
            "SELECT a.* FROM live_answers a JOIN live_sessions se ON se.id = a.session_id"
            " WHERE se.status IN ('finished', 'stopped')"
        )
        where, params = ended_filter(chat_id, session_id)
        return [
            answer_from_row(r)
            for r in await self.store.fetchall(sql + where + " ORDER BY a.id", params)
        ]

    async def ended_live_count(self, chat_id: int) -> int:
        row = await self.store.fetchone(
            "SELECT COUNT(*) AS n FROM live_sessions"
            " WHERE chat_id = ? AND status IN ('finished', 'stopped')",
            (chat_id,),
        )
        return row["n"] if row else 0
