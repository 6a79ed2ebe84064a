"""The other ways into and through a review: a live session's misses, typed items answered
by a message, items too long for a poll answered by buttons, and /forgetme."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot import buttons, texts
from quizzes.model import Option
from quizzes.review import schedule
from tests.factories import Person
from tests.fault_support import rows
from tests.harness import make_config, running
from tests.live_support import FakeClock, Room, bank_dir, live_config, typed_answer
from tests.review_support import RIYADH, MovingClock, review_answer_rows, schedule_rows

STUDENT = Person(6201, "ريم", "الأحمد", "reem")
PUPIL = Person(6202, "سامي", "النجار", "sami")
LATE = Person(6203, "هالة", "الخطيب", "hala")


async def test_a_live_sessions_misses_are_scheduled(tmp_path: Path) -> None:
    clock = FakeClock()
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("s01", "s02")))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await room.begin("live4", [PUPIL])
        await room.respond(PUPIL, correct=False)  # the only player: the reveal comes at once
        await room.control("sk")  # next question
        await room.respond(PUPIL, correct=True)
        while (await room.session()).is_open:
            await room.control("sk")  # past the last reveal: the session ends
        assert set(schedule_rows(h, PUPIL.id)) == {"s01"}


async def test_a_live_question_left_unanswered_is_scheduled(tmp_path: Path) -> None:
    clock = FakeClock()
    config = live_config(tmp_path, banks_dir=bank_dir(tmp_path, ("s01", "s02")))
    async with running(config, clock=clock) as h:
        room = Room(h, clock)
        await room.begin("live4", [PUPIL, STUDENT])
        await room.respond(PUPIL, correct=True)
        await room.respond(STUDENT, correct=True)
        await room.control("sk")  # next question
        await room.respond(PUPIL, correct=True)
        await room.respond(LATE, correct=True)  # joins by answering the second question
        while (await room.session()).is_open:  # STUDENT lets s02 pass
            await room.control("sk")
        assert set(schedule_rows(h, STUDENT.id)) == {"s02"}
        assert set(schedule_rows(h, PUPIL.id)) == set()
        # The late joiner was not there for s01: nothing of it is theirs to review.
        assert LATE.id in (await room.session()).joined
        assert set(schedule_rows(h, LATE.id)) == set()


async def _schedule(h, question_id: str, bank_id: str, clock: MovingClock) -> None:
    await h.send("/start", STUDENT)
    tz = h.app.bot_data.config.tz
    await h.repo.schedule_reviews(
        [schedule(STUDENT.id, bank_id, question_id, clock(), tz)], clock()
    )
    clock.local(2, 9)


async def test_a_typed_item_is_answered_by_a_message(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    async with running(make_config(tmp_path, timezone=RIYADH), clock=clock) as h:
        await _schedule(h, "s01", "discuss", clock)
        await h.send("/review", STUDENT)
        calls = await h.tap(STUDENT, texts.REVIEW_BUTTON_START)
        asked = [c for c in calls if c.method == "sendMessage"][-1]
        assert "اكتب إجابتك" in asked.text
        question = h.app.bot_data.banks["discuss"].question("s01")
        calls = await h.send(typed_answer(question, True), STUDENT)
        assert review_answer_rows(h, STUDENT.id) == [("s01", 2, 1)]
        assert texts.REVIEW_BUTTON_NEXT in [label for label, _ in calls[-1].buttons]
        # The same message again is no second answer.
        calls = await h.send(typed_answer(question, True), STUDENT)
        assert review_answer_rows(h, STUDENT.id) == [("s01", 2, 1)]
        assert schedule_rows(h, STUDENT.id)["s01"][0] == 1


async def test_an_item_too_long_for_a_poll_comes_as_buttons(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    async with running(make_config(tmp_path, timezone=RIYADH), clock=clock) as h:
        banks = h.app.bot_data.banks
        long = replace(
            banks["facts"].question("f01"),
            options=(Option("a", "«لا نتخلى عن أهلنا» " * 8), Option("b", "«صداقة أبدية»")),
        )
        banks["facts"] = replace(banks["facts"], questions=(long, *banks["facts"].questions[1:]))
        await _schedule(h, "f01", "facts", clock)
        await h.send("/review", STUDENT)
        calls = await h.tap(STUDENT, texts.REVIEW_BUTTON_START)
        assert not [c for c in calls if c.method == "sendPoll"]
        shown = [c for c in calls if c.method == "sendMessage"][-1]
        (right,) = [d for _, d in shown.buttons if d.endswith(":a")]
        assert right.startswith(buttons.REVIEW_ANSWER.prefix + ":")
        calls = await h.press_data(right, STUDENT, message_id=shown.result["message_id"])
        assert h.toast(calls) == texts.TOAST_CORRECT
        calls = await h.press_data(right, STUDENT, message_id=shown.result["message_id"])
        assert h.toast(calls) == texts.STALE
        assert review_answer_rows(h, STUDENT.id) == [("f01", 2, 1)]


async def test_forgetme_deletes_the_schedule_and_review_answers(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    async with running(make_config(tmp_path, timezone=RIYADH), clock=clock) as h:
        await _schedule(h, "s01", "discuss", clock)
        await h.send("/review", STUDENT)
        await h.tap(STUDENT, texts.REVIEW_BUTTON_START)
        question = h.app.bot_data.banks["discuss"].question("s01")
        await h.send(typed_answer(question, False), STUDENT)
        await h.send("/forgetme", STUDENT)
        await h.tap(STUDENT, texts.BUTTON_FORGET_YES)
        db = h.app.bot_data.config.db_path
        for table in ("review_items", "review_prompts", "review_answers", "review_settings"):
            assert rows(db, f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (STUDENT.id,)) == [
                (0,)
            ]
