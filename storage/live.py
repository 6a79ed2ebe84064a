"""Live group sessions: the session row, participants, answers, private selections, scores.

Answers are idempotent: UNIQUE (session, question, round, student) with ON CONFLICT DO NOTHING,
so Telegram redelivering a press (or a reply) after a crash can neither add nor change a score.
Round 1 holds the re-votes of peer rounds. Session transitions are saved only if the stored step
is still the one they were computed from.

Every press reads its session, so open sessions are kept in memory (storage/live_cache.py): an
answer or a join updates the kept copy, any other change drops it, to be read again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import aiosqlite

from quizzes.adaptive import PeerPath
from quizzes.live import (
    CloseReason,
    LiveAnswer,
    LiveResult,
    LiveSession,
    Phase,
    Planned,
    Stage,
    Standing,
    Status,
    asked_so_far,
)
from quizzes.model import PeerBand
from storage import versions
from storage.base import Store, dumps, from_text, to_text
from storage.live_cache import LiveSessionCache

_SESSION_COLUMNS = (
    "speed = ?, status = ?, phase = ?, position = ?, step = ?, deadline = ?, opened_at = ?,"
    " paused_left_ms = ?, reason = ?, message_id = ?, started_at = ?, ended_at = ?, stage = ?,"
    " show_responses = ?, peer_path = ?, peer_low = ?, peer_high = ?"
)


def _plan(text: str) -> tuple[Planned, ...]:
    """[question_id, order, seconds, discuss, scored]; plans stored before peer rounds and
    typed questions have only the first three (a single round, scored)."""
    return tuple(
        Planned(q, tuple(order), seconds, *extra) for q, order, seconds, *extra in json.loads(text)
    )


def _plan_json(plan: tuple[Planned, ...]) -> str:
    return dumps([[p.question_id, list(p.order), p.seconds, p.discuss, p.scored] for p in plan])


def _asked(plan: tuple[Planned, ...], position: int, started: bool) -> int:
    """Scored questions asked up to `position`: the "out of" of a result."""
    return sum(1 for p in asked_so_far(plan, position, started) if p.scored)


def _session(
    row: aiosqlite.Row,
    joined: dict[int, int],
    answered: frozenset[int],
    right: frozenset[int] = frozenset(),
) -> LiveSession:
    position = row["position"]
    return LiveSession(
        id=row["id"],
        chat_id=row["chat_id"],
        bank_id=row["bank_id"],
        teacher_id=row["teacher_id"],
        plan=_plan(row["plan"]),
        created_at=from_text(row["created_at"]),
        left_out=row["left_out"],
        speed=bool(row["speed"]),
        show_responses=bool(row["show_responses"]),
        status=Status(row["status"]),
        phase=Phase(row["phase"]),
        position=position,
        stage=Stage(row["stage"]),
        step=row["step"],
        deadline=from_text(row["deadline"]),
        opened_at=from_text(row["opened_at"]),
        paused_left_ms=row["paused_left_ms"],
        reason=CloseReason(row["reason"]) if row["reason"] else None,
        message_id=row["message_id"],
        shown_step=row["shown_step"],
        started_at=from_text(row["started_at"]),
        ended_at=from_text(row["ended_at"]),
        joined=frozenset(joined),
        # Lobby joiners carry -1; a late joiner carries the question they joined at.
        expected=frozenset(u for u, at in joined.items() if at < position),
        answered=answered,
        right=right,
        path=PeerPath(row["peer_path"]) if row["peer_path"] else None,
        band=PeerBand(row["peer_low"], row["peer_high"]),
        version=versions.read(row),
    )


def _values(session: LiveSession) -> tuple:
    return (
        int(session.speed),
        session.status.value,
        session.phase.value,
        session.position,
        session.step,
        to_text(session.deadline),
        to_text(session.opened_at),
        session.paused_left_ms,
        session.reason.value if session.reason else None,
        session.message_id,
        to_text(session.started_at),
        to_text(session.ended_at),
        session.stage.value,
        int(session.show_responses),
        session.path.value if session.path else None,
        session.band.low,
        session.band.high,
    )


def _answer(row: aiosqlite.Row) -> LiveAnswer:
    return LiveAnswer(
        session_id=row["session_id"],
        question_id=row["question_id"],
        position=row["position"],
        user_id=row["user_id"],
        keys=frozenset(k for k in row["choice"].split(",") if k),
        correct=None if row["correct"] is None else bool(row["correct"]),
        points=row["points"],
        answered_at=from_text(row["answered_at"]),
        elapsed_ms=row["elapsed_ms"],
        round=row["round"],
        raw_text=row["raw_text"],
        credit=row["credit"],
    )


def _result(row: aiosqlite.Row) -> LiveResult:
    return LiveResult(
        session_id=row["session_id"],
        chat_id=row["chat_id"],
        bank_id=row["bank_id"],
        status=Status(row["status"]),
        user_id=row["user_id"],
        name=row["display_name"],
        username=row["username"],
        score=row["score"],
        correct=row["correct"],
        answered=row["answered"],
        asked=_asked(_plan(row["plan"]), row["position"], row["started_at"] is not None),
        total_ms=row["total_ms"],
        rank=row["rank"],
        started_at=from_text(row["started_at"]),
        ended_at=from_text(row["ended_at"]),
        version=versions.read(row),
    )


def _ended_filter(chat_id: int | None, session_id: int | None) -> tuple[str, tuple]:
    """The optional group and session conditions on `se` (live_sessions) for result queries."""
    where, params = "", ()
    if chat_id is not None:
        where, params = where + " AND se.chat_id = ?", (*params, chat_id)
    if session_id is not None:
        where, params = where + " AND se.id = ?", (*params, session_id)
    return where, params


class LivePart:
    """Repository part for live group sessions, over the shared store."""

    def __init__(self, store: Store, live_cache: LiveSessionCache) -> None:
        self.store = store
        self.live_cache = live_cache
        self._settling: set[asyncio.Task[None]] = set()

    async def _write(self, session_id: int, statements: Sequence[tuple[str, tuple]]) -> list[int]:
        """`store.write` for statements that change a session's rows.

        A caller cancelled while it waits does not stop its write, which goes in with its batch;
        nobody would then update or drop the kept session, and a read made before that batch
        could be kept. So the session is dropped again once the batch is in.
        """
        try:
            return await self.store.write(statements)
        except asyncio.CancelledError:
            task = asyncio.ensure_future(self._drop_after_batch(session_id))
            self._settling.add(task)
            task.add_done_callback(self._settling.discard)
            raise

    async def _drop_after_batch(self, session_id: int) -> None:
        # An empty write is settled in the same batch as the abandoned one, or a later one.
        with contextlib.suppress(Exception):  # the store closing, say: drop the session anyway
            await self.store.write([])
        self.live_cache.invalidate(session_id)

    async def _write_one(self, session_id: int, sql: str, params: tuple) -> int:
        (count,) = await self._write(session_id, [(sql, params)])
        return count

    # --- sessions ----------------------------------------------------------------------------

    async def create_live(self, session: LiveSession) -> LiveSession | None:
        """Store a new session; None if the group already has an open one."""
        values = (
            session.chat_id,
            session.bank_id,
            session.teacher_id,
            _plan_json(session.plan),
            session.left_out,
            to_text(session.created_at),
            *versions.values(session.version),
            *_values(session),
        )
        try:
            async with self.store.transaction() as db:
                cursor = await db.execute(
                    "INSERT INTO live_sessions (chat_id, bank_id, teacher_id, plan, left_out,"
                    " created_at, "
                    + ", ".join(versions.COLUMNS)
                    + ", "
                    + _SESSION_COLUMNS.replace(" = ?", "")
                    + ")"
                    f" VALUES ({', '.join('?' * len(values))})",
                    values,
                )
                session_id = cursor.lastrowid
        except aiosqlite.IntegrityError as error:
            # The partial unique index allows one open session per group.
            if "UNIQUE" not in str(error):
                raise
            return None
        return await self.get_live(session_id)

    async def get_live(self, session_id: int) -> LiveSession | None:
        """A session with who joined and who answered its current question (in the current
        round: the re-vote's answers once a peer round's re-vote is open)."""
        kept = self.live_cache.get(session_id)
        if kept is not None:
            return kept
        changes = self.live_cache.changes(session_id)

        def read(conn: sqlite3.Connection) -> tuple[Any, list[Any], list[Any]]:
            # Every press reads its session: three queries, one trip to the worker thread.
            row = conn.execute("SELECT * FROM live_sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                return None, [], []
            joined = conn.execute(
                "SELECT user_id, position FROM live_participants WHERE session_id = ?",
                (session_id,),
            ).fetchall()
            answered = conn.execute(
                "SELECT user_id, correct FROM live_answers"
                " WHERE session_id = ? AND position = ? AND round = ?",
                (session_id, row["position"], 1 if row["stage"] == Stage.REVOTE else 0),
            ).fetchall()
            return row, joined, answered

        row, joined, answered = await self.store.in_worker(read)
        if row is None:
            return None
        session = _session(
            row,
            {r["user_id"]: r["position"] for r in joined},
            frozenset(r["user_id"] for r in answered),
            frozenset(r["user_id"] for r in answered if r["correct"]),
        )
        self.live_cache.keep_read(session, changes)
        return session

    async def open_live_in(self, chat_id: int) -> LiveSession | None:
        row = await self.store.fetchone(
            "SELECT id FROM live_sessions WHERE chat_id = ? AND status = 'open'", (chat_id,)
        )
        return await self.get_live(row["id"]) if row else None

    async def open_lives(self) -> list[LiveSession]:
        """Every open session, oldest first (resumed after a restart)."""
        rows = await self.store.fetchall(
            "SELECT id FROM live_sessions WHERE status = 'open' ORDER BY id"
        )
        found = [await self.get_live(r["id"]) for r in rows]
        return [s for s in found if s is not None]

    async def save_live(self, session: LiveSession, expected_step: int) -> bool:
        """Store a transition if nobody moved the session since `expected_step`."""
        with self.live_cache.changing(session.id):
            count = await self._write_one(
                session.id,
                f"UPDATE live_sessions SET {_SESSION_COLUMNS}"
                " WHERE id = ? AND step = ? AND status = 'open'",
                (*_values(session), session.id, expected_step),
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
                " total_ms, rank) SELECT ?, ?, ?, ?, ?, ?, ?"
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
            count, *_ = await self._write(
                session.id,
                [
                    (
                        f"UPDATE live_sessions SET {_SESSION_COLUMNS}"
                        " WHERE id = ? AND step = ? AND status = 'open'",
                        (*_values(session), session.id, expected_step),
                    ),
                    *scores,
                ],
            )
        return count == 1

    async def unshown_ended_lives(self) -> list[int]:
        """Ended sessions whose last messages did not all go out, oldest first."""
        rows = await self.store.fetchall(
            "SELECT id FROM live_sessions WHERE status != 'open' AND shown_step < step ORDER BY id"
        )
        return [r["id"] for r in rows]

    async def set_live_message(self, session_id: int, step: int, message_id: int) -> None:
        """Remember the message that shows the session's current stage."""
        with self.live_cache.changing(session_id):
            await self._write_one(
                session_id,
                "UPDATE live_sessions SET message_id = ? WHERE id = ? AND step = ?",
                (message_id, session_id, step),
            )

    async def mark_live_shown(self, session_id: int, step: int) -> None:
        """Record that the messages of `step` were all sent or edited."""
        with self.live_cache.changing(session_id):
            await self._write_one(
                session_id,
                "UPDATE live_sessions SET shown_step = MAX(shown_step, ?) WHERE id = ?",
                (step, session_id),
            )

    # --- participants and answers ------------------------------------------------------------

    async def join_live(self, session_id: int, user_id: int, position: int, at: datetime) -> bool:
        """Add a participant once; returns whether they are new."""
        count = await self._write_one(
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
        """Add a participant to the kept session (as `_session` would read them)."""
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
        joined, inserted = await self._write(
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
        return [_answer(r) for r in await self.store.fetchall(sql + " ORDER BY id", params)]

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

    # --- results -----------------------------------------------------------------------------

    async def save_live_scores(self, session_id: int, rows: Iterable[Standing]) -> int:
        """Save each student's final score once; returns how many rows were new."""
        added = 0
        async with self.store.transaction() as db:
            for s in rows:
                cursor = await db.execute(
                    "INSERT INTO live_scores (session_id, user_id, score, correct, answered,"
                    " total_ms, rank) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (session_id, user_id) DO NOTHING",
                    (session_id, s.user_id, s.score, s.correct, s.answered, s.total_ms, s.rank),
                )
                added += cursor.rowcount
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
        where, params = _ended_filter(chat_id, session_id)
        rows = await self.store.fetchall(sql + where + " ORDER BY se.id, sc.rank", params)
        return [_result(r) for r in rows]

    async def live_answer_rows(
        self, chat_id: int | None = None, session_id: int | None = None
    ) -> list[LiveAnswer]:
        """Every answer of ended sessions, for a group or one session, in recorded order."""
        sql = (
            "SELECT a.* FROM live_answers a JOIN live_sessions se ON se.id = a.session_id"
            " WHERE se.status IN ('finished', 'stopped')"
        )
        where, params = _ended_filter(chat_id, session_id)
        return [
            _answer(r) for r in await self.store.fetchall(sql + where + " ORDER BY a.id", params)
        ]

    async def ended_live_count(self, chat_id: int) -> int:
        row = await self.store.fetchone(
            "SELECT COUNT(*) AS n FROM live_sessions"
            " WHERE chat_id = ? AND status IN ('finished', 'stopped')",
            (chat_id,),
        )
        return row["n"] if row else 0
