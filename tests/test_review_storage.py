"""The review schedule in SQLite: it survives closing the repository, and an answer is
recorded once per item and sighting, with its box move, whatever is replayed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from quizzes.review import (
    PromptKind,
    ReviewAnswer,
    ReviewPrompt,
    Window,
    answered,
    schedule,
)
from storage.repository import Repository
from tests.backends import database

TZ = ZoneInfo("Asia/Riyadh")
NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


async def _repo(path: Path) -> Repository:
    repo = Repository(database(path / "q.sqlite3"))
    await repo.open()
    return repo


async def test_schedule_survives_closing_and_reopening(tmp_path: Path) -> None:
    repo = await _repo(tmp_path)
    await repo.save_student(1, "هدى", None)
    await repo.set_review_window(1, Window.EVENING)
    await repo.schedule_reviews([schedule(1, "facts", "f01", NOW, TZ)], NOW)
    await repo.close()
    repo = await _repo(tmp_path)
    try:
        assert [i.question_id for i in await repo.due_reviews(1, LATER)] == ["f01"]
        assert (await repo.review_settings(1)).window is Window.EVENING
        assert await repo.students_to_remind(LATER, date(2026, 12, 2), [Window.EVENING]) == [1]
        assert await repo.claim_review_day(1, date(2026, 12, 2))
        assert not await repo.claim_review_day(1, date(2026, 12, 2))
        assert await repo.students_to_remind(LATER, date(2026, 12, 2), [Window.EVENING]) == []
    finally:
        await repo.close()


async def test_an_answer_is_recorded_once_per_sighting(tmp_path: Path) -> None:
    repo = await _repo(tmp_path)
    try:
        await repo.save_student(1, "هدى", None)
        item = schedule(1, "facts", "f01", NOW, TZ)
        await repo.schedule_reviews([item], NOW)
        sent = ReviewPrompt(None, 1, "facts", "f01", 2, PromptKind.POLL, LATER, "p-1", ("a", "b"))
        first = await repo.add_review_prompt(sent)
        # The same item sent twice before an answer (a /review press, then the daily message).
        second = await repo.add_review_prompt(replace(sent, poll_id="p-2"))
        after = answered(item, True, LATER, TZ)
        answer = ReviewAnswer(first.id, 1, "facts", "f01", 2, "a", True, 1.0, LATER)
        assert await repo.record_review_answer(answer, after)
        assert not await repo.record_review_answer(answer, after)
        assert not await repo.record_review_answer(
            replace(answer, prompt_id=second.id, correct=False), answered(item, False, LATER, TZ)
        )
        assert len(await repo.review_answers_of(1)) == 1
        stored = await repo.review_item(1, "facts", "f01")
        assert (stored.box, stored.reviews) == (1, 1)
        assert (await repo.review_prompt_for_poll("p-2")).id == second.id
    finally:
        await repo.close()
