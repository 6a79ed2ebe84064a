"""Helpers for the spaced-review tests: a clock the test moves, an attempt with chosen misses,
and reads of the schedule straight from SQLite."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot import texts
from quizzes.model import QuestionType
from tests.buttons import option
from tests.factories import Person
from tests.fakes import Call
from tests.fault_support import rows
from tests.harness import Harness

RIYADH = "Asia/Riyadh"  # UTC+3, no daylight saving time


class MovingClock:
    """The bot's clock, moved by the test: days pass without waiting."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def local(self, day: int, hour: int, minute: int = 0) -> None:
        """Set the time to 2026-12-<day> hour:minute in Riyadh."""
        self.now = datetime(2026, 12, day, hour - 3, minute, tzinfo=UTC)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def attempt_with_misses(h: Harness, person: Person, bank_id: str, misses: int) -> set[str]:
    """Take a whole bank privately, answering the first `misses` questions wrong (a multi one
    by ticking a single right option); returns the ids of the questions missed."""
    bank = h.app.bot_data.banks[bank_id]
    await h.start_bank(person, bank_id)
    attempt = await h.repo.active_attempt(person.id, person.id)
    missed = set()
    for position in range(attempt.total):
        attempt = await h.repo.get_attempt(attempt.id)
        question = bank.question(attempt.question_ids[position])
        wrong = position < misses
        if wrong:
            missed.add(question.id)
        if question.type is QuestionType.MULTI:
            keys = sorted(question.answer)[:1] if wrong else sorted(question.answer)
            for key in keys:
                await h.tap(person, option(question, key))
            await h.tap(person, texts.BUTTON_CONFIRM)
        else:
            keys = [k for k in attempt.options_shown(position) if (k in question.answer) != wrong]
            await h.tap(person, option(question, keys[0]))
        last = position + 1 == attempt.total
        await h.tap(person, texts.BUTTON_RESULTS if last else texts.BUTTON_NEXT)
    return missed


def schedule_rows(h: Harness, user_id: int) -> dict[str, tuple[int, str, int]]:
    """question id -> (box, due_at, reviews), as stored."""
    found = rows(
        h.app.bot_data.config.db_path,
        "SELECT question_id, box, due_at, reviews FROM review_items WHERE user_id = ?",
        (user_id,),
    )
    return {q: (box, due, reviews) for q, box, due, reviews in found}


def review_answer_rows(h: Harness, user_id: int) -> list[tuple]:
    return rows(
        h.app.bot_data.config.db_path,
        "SELECT question_id, sighting, correct FROM review_answers WHERE user_id = ? ORDER BY id",
        (user_id,),
    )


def param_list(call: Call, name: str) -> list[Any]:
    value = call.params.get(name)
    return value if isinstance(value, list) else json.loads(value)


def option_texts(call: Call) -> list[str]:
    return [o["text"] if isinstance(o, dict) else o for o in param_list(call, "options")]


def sends_to(calls: list[Call], chat_id: int) -> list[Call]:
    """Messages (not edits or acknowledgements) the bot sent to one chat."""
    kinds = ("sendMessage", "sendPoll", "sendPhoto", "sendDocument")
    return [c for c in calls if c.method in kinds and c.chat_id == chat_id]
