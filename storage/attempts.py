"""Students, chats, self-paced attempts and their answers."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from quizzes.attempt import AnswerRecord, Attempt, AttemptStatus
from storage.base import Row, Store, dumps, from_text, to_text
from storage.memo import WrittenRows


@dataclass(frozen=True)
class AttemptResult:
    """A finished attempt as a student's history shows it."""

    attempt_id: int
    bank_id: str
    score: float
    answered: int
    question_ids: tuple[str, ...]
    started_at: datetime
    finished_at: datetime | None


Keys = tuple[str, ...]


@functools.lru_cache(maxsize=4096)
def _order(question_ids: str, option_order: str) -> tuple[Keys, tuple[Keys, ...]]:
    """An attempt's questions and option orders, decoded once: they never change after it
    starts, and decoding them was most of the cost of reading an attempt on every press."""
    return tuple(json.loads(question_ids)), tuple(tuple(o) for o in json.loads(option_order))


@functools.lru_cache(maxsize=256)
def _selection(text: str) -> frozenset[str]:
    return frozenset(json.loads(text))


def attempt_from_row(row: Row) -> Attempt:
    question_ids, option_orders = _order(row["question_ids"], row["option_order"])
    return Attempt(
        id=row["id"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        bank_id=row["bank_id"],
        question_ids=question_ids,
        option_orders=option_orders,
        started_at=from_text(row["started_at"]),
        position=row["position"],
        selection=_selection(row["selection"]),
        status=AttemptStatus(row["status"]),
        finished_at=from_text(row["finished_at"]),
        class_chat_id=row["class_chat_id"],
        retry_of=row["retry_of"],
    )


def answer_from_row(row: Row) -> AnswerRecord:
    return AnswerRecord(
        attempt_id=row["attempt_id"],
        question_id=row["question_id"],
        choice=row["choice"],
        correct=None if row["correct"] is None else bool(row["correct"]),
        score=row["score"],
        answered_at=from_text(row["answered_at"]),
        latency_ms=row["latency_ms"],
        raw_text=row["raw_text"],
    )


class AttemptsPart:
    """Repository part for people, chats and private attempts, over the shared store."""

    def __init__(self, store: Store, written: WrittenRows, bot_id: int = 0) -> None:
        self.store = store
        self.written = written
        self.bot_id = bot_id  # a chat saved is recorded as served by this bot

    async def save_student(self, user_id: int, display_name: str, username: str | None) -> None:
        """Insert or refresh a student's name as Telegram reports it now."""
        if self.written.unchanged(("student", user_id), (display_name, username)):
            return
        now = to_text(datetime.now(UTC))
        await self.store.write_one(
            "INSERT INTO students (user_id, display_name, username, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " display_name = excluded.display_name, username = excluded.username,"
            " updated_at = excluded.updated_at",
            (user_id, display_name, username, now, now),
        )
        self.written.wrote(("student", user_id), (display_name, username))

    async def save_chat(self, chat_id: int, chat_type: str, title: str | None) -> None:
        if self.written.unchanged(("chat", chat_id), (chat_type, title)):
            return
        now = to_text(datetime.now(UTC))
        await self.store.write(
            [
                (
                    "INSERT INTO chats (chat_id, type, title, created_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (chat_id) DO UPDATE SET type = excluded.type,"
                    " title = excluded.title",
                    (chat_id, chat_type, title, now),
                ),
                (
                    "INSERT INTO bot_chats (bot_id, chat_id, first_seen) VALUES (?, ?, ?)"
                    " ON CONFLICT (bot_id, chat_id) DO NOTHING",
                    (self.bot_id, chat_id, now),
                ),
            ]
        )
        self.written.wrote(("chat", chat_id), (chat_type, title))

    async def start_attempt(self, attempt: Attempt) -> Attempt:
        """Store a new attempt, cancelling the student's other active one in that chat."""
        async with self.store.transaction() as db:
            await db.execute(
                "UPDATE attempts SET status = 'cancelled', finished_at = ?"
                " WHERE user_id = ? AND chat_id = ? AND status = 'active'",
                (to_text(attempt.started_at), attempt.user_id, attempt.chat_id),
            )
            attempt_id = await db.insert(
                "INSERT INTO attempts (user_id, chat_id, bank_id, class_chat_id, retry_of,"
                " question_ids, option_order, position, selection, status, started_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    attempt.user_id,
                    attempt.chat_id,
                    attempt.bank_id,
                    attempt.class_chat_id,
                    attempt.retry_of,
                    dumps(list(attempt.question_ids)),
                    dumps([list(o) for o in attempt.option_orders]),
                    attempt.position,
                    dumps(sorted(attempt.selection)),
                    attempt.status.value,
                    to_text(attempt.started_at),
                ),
            )
        return await self.get_attempt(attempt_id)

    async def get_attempt(self, attempt_id: int) -> Attempt | None:
        row = await self.store.fetchone("SELECT * FROM attempts WHERE id = ?", (attempt_id,))
        return attempt_from_row(row) if row else None

    async def attempt_and_answer(
        self, attempt_id: int, position: int
    ) -> tuple[Attempt | None, AnswerRecord | None]:
        """An attempt and its answer to the question at `position`, as one state of the
        database (what every "next" press and option toggle reads)."""
        async with self.store.snapshot() as db:
            row = await db.fetchone("SELECT * FROM attempts WHERE id = ?", (attempt_id,))
            if row is None:
                return None, None
            attempt = attempt_from_row(row)
            if not 0 <= position < len(attempt.question_ids):
                return attempt, None
            found = await db.fetchone(
                "SELECT * FROM answers WHERE attempt_id = ? AND question_id = ?",
                (attempt_id, attempt.question_ids[position]),
            )
        return attempt, answer_from_row(found) if found else None

    async def active_attempt(self, user_id: int, chat_id: int) -> Attempt | None:
        row = await self.store.fetchone(
            "SELECT * FROM attempts WHERE user_id = ? AND chat_id = ? AND status = 'active'"
            " ORDER BY id DESC LIMIT 1",
            (user_id, chat_id),
        )
        return attempt_from_row(row) if row else None

    async def save_progress(self, attempt: Attempt, expected_position: int) -> bool:
        """Store position, selection and status if nobody moved the attempt meanwhile.

        Returns False when the stored position is no longer `expected_position`, so a
        replayed "next" press cannot skip a question.
        """
        count = await self.store.write_one(
            "UPDATE attempts SET position = ?, selection = ?, status = ?, finished_at = ?"
            " WHERE id = ? AND position = ? AND status = 'active'",
            (
                attempt.position,
                dumps(sorted(attempt.selection)),
                attempt.status.value,
                to_text(attempt.finished_at),
                attempt.id,
                expected_position,
            ),
        )
        return count == 1

    async def record_answer(self, answer: AnswerRecord) -> tuple[AnswerRecord, bool]:
        """Record an answer once. Returns the stored answer and whether it is new."""
        count = await self.store.write_one(
            "INSERT INTO answers (attempt_id, question_id, choice, correct, score,"
            " raw_text, answered_at, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (attempt_id, question_id) DO NOTHING",
            (
                answer.attempt_id,
                answer.question_id,
                answer.choice,
                None if answer.correct is None else int(answer.correct),
                answer.score,
                answer.raw_text,
                to_text(answer.answered_at),
                answer.latency_ms,
            ),
        )
        if count == 1:
            return answer, True
        # A replay: what counts is the first answer, as stored.
        stored = await self.get_answer(answer.attempt_id, answer.question_id)
        return stored, False

    async def get_answer(self, attempt_id: int, question_id: str) -> AnswerRecord | None:
        row = await self.store.fetchone(
            "SELECT * FROM answers WHERE attempt_id = ? AND question_id = ?",
            (attempt_id, question_id),
        )
        return answer_from_row(row) if row else None

    async def answers_for(self, attempt_id: int) -> list[AnswerRecord]:
        rows = await self.store.fetchall(
            "SELECT * FROM answers WHERE attempt_id = ? ORDER BY id", (attempt_id,)
        )
        return [answer_from_row(r) for r in rows]

    async def cancel_attempt(self, attempt_id: int, now: datetime) -> bool:
        count = await self.store.write_one(
            "UPDATE attempts SET status = 'cancelled', finished_at = ?"
            " WHERE id = ? AND status = 'active'",
            (to_text(now), attempt_id),
        )
        return count == 1

    async def history(self, user_id: int, limit: int = 10) -> list[AttemptResult]:
        """A student's own finished attempts, newest first."""
        rows = await self.store.fetchall(
            "SELECT a.id, a.bank_id, a.question_ids, a.started_at, a.finished_at,"
            " COALESCE(SUM(s.score), 0) AS score, COUNT(s.id) AS answered"
            " FROM attempts a LEFT JOIN answers s ON s.attempt_id = a.id"
            " WHERE a.user_id = ? AND a.status = 'finished'"
            " GROUP BY a.id ORDER BY a.finished_at DESC, a.id DESC LIMIT ?",
            (user_id, limit),
        )
        return [
            AttemptResult(
                r["id"],
                r["bank_id"],
                r["score"],
                r["answered"],
                tuple(json.loads(r["question_ids"])),
                from_text(r["started_at"]),
                from_text(r["finished_at"]),
            )
            for r in rows
        ]
