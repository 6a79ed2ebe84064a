"""Spaced review: the schedule of items, delivery settings, prompts sent and answers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from quizzes.review import (
    PromptKind,
    ReviewAnswer,
    ReviewItem,
    ReviewPrompt,
    ReviewRow,
    ReviewSettings,
    Window,
)
from storage.base import Row, Store, dumps, from_text, to_text


def _item(row: Row) -> ReviewItem:
    return ReviewItem(
        user_id=row["user_id"],
        bank_id=row["bank_id"],
        question_id=row["question_id"],
        box=row["box"],
        due_at=from_text(row["due_at"]),
        reviews=row["reviews"],
        done=bool(row["done"]),
    )


def _prompt(row: Row) -> ReviewPrompt:
    return ReviewPrompt(
        id=row["id"],
        user_id=row["user_id"],
        bank_id=row["bank_id"],
        question_id=row["question_id"],
        sighting=row["sighting"],
        kind=PromptKind(row["kind"]),
        sent_at=from_text(row["sent_at"]),
        poll_id=row["poll_id"],
        option_order=tuple(json.loads(row["option_order"])),
    )


class ReviewsPart:
    """Repository part for spaced review, over the shared store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def schedule_reviews(self, items: Iterable[ReviewItem], now: datetime) -> int:
        """Put items on their students' schedules; an item missed again starts over in box 1."""
        statements = [
            (
                "INSERT INTO review_items (user_id, bank_id, question_id, box, due_at, reviews,"
                " done, added_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?)"
                " ON CONFLICT (user_id, bank_id, question_id) DO UPDATE SET"
                " box = excluded.box, due_at = excluded.due_at, done = 0",
                (i.user_id, i.bank_id, i.question_id, i.box, to_text(i.due_at), to_text(now)),
            )
            for i in items
        ]
        if not statements:
            return 0
        return sum(await self.store.write(statements))

    async def review_item(self, user_id: int, bank_id: str, question_id: str) -> ReviewItem | None:
        row = await self.store.fetchone(
            "SELECT * FROM review_items WHERE user_id = ? AND bank_id = ? AND question_id = ?",
            (user_id, bank_id, question_id),
        )
        return _item(row) if row else None

    async def due_reviews(self, user_id: int, now: datetime) -> list[ReviewItem]:
        """A student's items due now, the longest waiting first."""
        rows = await self.store.fetchall(
            "SELECT * FROM review_items WHERE user_id = ? AND done = 0 AND due_at <= ?"
            " ORDER BY due_at, bank_id, question_id",
            (user_id, to_text(now)),
        )
        return [_item(r) for r in rows]

    async def review_items(self, user_id: int) -> list[ReviewItem]:
        rows = await self.store.fetchall(
            "SELECT * FROM review_items WHERE user_id = ? ORDER BY due_at, bank_id, question_id",
            (user_id,),
        )
        return [_item(r) for r in rows]

    async def review_settings(self, user_id: int) -> ReviewSettings:
        row = await self.store.fetchone(
            "SELECT * FROM review_settings WHERE user_id = ?", (user_id,)
        )
        if row is None:
            return ReviewSettings()
        return ReviewSettings(
            window=Window(row["window"]) if row["window"] else None,
            last_sent_on=date.fromisoformat(row["last_sent_on"]) if row["last_sent_on"] else None,
            blocked=row["blocked_at"] is not None,
        )

    async def set_review_window(self, user_id: int, window: Window | None) -> None:
        """Choose (or, with None, turn off) the daily window; choosing lifts a block, since
        the student is evidently talking to the bot again."""
        await self.store.write_one(
            'INSERT INTO review_settings (user_id, "window") VALUES (?, ?)'
            ' ON CONFLICT (user_id) DO UPDATE SET "window" = excluded."window", blocked_at = NULL',
            (user_id, window.value if window else None),
        )

    async def students_to_remind(
        self, now: datetime, day: date, windows: Sequence[Window]
    ) -> list[int]:
        """Students whose window is open, who got no daily message today, with items due."""
        if not windows:
            return []
        marks = ", ".join("?" for _ in windows)
        rows = await self.store.fetchall(
            "SELECT s.user_id FROM review_settings s"
            f' WHERE s."window" IN ({marks})'
            " AND s.blocked_at IS NULL"
            " AND (s.last_sent_on IS NULL OR s.last_sent_on != ?)"
            " AND EXISTS (SELECT 1 FROM review_items i WHERE i.user_id = s.user_id"
            " AND i.done = 0 AND i.due_at <= ?) ORDER BY s.user_id",
            (*(w.value for w in windows), day.isoformat(), to_text(now)),
        )
        return [r["user_id"] for r in rows]

    async def claim_review_day(self, user_id: int, day: date) -> bool:
        """Take today's one message for this student; False if it was already taken. Committed
        before the send, so a restart in between never sends a second one the same day."""
        count = await self.store.write_one(
            "UPDATE review_settings SET last_sent_on = ?"
            " WHERE user_id = ? AND (last_sent_on IS NULL OR last_sent_on != ?)",
            (day.isoformat(), user_id, day.isoformat()),
        )
        return count == 1

    async def release_review_day(self, user_id: int, day: date, previous: date | None) -> None:
        """Give back a day's claim whose message did not go out (a transient failure)."""
        await self.store.write_one(
            "UPDATE review_settings SET last_sent_on = ? WHERE user_id = ? AND last_sent_on = ?",
            (previous.isoformat() if previous else None, user_id, day.isoformat()),
        )

    async def block_reviews(self, user_id: int, now: datetime) -> None:
        """The student blocked the bot: no more daily messages until they choose a window."""
        await self.store.write_one(
            "UPDATE review_settings SET blocked_at = ? WHERE user_id = ?", (to_text(now), user_id)
        )

    async def add_review_prompt(self, prompt: ReviewPrompt) -> ReviewPrompt:
        async with self.store.transaction() as db:
            prompt_id = await db.insert(
                "INSERT INTO review_prompts (user_id, bank_id, question_id, sighting, kind,"
                " poll_id, option_order, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    prompt.user_id,
                    prompt.bank_id,
                    prompt.question_id,
                    prompt.sighting,
                    prompt.kind.value,
                    prompt.poll_id,
                    dumps(list(prompt.option_order)),
                    to_text(prompt.sent_at),
                ),
            )
        return await self.review_prompt(prompt_id)

    async def review_prompt(self, prompt_id: int) -> ReviewPrompt | None:
        row = await self.store.fetchone("SELECT * FROM review_prompts WHERE id = ?", (prompt_id,))
        return _prompt(row) if row else None

    async def review_prompt_for_poll(self, poll_id: str) -> ReviewPrompt | None:
        row = await self.store.fetchone(
            "SELECT * FROM review_prompts WHERE poll_id = ?", (poll_id,)
        )
        return _prompt(row) if row else None

    async def open_text_prompt(self, user_id: int) -> ReviewPrompt | None:
        """The student's latest typed review item, if it is still waiting for its answer."""
        row = await self.store.fetchone(
            "SELECT p.* FROM review_prompts p WHERE p.user_id = ? AND p.kind = 'text'"
            " AND p.id = (SELECT MAX(id) FROM review_prompts WHERE user_id = p.user_id)"
            " AND NOT EXISTS (SELECT 1 FROM review_answers a WHERE a.user_id = p.user_id"
            " AND a.bank_id = p.bank_id AND a.question_id = p.question_id"
            " AND a.sighting = p.sighting)",
            (user_id,),
        )
        return _prompt(row) if row else None

    async def record_review_answer(self, answer: ReviewAnswer, after: ReviewItem) -> bool:
        """Record an answer once per item and sighting, and move the item to `after` in the
        same transaction; a replay changes nothing. Returns whether it was new."""
        async with self.store.transaction() as db:
            inserted = await db.execute(
                "INSERT INTO review_answers (prompt_id, user_id, bank_id, question_id, sighting,"
                " choice, raw_text, correct, score, answered_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (user_id, bank_id, question_id, sighting) DO NOTHING",
                (
                    answer.prompt_id,
                    answer.user_id,
                    answer.bank_id,
                    answer.question_id,
                    answer.sighting,
                    answer.choice,
                    answer.raw_text,
                    int(answer.correct),
                    answer.score,
                    to_text(answer.answered_at),
                ),
            )
            if inserted != 1:
                return False
            await db.execute(
                "UPDATE review_items SET box = ?, due_at = ?, reviews = ?, done = ?"
                " WHERE user_id = ? AND bank_id = ? AND question_id = ? AND reviews = ?",
                (
                    after.box,
                    to_text(after.due_at),
                    after.reviews,
                    int(after.done),
                    after.user_id,
                    after.bank_id,
                    after.question_id,
                    answer.sighting - 2,
                ),
            )
        return True

    async def review_answers_of(self, user_id: int) -> list[ReviewAnswer]:
        rows = await self.store.fetchall(
            "SELECT * FROM review_answers WHERE user_id = ? ORDER BY id", (user_id,)
        )
        return [
            ReviewAnswer(
                prompt_id=r["prompt_id"],
                user_id=r["user_id"],
                bank_id=r["bank_id"],
                question_id=r["question_id"],
                sighting=r["sighting"],
                choice=r["choice"],
                correct=bool(r["correct"]),
                score=r["score"],
                answered_at=from_text(r["answered_at"]),
                raw_text=r["raw_text"],
            )
            for r in rows
        ]

    async def review_rows(self, user_ids: Iterable[int]) -> list[ReviewRow]:
        """Review answers of these students (a class's roster), for the teacher's export."""
        ids = sorted(set(user_ids))
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = await self.store.fetchall(
            "SELECT a.*, s.display_name FROM review_answers a"
            " JOIN students s ON s.user_id = a.user_id"
            f" WHERE a.user_id IN ({marks}) ORDER BY s.display_name, a.bank_id, a.question_id,"
            " a.sighting",
            tuple(ids),
        )
        return [
            ReviewRow(
                r["user_id"],
                r["display_name"],
                r["bank_id"],
                r["question_id"],
                r["sighting"],
                bool(r["correct"]),
                from_text(r["answered_at"]),
            )
            for r in rows
        ]
